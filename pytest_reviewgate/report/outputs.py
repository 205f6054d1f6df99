"""What reviewgate writes at session end, on the controller, from report data only.

SARIF, the baseline, ``--reviewgate-fix`` and ``--reviewgate-pin``: each file is written once,
atomically, and left alone when it changed since the analysis read it, or when the next run would
reject what would be written. Each write gives a result; one that failed fails the session.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .._version import __version__
from ..config import Settings
from ..model import ReviewgateError, Violation
from ..review.parser import parse_review
from ..rules.base import Rule
from . import baseline as baselines
from . import rewrite
from .escapes import printable
from .rewrite import WriteResult
from .sarif import ResultInfo, RuleInfo, build_sarif, write_sarif
from .summary import plural

_NUMBER = re.compile(r"[0-9]+")


def absolute(root: Path, path: str) -> str:
    candidate = Path(path)
    return str(candidate if candidate.is_absolute() else root / candidate)


def exit_status(status: int, results: Iterable[WriteResult]) -> int:
    """The session's exit status once written: a passing session fails when a write failed."""
    return 1 if status == 0 and any(not r.ok for r in results) else status


def sarif(
    path: str,
    root: Path,
    rules: Iterable[type[Rule]],
    violations: Sequence[Mapping[str, Any]],
    repository: Path | None = None,
    skip_open: bool = False,
    triage: Sequence[Mapping[str, Any]] = (),
) -> WriteResult:
    """Write the SARIF log; violation paths are relative to ``root`` (the rootdir), URIs in the log to
    ``repository`` (the repository root, by default the rootdir)."""
    infos = [  # a custom rule's docs may hold escape sequences: JSON would keep them, escaped
        RuleInfo(
            r.code, r.name, printable(r.summary), printable(r.docs()), r.cwe,
            "warning" if r.severity == "warning" else "error", r.kind, r.precision,
        )
        for r in rules
    ]
    results = result_infos(root, violations)
    log = build_sarif(infos, results, tool_version=__version__, root=str(repository or root),
                      open_findings="omit" if skip_open else "note")
    before = len(log["runs"][0]["results"])
    if triage:  # --reviewgate-triage: one informational result per finding
        from .triage import add_to_sarif

        add_to_sarif(log, triage, root, repository or root)
    result = write_sarif(path, log)
    if not result.ok:
        return result
    triaged = len(log["runs"][0]["results"]) - before  # the verdicts count too: the file holds them
    extra = f" and {plural(triaged, 'triage verdict')}" if triaged else ""
    return WriteResult(result.path, result.status,
                       f"SARIF written to {path} ({plural(len(results), 'result')}{extra})")


def result_infos(root: Path, violations: Sequence[Mapping[str, Any]]) -> list[ResultInfo]:
    """Each violation's data as a report result: paths made absolute from ``root``, the finding's place."""
    results = []
    for data in violations:
        violation = Violation.from_data({**data, "path": absolute(root, str(data["path"]))})
        finding = data.get("finding")
        if not isinstance(finding, dict):  # runtime violations carry the review's place flat
            finding = {"key": str(finding or ""), "line": data.get("review_line", 0), "title": "",
                       "review": data.get("review", "")}
        results.append(
            ResultInfo(
                violation=violation,
                review_path=absolute(root, str(finding.get("review", ""))),
                finding_line=int(finding.get("line", 0)),
                finding_title=str(finding.get("title", "")),
                finding_key=str(finding.get("key", "")),
                level="warning" if data.get("severity") == "warning" else "error",
            )
        )
    return results


def codequality(path: str, root: Path, violations: Sequence[Mapping[str, Any]], repository: Path | None = None
                ) -> WriteResult:
    """Write the GitLab Code Quality report: paths and fingerprints as in SARIF (``repository``)."""
    from .codequality import build_codequality, write_codequality

    issues = build_codequality(result_infos(root, violations), root=str(repository or root))
    result = write_codequality(path, issues)
    if not result.ok:
        return result
    return WriteResult(result.path, result.status,
                       f"Code Quality report written to {path} ({plural(len(issues), 'issue')})")


