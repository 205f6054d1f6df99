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


def test_a_stale_line_is_rewritten_to_the_nearest_named_definition_in_the_code() -> None:
    result = run("1. **Two tests**: lines 4, 10 (in `test_a` and `test_c`) assert little.\n")
    assert [v.message for v in result.violations] == [
        "`test_a` is at lines 4-5, the review says 10 -> update the line anchor (--reviewgate-fix does it)"
    ]
    assert [(fix.start, fix.end) for fix in result.fixes] == [(12, 12)]


def test_a_line_as_near_to_two_named_definitions_is_left_alone() -> None:
    result = run("1. **Two tests**: lines 6-7 (in `test_a` and `test_b`) assert little.\n")
    assert [fix for fix in result.fixes] == []
    assert result.violations[0].message.endswith(
        "(--reviewgate-fix leaves it: `test_a` and `test_b` are as near)"
    )
