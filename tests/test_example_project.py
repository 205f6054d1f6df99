"""Golden test: example_project/ gives exactly the outcomes and lines its README walks through."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parent.parent / "example_project"


@pytest.fixture
def example(pytester: pytest.Pytester) -> pytest.Pytester:
    shutil.copytree(
        EXAMPLE,
        pytester.path,
        dirs_exist_ok=True,
        ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"),
    )
    return pytester


def test_the_example_tests_pass_without_the_plugin(example: pytest.Pytester) -> None:
    result = example.runpytest_subprocess("-p", "no:reviewgate")
    result.assert_outcomes(passed=21)


def test_the_example_shows_a_moved_anchor_a_broken_expectation_and_an_open_finding(
    example: pytest.Pytester,
) -> None:
    result = example.runpytest_subprocess("-p", "reviewgate")
    result.assert_outcomes(passed=49, failed=2, xfailed=1, warnings=1)  # each review cites CWEs: 3 ::cwe-known
    result.stdout.fnmatch_lines(  # the progress lines both READMEs show
        [
            "tests/test_backend.review.txt ...x...F. *",
            "tests/test_reservations.review.txt ....F....... *",
            "tests/test_service.review.txt .......... *",
        ]
    )
    result.stdout.fnmatch_lines(
        [
            "*_ tests/test_backend.review.txt: RG001 finding-3::anchors _*",
            "tests/test_backend.review.txt:10: finding 3: CWE-703 (Improper Check or Handling"
            " of Exceptional Conditions)",
            "  RG001 anchors-resolve: *",
            "  tests/test_backend.review.txt:10: `test_timeout_is_retried_then_reported` is at"
            " lines 50-54, the review says 40-44 -> update the line anchor (--reviewgate-fix does it)",
            "*_ tests/test_reservations.review.txt: RG101 finding-configuration-leak::config-reverted-via-fixtures _*",
            "tests/test_reservations.review.txt:5: finding configuration-leak: Configuration leak",
            "  RG101 config-reverted-via-fixtures: *",
            "  tests/test_reservations.py:51 in test_reservation_expires_after_the_configured_ttl:"
            " `CONF.set_override('reservation_ttl', ...)` is never reverted -> *",
            '      CONF.set_override("reservation_ttl", 30)',
            "*tests/test_service.py:63: ReviewgateWarning: RG202 in"
            " ServiceDefaultsTests.test_default_client_reads_backend_group: *",
            "*= reviewgate =*",
            "reviews: 3 (1 clean, 2 with defects)",
            "findings: 11 (10 gated, 1 not gated; *)",
            "items: 28 passed, 2 failed, 1 xfailed",
            "stale anchors: 1",
            "warnings: 1; suppressed: 0 ignored, 3 open",
        ]
    )
    result.stdout.fnmatch_lines(
        [
            "XFAIL tests/test_backend.review.txt::finding-1::no-hardcoded-uuids - status: open*",
            "FAILED tests/test_backend.review.txt::finding-3::anchors*",
            "FAILED tests/test_reservations.review.txt::finding-configuration-leak"
            "::config-reverted-via-fixtures*",
        ]
    )
    result.stdout.no_fnmatch_line("*INTERNALERROR*")


def test_the_fixes_the_readme_describes_make_the_run_pass(example: pytest.Pytester) -> None:
    result = example.runpytest_subprocess("-p", "reviewgate", "--reviewgate-fix")
    result.stdout.fnmatch_lines(["*tests/test_backend.review.txt written"])
    review = (example.path / "tests" / "test_backend.review.txt").read_text()
    assert "Conditions)**: Lines 50-54\n" in review
    for name in ("test_reservations.review.txt", "test_service.review.txt"):
        assert (example.path / "tests" / name).read_text() == (EXAMPLE / "tests" / name).read_text()

    module = example.path / "tests" / "test_reservations.py"
    source = module.read_text()
    source = source.replace(
        'def test_reservation_expires_after_the_configured_ttl(svc):\n'
        '    CONF.set_override("reservation_ttl", 30)\n',
        "def test_reservation_expires_after_the_configured_ttl(svc, config):\n"
        "    config.config(reservation_ttl=30)\n",
    ).replace('    CONF.clear_override("reservation_ttl")\n', "")
    module.write_text(source)
    # The finding described the old code: reworded, it keeps its expectation as a guard.
    review = example.path / "tests" / "test_reservations.review.txt"
    text = review.read_text()
    start = text.index("changes the reservation TTL")
    end = text.index("\n", start)
    review.write_text(
        text[:start] + "overrides the reservation TTL through the `config` fixture." + text[end:]
    )

    result = example.runpytest_subprocess("-p", "reviewgate")
    result.assert_outcomes(passed=51, xfailed=1, warnings=1)
    result.stdout.fnmatch_lines(["items: 30 passed, 1 xfailed", "stale anchors: 0"])


def test_a_leaked_override_fails_the_test_teardown_naming_the_finding(example: pytest.Pytester) -> None:
    module = example.path / "tests" / "test_reservations.py"
    module.write_text(module.read_text().replace('    CONF.clear_override("reservation_ttl")\n', ""))
    result = example.runpytest_subprocess(
        "-p", "reviewgate", "tests/test_reservations.py", "tests/test_reservations.review.txt"
    )
    # the test passes and its teardown fails; of the review's items only RG101 fails, as before
    result.assert_outcomes(passed=18, failed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_reservation_expires_after_the_configured_ttl*",
            "RG903 config-restored: the test left state changed (review"
            ' tests/test_reservations.review.txt:5, finding-configuration-leak "Configuration leak")',
            "  - reservation_ttl: 300 -> 30 (set_override never cleared) (at tests/test_reservations.py:51)",
        ]
    )
