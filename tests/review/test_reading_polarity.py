"""Polarity of claims real reviews make about mocks and literals: a missing autospec, a mock that
accepts any call, a hard-coded or literal UUID are defects; their denials are clean."""

from __future__ import annotations

import pytest

from pytest_reviewgate.review.polarity import polarity, verdict


@pytest.mark.parametrize(
    "text",
    [
        "The patch of 'x.get_adapter' at line 51 has no autospec, so the mock accepts any arguments.",
        "The three decorators use no autospec.",
        "`mock_notifier` accepts any call the real notifier would reject.",
        "The mock is created with no spec.",
        "`stub_share` hard-codes the share network UUID; `uuids.share_network` would do.",
        "The share type and server ids are literal UUIDs as well.",
        "The test is hard-coding three identifiers.",
    ],
)
def test_missing_specs_and_literal_ids_are_defects(text: str) -> None:
    assert polarity(text) == "defect"


@pytest.mark.parametrize(
    "text",
    [
        "The adapter patch is autospecced.",
        "No hard-coded UUIDs: every id comes from `uuids`.",
        "The patch is not missing its autospec; it passes `autospec=True`.",
    ],
)
def test_their_denials_are_clean(text: str) -> None:
    assert polarity(text) == "clean"


def test_a_spec_that_is_only_advised_is_no_defect() -> None:
    assert polarity("Consider passing autospec to make the mock stricter.") == "note"


def test_a_failure_that_leaves_threads_blocked_outweighs_an_earlier_join() -> None:
    text = ("`t1` and `t2` are joined at lines 36-37; an assertion failure at line 28 leaves both threads "
            "blocked. Same fix as 4.1.")
    assert polarity(text) == "defect"
    assert polarity("The fixture leaves every worker stuck on its event.") == "defect"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The patch target 'nova.virt.fake.gone' does not exist.", "defect"),
        ("The patch names an attribute the module no longer has.", "defect"),
        ("It patches a non-existent method.", "defect"),
        ("No test exists for the error branch.", "defect"),
        ("A race condition exists between the two threads.", "defect"),
        ("The patch targets exist.", "clean"),
        ("Looks good.", "clean"),
        ("If the file exists, the test skips.", "note"),
    ],
)
def test_claims_about_patch_targets_and_plain_praise(text: str, expected: str) -> None:
    assert polarity(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Overall assessment: the module is clean.", "clean"),
        ("The tests look good.", "clean"),
        ("LGTM.", "clean"),
        ("The module is mostly fine.", "defects"),
        ("The module is clean apart from the patcher.", "defects"),
        ("The setUp is fine but the teardown leaks.", "defects"),
    ],
)
def test_a_whole_module_called_clean_gives_a_clean_verdict(text: str, expected: str) -> None:
    assert verdict(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A 401 would go unnoticed because only `self.context` is checked.", "defect"),
        ("`test_a` checks the status, and only the status is verified.", "defect"),
        ("A failure here goes undetected.", "defect"),
        ("The error path is checked, and only then the result is checked too.", "clean"),
        ("It is checked only once, which is fine.", "clean"),
    ],
)
def test_only_before_a_check_in_a_later_clause_narrows_it(text: str, expected: str) -> None:
    assert polarity(text) == expected
