"""Activation is explicit: installed but not asked for, the plugin collects nothing."""

from __future__ import annotations

import pytest

MODULE = "def test_a():\n    assert True\n"
REVIEW = "1. **Stale**: `test_b` (line 1) is gone.\n"


@pytest.fixture
def project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    monkeypatch.delenv("PYTEST_ADDOPTS")  # the suite asks for the plugin in every pytester session
    pytester.makepyfile(test_a=MODULE)
    pytester.makefile(".review.txt", test_a=REVIEW)
    return pytester


def test_installed_but_not_asked_for_it_collects_no_review(project: pytest.Pytester) -> None:
    result = project.runpytest("-p", "no:doctest")
    result.assert_outcomes(passed=1)
    result.stdout.no_fnmatch_line("*= reviewgate =*")
    result.stdout.no_fnmatch_line("*review.txt*")


@pytest.mark.parametrize(
    "args",
    [("-p", "reviewgate"), ("-previewgate",), ("--reviewgate-only",), ("--reviewgate-sarif=out.sarif",)],
)
def test_the_command_line_asks_for_it(project: pytest.Pytester, args: tuple[str, ...]) -> None:
    result = project.runpytest(*args)
    assert result.parseoutcomes()["failed"] == 1
    result.stdout.fnmatch_lines(["*finding-1::anchors*"])


def test_addopts_asks_for_it(project: pytest.Pytester) -> None:
    project.makeini("[pytest]\naddopts = -p reviewgate\n")
    result = project.runpytest()
    assert result.parseoutcomes()["failed"] == 1


def test_a_tool_reviewgate_table_asks_for_it(project: pytest.Pytester) -> None:
    project.makepyprojecttoml("[tool.reviewgate]\nline-tolerance = 2\n")
    result = project.runpytest()
    assert result.parseoutcomes()["failed"] == 1
