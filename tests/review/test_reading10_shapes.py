"""Readings of the tenth reading round (keystone unit tests): a name that opens its clause before "would" and
what it would improve is advice, a relative "which is fine" approves only its own sentence, a test said to pass
when the code is wrong reports a defect, and a property "never verified" is no test without assertions."""

from __future__ import annotations

import textwrap

import pytest

from pytest_reviewgate.engine import subjects
from pytest_reviewgate.model import Finding
from pytest_reviewgate.review.parser import parse_review
from pytest_reviewgate.review.polarity import polarity


def finding(text: str) -> Finding:
    return parse_review(textwrap.dedent(text).encode(), "test_hints.review.txt").findings[0]


def roles(found: Finding) -> dict[str, str]:
    out = {a.name: "" for a in found.symbol_anchors}
    out.update({m.name: m.role for m in found.mentions})
    return out


@pytest.mark.parametrize(("text", "name"), [
    ("1. **Order**:\n   - `test_a` sorts first; `matchers.Equals` would pin the list exactly.\n", "matchers.Equals"),
    ("1. **Order**:\n   - `test_a` sorts first. A shared helper `_assert_same` would keep them consistent.\n",
     "_assert_same"),
    ("1. **Order**:\n   - `assert_sorted` would also catch the reordering in `test_a`.\n", "assert_sorted"),
])
def test_a_name_that_opens_its_clause_before_would_and_an_improvement_is_recommended(text: str, name: str) -> None:
    found = roles(finding(text))
    assert found[name] == "recommended"
    assert found["test_a"] == ""


@pytest.mark.parametrize(("text", "name"), [
    # the name does not open its clause: the module's code, said to behave some way
    ("1. **Order**:\n   - If the cache is warm, `_reload` would keep the stale list.\n", "_reload"),
    ("1. **Order**:\n   - The test calls `_reload`, which would keep the stale list.\n", "_reload"),
    # "would" and no improvement: what the code would do
    ("1. **Order**:\n   - `_reload` would fail on an empty list.\n", "_reload"),
])
def test_a_name_before_would_stays_an_anchor_elsewhere(text: str, name: str) -> None:
    assert roles(finding(text))[name] == ""


@pytest.mark.parametrize("text", [
    # the approval in the second bullet is about what that bullet says, not the first bullet's complaint
    "- `test_a` never stops its patcher.\n- The manager is created without `invoke_on_load`, which is fine.",
    "- The global is set directly and leaks into later tests.\n- The helper sorts its input, which looks correct.",
])
def test_a_relative_approval_in_a_later_sentence_leaves_the_complaint_standing(text: str) -> None:
    assert polarity(text) == "defect"


@pytest.mark.parametrize("text", [
    "`test_a` sets the flag directly, which is fine.",
    "The manager is created without `invoke_on_load`, which is acceptable.",
    "The patch is never stopped in the test. This is fine: the base class stops every patch.",
])
def test_a_relative_approval_of_its_own_sentence_still_clears_it(text: str) -> None:
    assert polarity(text) == "clean"


@pytest.mark.parametrize("text", [
    "`test_a` uses `ContainsAll`, so an extra entry passes silently.",
    "A removed entry silently passes the check.",
    "The test passes even if both instances share one list.",
    "The assertion still passes even when the result is empty.",
])
def test_a_test_said_to_pass_when_the_code_is_wrong_is_a_defect(text: str) -> None:
    assert polarity(text) == "defect"


def test_a_test_said_to_pass_plainly_is_no_defect() -> None:
    assert polarity("`test_a` passes and checks every field; no issue here.") == "clean"


def test_the_keystone_shape_reads_as_one_defect_with_a_recommended_name() -> None:
    found = finding("""\
        The test module has one finding:

        1. **Superset check hides new middleware (CWE-1068)** (lines 20-29)
           - `test_mw` uses `matchers.ContainsAll`, so a new middleware passes silently; `matchers.Equals` would pin
             the list exactly.
           - The `ExtensionManager` is created without `invoke_on_load`, which is fine.

        Overall verdict: defects found (1).
        """)
    assert found.polarity == "defect"
    assert roles(found)["matchers.Equals"] == "recommended"
    assert roles(found)["matchers.ContainsAll"] == ""


def subjects_of(text: str) -> list[str]:
    found = finding(text)
    return [m.subject.name for m in subjects.read(found) if not m.negated]


def test_a_property_said_to_be_never_verified_is_no_test_without_assertions() -> None:
    assert "no-assertions" not in subjects_of(
        "1. `test_b` builds `hints2`, so the independence of the second instance is never verified.\n")
    assert "no-assertions" not in subjects_of("1. The return value of `_load` is not asserted.\n")


def test_a_test_said_never_to_assert_or_verify_is_one_without_assertions() -> None:
    assert "no-assertions" in subjects_of("1. `test_b` never verifies the result.\n")
    assert "no-assertions" in subjects_of("1. `test_b` does not assert anything.\n")
    assert "no-assertions" in subjects_of("1. `test_b` never asserts on the outcome.\n")

