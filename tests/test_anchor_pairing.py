"""A line anchor pairs with the named definition that holds it, else the nearest one; ties are refused."""

from __future__ import annotations

import textwrap

from pytest_reviewgate.analysis.index import parse_module
from pytest_reviewgate.engine.anchors import AnchorResult, check
from pytest_reviewgate.review.parser import parse_review

MODULE = textwrap.dedent("""\
    import os


    def test_a():
        assert os.sep


    def test_b():
        assert os.sep


    def test_c():
        assert os.sep
    """)


def run(text: str) -> AnchorResult:
    review = parse_review(text.encode(), "test_m.review.txt")
    index = parse_module(MODULE.encode(), "test_m.py")
    return check(review.findings[0], index, "test_m.review.txt", "test_m.py", tolerance=0)


def test_each_line_holds_in_the_definition_that_contains_it() -> None:
    assert run("1. **Two tests**: lines 4, 8 (in `test_a` and `test_b`) assert little.\n").violations == []


def test_a_stale_line_is_rewritten_to_the_definition_of_the_name_it_is_reported_against() -> None:
    result = run("1. **Two tests**: `test_c` (line 1) asserts little, and so does `test_a`.\n")
    assert [v.message for v in result.violations] == [
        "`test_c` is at lines 12-13, the review says 1 -> update the line anchor (--reviewgate-fix does it)"
    ]
    assert [(fix.start, fix.end) for fix in result.fixes] == [(12, 12)]


def test_a_name_defined_twice_is_left_alone_and_the_failure_says_why() -> None:
    index = parse_module((MODULE + "\n\ndef test_a():\n    pass\n").encode(), "test_m.py")
    review = parse_review(b"1. **Twice**: `test_a` (line 30) asserts little.\n", "test_m.review.txt")
    result = check(review.findings[0], index, "test_m.review.txt", "test_m.py", tolerance=0)
    assert result.fixes == []
    assert result.violations[0].message.endswith("(--reviewgate-fix leaves it: `test_a` has 2 definitions)")


def check_with(text: str, tolerance: int) -> AnchorResult:
    review = parse_review(text.encode(), "test_m.review.txt")
    index = parse_module(MODULE.encode(), "test_m.py")
    return check(review.findings[0], index, "test_m.review.txt", "test_m.py", tolerance=tolerance)


def test_a_range_over_neighbours_the_finding_names_holds() -> None:
    # test_a is at 4-5, test_b at 8-9, test_c at 12-13: two blank lines between each
    assert check_with("1. **Tests**: `test_a`, `test_b` (lines 4-9) assert little.\n", tolerance=2).violations == []
    assert check_with("1. **Tests**: `test_a`, `test_b`, `test_c` (lines 3-13) assert little.\n", 2).violations == []


def test_a_range_over_neighbours_fails_when_it_reaches_past_them_or_ends_in_an_unnamed_one() -> None:
    past = check_with("1. **Tests**: `test_a`, `test_b` (lines 4-13) assert little.\n", tolerance=2)
    assert [v.message.split(" -> ")[0] for v in past.violations] == ["`test_b` is at lines 8-9, the review says 4-13"]
    unnamed_end = check_with("1. **Tests**: `test_a`, `test_b` (lines 8-13) assert little.\n", tolerance=0)
    assert len(unnamed_end.violations) == 1  # test_c, which the finding does not name, closes the range
    early = check_with("1. **Tests**: `test_a`, `test_c` (lines 1-13) assert little.\n", tolerance=0)
    assert len(early.violations) == 1  # the range opens three lines before test_a


def test_a_range_from_the_first_named_neighbour_to_the_last_holds_with_unnamed_ones_between() -> None:
    # a reviewer names the first and the last of a run of tests: "`test_a` ... `test_c` (lines 4-13)"
    assert check_with("1. **Tests**: `test_a` and `test_c` (lines 4-13) assert little.\n", 0).violations == []
    assert check_with("1. **Tests**: `test_a`, `test_b` (lines 4-9) assert little.\n", tolerance=0).violations == []


def test_a_short_range_holds_where_a_name_of_its_bullet_is_used_not_defined() -> None:
    # "`test_b` ... its `os.sep` check (line 13)": line 13 spells os.sep, inside test_c
    assert check_with("1. **Checks**: `test_b` repeats the `os.sep` check (line 13).\n", 0).violations == []
    # a drifted ``def`` line is not a use: `test_b` is defined at 8, the review says 5 (test_a's body)
    drifted = check_with("1. **Checks**: `test_b` (line 5) asserts little.\n", tolerance=0)
    assert len(drifted.violations) == 1
    # a name spelled nowhere near the cited line keeps the anchor stale
    elsewhere = check_with("1. **Checks**: `test_b` and `os.sep` (line 1) assert little.\n", tolerance=0)
    assert len(elsewhere.violations) == 1


def test_a_definition_the_title_names_holds_a_line_of_the_body() -> None:
    # the title names the subject, the body cites its line next to another definition's name
    text = "### 1. `test_b` repeats a check\n\nAt line 9 it asserts `os.sep`, as `test_c` does.\n"
    assert check_with(text, tolerance=0).violations == []


def test_a_title_definition_does_not_hold_a_line_outside_it() -> None:
    text = "### 1. `test_b` repeats a check\n\nAt line 4 it asserts little, as `test_c` does.\n"
    assert len(check_with(text, tolerance=0).violations) == 1


def test_a_definition_named_in_the_first_line_but_not_the_title_stays_in_its_bullet() -> None:
    text = "1. **Checks**: `test_b` is fine.\n   - `test_c` is cited with the wrong line (line 9)\n"
    assert len(check_with(text, tolerance=0).violations) == 1


def test_a_line_placed_right_after_a_definition_name_must_fit_that_definition() -> None:
    # line 13 spells os.sep, but "`test_b` (line 13)" says test_b is there: stale
    text = "1. **Checks**: `test_b` (line 13) repeats the `os.sep` check.\n"
    assert len(check_with(text, tolerance=0).violations) == 1


def test_a_module_the_test_imports_or_a_name_used_everywhere_holds_no_line() -> None:
    # `os` is spelled on line 13, but it is an import: any drifted line would hold
    assert len(check_with("1. **Checks**: `test_b` leans on `os` (line 13).\n", tolerance=0).violations) == 1
    busy = "import os\n" + "".join(f"\n\ndef test_{n}():\n    assert os.sep\n" for n in range(14))
    review = parse_review(b"1. **Checks**: `test_1` repeats `os.sep` (line 41).\n", "test_m.review.txt")
    result = check(review.findings[0], parse_module(busy.encode(), "test_m.py"), "r", "test_m.py", tolerance=0)
    assert len(result.violations) == 1  # os.sep is spelled on 14 lines
