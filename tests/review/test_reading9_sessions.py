"""Whole reviews in the shapes of the ninth reading round, in real sessions: which RG001 items fail and
what they say, and the triage verdicts of answered complaints and of findings gated by their own rules."""

from __future__ import annotations

import pytest

MODULE = """\
from unittest import mock


def _capture(func):
    return func()


class StoreTests:
    def setup_method(self):
        self.state = {}

    def test_one(self):
        assert _capture(lambda: 1) == 1

    def test_two(self):
        with mock.patch("os.getcwd", autospec=True):
            assert _capture(lambda: 2) == 2

    def test_three(self):
        with pytest.raises(ValueError):
            int("x")
"""  # _capture 4-5, setup_method 9-10, test_one 12-13, test_two 15-17, test_three 19-21; 21 lines


def run(pytester: pytest.Pytester, review: str, *args: str) -> pytest.RunResult:
    pytester.makepyfile(test_store="import pytest\n" + MODULE)
    (pytester.path / "test_store.review.txt").write_text(review)
    return pytester.runpytest("--reviewgate-only", "-v", "-p", "no:cacheprovider", *args)


def test_cwe_list_items_with_call_style_names_and_sub_bullets_anchor_what_they_cite(pytester: pytest.Pytester) -> None:
    # module lines are one more than MODULE's: the test file starts with "import pytest"
    result = run(pytester, """\
The following security defects are found in the code:
1. **CWE-703 (Improper Check or Handling of Exceptional Conditions)**: Line 16
   - The test_two() method patches os.getcwd but does not check the error path.
2. **CWE-710 (Improper Adherence to Coding Standards)**:
   - Line 2: The import of unittest.mock is module wide.
   - Lines 16-18: test_two() calls _capture() in a with block.
3. **CWE-459 (Incomplete Cleanup)**: Line 11
   - The setup_method() method sets self.state; `_capture_all` (line 14) calls it again.
""")
    result.stdout.fnmatch_lines_random([
        "*::finding-1::anchors PASSED*",
        "*::finding-2::anchors PASSED*",
        "*::finding-3::anchors FAILED*",
        "*`_capture_all` does not occur in the code of test_store.py; did you mean `_capture`? -> update or close*",
    ])
    result.stdout.no_fnmatch_line("*the review says 14*")  # line 14 is the missing name's, not setup_method's
    result.assert_outcomes(passed=4, failed=1)


def test_observations_with_a_line_past_the_end_and_a_group_range_say_what_is_wrong(pytester: pytest.Pytester) -> None:
    result = run(pytester, """\
The provided code does not exhibit explicit security defects in the CWE categories provided.

1. **Group Range**:
   - The tests (lines 13-22) call `_capture`, and `test_three` (line 20) expects a failure.

2. **Stale Lines**:
   - `test_one` (lines 13-14) asserts a value.
   - The last test at line 40 never checks a message.

3. **Proposed Helper**:
   - `test_two` (lines 16-18) repeats `test_one`; `_assert_captured` would be a clearer shared name.

While these observations do not correspond to the CWE categories listed, they point at places to improve.
""")
    result.stdout.fnmatch_lines_random([
        "*::finding-1::anchors PASSED*",
        "*::finding-2::anchors FAILED*",
        "*::finding-3::anchors PASSED*",
        "*line 40 lies outside test_store.py, which has 22 lines -> update or close the finding",
        "reviews: 1 (1 clean, 0 with defects)",
    ])
    result.stdout.no_fnmatch_line("*`test_one` is at*")
    result.assert_outcomes(passed=3, failed=1)


def test_triage_keeps_an_answered_complaint_clean_and_judges_a_gated_defect_by_its_rule(
    pytester: pytest.Pytester,
) -> None:
    result = run(pytester, """\
1. **Patch in a Test (CWE-664)**: Lines 16-18
   - `test_two` patches `os.getcwd` and does not stop it by hand; the with block stops it.

2. **Failures Only Logged (CWE-703)**: Line 13
   - `test_one` checks that a value is returned; `test_three` (line 20) does the same.
   expect: error-paths-tested on StoreTests
   status: open
""", "--reviewgate-triage")
    result.stdout.fnmatch_lines_random([
        "*finding 1 (Patch in a Test (CWE-664)): clean*",
        "*finding 2 (Failures Only Logged (CWE-703)): refuted [[]error-paths-tested[]]*",
        "*judged by the rules its expect: lines name; error-paths-tested passes*",
    ])
