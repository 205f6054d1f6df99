"""Runtime expectations written in reviews watch the tests whose closure holds a target."""

from __future__ import annotations

import pytest

MODULE = """\
import os

import pytest


@pytest.fixture(scope="module")
def shared():
    os.environ["RG_SHARED"] = "1"
    yield
    del os.environ["RG_SHARED"]


def _leak():
    os.environ["RG_LEAK"] = "x"


def test_leaks():
    _leak()


def test_clean(shared):
    assert True


def test_untargeted():
    os.environ["RG_UNWATCHED"] = "x"
"""


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makepyfile(test_env=MODULE)
    return pytester


def test_a_leak_fails_the_teardown_of_the_test_whose_closure_holds_the_target(project: pytest.Pytester) -> None:
    project.makefile(".review.txt", test_env="1. **Env (CWE-664)**: `_leak` leaks.\n   expect: env-restored\n")
    result = project.runpytest_subprocess("-p", "no:randomly")
    result.assert_outcomes(passed=7, errors=1)  # 3 tests, ::review, ::cwe-known, ::anchors, ::env-restored
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_leaks*",
            "RG902 env-restored: * (review test_env.review.txt:1, finding-1 \"Env (CWE-664)\")",
            "*RG_LEAK: set to 'x'",
        ]
    )
    result.stdout.no_fnmatch_line("*RG_UNWATCHED*")
    result.stdout.no_fnmatch_line("*RG_SHARED*")


def test_an_open_runtime_expectation_warns_and_never_fails_or_xfails(project: pytest.Pytester) -> None:
    project.makefile(
        ".review.txt", test_env="1. **Env**: `_leak` leaks.\n   expect: env-restored\n   status: open\n"
    )
    result = project.runpytest_subprocess("-p", "no:randomly")
    result.assert_outcomes(passed=6, warnings=1)
    result.stdout.fnmatch_lines(["*RG_LEAK*"])


def test_the_runtime_item_is_skipped_when_no_watched_test_is_selected(project: pytest.Pytester) -> None:
    project.makefile(".review.txt", test_env="1. **Env**: `_leak` leaks.\n   expect: env-restored\n")
    result = project.runpytest_subprocess("-k", "env-restored or test_clean", "-rs")
    result.assert_outcomes(passed=1, skipped=1, deselected=4)
    result.stdout.fnmatch_lines(["*none of the watched tests is selected*"])


def test_runtime_items_are_skipped_under_reviewgate_only(project: pytest.Pytester) -> None:
    project.makefile(".review.txt", test_env="1. **Env**: `_leak` leaks.\n   expect: env-restored\n")
    result = project.runpytest("--reviewgate-only", "-rs")
    result.assert_outcomes(passed=2, skipped=1)


@pytest.mark.parametrize("dist", ["load", "loadfile", "loadscope"])
def test_runtime_outcomes_are_the_same_under_xdist(project: pytest.Pytester, dist: str) -> None:
    project.makefile(".review.txt", test_env="1. **Env (CWE-664)**: `_leak` leaks.\n   expect: env-restored\n")
    result = project.runpytest_subprocess("-n", "2", "--dist", dist)
    result.assert_outcomes(passed=7, errors=1)


def test_stale_ignore_comment_is_reported_as_a_warning(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_i="import os\n\n\ndef test_a():\n    x = 1  # reviewgate: ignore[RG102]\n    assert x\n"
    )
    pytester.makefile(".review.txt", test_i="1. **Env**: `test_a`\n   expect: env-reverted-via-fixtures\n")
    result = pytester.runpytest()
    result.assert_outcomes(passed=4, warnings=1)
    result.stdout.fnmatch_lines(["*`# reviewgate: ignore[[]RG102[]]` at test_i.py:5 suppresses nothing -> remove it"])


def test_ignore_comment_suppresses_and_is_counted(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_i='import os\n\n\ndef test_a():\n    os.environ["X"] = "1"'
        "  # reviewgate: ignore[env-reverted-via-fixtures]\n"
    )
    pytester.makefile(".review.txt", test_i="1. **Env**: `test_a`\n   expect: env-reverted-via-fixtures\n")
    result = pytester.runpytest("-p", "no:randomly", "test_i.review.txt")
    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines(["warnings: 0; suppressed: 1 ignored"])
