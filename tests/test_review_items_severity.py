"""The review's own items: ``::cwe-known`` (RG002), severity for RG001-RG003, and closed findings."""

from __future__ import annotations

import pytest

MODULE = """\
import os


def _switch(region):
    os.environ["REGION"] = region


def test_reserve():
    assert 1
"""
MOVED = "# one\n# two\n# three\n" + MODULE  # every definition three lines further down

REVIEW = """\
Review of test_stock.py.

1. **Environment (CWE-664)**: lines 4-5
   - `_switch` changes the environment.

2. **Constant**: line 8
   - `test_reserve` asserts a constant.
"""


@pytest.fixture
def stock(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makepyfile(test_stock=MODULE)
    pytester.makefile(".review.txt", test_stock=REVIEW)
    return pytester


def severity(pytester: pytest.Pytester, rule: str, level: str) -> None:
    pytester.makepyprojecttoml(f'[tool.reviewgate.severity]\n{rule} = "{level}"\n')


def test_a_review_that_cites_a_cwe_id_has_a_cwe_known_item_after_review(stock: pytest.Pytester) -> None:
    result = stock.runpytest("--collect-only", "-q")
    result.stdout.fnmatch_lines(
        [
            "test_stock.review.txt::review",
            "test_stock.review.txt::cwe-known",
            "test_stock.review.txt::finding-1::anchors",
            "test_stock.review.txt::finding-2::anchors",
        ]
    )


@pytest.mark.parametrize(
    ("review", "table"),
    [
        (REVIEW.replace(" (CWE-664)", ""), ""),
        (REVIEW, 'default-rules = ["anchors-resolve"]'),
        (REVIEW, "severity = { RG002 = 'off' }"),
        (REVIEW, "severity = { cwe-known = 'off' }"),
    ],
    ids=["no-cwe-id", "not-a-default-rule", "off-by-code", "off-by-name"],
)
def test_no_cwe_known_item_without_a_cwe_id_or_with_the_rule_off(
    stock: pytest.Pytester, review: str, table: str
) -> None:
    stock.makefile(".review.txt", test_stock=review.replace("CWE-664", "CWE-6640"))  # it would fail
    if table:
        stock.makepyprojecttoml(f"[tool.reviewgate]\n{table}\n")
    result = stock.runpytest()
    result.assert_outcomes(passed=4)  # the test, ::review and two ::anchors
    result.stdout.no_fnmatch_line("*cwe-known*")


@pytest.mark.parametrize("keyword", ["RG002", "cwe-known"])
def test_the_rule_code_or_name_selects_the_cwe_known_item_and_nothing_else(
    stock: pytest.Pytester, keyword: str
) -> None:
    result = stock.runpytest("-k", keyword, "-v")
    result.assert_outcomes(passed=1, deselected=4)
    result.stdout.fnmatch_lines(["test_stock.review.txt::cwe-known PASSED*"])


def test_a_bad_id_fails_cwe_known_under_a_header_that_names_rg002(stock: pytest.Pytester) -> None:
    stock.makefile(".review.txt", test_stock=REVIEW.replace("CWE-664", "CWE-6640"))
    result = stock.runpytest()
    result.assert_outcomes(passed=4, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*_ test_stock.review.txt: RG002 cwe-known _*",
            "test_stock.review.txt:3: cwe-known",
            "  test_stock.review.txt:3: RG002 cwe-known: CWE-6640 is not in the CWE catalog; did you mean CWE-664 *",
            "FAILED test_stock.review.txt::cwe-known*",
        ]
    )
    result.stdout.no_fnmatch_line("FAILED test_stock.review.txt::review*")


@pytest.mark.parametrize("rule", ["RG001", "anchors-resolve"])
def test_severity_warning_passes_a_stale_anchor_and_warns_with_its_message(
    stock: pytest.Pytester, rule: str
) -> None:
    stock.makepyfile(test_stock=MOVED)
    stock.runpytest().assert_outcomes(passed=3, failed=2)  # at the default severity, both anchors fail
    severity(stock, rule, "warning")
    result = stock.runpytest()
    result.assert_outcomes(passed=5, warnings=2)
    result.stdout.fnmatch_lines(
        [
            "*ReviewgateWarning: RG001: `_switch` is at lines 7-8, the review says 4-5 -> *",
            "*ReviewgateWarning: RG001: `test_reserve` is at lines 11-12,"
            " the review says 8 -> *",
            "stale anchors: 2",
            "warnings: 2; *",
        ]
    )


