"""RG002 `cwe-known` in real sessions: the catalog by default, pillars, lists, "any", and typos named."""

from __future__ import annotations

import pytest

MODULE = "def test_reserve():\n    assert 1\n"
# no anchors: the review's only items are ``::review`` and, since it cites CWE ids, ``::cwe-known``
REVIEW = "Review of test_stock.py.\n\n1. **Leaked patcher ({a})**: never stopped.\n2. **Input ({b})**: unchecked.\n"
NO_HYPOTHESIS = ("-p", "no:hypothesispytest")  # its plugin imports all of hypothesis at each session's end


@pytest.fixture
def stock(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makepyfile(test_stock=MODULE)
    return pytester


def review(pytester: pytest.Pytester, a: str, b: str = "CWE-664", table: str = "") -> pytest.RunResult:
    pytester.makefile(".review.txt", test_stock=REVIEW.format(a=a, b=b))
    if table:
        pytester.makepyprojecttoml(f"[tool.reviewgate]\n{table}\n")
    return pytester.runpytest(*NO_HYPOTHESIS, "test_stock.review.txt")


def test_ids_that_real_reviews_cite_pass_by_default(stock: pytest.Pytester) -> None:
    result = review(stock, "CWE-772", "CWE-20")
    result.assert_outcomes(passed=2)
    result.stdout.no_fnmatch_line("*RG002*")


def test_a_mistyped_id_fails_cwe_known_and_names_the_closest_id(stock: pytest.Pytester) -> None:
    result = review(stock, "CWE-6640", "CWE 99999")
    result.assert_outcomes(passed=1, failed=1)  # ::review passes, ::cwe-known fails
    result.stdout.fnmatch_lines(
        [
            "*_ test_stock.review.txt: RG002 cwe-known _*",
            "test_stock.review.txt:3: cwe-known",
            "*:3: RG002 cwe-known: CWE-6640 is not in the CWE catalog; "
            "did you mean CWE-664 (Improper Control of a Resource Through its Lifetime)?",
            "*:4: RG002 cwe-known: CWE-99999 is not in the CWE catalog",
            "FAILED test_stock.review.txt::cwe-known*",
        ]
    )


def test_the_pillars_reject_cwe_772_by_name(stock: pytest.Pytester) -> None:
    result = review(stock, "CWE-772", table='cwe-taxonomy = "pillars"')
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        ['*:3: RG002 cwe-known: CWE-772 (Missing Release of Resource after Effective Lifetime) is not in '
         'cwe-taxonomy ("pillars")', "FAILED test_stock.review.txt::cwe-known*"]
    )
    result.stdout.no_fnmatch_line("*CWE-664*is not*")


def test_a_list_of_ids_is_the_whole_taxonomy(stock: pytest.Pytester) -> None:
    review(stock, "CWE-772", "CWE-20", table="cwe-taxonomy = [20, 772]").assert_outcomes(passed=2)
    result = review(stock, "CWE-772", "CWE-664", table="cwe-taxonomy = [20, 772]")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["FAILED test_stock.review.txt::cwe-known*"])
    result.stdout.fnmatch_lines(["*:4: RG002 cwe-known: CWE-664 (Improper Control of*) is not in cwe-taxonomy"])


def test_any_accepts_every_id(stock: pytest.Pytester) -> None:
    review(stock, "CWE-6640", "CWE-99999", table='cwe-taxonomy = "any"').assert_outcomes(passed=2)


def test_extend_adds_ids_to_the_catalog(stock: pytest.Pytester) -> None:
    review(stock, "CWE-99999", "CWE-20", table="extend-cwe-taxonomy = [99999]").assert_outcomes(passed=2)
    review(stock, "CWE-772", table='cwe-taxonomy = "pillars"\nextend-cwe-taxonomy = [772]').assert_outcomes(passed=2)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('cwe-taxonomy = "pilars"', "*cwe-taxonomy: expected \"catalog\", \"pillars\", \"any\" or a list*'pilars'"),
        ('extend-cwe-taxonomy = "any"', "*extend-cwe-taxonomy: expected a list of CWE numbers*"),
    ],
)
def test_a_wrong_taxonomy_is_a_usage_error_naming_the_key(stock: pytest.Pytester, table: str, message: str) -> None:
    result = review(stock, "CWE-772", table=table)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([message])
    assert "Traceback" not in result.stdout.str() + result.stderr.str()


CONFTEST = """
from pytest_reviewgate import cwe

def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_line(f"catalog reads: {cwe.catalog.cache_info().currsize}")
"""


@pytest.mark.parametrize(
    ("review_text", "reads", "passed"),
    [
        (None, 0, 1),  # no review at all: the test
        ("1. **Style**: `test_reserve` reads well.\n", 0, 3),  # no CWE id: the test, ::review, ::anchors
        ("1. **Leak (CWE-772)**: `test_reserve` leaks.\n", 1, 4),  # and ::cwe-known
    ],
    ids=["no-review", "no-cwe", "cwe-772"],
)
def test_the_catalog_is_read_only_when_a_review_cites_a_cwe_id(
    stock: pytest.Pytester, review_text: str | None, reads: int, passed: int
) -> None:
    stock.makeconftest(CONFTEST)
    if review_text is not None:
        stock.makefile(".review.txt", test_stock=review_text)
    result = stock.runpytest_subprocess(*NO_HYPOTHESIS)
    result.assert_outcomes(passed=passed)
    result.stdout.fnmatch_lines([f"catalog reads: {reads}"])
