"""Polarity of claims that name a check of nothing: "asserts nothing" is a defect, not a fix."""

from __future__ import annotations

import pytest

from pytest_reviewgate.review.polarity import polarity


@pytest.mark.parametrize("text", [
    "The test asserts nothing.",
    "The test verifies nothing.",
    "`test_b` checks nothing.",
    "Only the happy path is covered; no negative tests.",
    "Proper cleanup is not guaranteed.",
    "`test_nothing` asserts nothing, and the environment is restored properly.",
])
def test_a_check_of_nothing_is_a_defect(text: str) -> None:
    assert polarity(text) == "defect"


@pytest.mark.parametrize("text", [
    "The test asserts no exception is raised.",
    "The fixture restores the environment.",
])
def test_a_check_of_something_stays_clean(text: str) -> None:
    assert polarity(text) == "clean"
