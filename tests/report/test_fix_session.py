"""--reviewgate-fix end to end: each line to its own definition, pins moved along, changes printed, --diff."""

from __future__ import annotations

import pytest

MODULE = """\
import os


def test_a():
    assert os.sep


def test_b():
    assert os.sep
"""
# the anchors are three lines off: test_a is at 4-5, test_b at 8-9
REVIEW = "1. **Weak asserts**: `test_a` (line 1) and `test_b` (line 13) assert little.\n"


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makepyfile(test_mod=MODULE)
    pytester.makefile(".review.txt", test_mod=REVIEW)
    return pytester


def test_each_line_goes_to_its_own_named_definition_and_the_change_is_printed(project: pytest.Pytester) -> None:
    result = project.runpytest("--reviewgate-only", "--reviewgate-fix")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        ["*test_mod.review.txt:1: line 1 -> line 4", "*test_mod.review.txt:1: line 13 -> line 8"]
    )
    fixed = REVIEW.replace("line 1)", "line 4)").replace("line 13)", "line 8)")
    assert (project.path / "test_mod.review.txt").read_text().strip() == fixed.strip()
    project.runpytest("--reviewgate-only").assert_outcomes(passed=2)


def test_diff_shows_the_change_and_writes_nothing(project: pytest.Pytester) -> None:
    result = project.runpytest("--reviewgate-only", "--reviewgate-fix", "--reviewgate-diff")
    result.stdout.fnmatch_lines(
        ["-1. **Weak asserts**: `test_a` (line 1)*", "+1. **Weak asserts**: `test_a` (line 4)*"]
    )
    assert (project.path / "test_mod.review.txt").read_text().strip() == REVIEW.strip()


def test_fix_and_pin_in_one_run_pin_the_anchors_as_fixed(project: pytest.Pytester) -> None:
    result = project.runpytest("--reviewgate-only", "--reviewgate-fix", "--reviewgate-pin")
    result.stdout.no_fnmatch_line("*changed since it was read*")
    text = (project.path / "test_mod.review.txt").read_text()
    assert '"1/line 4":' in text
    assert '"1/line 8":' in text
    assert "`test_a` (line 4) and `test_b` (line 8)" in text
    project.runpytest("--reviewgate-only").assert_outcomes(passed=2)


def test_a_pin_moves_with_the_anchor_a_fix_rewrites(project: pytest.Pytester) -> None:
    project.makefile(".review.txt", test_mod="1. **Weak assert**: line 4 (in `test_a`) asserts little.\n")
    project.runpytest("--reviewgate-only", "--reviewgate-pin").assert_outcomes(passed=2)
    project.makepyfile(test_mod="# moved\n" * 5 + MODULE)  # test_a moves down 5 lines, past the tolerance
    project.runpytest("--reviewgate-only", "--reviewgate-fix")
    text = (project.path / "test_mod.review.txt").read_text()
    assert "line 9 (in `test_a`)" in text
    assert '"1/line 9":' in text
    assert '"1/line 4":' not in text
    project.runpytest("--reviewgate-only").assert_outcomes(passed=2)
