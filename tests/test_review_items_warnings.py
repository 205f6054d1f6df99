"""Warning-severity items stay warnings under -W error; an open finding whose defect is inherited stays open."""

from __future__ import annotations

import pytest


def test_a_warning_severity_item_passes_under_w_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_w="def test_x():\n    assert True\n")
    pytester.makefile(".review.txt", test_w="1. **Odd id (CWE-99999)**: `test_x` line 1.\n")
    pytester.makepyprojecttoml('[tool.reviewgate.severity]\nRG002 = "warning"\n')
    result = pytester.runpytest("--reviewgate-only", "-W", "error", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=3, warnings=1)
    result.stdout.no_fnmatch_line("*Traceback*")


def test_an_open_finding_whose_defect_is_in_a_base_class_stays_open(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        base_helpers="import os\nimport unittest\n\n\nclass Base(unittest.TestCase):\n"
        "    def setUp(self):\n        os.environ['LEAK'] = '1'\n",
        test_open="from base_helpers import Base\n\n\nclass T(Base):\n    def test_x(self):\n        pass\n",
    )
    pytester.makefile(
        ".review.txt",
        test_open="1. **Leak**: `T` inherits a leaking `setUp`.\n"
        "   expect: env-reverted-via-fixtures\n   status: open\n",
    )
    result = pytester.runpytest("--reviewgate-only", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, xfailed=1, warnings=1)


def test_a_timeout_of_zero_asks_for_the_plugin(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PYTEST_ADDOPTS")
    pytester.makepyfile(test_w="def test_x():\n    assert True\n")
    pytester.makefile(".review.txt", test_w="1. **Real**: `test_x` line 1.\n")
    result = pytester.runpytest("--reviewgate-timeout", "0", "-p", "no:doctest")
    result.assert_outcomes(passed=3)
