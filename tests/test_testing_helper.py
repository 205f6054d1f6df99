"""``pytest_reviewgate.testing.check_rule``: a rule on source text, as an expectation runs it."""

from __future__ import annotations

import pytest

from pytest_reviewgate.rules import ConfigRevertedViaFixtures, MocksUndone, NoHardcodedUuids
from pytest_reviewgate.testing import RuleCheckError, check_rule

LEAKY = """
import unittest
from unittest import mock


class Tests(unittest.TestCase):
    def setUp(self):
        mock.patch("os.getcwd").start()

    def test_cwd(self):
        assert True
"""


def test_it_returns_the_violations_an_expectation_reports() -> None:
    found = check_rule(MocksUndone, LEAKY)
    assert [(v.rule, v.line) for v in found] == [("RG201", 8)]
    assert found[0].source == 'mock.patch("os.getcwd").start()'


def test_ignore_comments_suppress_as_in_a_session() -> None:
    source = LEAKY.replace(".start()", ".start()  # reviewgate: ignore[mocks-undone]")
    assert check_rule(MocksUndone, source) == []


def test_configuration_reaches_the_rule() -> None:
    source = 'def test_id():\n    assert "12345678-1234-1234-1234-123456789abc"\n'
    assert len(check_rule(NoHardcodedUuids, source)) == 1
    allowed = {"rules": {"RG302": {"allow": ["12345678-1234-1234-1234-123456789abc"]}}}
    assert check_rule(NoHardcodedUuids, source, config=allowed) == []


def test_base_classes_and_conftests_come_from_files() -> None:
    base = """
    import unittest

    class Base(unittest.TestCase):
        def setUp(self):
            super().setUp()
            self.addCleanup(__import__("unittest.mock").mock.patch.stopall)
    """
    source = LEAKY.replace("import unittest\n", "import unittest\nfrom pkg.base import Base\n").replace(
        "class Tests(unittest.TestCase)", "class Tests(Base)"
    )
    files = {"pkg/__init__.py": "", "pkg/base.py": base}
    assert check_rule(MocksUndone, source, files=files, config={"stopall-bases": ["pkg.base.Base"]}) == []


def test_targets_that_match_nothing_are_an_error() -> None:
    with pytest.raises(RuleCheckError, match=r"target .Tests\.test_missing. matches nothing"):
        check_rule(ConfigRevertedViaFixtures, LEAKY, targets=["Tests.test_missing"])


def test_a_module_that_does_not_parse_is_an_error() -> None:
    with pytest.raises(RuleCheckError, match=r"test_module\.py:1"):
        check_rule(MocksUndone, "def broken(:\n")
