"""Triage subjects of findings the eighth reading round met: a UUID quoted and repeated, "without
`autospec=True`", an error path never asserted, options registered and never unregistered."""

from __future__ import annotations

import textwrap

from pytest_reviewgate.engine import subjects
from pytest_reviewgate.review.parser import parse_review


def read(text: str) -> list[str]:
    review = parse_review(textwrap.dedent(text).encode(), "test_m.review.txt")
    return [m.subject.name for m in subjects.read(review.findings[0]) if not m.negated]


def test_a_uuid_the_finding_quotes_and_repeats_is_a_hard_coded_uuid() -> None:
    assert "hardcoded-uuid" in read("1. `test_create` repeats the UUID e1c2... three times.\n")
    assert "hardcoded-uuid" in read(
        "1. The dict repeats the UUID `a3a593da-7f8d-4bb7-8b4c-f2bc1e0b4824` (line 46).\n")
    assert "hardcoded-uuid" in read("1. `test_b` reuses the same UUID as `test_a`.\n")


def test_a_uuid_said_to_be_generated_is_none() -> None:
    assert "hardcoded-uuid" not in read("1. `test_create` passes a UUID from `uuidutils` to the API.\n")


def test_a_keyword_argument_in_code_says_what_is_missing() -> None:
    found = read("1. `test_start` stacks four `mock.patch.object` decorators without `autospec=True`.\n")
    assert found[:1] == ["mock-fidelity"]


def test_a_bare_start_in_code_says_the_patcher_is_started() -> None:
    assert "mock-leak" in read("1. `run_ofctl` is patched with `.start()` and no cleanup.\n")


def test_an_error_path_never_asserted_is_an_untested_error_path() -> None:
    assert "error-paths" in read("1. `fake_stat` raises `OSError`; the error path is never asserted by the callers.\n")


def test_options_never_unregistered_outlive_the_test() -> None:
    assert "config-leak" in read(
        "1. `CONF.register_opts(opts)` at line 52 registers config options that are never unregistered.\n")


def test_an_unjoined_thread_that_leaks_is_a_resource_left_behind() -> None:
    assert "resource-cleanup" in read("- **Unjoined thread leaks**: `test_spawn` at line 141.\n")
    assert "resource-cleanup" in read("1. The thread `_thread` leaks past the test (line 141).\n")
