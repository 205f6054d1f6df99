"""A review-only session spares the cyclic collector what it keeps (``gc.freeze``) and thaws it at
its end; a session that runs the user's tests, or a process that froze objects itself, is left alone."""

from __future__ import annotations

import gc

import pytest

MODULE = (
    "import gc\nimport os\n\n\n"
    "def test_a():\n    os.environ['A'] = '1'\n\n\n"
    "def test_frozen():\n    assert {frozen}\n"
)
REVIEW = "expect: env-reverted-via-fixtures\n"
SEEN = "gc.get_freeze_count() == 0"


@pytest.fixture
def module(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makepyfile(test_a=MODULE.format(frozen=SEEN))
    pytester.path.joinpath("test_a.review.txt").write_text(REVIEW)
    return pytester


def test_a_review_only_session_thaws_what_it_froze(module: pytest.Pytester) -> None:
    assert gc.get_freeze_count() == 0
    result = module.runpytest_inprocess("--reviewgate-only")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*RG102*os.environ*"])
    assert gc.get_freeze_count() == 0


def test_a_session_that_runs_tests_never_freezes(module: pytest.Pytester) -> None:
    result = module.runpytest_inprocess()
    result.assert_outcomes(passed=3, failed=1)  # test_frozen saw nothing frozen while it ran
    assert gc.get_freeze_count() == 0


def test_objects_the_process_froze_stay_frozen(module: pytest.Pytester) -> None:
    gc.freeze()
    try:
        module.runpytest_inprocess("--reviewgate-only").assert_outcomes(passed=1, failed=1)
        assert gc.get_freeze_count() > 0  # not thawed by the session (frozen objects may have died since)
    finally:
        gc.unfreeze()
