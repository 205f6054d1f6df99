"""The baseline's usage errors (exit 4 before collection) and its unused entries at the end of a run."""

from __future__ import annotations

import json

import pytest

from pytest_reviewgate.model import Violation
from pytest_reviewgate.report import baseline

MODULE = """\
from oslo_config import cfg

CONF = cfg.CONF


class TestRegion:
    def _switch_region(self, region):
        CONF.set_override("region", region)

    def test_region(self):
        switch = False
        if switch:
            self._switch_region("north")
        assert True
"""

FIXED = MODULE.replace('CONF.set_override("region", region)', "self.region = region")

REVIEW = """\
Review of test_region.py

1. **Global State Manipulation (CWE-664)**: lines 7-8
   - `_switch_region` overrides an option and nothing reverts it.
   expect: config-reverted-via-fixtures
"""


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makepyfile(test_region=MODULE)
    pytester.makefile(".review.txt", test_region=REVIEW)
    return pytester


def test_update_without_a_path_is_a_usage_error_before_collection(project: pytest.Pytester) -> None:
    result = project.runpytest("--reviewgate-update-baseline")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: reviewgate: --reviewgate-update-baseline needs the file to write: *"])
    result.stdout.no_fnmatch_line("collected *")


def test_a_baseline_that_does_not_exist_is_a_usage_error(project: pytest.Pytester) -> None:
    result = project.runpytest("--reviewgate-baseline", "missing.json")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: reviewgate: --reviewgate-baseline: *missing.json does not exist; *"])
    result.stdout.no_fnmatch_line("collected *")


def test_a_configured_baseline_that_does_not_exist_says_where_it_is_configured(project: pytest.Pytester) -> None:
    project.makepyprojecttoml('[tool.reviewgate]\nbaseline = "known.json"\n')
    result = project.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: reviewgate: [[]tool.reviewgate] baseline: *known.json does not exist; *"])
    created = project.runpytest("--reviewgate-update-baseline")  # the configured path is written
    created.assert_outcomes(passed=4, failed=1)
    assert json.loads((project.path / "known.json").read_text(encoding="utf-8"))["violations"]


def test_update_creates_a_baseline_that_does_not_exist_yet(project: pytest.Pytester) -> None:
    result = project.runpytest("--reviewgate-baseline", "new.json", "--reviewgate-update-baseline")
    result.stdout.fnmatch_lines(["baseline written to *new.json (1 violation)"])
    assert (project.path / "new.json").is_file()


def test_a_corrupt_baseline_is_a_usage_error_naming_file_and_line(project: pytest.Pytester) -> None:
    (project.path / "baseline.json").write_text('{\n  "version": 1,\n  "violations": [,]\n}\n', encoding="utf-8")
    result = project.runpytest("--reviewgate-baseline", "baseline.json")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: reviewgate: *baseline.json:3: malformed baseline: *"])
    result.stdout.no_fnmatch_line("collected *")


@pytest.mark.parametrize("workers", [(), ("-n", "2")], ids=["one-process", "xdist"])
def test_unused_entries_are_listed_with_a_hint(project: pytest.Pytester, workers: tuple[str, ...]) -> None:
    project.runpytest("--reviewgate-baseline", "baseline.json", "--reviewgate-update-baseline")
    project.makepyfile(test_region=FIXED)  # the known violation is gone: its entry is unused
    result = project.runpytest("--reviewgate-baseline", "baseline.json", *workers)
    result.assert_outcomes(passed=5)
    result.stdout.fnmatch_lines(
        [
            "*= reviewgate =*",
            "baseline: 1 entry unused (matched by nothing this run); run with --reviewgate-update-baseline *",
            "  RG101 test_region.py in TestRegion._switch_region: CONF.set_override(\"region\", region)",
        ]
    )
    quiet = project.runpytest("--reviewgate-baseline", "baseline.json", "-q", *workers)
    quiet.stdout.fnmatch_lines(["baseline: 1 entry unused *"])
    quiet.stdout.no_fnmatch_line("  RG101 *")


def test_a_used_entry_and_a_subset_that_skips_the_rule_list_nothing(project: pytest.Pytester) -> None:
    project.runpytest("--reviewgate-baseline", "baseline.json", "--reviewgate-update-baseline")
    used = project.runpytest("--reviewgate-baseline", "baseline.json")
    used.assert_outcomes(passed=5)
    used.stdout.no_fnmatch_line("baseline: *unused*")
    project.makepyfile(test_region=FIXED)
    subset = project.runpytest("--reviewgate-baseline", "baseline.json", "-k", "anchors")
    subset.assert_outcomes(passed=1, deselected=4)
    subset.stdout.no_fnmatch_line("baseline: *unused*")


def test_unused_keeps_entries_of_modules_and_rules_the_run_did_not_check() -> None:
    known = baseline.from_violations(
        [
            Violation("RG101", "m", "a.py", 3, "f", "CONF.set_override('x', 1)"),
            Violation("RG201", "m", "a.py", 4, "f", "mock.patch('x').start()"),
            Violation("RG101", "m", "b.py", 5, "g", "CONF.set_override('y', 1)"),
        ]
    )
    still = [Violation("RG101", "other", "a.py", 9, "f", "CONF.set_override('x',  1)")]
    found = baseline.unused(known, still, {("a.py", "RG101"), ("a.py", "RG201")})
    assert [str(entry) for entry in found] == ["RG201 a.py in f: mock.patch('x').start()"]
    assert baseline.unused(known, [], set()) == []
