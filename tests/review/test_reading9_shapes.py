"""Readings of the ninth reading round (LLM security reviews in the samples' shapes): polarity of narrow
checks, order dependence and answered complaints, ``status: open``, and names a review recommends or says
come from prose only."""

from __future__ import annotations

import textwrap

import pytest

from pytest_reviewgate.model import Finding
from pytest_reviewgate.review.parser import parse_review
from pytest_reviewgate.review.polarity import polarity


def finding(text: str) -> Finding:
    return parse_review(textwrap.dedent(text).encode(), "test_store.review.txt").findings[0]


@pytest.mark.parametrize("text", [
    "`test_status` asserts only `Code.OK` and never the details.",
    "The test checks only the status code of the reply.",
    "The helper verifies only `result.code`.",
    "The count is at most one because of a shared cache. The result depends on test ordering.",
    "The outcome depends on the execution ordering.",
    "Nothing checks the log in `test_b`. This is acceptable, but the per-test assertions are uneven.",
])
def test_narrow_checks_order_dependence_and_reopened_complaints_are_defects(text: str) -> None:
    assert polarity(text) == "defect"


@pytest.mark.parametrize("text", [
    "`test_x` sets `mode` through `self.config` and does not restore it by hand; the base class fixture reverts it.",
    "The patch is not stopped in the test. The fixture base class stops every patch.",
])
def test_a_complaint_that_the_test_does_not_undo_a_change_is_answered_by_what_undoes_it(text: str) -> None:
    assert polarity(text) == "clean"


@pytest.mark.parametrize("text", [
    # a check is no undoing: it answers nothing
    "The patch is never stopped. The test asserts the result.",
    # a check of nothing is worse than a missing undo
    "`test_x` asserts nothing, and the environment is restored properly.",
    # an undoing beside the complaint ("and ...") is not its answer
    "It does not restore the flag, and it restores the timer.",
    # the complaint names a harm, not only a missing undo
    "Nothing restores the flag; it leaks into later tests. The fixture reverts the other one.",
    "It checks only once that the call fails.",
])
def test_undo_answers_only_a_bare_missing_undo(text: str) -> None:
    assert polarity(text) == "defect"


def test_status_open_marks_a_defect_whatever_the_prose_says() -> None:
    f = finding("""\
        1. **Warnings Only Logged (CWE-703)**: Line 12
           - `test_warns` checks that a warning is logged; `test_other` does the same.
           expect: error-paths-tested on StoreTests
           status: open
        """)
    assert (f.status, f.polarity) == ("open", "defect")
    closed = finding("""\
        1. **Warnings Only Logged (CWE-703)**: Line 12
           - `test_warns` checks that a warning is logged; `test_other` does the same.
           status: closed
        """)
    assert closed.polarity == "clean"


@pytest.mark.parametrize(("text", "name"), [
    ("1. **Helpers**: `check_a` (line 3) is fine; `check_metric` would be a clearer shared name.\n", "check_metric"),
    ("1. **Helpers**: `check_a` (line 3) repeats; `check_metric` would be a better name.\n", "check_metric"),
    ("1. **Sleep**: `test_a` patches it. A shared helper `_assert_slept` would reduce repetition.\n", "_assert_slept"),
])
def test_names_a_review_proposes_are_recommended_not_anchors(text: str, name: str) -> None:
    f = finding(text)
    assert name not in [s.name for s in f.symbol_anchors]
    assert (name, "recommended") in [(m.name, m.role) for m in f.mentions]


def test_a_name_said_to_come_from_a_docstring_only_is_absent() -> None:
    f = finding("1. **Gap**: `test_a` misses it.\n   - The helper `_assert_none` mentioned in the docstring"
                " does not exist.\n")
    assert [s.name for s in f.symbol_anchors] == ["test_a"]
    assert [(m.name, m.role) for m in f.mentions] == [("_assert_none", "absent")]


@pytest.mark.parametrize("text", [
    # a test the review cites that went stale stays an anchor, so RG001 reports it
    "1. **Stale**: `StoreTests.test_gone` no longer exists.\n",
    "1. **Stale**: `StoreTests.test_gone` does not exist any more.\n",
    # describing what existing code would do is no recommendation
    "1. **Leak**: `_make` would leave the file behind if `test_a` fails.\n",
])
def test_names_the_review_cites_as_code_stay_anchors(text: str) -> None:
    f = finding(text)
    assert f.mentions == ()
    assert f.symbol_anchors
