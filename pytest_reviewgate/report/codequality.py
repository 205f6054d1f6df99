"""GitLab Code Quality report from plain data: a JSON array, one issue per violation.

Pure: builds a list; :func:`write_codequality` hands the JSON to the atomic writer. Paths are relative
to the same root as SARIF's, and fingerprints are SARIF's ``partialFingerprints``, so both reports
name a violation the same way from run to run.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from typing import Any

from .rewrite import WriteResult, write_atomically
from .sarif import ResultInfo, result_fingerprints

# GitLab's scale is info, minor, major, critical, blocker. A failing violation is major, one at
# severity warning minor; an accepted one (status: open, the baseline) is info, shown but not a
# degradation to fix in this merge request.
SEVERITY = {"error": "major", "warning": "minor", "note": "info"}


def build_codequality(results: Sequence[ResultInfo], *, root: str) -> list[dict[str, Any]]:
    """The Code Quality issues of ``results``, paths relative to ``root`` (the repository root)."""
    prints = result_fingerprints(results, root)
    issues = []
    for res, digest in zip(results, prints, strict=True):
        v = res.violation
        level = "note" if v.suppressed else res.level
        where = f" in {v.definition}" if v.definition and not v.rule.startswith("RG00") else ""
        finding = f" (review finding {res.finding_key})" if res.finding_key else ""
        issues.append(
            {
                "description": f"{v.rule}{where}: {v.message}{finding}",
                "check_name": v.rule,
                "fingerprint": digest,
                "severity": SEVERITY[level],
                "location": {"path": relative_path(v.path, root), "lines": {"begin": max(v.line, 1)}},
            }
        )
    return issues


def relative_path(path: str, root: str) -> str:
    """``path`` relative to ``root`` with forward slashes, as GitLab links it; a file on another drive
    keeps only its name."""
    base = os.path.abspath(root)
    try:
        relative = os.path.relpath(os.path.abspath(os.path.join(base, path)), base)
    except ValueError:
        relative = os.path.basename(path)
    return relative.replace(os.sep, "/")


def write_codequality(path: str | os.PathLike[str], issues: list[dict[str, Any]]) -> WriteResult:
    """Write ``issues`` as UTF-8 JSON atomically, creating the parent directories."""
    data = (json.dumps(issues, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    parent = os.path.dirname(os.path.abspath(os.fspath(path)))
    try:
        os.makedirs(parent, exist_ok=True)
    except OSError as exc:
        return WriteResult(os.fspath(path), "error", f"cannot write {os.fspath(path)}: {exc}")
    return write_atomically(path, data)
