"""What a failing review looks like in pytest's own places: the ``-r`` line, headers, JUnit, warnings,
and the ``reviewgate`` section at each verbosity and colour setting."""

from __future__ import annotations

import textwrap
import xml.etree.ElementTree as ET

import pytest

from pytest_reviewgate.report.summary import Line, Summary, plural, summarize

MODULE = textwrap.dedent(
    """
    import os


    def test_one():
        os.environ["REGION"] = "x"
        assert True


    def test_two():
        assert True
    """
).lstrip()

# Both findings point at lines the functions are not on: two RG001 failures in one review.
REVIEW = textwrap.dedent(
    """
    Review of {name}.py.

    1. **Environment leak (CWE-664)**: lines 8-9
       - `test_one` sets REGION and never restores it.

    2. **Weak test (CWE-703)**: line 9
       - `test_two` asserts nothing useful.
    """
).lstrip()


@pytest.fixture
def two_reviews(pytester: pytest.Pytester) -> pytest.Pytester:
    for name in ("test_alpha", "test_beta"):
        pytester.makepyfile(**{name: MODULE})
        pytester.makefile(".review.txt", **{name: REVIEW.format(name=name)})
    return pytester


def test_the_short_summary_line_names_the_problem_not_the_review(two_reviews: pytest.Pytester) -> None:
    result = two_reviews.runpytest("-rf", "-vv")  # -vv: the -r line is not cut to the terminal's width
    result.assert_outcomes(passed=10, failed=2)
    line = "FAILED test_alpha.review.txt::finding-1::anchors - RG001 `test_one` is at lines 4-6, the review says 8-9*"
    result.stdout.fnmatch_lines([line])
    result.stdout.no_fnmatch_line("FAILED * - test_*.review.txt:*")


def test_failure_headers_name_the_rule_and_the_review_and_differ(two_reviews: pytest.Pytester) -> None:
    result = two_reviews.runpytest()
    result.stdout.fnmatch_lines(
        [
            "*_ test_alpha.review.txt: RG001 finding-1::anchors _*",
            "RG001 `test_one` is at lines 4-6*",
            "test_alpha.review.txt:3: finding 1: Environment leak (CWE-664)",
            "*_ test_beta.review.txt: RG001 finding-1::anchors _*",
        ]
    )


def test_junit_failure_message_starts_with_the_problem(two_reviews: pytest.Pytester) -> None:
    two_reviews.runpytest("--junitxml=out.xml")
    tree = ET.parse(two_reviews.path / "out.xml")
    messages = [f.get("message", "") for f in tree.iter("failure")]
    assert len(messages) == 2
    assert all(m.startswith("RG001 `test_one` is at lines 4-6") for m in messages), messages


def test_a_warning_names_its_location_once(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_env=MODULE)
    pytester.makefile(
        ".review.txt",
        test_env="expect: env-reverted-via-fixtures\n",
    )
    pytester.makepyprojecttoml('[tool.reviewgate]\nseverity = { RG102 = "warning" }\n')
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(["*test_env.py:5: ReviewgateWarning: RG102 in test_one: *"])
    result.stdout.no_fnmatch_line("*ReviewgateWarning: RG102 test_env.py:5*")


def test_the_section_follows_pytests_verbosity(two_reviews: pytest.Pytester) -> None:
    full = two_reviews.runpytest()
    full.stdout.fnmatch_lines(["*= reviewgate =*", "reviews: 2 (0 clean, 2 with defects)",
                               "analysis: *s for 2 reviews (* from cache)"])
    quiet = two_reviews.runpytest("-q")
    quiet.stdout.fnmatch_lines(
        ["reviewgate: 4 findings; items: 6 passed, 2 failed; 2 stale anchors; analysis: *s for 2 reviews (*)"]
    )
    quiet.stdout.no_fnmatch_line("*= reviewgate =*")
    for flags in (("-qq",), ("--no-summary",)):
        silent = two_reviews.runpytest(*flags)
        assert silent.ret == pytest.ExitCode.TESTS_FAILED
        silent.stdout.no_fnmatch_line("*= reviewgate =*")
        silent.stdout.no_fnmatch_line("reviewgate: *")
        silent.stdout.no_fnmatch_line("reviews: *")


