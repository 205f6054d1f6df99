"""A whole review in the shapes of the tenth reading round, in a real session: a recommended name before "would"
fails no RG001 item, a stale one does, and triage reads the finding as a defect despite a closing aside."""

from __future__ import annotations

import pytest

MODULE = """\
from unittest import mock


class MiddlewareTests:
    def test_names(self):
        names = sorted(["cors", "debug"])
        assert set(["cors"]) <= set(names)

    def test_patch(self):
        with mock.patch("os.getcwd", autospec=True):
            assert sorted([2, 1]) == [1, 2]
"""  # test_names 5-7, test_patch 9-11; 11 lines


def test_recommended_names_before_would_pass_and_a_stale_name_fails(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_mw=MODULE)
    (pytester.path / "test_mw.review.txt").write_text("""\
The test module has two findings:

1. **Superset check hides new middleware (CWE-1068)** (lines 5-8)
   - `test_names` uses a subset check, so a new middleware passes silently; `assert_exact` would pin the list.
   - The list is built with `sorted`, which is fine.

2. **Order-sensitive comparisons (CWE-697)**:
   - `test_patch` (lines 9-12) compares sorted lists while `_check_names` relies on order. A shared helper
     `_assert_same` would keep the two consistent.

Overall verdict: defects found (2).
""")
    result = pytester.runpytest("--reviewgate-only", "--reviewgate-triage", "-v", "-p", "no:cacheprovider")
    result.stdout.fnmatch_lines_random([
        "*::finding-1::anchors PASSED*",
        "*::finding-2::anchors FAILED*",
        "*`_check_names` does not occur in the code of test_mw.py*",
        "*findings: 2 (2 gated, 0 not gated; 1 defect, 0 clean, 1 note)*",
    ])
    result.stdout.no_fnmatch_line("*`assert_exact` does not occur*")
    result.stdout.no_fnmatch_line("*`_assert_same` does not occur*")
    result.stdout.no_fnmatch_line("*finding 1 (*): clean*")
    result.assert_outcomes(passed=3, failed=1)
