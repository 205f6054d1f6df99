"""A review gates its own module: a violation in another file is a warning, once per session."""

from __future__ import annotations

import json

import pytest

BASE = """import logging

from app import manager


class TestCase:
    def setUp(self):
        manager.LOG = logging.getLogger("base")
"""

SUBCLASS = """from app import base, manager


class TestX(base.TestCase):
    def setUp(self):
        super().setUp()

    def test_x(self):
        pass
"""

CONFTEST = """import logging

import pytest

from app import manager


@pytest.fixture
def quiet():
    manager.LOG = logging.getLogger("quiet")
    yield
"""

REVIEW = "Review.\n\nexpect: no-unreverted-monkeypatch\n"
WARNING = (
    "*app/base.py:8: ReviewgateWarning: RG103 in TestCase.setUp: `manager.LOG = ...` is never restored -> *"
    "(inherited by {n} reviewed modules; not gated)"
)


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.mkpydir("app")
    pytester.path.joinpath("app", "manager.py").write_text("LOG = None\n")
    pytester.path.joinpath("app", "base.py").write_text(BASE)
    for name in ("test_a", "test_b"):
        pytester.makepyfile(**{name: SUBCLASS})
        pytester.makefile(".review.txt", **{name: REVIEW})
    return pytester


def test_a_base_class_violation_warns_once_naming_the_modules_that_inherit_it(project: pytest.Pytester) -> None:
    result = project.runpytest("--reviewgate-only", "-p", "no:cacheprovider", "--reviewgate-sarif", "out.sarif")
    result.assert_outcomes(passed=4, warnings=1)
    result.stdout.fnmatch_lines([WARNING.format(n=2), "inherited: 1 violation outside the reviewed modules, *"])
    [found] = json.loads(project.path.joinpath("out.sarif").read_text())["runs"][0]["results"]
    assert found["level"] == "warning"
    assert found["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "app/base.py"
    assert found["message"]["text"].endswith("(inherited by 2 reviewed modules; not gated)")


def test_the_count_is_whole_under_xdist(project: pytest.Pytester) -> None:
    result = project.runpytest_subprocess("--reviewgate-only", "-p", "no:cacheprovider", "-n", "2")
    result.assert_outcomes(passed=4, warnings=1)
    result.stdout.fnmatch_lines([WARNING.format(n=2)])


def test_gate_inherited_fails_every_review_that_reaches_the_line(project: pytest.Pytester) -> None:
    project.makepyprojecttoml("[tool.reviewgate]\ngate-inherited = true\n")
    result = project.runpytest("--reviewgate-only", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, failed=2)
    result.stdout.fnmatch_lines(["*app/base.py:8 in TestCase.setUp: `manager.LOG = ...` is never restored -> *"])
    result.stdout.no_fnmatch_line("*inherited by*")


def test_a_violation_in_the_reviewed_module_still_fails_its_review(project: pytest.Pytester) -> None:
    project.makepyfile(test_a=SUBCLASS.replace("pass", "manager.LOG = 1"))
    result = project.runpytest("--reviewgate-only", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=3, failed=1, warnings=1)
    result.stdout.fnmatch_lines(["*test_a.py:9 in TestX.test_x: `manager.LOG = ...` is never restored*"])


def test_a_conftest_fixture_is_inherited_too(project: pytest.Pytester) -> None:
    project.makeconftest(CONFTEST)
    project.makepyfile(test_c="def test_c(quiet):\n    pass\n")
    project.makefile(".review.txt", test_c=REVIEW)
    result = project.runpytest("--reviewgate-only", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=6, warnings=2)
    warning = "*conftest.py:10: ReviewgateWarning: RG103 in quiet: *(inherited by 1 reviewed module;*"
    result.stdout.fnmatch_lines([warning])


def test_warnings_as_errors_do_not_break_the_session(project: pytest.Pytester) -> None:
    result = project.runpytest("--reviewgate-only", "-p", "no:cacheprovider", "-W", "error")
    result.assert_outcomes(passed=4, warnings=1)
    assert result.ret == pytest.ExitCode.OK
