"""Regressions found by an independent review against the contract, end to end."""

from __future__ import annotations

import json
import shutil

import pytest

MODULE = """\
import os
from unittest import mock


class TestPatches:
    def setUp(self):
        mock.patch("os.getcwd").start()

    def test_env(self):
        if os.environ.get("RG_NEVER_SET"):  # statically a change; never made, so this process stays clean
            os.environ["RG_LEAK"] = "x"
        assert True
"""


def test_sarif_is_written_when_a_runtime_rule_reports_a_leak(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_leak="import os\n\n\ndef test_leak():\n    os.environ['RG_LEAK'] = 'x'\n")
    pytester.makefile(".review.txt", test_leak="1. **Env**: `test_leak` leaks.\n   expect: env-restored\n")
    result = pytester.runpytest_subprocess("--reviewgate-sarif", "out.sarif")
    result.assert_outcomes(passed=4, errors=1)
    log = json.loads((pytester.path / "out.sarif").read_text(encoding="utf-8"))
    (found,) = log["runs"][0]["results"]
    assert found["ruleId"] == "RG902"
    assert found["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "test_leak.py"
    result.stdout.fnmatch_lines(["runtime: 1 targeted test left state changed"])


def test_a_baseline_written_in_one_checkout_holds_in_another(pytester: pytest.Pytester) -> None:
    first = pytester.mkdir("one")
    (first / "test_p.py").write_text(MODULE)
    (first / "test_p.review.txt").write_text("1. **Mocks**: `setUp` starts a patcher.\n   expect: mocks-undone\n")
    pytester.chdir()
    pytester.runpytest("one", "--rootdir=one", "--reviewgate-baseline", "b.json", "--reviewgate-update-baseline")
    entry = json.loads((first / "b.json").read_text(encoding="utf-8"))["violations"][0]
    assert entry["path"] == "test_p.py"
    second = pytester.path / "two"
    shutil.copytree(first, second)
    result = pytester.runpytest("two", "--rootdir=two", "--reviewgate-baseline", "b.json", "-k", "mocks-undone")
    result.assert_outcomes(passed=1, deselected=3)


def test_an_open_expectation_whose_target_matches_nothing_fails_rather_than_xfails(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(test_p=MODULE)
    pytester.makefile(".review.txt", test_p="1. **Mocks**\n   expect: mocks-undone on Nope\n   status: open\n")
    result = pytester.runpytest("test_p.review.txt")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*target 'Nope' matches nothing in test_p.py*"])


def test_status_open_wins_over_severity_warning(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_p=MODULE)
    pytester.makepyprojecttoml('[tool.reviewgate.severity]\nmocks-undone = "warning"\n')
    pytester.makefile(".review.txt", test_p="1. **Mocks**: `setUp`\n   expect: mocks-undone\n   status: open\n")
    result = pytester.runpytest("test_p.review.txt")
    result.assert_outcomes(passed=2, xfailed=1)


def test_a_custom_rule_yielding_odd_data_fails_only_its_own_item(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        '''
from pathlib import Path

from pytest_reviewgate import Rule, Violation


class Odd(Rule):
    """Odd.

    ## What it does
    Yields odd data.
    """

    code = "XY002"
    name = "odd"
    summary = "Odd data"

    def check(self, context):
        yield Violation(self.code, "odd -> fix", Path(context.index.path), "3", "x")
        yield "not a violation"


def pytest_reviewgate_register_rules(registry):
    registry.add(Odd)
'''
    )
    pytester.makepyfile(test_p=MODULE)
    pytester.makefile(".review.txt", test_p="1. **Odd**: `setUp`\n   expect: odd, mocks-undone\n")
    result = pytester.runpytest_subprocess("-n", "2", "test_p.review.txt")
    result.assert_outcomes(passed=2, failed=2)
    result.stdout.fnmatch_lines(
        ["*XY002 odd raised:*", "*TypeError: a rule must yield pytest_reviewgate.Violation objects, not str"]
    )
    result.stdout.no_fnmatch_line("*INTERNALERROR*")


def test_a_module_deleted_before_its_items_run_fails_them(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_a="import os\n\n\ndef test_a():\n    os.remove('test_y.py')\n")
    pytester.makepyfile(test_y="def test_y():\n    assert True\n")
    pytester.makefile(".review.txt", test_y="1. **X**: `test_y` line 1\n   expect: tests-assert\n")
    result = pytester.runpytest("-p", "no:randomly", "test_a.py", "test_y.review.txt")
    result.assert_outcomes(passed=1, failed=3)
    result.stdout.fnmatch_lines(["*the reviewed module test_y.py does not exist*", "*the reviewed module is missing*"])


@pytest.mark.parametrize("module", ["a" * 5000 + ".py", "/etc/hostname", "../outside.py"])
def test_a_module_key_that_cannot_be_read_fails_the_review_item_only(pytester: pytest.Pytester, module: str) -> None:
    pytester.makepyfile(test_ok="def test_ok():\n    assert True\n")
    pytester.makefile(".review.txt", test_x=f"---\nmodule: {module}\n---\n1. **X**: line 1\n")
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.no_fnmatch_line("*Interrupted*")


def test_skips_point_at_the_review_not_the_plugin(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_leak="def test_leak():\n    pass\n")
    pytester.makefile(".review.txt", test_leak="1. **Env**: `test_leak` leaks.\n   expect: env-restored\n")
    result = pytester.runpytest("--reviewgate-only", "-rs")
    result.assert_outcomes(passed=2, skipped=1)
    result.stdout.fnmatch_lines(["SKIPPED [[]1[]] test_leak.review.txt:1: runtime rules watch tests*"])


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('[tool.reviewgate.severity]\nRG999 = "error"\n', "*severity.RG999: unknown rule*"),
        ('[tool.reviewgate.rules.no-hardcoded-uuids]\nreset-globals = ["x"]\n', "*has no option 'reset-globals'*"),
        ("[tool.reviewgate]\nbogus = 1\n", "*unknown key 'bogus'*"),
    ],
)
def test_rule_tables_are_checked_and_rules_listing_honours_them(
    pytester: pytest.Pytester, table: str, message: str
) -> None:
    pytester.makepyprojecttoml(table)
    for args in ((), ("--reviewgate-rules",)):
        result = pytester.runpytest(*args)
        assert result.ret == pytest.ExitCode.USAGE_ERROR
        result.stderr.fnmatch_lines([message])


def test_a_reserved_code_in_a_conftest_rule_is_refused(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        '''
from pytest_reviewgate import Rule


class Mine(Rule):
    """Mine."""

    code = "RG555"
    name = "mine"
    summary = "Mine"


def pytest_reviewgate_register_rules(registry):
    registry.add(Mine)
'''
    )
    pytester.makepyfile(test_p="def test_p():\n    assert True\n")
    pytester.makefile(".review.txt", test_p="1. **X**: `test_p`\n")
    result = pytester.runpytest()
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["*codes RG + three digits are reserved for built-in rules*"])


def test_a_tree_without_reviews_loads_no_analysis_layer(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_p="def test_p():\n    assert True\n")
    pytester.makeconftest(
        "import sys\n\n\ndef pytest_sessionfinish(session):\n"
        "    loaded = sorted(m for m in sys.modules if m.startswith('pytest_reviewgate.'))\n"
        "    print('LOADED', [m for m in loaded if m.split('.')[1] in ('engine', 'index', 'rules', 'flow')])\n"
    )
    result = pytester.runpytest_subprocess("-s")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*LOADED []"])
