"""RG102 `env-reverted-via-fixtures`: messages, places, pairing by variable, end to end."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from pytest_reviewgate.model import Violation
from pytest_reviewgate.rules.rg102_env_reverted_via_fixtures import EnvRevertedViaFixtures
from pytest_reviewgate.testing import check_rule


def check(source: str, targets: Sequence[str] = ()) -> list[Violation]:
    return check_rule(EnvRevertedViaFixtures, source, targets=targets)


def test_a_pytest_test_is_told_to_use_monkeypatch() -> None:
    [violation] = check("import os\n\ndef test_x():\n    os.environ['TZ'] = 'UTC'\n")
    assert (violation.rule, violation.line, violation.definition) == ("RG102", 4, "test_x")
    assert violation.message == (
        "`os.environ['TZ'] = ...` is never reverted -> use `monkeypatch.setenv('TZ', ...)` "
        "or `mock.patch.dict(os.environ)`"
    )


def test_a_testcase_is_told_to_use_the_environment_variable_fixture() -> None:
    source = """
        import os
        import unittest

        class TestEnv(unittest.TestCase):
            def test_x(self):
                del os.environ["HOME"]
        """
    [violation] = check(source)
    assert violation.message == (
        "`del os.environ['HOME']` is never reverted -> use "
        "`self.useFixture(fixtures.EnvironmentVariable('HOME'))` or `mock.patch.dict(os.environ)`"
    )


def test_an_alias_of_os_environ_is_matched_by_qualified_name() -> None:
    source = "from os import environ as env\n\ndef test_x():\n    env.update(TZ='UTC')\n"
    [violation] = check(source)
    assert violation.message.startswith("`env.update(...)` is never reverted")
    source = "env = {}\n\ndef test_x():\n    env['TZ'] = 'UTC'\n"
    assert check(source) == []


def test_a_restore_pairs_by_variable_name() -> None:
    source = """
        import os

        class TestEnv:
            def test_x(self):
                os.environ["TZ"] = "UTC"
                os.environ["LANG"] = "C"
                self.addCleanup(os.environ.pop, "TZ", None)
        """
    assert [v.line for v in check(source)] == [7]


def test_a_with_block_covers_only_its_lines_and_the_helpers_called_inside() -> None:
    source = """
        import os
        from unittest import mock

        class TestEnv:
            def test_x(self):
                with mock.patch.dict(os.environ):
                    self._set_tz()
                self._set_lang()

            def _set_tz(self):
                os.environ["TZ"] = "UTC"

            def _set_lang(self):
                os.environ["LANG"] = "C"
        """
    violations = check(source, targets=["TestEnv.test_x"])
    assert [(v.line, v.definition) for v in violations] == [(15, "TestEnv._set_lang")]


def test_a_yield_fixture_restores_after_its_yield() -> None:
    source = """
        import os
        import pytest

        @pytest.fixture
        def utc():
            old = os.environ.get("TZ")
            os.environ["TZ"] = "UTC"
            yield
            os.environ.pop("TZ")

        def test_x(utc):
            pass
        """
    assert check(source) == []


def test_review_item_reports_the_environment_change(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_env="""
        import os

        def test_tz():
            os.environ["TZ"] = "UTC"

        def test_lang(monkeypatch):
            monkeypatch.setenv("LANG", "C")
        """
    )
    pytester.makefile(
        ".review.txt",
        test_env="""
        Review of test_env.py.

        The environment must stay untouched by every test in this module:
        expect: env-reverted-via-fixtures
        """,
    )
    result = pytester.runpytest("-p", "no:cacheprovider", "test_env.review.txt")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*test_env.py:4 in test_tz: `os.environ[[]'TZ'[]] = ...` is never reverted -> *"])
    result.stdout.no_fnmatch_line("*test_lang:*")