def test_what_an_option_asked_for_shows_also_when_quiet(two_reviews: pytest.Pytester) -> None:
    for flags in (("-q",), ("-qq",)):
        result = two_reviews.runpytest("--reviewgate-fix", "--reviewgate-diff", *flags)
        result.stdout.fnmatch_lines(["--- a/*test_alpha.review.txt", "+++ b/*test_alpha.review.txt"])
    silent = two_reviews.runpytest("--reviewgate-fix", "--reviewgate-diff", "--no-summary")
    silent.stdout.no_fnmatch_line("--- a/*test_alpha.review.txt")


def test_colour_comes_through_the_terminal_writer_and_obeys_color_no(two_reviews: pytest.Pytester) -> None:
    coloured = two_reviews.runpytest("--color=yes")
    coloured.stdout.fnmatch_lines(["*\x1b[31m*= reviewgate =*", "\x1b[31mitems: 6 passed, 2 failed\x1b[0m"])
    plain = two_reviews.runpytest("--color=no")
    plain.stdout.fnmatch_lines(["*= reviewgate =*", "items: 6 passed, 2 failed"])
    assert "\x1b[" not in plain.stdout.str()


def test_a_passing_run_has_a_green_section(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_ok="def test_ok():\n    assert True\n")
    pytester.makefile(".review.txt", test_ok="Review of test_ok.py.\n\n1. **Fine**: line 1\n   - `test_ok` is fine.\n")
    result = pytester.runpytest("--color=yes")
    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines(["*\x1b[32m*= reviewgate =*", "analysis: *s for 1 review (0 from cache)"])


# The summary as data, without a terminal.


def test_plural_words() -> None:
    assert [plural(n, "review") for n in (0, 1, 2)] == ["0 reviews", "1 review", "2 reviews"]
    assert plural(1, "finding") == "1 finding"
    assert plural(3, "index", "indexes") == "3 indexes"


def test_summarize_counts_reviews_findings_and_colours() -> None:
    reviews = [
        {"findings": 1, "gated": 1, "verdict": "clean", "polarity": {"clean": 1}, "seconds": 0.5, "cached": True},
        {"findings": 2, "gated": 1, "verdict": "defects", "polarity": {"defect": 2}, "seconds": 0.25},
    ]
    violations = [{"rule": "RG001"}, {"rule": "RG201", "suppressed": "open"}]
    summary = summarize(reviews, {"passed": 3, "failed": 1}, violations, leaks=1, inherited=[{"a"}, {"a", "b"}])
    texts = [line.text for line in summary.lines(0)]
    assert texts == [
        "reviews: 2 (1 clean, 1 with defects)",
        "findings: 3 (2 gated, 1 not gated; 2 defect, 1 clean, 0 note)",
        "items: 3 passed, 1 failed",
        "stale anchors: 1",
        "analysis: 0.750s for 2 reviews (1 from cache)",
        "runtime: 1 targeted test left state changed",
        "inherited: 2 violations outside the reviewed modules, reached by 2 reviewed modules"
        " (warnings; gate-inherited = true fails on them)",
        "warnings: 0; suppressed: 0 ignored, 1 open",
    ]
    assert summary.color == "red"
    assert summary.lines(-1) == [
        Line("reviewgate: 3 findings; items: 3 passed, 1 failed; 1 stale anchor; 1 leaking test;"
             " analysis: 0.750s for 2 reviews (1 from cache)", "red")
    ]
    assert summary.lines(-2) == []


def test_summary_colour_without_failures() -> None:
    assert Summary(outcomes={"passed": 2}).color == "green"
    assert Summary(outcomes={"passed": 2}, warnings=1).color == "yellow"
    assert Summary(outcomes={"xpassed": 1}).color == "red"
