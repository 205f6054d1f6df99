"""Line anchors around nested definitions: a line of a test outside the helper it nests still holds
when the finding names that test, in another bullet than the helper."""

from __future__ import annotations

import textwrap

from pytest_reviewgate.analysis.index import parse_module
from pytest_reviewgate.engine.anchors import AnchorResult, check
from pytest_reviewgate.review.parser import parse_review

MODULE = textwrap.dedent("""\
    from unittest import mock


    def test_outer():
        def fake_stat(path):
            raise OSError(path)

        with mock.patch("os.stat", side_effect=fake_stat):
            assert True
        assert fake_stat


    def test_other():
        def fake_stat(path):
            return path
        assert fake_stat
    """)


def run(text: str) -> AnchorResult:
    review = parse_review(textwrap.dedent(text).encode(), "test_m.review.txt")
    index = parse_module(MODULE.encode(), "test_m.py")
    return check(review.findings[0], index, "test_m.review.txt", "test_m.py", tolerance=0)


def test_a_line_in_the_nested_helper_holds() -> None:
    assert run("1. **Fake**: `test_outer` defines `fake_stat` (line 5).\n").violations == []


def test_a_line_of_the_named_test_outside_its_nested_helper_holds() -> None:
    result = run("""\
        1. **Fake stat raises**: `test_outer` patches `os.stat`.
           - line 9: the nested `fake_stat` is only checked for truth.
        """)
    assert result.violations == []


def test_a_line_of_another_test_still_fails() -> None:
    result = run("""\
        1. **Fake stat raises**: `test_outer` patches `os.stat`.
           - line 13: the nested `fake_stat` is only checked for truth.
        """)
    assert len(result.violations) == 1
    assert "the review says 13" in result.violations[0].message


def test_a_nested_helper_named_alone_does_not_take_its_enclosing_test() -> None:
    result = run("""\
        1. **Fake stat raises**: see `test_other`.
           - line 9: `fake_stat` in there is only checked for truth.
        """)
    assert len(result.violations) == 1  # test_other does not enclose line 9; fake_stat's defs do not hold it
