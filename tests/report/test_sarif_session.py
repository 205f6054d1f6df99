"""SARIF from a session: URIs relative to the repository root, never an absolute path of the machine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

MODULE = """
from oslo_config import cfg

CONF = cfg.CONF


def test_region():
    CONF.set_override("region", "north")
"""
REVIEW = """
1. **Configuration leak (CWE-664)**: `test_region` overrides the region and never clears it.
   expect: config-reverted-via-fixtures
"""


def _project(pytester: pytest.Pytester) -> Path:
    (pytester.path / ".git").mkdir()  # the repository root
    project = pytester.mkdir("service")
    (project / "pyproject.toml").write_text("[tool.reviewgate]\n")
    (project / "test_region.py").write_text(MODULE)
    (project / "test_region.review.txt").write_text(REVIEW)
    return project


def _uris(log: dict[str, object]) -> list[str]:
    results = log["runs"][0]["results"]  # type: ignore[index]
    return [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results]  # type: ignore[index]


def test_uris_are_relative_to_the_git_work_tree(pytester: pytest.Pytester) -> None:
    project = _project(pytester)
    result = pytester.runpytest("-p", "reviewgate", "--reviewgate-only", f"--rootdir={project}",
                                f"--reviewgate-sarif={pytester.path / 'out.sarif'}", str(project))
    result.assert_outcomes(passed=3, failed=1)  # review, cwe-known, anchors; the rule fails
    text = (pytester.path / "out.sarif").read_text()
    assert _uris(json.loads(text)) == ["service/test_region.py"]
    assert str(pytester.path) not in text


def test_the_sarif_root_option_overrides_the_work_tree(pytester: pytest.Pytester) -> None:
    project = _project(pytester)
    result = pytester.runpytest("-p", "reviewgate", "--reviewgate-only", f"--rootdir={project}",
                                f"--reviewgate-sarif={pytester.path / 'out.sarif'}",
                                f"--reviewgate-sarif-root={project}", str(project))
    result.assert_outcomes(passed=3, failed=1)  # review, cwe-known, anchors; the rule fails
    assert _uris(json.loads((pytester.path / "out.sarif").read_text())) == ["test_region.py"]
