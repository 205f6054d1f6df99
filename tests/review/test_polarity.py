"""Finding polarity (defect / clean / note) and the review's verdict, from their own words."""

from __future__ import annotations

import pytest

from pytest_reviewgate.review.parser import parse_review
from pytest_reviewgate.review.polarity import polarity, verdict


@pytest.mark.parametrize(
    "text",
    [
        "There isn't any direct evidence that the fixture leaks.",
        "There is no evidence of a leak.",
        "The patch doesn\u2019t appear to outlive the test.",
        "It does not seem to matter.",
        "No apparent problem with the cleanup.",
        "This is correct.",
        "THIS IS FINE",
        "No issues were found in the teardown.",
        "The override is properly reverted by the fixture.",
    ],
)
def test_findings_that_say_there_is_no_problem_are_clean(text: str) -> None:
    assert polarity(text) == "clean"


@pytest.mark.parametrize(
    "text",
    [
        "The patcher is started but never stopped.",
        "The method lacks error handling.",
        "Configuration changes persist into later tests.",
        "Hard-coded UUIDs make tests pass by coincidence.",
        "The override is not reverted.",
        "This could lead to flaky tests.",
        "The mock is created without being stopped.",
    ],
)
def test_findings_that_report_a_problem_are_defects(text: str) -> None:
    assert polarity(text) == "defect"


def test_advice_with_nothing_specific_is_a_note() -> None:
    assert polarity("Consider splitting the helper into smaller functions.", ) == "note"
    assert polarity("", ) == "note"


def test_a_cwe_id_or_a_weakness_title_does_not_make_a_finding_a_defect() -> None:
    title = "CWE-284 (Improper Access Control)"
    assert polarity("No apparent problem.", title=title) == "clean"
    assert polarity("There isn't any direct evidence of improper access control.", title=title) == "clean"
    assert polarity("Consider it.", title=title) == "note"
    assert polarity("Consider it.", title="Improper Mocking") == "defect"  # a body with nothing to say


def test_the_title_counts_only_when_the_body_says_nothing_either_way() -> None:
    assert polarity("Consider `addCleanup`.", title="Patcher never stopped") == "defect"
    assert polarity("This is correct.", title="Improper Mocking") == "clean"


@pytest.mark.parametrize(
    "text",
    [
        "The module does not exhibit explicit security defects in the listed categories.",
        "No security defects are detected.",
        "No vulnerabilities found.",
        "There are no obvious security issues in these tests.",
        "I did not find any security weaknesses.",
        "The code doesn\u2019t contain any significant vulnerabilities.",
        "The test module is free of security defects.",
        "the code DOES NOT HAVE ANY ISSUES",
    ],
)
def test_module_text_stating_no_defects_gives_a_clean_verdict(text: str) -> None:
    assert verdict(text) == "clean"


@pytest.mark.parametrize(
    "text",
    [
        "The following security defects are found in the code:",
        "Two issues need attention.",
        "",
        "It is not clear whether there are defects.",
    ],
)
def test_other_module_text_gives_a_defects_verdict(text: str) -> None:
    assert verdict(text) == "defects"


def test_the_verdict_reads_only_module_level_text() -> None:
    review = parse_review(
        b"Two problems follow.\n\n1. **A**: no security defects are detected here.\n",
        "test_x.review.txt",
    )
    assert review.verdict == "defects"
    review = parse_review(
        b"1. **A**: the patcher is never stopped.\n\nNo security defects were found.\n",
        "test_x.review.txt",
    )
    assert review.verdict == "clean"
    assert review.findings[0].polarity == "defect"
    review = parse_review(
        b"1. **A**: the patcher is never stopped.\n\nOtherwise no security defects were found.\n",
        "test_x.review.txt",
    )
    assert review.verdict == "defects"  # "otherwise" qualifies the negation


def test_polarity_ignores_whitespace_and_case_shape() -> None:
    assert polarity("THERE\n   IS\tNO    EVIDENCE") == "clean"


@pytest.mark.parametrize(
    "text",
    [
        "The fixture changes the variable only through `monkeypatch`, which restores it after each test.",
        "The tests patch the client with `mocker`, which pytest-mock undoes after each test.",
    ],
)
def test_a_finding_that_says_the_code_restores_what_it_changes_is_clean_even_with_a_cwe(text: str) -> None:
    assert polarity(text, title="Global State Manipulation (CWE-664)") == "clean"


