"""Per-rule precision material from one run: items failed, distinct violation sites (file:line) and
how many lie outside the reviewed module, a TSV of every site, and a seeded sample to triage.

Reads the run's SARIF (``--reviewgate-sarif``) and its short test summary (``FAILED`` lines).
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

FAILED = re.compile(r"^(FAILED|ERROR) (\S+?\.review\.txt)::(\S+?)(?: - .*)?$", re.M)
REVIEW_SUFFIX = ".review.txt"


@dataclass(frozen=True)
class Result:
    """One unsuppressed SARIF result: a violation, and the review that asked for the check."""

    rule: str
    file: str  # relative to the suite's root when inside it
    line: int
    message: str
    review: str

    @property
    def reviewed_module(self) -> str:
        return self.review[: -len(REVIEW_SUFFIX)] + ".py" if self.review.endswith(REVIEW_SUFFIX) else self.review


@dataclass
class Site:
    """A distinct (rule, file, line), with every review that reported it."""

    rule: str
    file: str
    line: int
    messages: list[str] = field(default_factory=list)
    reviews: set[str] = field(default_factory=set)
    outside: bool = False  # reported for a reviewed module other than ``file``


def _path(location: dict, base: str) -> str:
    artifact = location.get("physicalLocation", {}).get("artifactLocation", {})
    uri = str(artifact.get("uri", ""))
    if artifact.get("uriBaseId") or not uri.startswith("file:"):
        return unquote(uri)
    full = unquote(urlparse(uri).path)
    return full[len(base):] if base and full.startswith(base) else full


def _line(location: dict) -> int:
    return int(location.get("physicalLocation", {}).get("region", {}).get("startLine", 0))


def read_sarif(path: Path) -> tuple[list[Result], int]:
    """Unsuppressed results of a SARIF log, and how many were suppressed."""
    log = json.loads(path.read_text(encoding="utf-8"))
    results: list[Result] = []
    suppressed = 0
    for run in log.get("runs", []):
        base_uri = run.get("originalUriBaseIds", {}).get("%SRCROOT%", {}).get("uri", "")
        base = unquote(urlparse(base_uri).path) if base_uri else ""
        for res in run.get("results", []):
            if res.get("suppressions"):
                suppressed += 1
                continue
            where = (res.get("locations") or [{}])[0]
            review = (res.get("relatedLocations") or [{}])[0]
            results.append(Result(str(res.get("ruleId", "?")), _path(where, base), _line(where),
                                  str(res.get("message", {}).get("text", "")), _path(review, base)))
    return results, suppressed


def failed_items(output: str) -> Counter[str]:
    """Failed (or erroring) review items per item name (``expect::mocks-undone`` -> ``mocks-undone``,
    ``review``), from a run's short test summary."""
    found: Counter[str] = Counter()
    for match in FAILED.finditer(output):
        found[match[3].rpartition("::")[2]] += 1
    return found


def collect_sites(results: list[Result]) -> list[Site]:
    sites: dict[tuple[str, str, int], Site] = {}
    for res in results:
        site = sites.setdefault((res.rule, res.file, res.line), Site(res.rule, res.file, res.line))
        if res.message not in site.messages:
            site.messages.append(res.message)
        site.reviews.add(res.review)
        site.outside = site.outside or res.file not in (res.reviewed_module, res.review)
    return sorted(sites.values(), key=lambda s: (s.rule, s.file, s.line))


def rule_table(rules: list[tuple[str, str]], results: list[Result], sites: list[Site], failed: Counter[str],
               reviews: int) -> list[str]:
    """A Markdown table: per rule, items failed, violations, distinct sites, sites outside the module and
    the files that hold most of those."""
    lines = ["| rule | items failed | violations | distinct sites | outside the reviewed module | "
             "top outside files (sites) |", "|---|---:|---:|---:|---:|---|"]
    names = dict(rules)
    codes = [code for code, _ in rules] + sorted({r.rule for r in results} - {c for c, _ in rules})
    for code in codes:
        name = names.get(code, "")
        mine = [s for s in sites if s.rule == code]
        outside = [s for s in mine if s.outside]
        top = Counter(s.file for s in outside).most_common(3)
        lines.append(f"| {code} {name} | {failed.get(name, 0):,} of {reviews:,} | "
                     f"{sum(1 for r in results if r.rule == code):,} | {len(mine):,} | {len(outside):,} | "
                     + ", ".join(f"{f} ({n})" for f, n in top) + " |")
    if failed.get("review"):
        lines.append(f"| `::review` items failed | {failed['review']:,} of {reviews:,} | | | | |")
    return lines


def write_tsv(path: Path, sites: list[Site]) -> None:
    """rule, file, line, message (distinct messages joined by ` || `), then how many reviews reported
    the site and whether any of them reviewed another module."""
    rows = ["rule\tfile\tline\tmessage\treviews\toutside"]
    for s in sites:
        message = " || ".join(s.messages).replace("\t", " ").replace("\n", " ")
        rows.append(f"{s.rule}\t{s.file}\t{s.line}\t{message}\t{len(s.reviews)}\t{'yes' if s.outside else 'no'}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def sample(sites: list[Site], root: Path, per_rule: int, seed: int, context: int = 3) -> list[str]:
    """``per_rule`` seeded random sites of each rule, each with its source line and ``context`` lines
    either side (the site's line marked ``>``)."""
    out: list[str] = []
    rng = random.Random(seed)
    for rule in sorted({s.rule for s in sites}):
        mine = [s for s in sites if s.rule == rule]
        picked = sorted(rng.sample(mine, min(per_rule, len(mine))), key=lambda s: (s.file, s.line))
        out.append(f"## {rule}: {len(picked)} of {len(mine):,} sites (seed {seed})")
        for s in picked:
            out += ["", f"{s.file}:{s.line}" + (" (outside the reviewed module, reported for "
                                                 f"{len(s.reviews)} review(s))" if s.outside else "")]
            out += [f"    {m}" for m in s.messages]
            out += _context(root / s.file, s.line, context)
        out.append("")
    return out


def _context(path: Path, line: int, context: int) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8", errors="replace").split("\n")
    except OSError as exc:
        return [f"    (cannot read {path}: {exc})"]
    if not 1 <= line <= len(text):
        return [f"    (line {line} is outside the file's {len(text)} lines)"]
    first, last = max(1, line - context), min(len(text), line + context)
    return [f"  {'>' if n == line else ' '}{n:6d}  {text[n - 1]}" for n in range(first, last + 1)]
