"""Triage verdicts for people and tools: terminal lines, the JSON file, SARIF results.

Pure: works on the plain data the review items carry (``engine.triage.Triage.to_data``).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .escapes import printable
from .rewrite import WriteResult, write_atomically
from .sarif import _location

VERDICTS = ("confirmed", "refuted", "not-checkable", "clean")
RULE_ID = "triage"
JSON_VERSION = 1


def ordered(entries: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Each finding once, by review and line."""
    unique = {(str(e["review"]), str(e["finding"])): e for e in entries}
    return sorted(unique.values(), key=lambda e: (str(e["review"]), int(e["line"]), str(e["finding"])))


def counts(entries: Iterable[Mapping[str, Any]]) -> Counter[str]:
    return Counter(str(e["verdict"]) for e in entries)


def shown(verdict: str) -> str:
    return verdict.replace("-", " ")


def relative(root: Path, path: str) -> str:
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError):
        return path


def summary_line(entries: Sequence[Mapping[str, Any]]) -> str:
    found = counts(entries)
    parts = ", ".join(f"{found[v]} {shown(v)}" for v in VERDICTS)
    return f"triage: {len(entries)} finding{'s' * (len(entries) != 1)}: {parts}"


def lines(entries: Sequence[Mapping[str, Any]], root: Path, detail: str = "full") -> list[str]:
    """The summary line, then each finding: where, verdict, rules, reason, evidence; ``short`` (-q):
    one line per finding; ``count`` (-qq): the summary line alone."""
    out = [summary_line(entries)]
    for entry in ordered(entries) if detail != "count" else ():
        rules = f" [{', '.join(entry['rules'])}]" if entry["rules"] else ""
        title = f" ({entry['title']})" if entry["title"] else ""
        out.append(f"{entry['review']}:{entry['line']}: finding {entry['finding']}{title}: "
                   f"{shown(str(entry['verdict']))}{rules}")
        if detail == "short":
            continue
        if entry["reason"]:
            out.append(f"    {entry['reason']}")
        for evidence in entry["evidence"]:
            out.append(f"    {relative(root, str(evidence['file']))}:{evidence['line']}: {evidence['text']}")
        for runtime in entry["runtime"]:
            out.append(f"    {runtime}")
    return [printable(line) for line in out]


def document(entries: Sequence[Mapping[str, Any]], root: Path) -> dict[str, Any]:
    """The JSON document: version, counts, one object per finding (paths relative to ``root``)."""
    findings = []
    for entry in ordered(entries):
        findings.append({
            "review": str(entry["review"]),
            "finding": str(entry["finding"]),
            "line": int(entry["line"]),
            "title": str(entry["title"]),
            "verdict": str(entry["verdict"]),
            "rules": list(entry["rules"]),
            "subjects": list(entry["subjects"]),
            "runtime": list(entry["runtime"]),
            "reason": str(entry["reason"]),
            "evidence": [
                {"file": relative(root, str(e["file"])), "line": int(e["line"]), "text": str(e["text"])}
                for e in entry["evidence"]
            ],
        })
    found = counts(findings)
    return {"version": JSON_VERSION, "counts": {v: found[v] for v in VERDICTS}, "findings": findings}


def write_json(path: str, entries: Sequence[Mapping[str, Any]], root: Path) -> WriteResult:
    data = (json.dumps(document(entries, root), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    try:
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    except OSError as exc:
        return WriteResult(path, "error", f"cannot write {path}: {exc}")
    result = write_atomically(path, data)
    if not result.ok:
        return result
    return WriteResult(result.path, result.status, f"triage written to {path} ({len(ordered(entries))} findings)")


def sarif_rule() -> dict[str, Any]:
    """The descriptor the triage results point at: no rule of the catalogue, a verdict on a finding."""
    return {
        "id": RULE_ID,
        "name": "review-triage",
        "shortDescription": {"text": "Whether a review finding holds: confirmed, refuted, not checkable or clean"},
        "fullDescription": {
            "text": "A verdict on a finding of a review, with the evidence of the rules that decided it."
        },
        "defaultConfiguration": {"level": "none"},
        "properties": {"tags": ["reviewgate", "triage"]},
    }


def sarif_results(entries: Sequence[Mapping[str, Any]], root: Path, repository: Path) -> list[dict[str, Any]]:
    """One informational result per finding, located at the finding in its review file."""
    out = []
    for entry in ordered(entries):
        review = str(Path(str(entry["review"])) if Path(str(entry["review"])).is_absolute()
                      else root / str(entry["review"]))
        text = f"finding {entry['finding']} ({entry['title']}): {shown(str(entry['verdict']))}"
        if entry["reason"]:
            text += f": {entry['reason']}"
        related = []
        for number, evidence in enumerate(entry["evidence"], 1):
            location = _location(str(evidence["file"]), int(evidence["line"]), str(repository))
            location["id"] = number
            location["message"] = {"text": str(evidence["text"])}
            related.append(location)
        result: dict[str, Any] = {
            "ruleId": RULE_ID,
            "kind": "informational",
            "level": "none",
            "message": {"text": printable(text)},
            "locations": [_location(review, int(entry["line"]), str(repository))],
            "properties": {
                "reviewgate/triage": str(entry["verdict"]),
                "reviewgate/finding": str(entry["finding"]),
                "reviewgate/rules": list(entry["rules"]),
                "reviewgate/subjects": list(entry["subjects"]),
            },
        }
        if related:
            result["relatedLocations"] = related
        out.append(result)
    return out


def add_to_sarif(log: dict[str, Any], entries: Sequence[Mapping[str, Any]], root: Path, repository: Path) -> None:
    """Append the triage results (and their descriptor) to the log's run."""
    if not entries:
        return
    run = log["runs"][0]
    rules = run["tool"]["driver"].setdefault("rules", [])
    rules.append(sarif_rule())
    index = len(rules) - 1
    for result in sarif_results(entries, root, repository):
        result["ruleIndex"] = index
        run["results"].append(result)