def test_a_restoring_phrase_beside_a_named_defect_stays_a_defect() -> None:
    text = "The helper leaks the override; the fixture restores it only when the test passes."
    assert polarity(text, title="Global State Manipulation (CWE-664)") == "defect"


# -- the phrasings the issue reported, each way round ------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("There isn't any direct evidence of improper access control.", "clean"),
        ("The error path appears to be handled correctly.", "clean"),
        ("Properly handled.", "clean"),
        ("`_switch` changes `CONF.region`; nothing restores it afterwards.", "defect"),
        ("The fixture undoes the patch, so there is no leak here.", "clean"),
        ("The file handle is only closed when garbage collected.", "defect"),
        ("There is no evidence that the process is ever terminated.", "defect"),
        ("It does not leak.", "clean"),
        ("It does not restore the value.", "defect"),
        ("The override is not properly reverted.", "defect"),
        ("This isn't an information leak.", "clean"),
        ("The directory is removed by nobody.", "defect"),
        ("The lock is taken without a timeout.", "defect"),
        ("The test runs without leaking anything.", "clean"),
    ],
)
def test_negation_is_read_both_ways(text: str, expected: str) -> None:
    assert polarity(text, title="Improper Control of a Resource Through its Lifetime (CWE-664)") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The fakes might drift from the real client over time if nobody keeps them in step.", "note"),
        ("While this does not represent a defect per se, keeping the fakes close would help.", "note"),
        ("The patcher could leak into later tests.", "defect"),
        ("The override is restored by the fixture. The fakes might drift over time.", "note"),
        ("The helper is long and hard to read.", "note"),
        ("`test_a` leaves the registry changed for the rest of the module.", "defect"),
        ("Every test collected after this module talks to the fake.", "defect"),
        ("Consider `tmp_path`; it would be cleaner.", "note"),
        ("Use `monkeypatch` so the variable is reset after the test.", "note"),
    ],
)
def test_hedges_advice_and_defects_without_trigger_words(text: str, expected: str) -> None:
    assert polarity(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The override is restored in `tearDown`, but the patcher is never stopped.", "defect"),
        ("The patcher is never stopped, although the override is restored.", "defect"),
        ("The patcher is never stopped in the test, but the base class stops every patch, so nothing leaks.", "clean"),
        ("The uploaded files are removed, but not the thumbnails.", "defect"),
    ],
)
def test_a_finding_that_says_two_things(text: str, expected: str) -> None:
    assert polarity(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I did not identify any security defects.", "clean"),
        ("The module has no security defects.", "clean"),
        ("No critical vulnerabilities were found, but the following defects should be addressed.", "defects"),
        ("No critical vulnerabilities were found.", "defects"),
        ("There are no other security issues in the module.", "defects"),
        ("I did not identify any further security defects.", "defects"),
        ("There are no security defects apart from the shared cache directory.", "defects"),
        ("No security defects; items 1 and 3 are isolation bugs worth fixing.", "defects"),
        ("I found no vulnerabilities, but the cleanup findings are real defects.", "defects"),
    ],
)
def test_qualified_negations_give_a_defects_verdict(text: str, expected: str) -> None:
    assert verdict(text) == expected


def test_a_very_long_finding_is_read_at_its_head_and_tail_only() -> None:
    middle = "The helper is fine. " * 10_000
    assert polarity("The patcher is never stopped. " + middle) == "defect"
    assert polarity(middle + "The patcher is never stopped.") == "defect"
    assert verdict("Intro. " * 20_000 + "No security defects were found.") == "clean"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The ids are random per test, so there is no collision risk here.", "clean"),
        ("There is no risk of collision between tests.", "clean"),
        ("There is no risk here, but the patcher leaks into later tests.", "defect"),
        ("The test injects an exception with `side_effect=` and asserts the error is raised.", "clean"),
        ("User data cannot inject markup into the page.", "clean"),
        ("The long lists make failures harder to read.", "note"),
    ],
)
def test_compound_nouns_fault_injection_and_readability(text: str, expected: str) -> None:
    assert polarity(text) == expected
