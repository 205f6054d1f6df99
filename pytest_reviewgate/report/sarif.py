"""SARIF 2.1.0 from plain data: one run, rules from their docs, one result per violation.

Pure: builds a dict; :func:`write_sarif` hands the JSON to the atomic writer.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import quote

from ..model import Violation
from .baseline import normalize_code
from .rewrite import WriteResult, write_json

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
FINGERPRINT = "reviewgate/v1"
SRCROOT = "%SRCROOT%"
# Where each rule's documentation lives; a rule's help link is this page and its code as fragment.
RULES_PAGE = "https://github.com/pytest-reviewgate/pytest-reviewgate/blob/main/docs/rules.md"
# GitHub reads security-severity (0.1-10) only beside a "security" tag: it ranks the alerts
SECURITY_SEVERITY = {"error": "5.0", "warning": "3.0", "review": "2.0"}

_SUPPRESSIONS = {
    "ignore": ("inSource", "a `# reviewgate: ignore` comment on the line"),
    "baseline": ("external", "listed in the reviewgate baseline"),
    "open": ("external", "acknowledged as open in review finding {key}"),
}
REVIEW_RULE = re.compile(r"RG00[0-9]$")
_WHAT_IT_DOES = re.compile(r"^##\s*What it does\s*$\n(.*?)(?=^##|^Use instead:|\Z)", re.M | re.S)


@dataclass(frozen=True)
class RuleInfo:
    """What SARIF needs of a rule, taken from the rule's class."""

    code: str
    name: str
    summary: str
    docs_markdown: str
    cwe: int | None
    default_severity: Literal["error", "warning"]
    kind: str = "static"  # static | runtime | review
    precision: str = "medium"  # very-high | high | medium | low, as GitHub reads it
    help_uri: str = ""  # empty: RULES_PAGE with the code as fragment


@dataclass(frozen=True)
class ResultInfo:
    """One violation, with the review finding that asked for the check."""

    violation: Violation
    review_path: str
    finding_line: int
    finding_title: str
    finding_key: str
    level: Literal["error", "warning", "note"]


def build_sarif(
    rules: Sequence[RuleInfo],
    results: Sequence[ResultInfo],
    *,
    tool_version: str,
    root: str,
    category: str = "reviewgate",
    open_findings: Literal["note", "omit"] = "note",
) -> dict[str, Any]:
    """The SARIF log for ``results``; paths are relative to ``root``, the repository root
    (``%SRCROOT%``): no absolute path of the machine is written.

    Results of open (acknowledged) findings are ``note``-level and say so in their properties, or
    are left out with ``open_findings="omit"``; GitHub code scanning shows suppressed results as
    open alerts, so their level is what keeps them apart.

    Each result's ``partialFingerprints["reviewgate/v1"]`` is the SHA-256 of
    :func:`fingerprint`'s parts, none of which is a line number, so the
    fingerprint survives edits elsewhere in the file.
    """
    if open_findings == "omit":
        results = [r for r in results if r.violation.suppressed != "open"]
    index = {r.code: i for i, r in enumerate(rules)}
    digests = result_fingerprints(results, root)
    driver: dict[str, Any] = {
        "name": "pytest-reviewgate",
        "version": tool_version,
        "rules": [_rule(r) for r in rules],
    }
    run = {
        "tool": {"driver": driver},
        "automationDetails": {"id": f"{category}/"},
        "originalUriBaseIds": {SRCROOT: {"description": {"text": "The root of the repository"}}},
        "results": [
            _result(res, index.get(res.violation.rule), root, digests[i])
            for i, res in enumerate(results)
        ],
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def write_sarif(path: str | os.PathLike[str], log: dict[str, Any]) -> WriteResult:
    """Write ``log`` as UTF-8 JSON atomically, creating the parent directories."""
    return write_json(path, log)


def _rule(rule: RuleInfo) -> dict[str, Any]:
    tags = ["security", "reviewgate", rule.kind] + ([f"external/cwe/cwe-{rule.cwe}"] if rule.cwe is not None else [])
    what = _WHAT_IT_DOES.search(rule.docs_markdown)
    full = " ".join(what.group(1).split()) if what else ""
    entry: dict[str, Any] = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": full or rule.summary},
        "helpUri": rule.help_uri or f"{RULES_PAGE}#{rule.code.lower()}",
        "defaultConfiguration": {"level": rule.default_severity},
        "properties": {
            "tags": tags,
            "precision": rule.precision,
            "security-severity": SECURITY_SEVERITY["review" if rule.kind == "review" else rule.default_severity],
        },
    }
    if rule.docs_markdown.strip():
        entry["help"] = {"text": rule.docs_markdown, "markdown": rule.docs_markdown}
    return entry