def test_severity_warning_passes_a_bad_cwe_id_and_warns_with_its_message(stock: pytest.Pytester) -> None:
    stock.makefile(".review.txt", test_stock=REVIEW.replace("CWE-664", "CWE-99999"))
    severity(stock, "RG002", "warning")
    result = stock.runpytest("-rA")
    result.assert_outcomes(passed=5, warnings=1)
    result.stdout.fnmatch_lines(
        [
            "*test_stock.review.txt:3: ReviewgateWarning: RG002 CWE-99999 is not in the CWE catalog",
            "PASSED test_stock.review.txt::cwe-known",
        ]
    )


def test_severity_warning_passes_an_unknown_rule_of_an_expect_line_and_warns(stock: pytest.Pytester) -> None:
    stock.makefile(".review.txt", test_stock=REVIEW + "   expect: tests-asert\n")
    failed = stock.runpytest()
    failed.assert_outcomes(passed=4, failed=1)
    failed.stdout.fnmatch_lines(["FAILED test_stock.review.txt::review*"])
    severity(stock, "RG003", "warning")
    result = stock.runpytest("-rA")
    result.assert_outcomes(passed=5, warnings=1)  # the unknown rule makes no item
    result.stdout.fnmatch_lines(
        [
            "*test_stock.review.txt:8: ReviewgateWarning: RG003 unknown rule 'tests-asert';"
            " did you mean 'tests-assert'?",
            "PASSED test_stock.review.txt::review",
        ]
    )


def test_severity_off_for_rg003_passes_the_review_item_silently(stock: pytest.Pytester) -> None:
    stock.makefile(".review.txt", test_stock=REVIEW + "   expect: tests-asert\n")
    severity(stock, "review-valid", "off")
    result = stock.runpytest("-rA")
    result.assert_outcomes(passed=5)
    result.stdout.fnmatch_lines(["PASSED test_stock.review.txt::review"])
    result.stdout.no_fnmatch_line("*tests-asert*")


@pytest.mark.parametrize("rule", ["RG001", "anchors-resolve"])
def test_severity_off_for_rg001_makes_no_anchors_items(stock: pytest.Pytester, rule: str) -> None:
    stock.makepyfile(test_stock=MOVED)
    severity(stock, rule, "off")
    result = stock.runpytest("-v")
    result.assert_outcomes(passed=3)  # the test, ::review, ::cwe-known
    result.stdout.no_fnmatch_line("*::anchors*")
    result.stdout.fnmatch_lines(["stale anchors: 0"])


def test_a_closed_finding_with_a_stale_anchor_passes_with_a_warning(stock: pytest.Pytester) -> None:
    stock.makepyfile(test_stock=MOVED)
    review = REVIEW.replace("environment.\n", "environment.\n   status: closed\n")
    stock.makefile(".review.txt", test_stock=review)
    result = stock.runpytest("-rA")
    # the closed finding's anchors item passes and warns; finding 2 has no status and fails
    result.assert_outcomes(passed=4, failed=1, warnings=1)
    result.stdout.fnmatch_lines(
        [
            "*ReviewgateWarning: RG001: `_switch` is at lines 7-8, the review says 4-5 -> *",
            "PASSED test_stock.review.txt::finding-1::anchors",
            "FAILED test_stock.review.txt::finding-2::anchors*",
        ]
    )


def test_a_closed_finding_keeps_gating_its_expectations(stock: pytest.Pytester) -> None:
    review = REVIEW.replace(
        "environment.\n", "environment.\n   expect: env-reverted-via-fixtures\n   status: closed\n"
    )
    stock.makefile(".review.txt", test_stock=review)
    result = stock.runpytest("-k", "env-reverted-via-fixtures")
    result.assert_outcomes(failed=1, deselected=5)
    result.stdout.fnmatch_lines(["*_ test_stock.review.txt: RG102 finding-1::env-reverted-via-fixtures _*"])


@pytest.mark.parametrize("status", ["", "   status: open\n"], ids=["no-status", "open"])
def test_an_open_findings_stale_anchor_still_fails(stock: pytest.Pytester, status: str) -> None:
    stock.makepyfile(test_stock=MOVED)
    stock.makefile(".review.txt", test_stock=REVIEW.replace("environment.\n", "environment.\n" + status))
    result = stock.runpytest("-k", "finding-1")
    result.assert_outcomes(failed=1, deselected=4)  # status: open xfails expectations, never anchors
    result.stdout.fnmatch_lines(
        ["*test_stock.review.txt:3: `_switch` is at lines 7-8, the review says 4-5 -> *"]
    )
    result.stdout.no_fnmatch_line("*ReviewgateWarning*")
