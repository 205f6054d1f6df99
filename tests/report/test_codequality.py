"""GitLab Code Quality from a session: GitLab's fields, SARIF's root and fingerprints, complete under xdist."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pytest_reviewgate.model import Violation
from pytest_reviewgate.report.codequality import build_codequality
from pytest_reviewgate.report.sarif import ResultInfo, relative_path

MODULE = """\
from oslo_config import cfg

CONF = cfg.CONF


def test_region():
    CONF.set_override("region", "north")


def test_zone():
    CONF.set_override("zone", "a")
"""

REVIEW = """\
1. **Configuration leak (CWE-664)**: `test_region` overrides the region and never clears it.
   expect: config-reverted-via-fixtures

2. **Stale (CWE-703)**: line 40
   - `test_zone` is somewhere else.
"""

SEVERITIES = {"info", "minor", "major", "critical", "blocker"}


def _project(pytester: pytest.Pytester) -> Path:
    (pytester.path / ".git").mkdir()  # the repository root, as SARIF finds it
    project = pytester.mkdir("service")
    (project / "pyproject.toml").write_text("[tool.reviewgate]\n")
    (project / "test_region.py").write_text(MODULE)
    (project / "test_region.review.txt").write_text(REVIEW)
    return project


def _run(pytester: pytest.Pytester, project: Path, *extra: str) -> list[dict[str, Any]]:
    result = pytester.runpytest(
        "-p", "reviewgate", "--reviewgate-only", f"--rootdir={project}",
        f"--reviewgate-codequality={pytester.path / 'gl-code-quality.json'}",
        f"--reviewgate-sarif={pytester.path / 'out.sarif'}", *extra, str(project),
    )
    result.assert_outcomes(passed=3, failed=2)  # review, cwe-known, finding-1::anchors; RG101, finding-2::anchors
    result.stdout.fnmatch_lines(["Code Quality report written to *gl-code-quality.json (2 issues)"])
    issues: list[dict[str, Any]] = json.loads((pytester.path / "gl-code-quality.json").read_text(encoding="utf-8"))
    return issues


def _check_fields(issues: list[dict[str, Any]]) -> None:
    assert isinstance(issues, list)
    for issue in issues:
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["severity"] in SEVERITIES
        assert isinstance(issue["location"]["path"], str)
        assert type(issue["location"]["lines"]["begin"]) is int
        assert issue["location"]["lines"]["begin"] >= 1
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)


@pytest.mark.parametrize("workers", [(), ("-n", "2")], ids=["one-process", "xdist"])
def test_the_report_has_gitlabs_fields_and_sarifs_paths(pytester: pytest.Pytester, workers: tuple[str, ...]) -> None:
    project = _project(pytester)
    issues = _run(pytester, project, *workers)
    _check_fields(issues)
    by_rule = sorted((i["check_name"], i["location"]["path"], i["location"]["lines"]["begin"]) for i in issues)
    assert by_rule == [
        ("RG001", "service/test_region.review.txt", 4),
        ("RG101", "service/test_region.py", 7),
    ]
    static = next(i for i in issues if i["check_name"] == "RG101")
    assert static["severity"] == "major"
    assert static["description"].startswith("RG101 in test_region: `CONF.set_override('region', ...)` is never")
    assert str(pytester.path) not in json.dumps(issues)
    sarif = json.loads((pytester.path / "out.sarif").read_text(encoding="utf-8"))
    prints = {r["partialFingerprints"]["reviewgate/v1"] for r in sarif["runs"][0]["results"]}
    assert {i["fingerprint"] for i in issues} == prints


def test_fingerprints_survive_lines_moving_and_the_root_option_applies(pytester: pytest.Pytester) -> None:
    project = _project(pytester)
    before = {i["fingerprint"] for i in _run(pytester, project) if i["check_name"] == "RG101"}
    (project / "test_region.py").write_text("# a new first line\n" + MODULE)
    after = _run(pytester, project, f"--reviewgate-sarif-root={project}")
    assert {i["fingerprint"] for i in after if i["check_name"] == "RG101"} != set()
    moved = [i for i in after if i["check_name"] == "RG101"]
    assert moved[0]["location"] == {"path": "test_region.py", "lines": {"begin": 8}}
    # the root changed the path, and the path is part of the fingerprint: compare at one root
    again = _run(pytester, project)
    assert {i["fingerprint"] for i in again if i["check_name"] == "RG101"} == before


def _result(line: int, suppressed: str = "", level: str = "error") -> ResultInfo:
    violation = Violation("RG201", "patch left active", "/repo/tests/test_a.py", line, "test_a", "p.start()",
                          suppressed)
    return ResultInfo(violation, "/repo/tests/test_a.review.txt", 3, "Leak", "1", level)  # type: ignore[arg-type]


def test_severity_follows_level_and_suppression() -> None:
    issues = build_codequality(
        [_result(5), _result(6, level="warning"), _result(7, suppressed="open"), _result(8, suppressed="baseline")],
        root="/repo",
    )
    assert [i["severity"] for i in issues] == ["major", "minor", "info", "info"]
    assert issues[0]["description"] == "RG201 in test_a: patch left active (review finding 1)"
    assert issues[0]["location"] == {"path": "tests/test_a.py", "lines": {"begin": 5}}
    assert len({i["fingerprint"] for i in issues}) == 4  # equal code, told apart by occurrence


def test_a_violation_without_a_line_points_at_line_one_and_paths_use_slashes() -> None:
    (issue,) = build_codequality([_result(0)], root="/repo")
    assert issue["location"]["lines"]["begin"] == 1
    assert relative_path("/repo/a/b.py", "/repo") == "a/b.py"
    assert relative_path("/elsewhere/c.py", "/repo") == "../elsewhere/c.py"