def relative_path(path: str, root: str) -> str:
    """``path`` relative to ``root`` with forward slashes: ``../`` steps out of ``root`` rather than
    naming the machine's absolute path; a file on another drive keeps only its name."""
    base = os.path.abspath(root)
    full = os.path.abspath(os.path.join(base, path))
    try:
        relative = os.path.relpath(full, base)
    except ValueError:  # another drive
        relative = os.path.basename(full)
    return relative.replace(os.sep, "/")


def _uri(path: str, root: str) -> tuple[str, str | None]:
    """A URI relative to ``%SRCROOT%`` (see ``relative_path``)."""
    return quote(relative_path(path, root)), SRCROOT


def _location(path: str, line: int, root: str) -> dict[str, Any]:
    uri, base = _uri(path, root)
    artifact: dict[str, Any] = {"uri": uri}
    if base:
        artifact["uriBaseId"] = base
    physical: dict[str, Any] = {"artifactLocation": artifact}
    if line >= 1:
        physical["region"] = {"startLine": line}
    return {"physicalLocation": physical}


def _parts(res: ResultInfo, root: str) -> tuple[str, ...]:
    v = res.violation
    # Without a source line (runtime leaks, review problems) the message stands
    # in, numbers masked because they are often line numbers.
    code = normalize_code(v.source) or re.sub(r"[0-9]+", "#", normalize_code(v.message))
    return (v.rule, _uri(v.path, root)[0], v.definition, code, res.finding_key)


def fingerprint(parts: Sequence[str], occurrence: int) -> str:
    """SHA-256 hex of ``reviewgate/v1``, rule, module URI, definition, normalized code,
    finding key and occurrence index (among results with equal parts, by line), NUL-joined."""
    text = "\0".join([FINGERPRINT, *parts, str(occurrence)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _result(res: ResultInfo, rule_index: int | None, root: str, digest: str) -> dict[str, Any]:
    v = res.violation
    related = _location(res.review_path, res.finding_line, root)
    related["id"] = 1
    related["message"] = {"text": f"review finding {res.finding_key}: {res.finding_title}"}
    result: dict[str, Any] = {"ruleId": v.rule}
    if rule_index is not None:
        result["ruleIndex"] = rule_index
    location = _location(v.path, v.line, root)
    if v.definition and not REVIEW_RULE.match(v.rule):  # RG001-RG003 name a finding, not code
        location["logicalLocations"] = [{"fullyQualifiedName": v.definition}]
    result.update(
        level="note" if v.suppressed == "open" else res.level,
        message={"text": v.message},
        locations=[location],
        relatedLocations=[related],
        partialFingerprints={FINGERPRINT: digest},
    )
    if v.suppressed:
        kind, why = _SUPPRESSIONS.get(v.suppressed, ("external", "suppressed: {how}"))
        why = why.format(key=res.finding_key, how=v.suppressed)
        result["suppressions"] = [{"kind": kind, "status": "accepted", "justification": why}]
        result["properties"] = {"reviewgate/suppressed": v.suppressed}
    return result


def result_fingerprints(results: Sequence[ResultInfo], root: str) -> list[str]:
    """Each result's ``partialFingerprints["reviewgate/v1"]``, as :func:`build_sarif` writes them (other
    reports that need stable identities reuse them)."""
    parts = [_parts(res, root) for res in results]
    occurrences: dict[tuple[str, ...], list[int]] = {}
    for i, key in enumerate(parts):
        occurrences.setdefault(key, []).append(i)
    digests: dict[int, str] = {}
    for key, indexes in occurrences.items():
        indexes.sort(key=lambda i: (results[i].violation.line, i))
        digests.update((i, fingerprint(key, n)) for n, i in enumerate(indexes))
    return [digests[i] for i in range(len(results))]
