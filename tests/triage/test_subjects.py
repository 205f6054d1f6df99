"""Reading a finding's subjects: topic and claim in one sentence, its sense, CWE ids, mentions."""

from __future__ import annotations

import pytest

from pytest_reviewgate.engine.subjects import SUBJECTS, read, rules_of, subjects_of_rule
from pytest_reviewgate.model import Finding
from pytest_reviewgate.review.parser import parse_review
from pytest_reviewgate.rules import BUILTIN_RULES


def finding(body: str, title: str = "Observation") -> Finding:
    review = parse_review(f"Review of test_x.py\n\n1. **{title}**: `test_a`\n   - {body}\n".encode(), "x.review.txt")
    assert len(review.findings) == 1
    return review.findings[0]


def names(found: Finding) -> list[str]:
    return [m.subject.name for m in read(found) if not m.negated]


PHRASINGS = [
    # (title, body, subjects that must be read, subjects that must not)
    ("Global State", "Configuration changes persist into other tests.", ["config-leak"], []),
    ("Config", "`test_a` calls `CONF.set_override` and the override is never reverted.", ["config-leak"], []),
    ("Settings", "The settings changed here leak into later tests.", ["config-leak"], []),
    ("Transport", "Remote configuration over TLS is used without pinning certificates.",
     ["transport-security"], ["config-leak"]),
    ("Environment", "The test sets environment variables and never restores them.", ["env-leak"], ["config-leak"]),
    ("Patching", "The patcher is started in `setUp` and never stopped, so the patch remains active.",
     ["mock-leak"], []),
    ("Fidelity", "The mocks may diverge from the real interface of the driver.", ["mock-fidelity"], ["mock-leak"]),
    ("Identifiers", "The test uses hard-coded UUIDs for the servers.", ["hardcoded-uuid"], []),
    ("Assertions", "`test_a` does not assert anything about the result.", ["no-assertions"], []),
    ("Coverage", "Only the happy path is tested; error scenarios are untested.", ["error-paths"], []),
    ("Cleanup", "The temporary directory is never cleaned up after the test.", ["resource-cleanup"], []),
    ("Access", "There is no access control check before the device is created.", ["access-control"], ["config-leak"]),
    ("Maths", "The calculation of the total number of devices is wrong.", ["calculation"], []),
    ("Naming", "The helper names are convoluted and hurt readability.", ["clarity"], []),
    # two things at once
    ("Two", "The patcher is never stopped, and the test does not assert the response.",
     ["mock-leak", "no-assertions"], []),
    ("Both", "Environment variables leak into later tests and the UUIDs are hard-coded.",
     ["env-leak", "hardcoded-uuid"], []),
]


@pytest.mark.parametrize(("title", "body", "wanted", "unwanted"), PHRASINGS, ids=[p[0] for p in PHRASINGS])
def test_subjects_come_from_whole_sentences(title: str, body: str, wanted: list[str], unwanted: list[str]) -> None:
    found = names(finding(body, title))
    for name in wanted:
        assert name in found, (body, found)
    for name in unwanted:
        assert name not in found, (body, found)


@pytest.mark.parametrize(
    "body",
    [
        "The test does not leak config.",
        "No configuration change persists after the test.",
        "Configuration changes are reverted by the fixture, so nothing leaks into other tests.",
    ],
)
def test_a_negated_claim_maps_to_no_rule(body: str) -> None:
    found = read(finding(body))
    assert "config-leak" not in [m.subject.name for m in found if not m.negated]
    assert rules_of(found) == []


def test_a_cwe_id_alone_maps_to_no_rule() -> None:
    # CWE-664 is config-reverted-via-fixtures' CWE, but the text speaks of a missing check
    text = (b"Review\n\n1. **CWE-664 (Improper Control of a Resource Through its Lifetime)**: `test_a`\n"
            b"   - The helper does not check if the provider exists before reading its UUID.\n")
    found = read(parse_review(text, "x.review.txt").findings[0])
    assert rules_of(found) == []
    assert "validation" in [m.subject.name for m in found]


def test_a_word_alone_is_no_subject() -> None:
    # "config" as a topic without a claim, and no CWE or anchored code to back it
    assert "config-leak" not in names(finding("The config module is imported at the top."))


def test_a_cwe_backs_a_weak_topic_when_the_anchored_code_holds_it() -> None:
    text = (b"Review\n\n1. **Resource lifetime (CWE-664)**: `test_a`\n"
            b"   - `test_a` changes the configuration dynamically.\n")
    found = parse_review(text, "x.review.txt").findings[0]
    assert "config-leak" not in [m.subject.name for m in read(found)]
    assert "config-leak" in [m.subject.name for m in read(found, lambda subject: subject.name == "config-leak")]


def test_a_fix_the_finding_recommends_counts() -> None:
    found = finding("The environment is touched here; use `monkeypatch.setenv` instead.")
    assert "env-leak" in names(found)


def test_every_checkable_subject_names_registered_rules() -> None:
    known = {rule.name for rule in BUILTIN_RULES}
    for subject in SUBJECTS:
        assert set(subject.rules) <= known, subject.name
        assert set(subject.runtime) <= known, subject.name
    assert [s.name for s in subjects_of_rule("config-reverted-via-fixtures")] == ["config-leak"]
    assert "config-leak" in [s.name for s in subjects_of_rule("config-restored")]