def repository_root(start: Path) -> Path:
    """The git work tree holding ``start`` (where ``.git`` is), else ``start`` itself."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


def relative(root: Path, path: str) -> str:
    """A path relative to the rootdir, with forward slashes: baselines travel between checkouts."""
    try:
        return Path(absolute(root, path)).relative_to(root).as_posix()
    except ValueError:
        return path


def update_baseline(
    path: str, violations: Sequence[Mapping[str, Any]], static_codes: set[str], root: Path
) -> WriteResult:
    counted = [
        Violation.from_data(dict(data))
        for data in violations
        if data["rule"] in static_codes and data.get("suppressed", "") in ("", "baseline")
    ]
    plain = [Violation(v.rule, v.message, relative(root, v.path), v.line, v.definition, v.source) for v in counted]
    result = baselines.save(path, baselines.from_violations(plain))
    if not result.ok:
        return result
    return WriteResult(result.path, result.status, f"baseline written to {path} ({plural(len(plain), 'violation')})")


def rewrite_reviews(
    fixes: Sequence[Mapping[str, Any]],
    pins: Sequence[Mapping[str, Any]],
    settings: Settings | None = None,
    diff: bool = False,
) -> list[WriteResult]:
    """Apply ``--reviewgate-fix`` replacements and ``--reviewgate-pin`` maps: one write per review file.

    Pins of the anchors a fix rewrites move with them (their key holds the anchor's text). With
    ``diff``, nothing is written: each result's message is the unified diff of the change.
    """
    settings = settings or Settings()
    by_file: dict[str, tuple[list[Mapping[str, Any]], list[Mapping[str, Any]]]] = {}
    for edit in fixes:
        by_file.setdefault(str(edit["review"]), ([], []))[0].append(edit)
    for edit in pins:
        by_file.setdefault(str(edit["review"]), ([], []))[1].append(edit)
    out = []
    for review, (fixing, pinning) in sorted(by_file.items()):
        try:
            snapshot = rewrite.read_for_rewrite(review, settings.max_review_bytes)
        except ReviewgateError as exc:
            out.append(WriteResult(review, "error", str(exc)))
            continue
        if any(hashlib.sha256(snapshot.data).hexdigest() != e["sha256"] for e in (*fixing, *pinning)):
            out.append(WriteResult(review, "changed", f"{review}: changed since it was read; not rewritten"))
            continue
        try:
            new, changes = _edited(snapshot.data, review, fixing, pinning, settings)
            refused = rejected(snapshot.data, new, review, settings)
            if refused:
                raise ValueError(f"the next run would reject the result: {refused}")
        except ValueError as exc:
            out.append(WriteResult(review, "error", f"{review}: not rewritten: {exc}"))
            continue
        if diff:
            out.append(WriteResult(review, "unchanged", _diff(snapshot.data, new, review)))
            continue
        written = rewrite.write_atomically(snapshot, new)
        if written.ok and changes:
            written = WriteResult(written.path, written.status, "\n".join([written.message, *changes]))
        out.append(written)
    return out


def _edited(
    data: bytes, review: str, fixing: Sequence[Mapping[str, Any]], pinning: Sequence[Mapping[str, Any]],
    settings: Settings,
) -> tuple[bytes, list[str]]:
    """The review's new bytes, and a line per rewritten anchor: ``review:12: lines 40-44 -> lines 50-54``."""
    replacements = sorted({(int(a), int(b), str(c)) for e in fixing for a, b, c in e["replacements"]})
    new = rewrite.apply_replacements(data, replacements) if replacements else data
    changes: list[str] = []
    pins: dict[str, str] = {}
    if replacements:
        before, after = (parse_review(d, review, suffix=settings.suffix, max_findings=settings.max_findings)
                         for d in (data, new))
        moved: dict[str, str] = {}
        for old_finding, new_finding in zip(before.findings, after.findings, strict=False):
            for old, now in zip(old_finding.line_anchors, new_finding.line_anchors, strict=False):
                if old.text != now.text:
                    changes.append(f"  {review}:{old.line}: {old.text} -> {now.text}")
                    moved[f"{old_finding.key}/{old.text}"] = f"{new_finding.key}/{now.text}"
        if any(k in moved for k in before.pins):  # a pin follows its anchor's new text
            pins = {moved.get(k, k): v for k, v in before.pins.items()}
    if pinning:  # --reviewgate-pin pins every anchor as it reads after the fix
        pins = {k: v for entry in pinning for k, v in entry["pins"].items()}
    if pins:
        new = rewrite.set_pins(new, dict(sorted(pins.items())))
    return new, changes


def _diff(old: bytes, new: bytes, review: str) -> str:
    if old == new:
        return f"{review}: nothing to change"
    before, _ = rewrite.decode(old)
    after, _ = rewrite.decode(new)
    lines = difflib.unified_diff(before.splitlines(), after.splitlines(), f"a/{review}", f"b/{review}", lineterm="")
    return "\n".join(lines)


def rejected(old: bytes, new: bytes, path: str, settings: Settings) -> str:
    """Why the next run would reject the review ``new`` where it accepts ``old`` (a problem it adds), or ""."""
    if old == new:
        return ""
    if len(new) > settings.max_review_bytes:
        return f"{len(new)} bytes, more than max-review-bytes ({settings.max_review_bytes})"
    suffix, most = settings.suffix, settings.max_findings
    before, after = (parse_review(data, path, suffix=suffix, max_findings=most) for data in (old, new))
    if after.fatal and not before.fatal:
        return after.fatal
    known = Counter(_NUMBER.sub("#", p.message) for p in before.problems)  # lines move, so numbers may
    for problem in after.problems:
        shape = _NUMBER.sub("#", problem.message)
        if known[shape] <= 0:
            return problem.message
        known[shape] -= 1
    return ""
