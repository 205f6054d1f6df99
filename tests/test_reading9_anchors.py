"""Line anchors pair with the name written at them, a bullet led by its own line reads alone, and a line
past the module's end is reported as such (third reading round, shapes of LLM security reviews)."""

from __future__ import annotations

import textwrap

import pytest

from pytest_reviewgate.analysis.index import parse_module
from pytest_reviewgate.engine.anchors import AnchorResult, check
from pytest_reviewgate.review.parser import parse_review

MODULE = textwrap.dedent("""\
    import os


    def _capture(func):
        return func()


    def test_one():
        assert _capture(os.getcwd)


    def test_two():
        assert _capture(os.getcwd)


    def test_three():
        assert os.sep
    """)  # _capture 4-5, test_one 8-9, test_two 12-13, test_three 16-17; 17 lines


def run(text: str, tolerance: int = 0) -> AnchorResult:
    review = parse_review(text.encode(), "test_m.review.txt")
    index = parse_module(MODULE.encode(), "test_m.py")
    return check(review.findings[0], index, "test_m.review.txt", "test_m.py", tolerance=tolerance)


def messages(result: AnchorResult) -> list[str]:
    return [v.message.split(" -> ")[0] for v in result.violations]


def test_a_line_written_at_a_missing_name_is_not_blamed_on_another_name() -> None:
    # "`_capture` (lines 4-5) ... also used by `_helper_gone` (line 9)": line 9 is the invented name's
    result = run("1. **Capture**:\n   - `_capture` (lines 4-5) swaps stdout; `_helper_gone` (line 9) calls it.\n")
    assert messages(result) == ["`_helper_gone` does not occur in the code of test_m.py"]
    assert result.fixes == []


def test_a_name_with_its_own_line_leaves_a_range_before_it_alone() -> None:
    # "The tests (lines 8-17) ..., and `test_three` (line 16)": the range cites the group, not test_three
    text = "1. **Tests**:\n   - The tests (lines 8-17) call `os.getcwd`, and `test_three` (line 16) checks it.\n"
    assert run(text).violations == []


def test_a_name_with_its_own_wrong_line_is_still_reported_where_it_is() -> None:
    text = "1. **Tests**:\n   - The tests (lines 8-17) call `os.getcwd`, and `test_three` (line 9) checks it.\n"
    assert messages(run(text)) == ["`test_three` is at lines 16-17, the review says 9"]


def test_a_sub_bullet_citing_its_own_names_does_not_borrow_another_bullets_definition() -> None:
    # "- Line 1: `os.sep` ..." then "- Lines 12-13: `test_two()` ...": line 1 is not test_two's
    text = ("1. **CWE-710 (Improper Adherence to Coding Standards)**:\n"
            "   - Line 1: The import of os.path.join is module wide.\n"
            "   - Lines 12-13: test_two() calls _capture() by hand.\n")
    assert run(text).violations == []


def test_a_sub_bullet_line_in_another_definition_still_fails_against_its_own_name() -> None:
    text = ("1. **CWE-710 (Improper Adherence to Coding Standards)**:\n"
            "   - Line 1: The import of os.path.join is module wide.\n"
            "   - Line 8: test_two() calls _capture() by hand.\n")
    assert messages(run(text)) == ["`test_two` is at lines 12-13, the review says 8"]


def test_a_line_past_the_end_in_a_bullet_without_names_says_so() -> None:
    text = ("1. **Tests**:\n"
            "   - `test_one` (lines 8-9) asserts a call.\n"
            "   - The last test at line 40 never checks a failure.\n")
    result = run(text)
    assert messages(result) == ["line 40 lies outside test_m.py, which has 17 lines"]
    assert result.fixes == []


def test_a_line_past_the_end_next_to_its_name_still_says_where_the_name_is() -> None:
    result = run("1. **Tests**: `test_one` (line 40) asserts a call.\n")
    assert messages(result) == ["`test_one` is at lines 8-9, the review says 40"]
    assert [(f.start, f.end) for f in result.fixes] == [(8, 8)]


@pytest.mark.parametrize("line", ["7", "10"])
def test_an_off_by_one_line_at_its_name_holds_within_the_tolerance(line: str) -> None:
    assert run(f"1. **Tests**: `test_one` (line {line}) asserts a call.\n", tolerance=1).violations == []
    assert len(run(f"1. **Tests**: `test_one` (line {line}) asserts a call.\n", tolerance=0).violations) == 1


def test_a_title_line_past_the_end_is_still_the_bodys_subjects() -> None:
    result = run("1. **Stale**: line 40\n   - `test_one` asserts a call.\n")
    assert messages(result) == ["`test_one` is at lines 8-9, the review says 40"]
    assert [(f.start, f.end) for f in result.fixes] == [(8, 8)]
