"""GitLab Code Quality report from plain data: a JSON array, one issue per violation.

Pure: builds a list; :func:`write_codequality` hands the JSON to the atomic writer. Paths are relative
to the same root as SARIF's, and fingerprints are SARIF's ``partialFingerprints``, so both reports
name a violation the same way from run to run.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from .rewrite import WriteResult, write_json
from .sarif import ResultInfo, relative_path, result_fingerprints

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


def write_codequality(path: str | os.PathLike[str], issues: list[dict[str, Any]]) -> WriteResult:
    """Write ``issues`` as UTF-8 JSON atomically, creating the parent directories."""
    return write_json(path, issues)
