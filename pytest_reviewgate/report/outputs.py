"""What reviewgate writes at session end, on the controller, from report data only.

SARIF, the baseline, ``--reviewgate-fix`` and ``--reviewgate-pin``: each file is written once,
atomically, and left alone when it changed since the analysis read it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .._version import __version__
from ..model import ReviewgateError, Violation
from ..rules.base import Rule
from . import baseline as baselines
from . import rewrite
from .escapes import printable
from .sarif import ResultInfo, RuleInfo, build_sarif, write_sarif


def absolute(root: Path, path: str) -> str:
    candidate = Path(path)
    return str(candidate if candidate.is_absolute() else root / candidate)


def sarif(
    path: str,
    root: Path,
    rules: Iterable[type[Rule]],
    violations: Sequence[Mapping[str, Any]],
    repository: Path | None = None,
    skip_open: bool = False,
) -> str:
    """Write the SARIF log; violation paths are relative to ``root`` (the rootdir), URIs in the log to
    ``repository`` (the repository root, by default the rootdir)."""
    infos = [  # a custom rule's docs may hold escape sequences: JSON would keep them, escaped
        RuleInfo(
            r.code, r.name, printable(r.summary), printable(r.docs()), r.cwe,
            "warning" if r.severity == "warning" else "error", r.kind, r.precision,
        )
        for r in rules
    ]
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
    log = build_sarif(infos, results, tool_version=__version__, root=str(repository or root),
                      open_findings="omit" if skip_open else "note")
    result = write_sarif(path, log)
    return result.message if not result.ok else f"SARIF written to {path} ({len(results)} results)"


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
) -> str:
    counted = [
        Violation.from_data(dict(data))
        for data in violations
        if data["rule"] in static_codes and data.get("suppressed", "") in ("", "baseline")
    ]
    plain = [Violation(v.rule, v.message, relative(root, v.path), v.line, v.definition, v.source) for v in counted]
    result = baselines.save(path, baselines.from_violations(plain))
    return result.message if not result.ok else f"baseline written to {path} ({len(plain)} violations)"


def rewrite_reviews(edits: Sequence[Mapping[str, Any]], kind: str) -> list[str]:
    """Apply ``fix`` replacements or ``pin`` maps, one write per review file."""
    by_file: dict[str, list[Mapping[str, Any]]] = {}
    for edit in edits:
        by_file.setdefault(str(edit["review"]), []).append(edit)
    messages = []
    for review, entries in sorted(by_file.items()):
        try:
            snapshot = rewrite.read_for_rewrite(review)
        except ReviewgateError as exc:
            messages.append(str(exc))
            continue
        if any(hashlib.sha256(snapshot.data).hexdigest() != e["sha256"] for e in entries):
            messages.append(f"{review}: changed since it was read; not rewritten")
            continue
        try:
            if kind == "fix":
                replacements = sorted({tuple(r) for e in entries for r in e["replacements"]})
                new = rewrite.apply_replacements(snapshot.data, [(int(a), int(b), str(c)) for a, b, c in replacements])
            else:
                pins: dict[str, str] = {}
                for entry in entries:
                    pins.update(entry["pins"])
                new = rewrite.set_pins(snapshot.data, dict(sorted(pins.items())))
        except ValueError as exc:
            messages.append(f"{review}: not rewritten: {exc}")
            continue
        messages.append(rewrite.write_atomically(snapshot, new).message)
    return messages
