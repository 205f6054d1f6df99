"""RG202 `mocks-autospecced`: which patches need a spec, messages, places, aliases."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import pytest

from pytest_reviewgate.analysis.index import parse_module
from pytest_reviewgate.analysis.project import SourceProject
from pytest_reviewgate.config import Settings
from pytest_reviewgate.engine.checks import build_context
from pytest_reviewgate.model import Violation
from pytest_reviewgate.rules.rg202_mocks_autospecced import MocksAutospecced


def check(source: str, targets: Sequence[str] = ()) -> list[Violation]:
    index = parse_module(textwrap.dedent(source).encode(), "test_mod.py")
    context, unmatched = build_context(index, MocksAutospecced, targets, Settings(), SourceProject([]))
    assert unmatched == []
    return list(MocksAutospecced().check(context))


def test_a_bare_patch_gets_the_documented_message() -> None:
    [violation] = check(
        """
        from unittest import mock


        def test_it():
            with mock.patch("inventory.Client"):
                pass
        """
    )
    assert (violation.rule, violation.line, violation.definition) == ("RG202", 6, "test_it")
    assert violation.source == 'with mock.patch("inventory.Client"):'
    assert violation.message == (
        "`mock.patch` patches `inventory.Client` with a mock that accepts any call -> pass "
        "`autospec=True` (or `spec=`/`spec_set=`), or the replacement as `new`"
    )


def test_patch_object_names_the_attribute() -> None:
    [violation] = check(
        "import os\nfrom unittest import mock\n\n\n@mock.patch.object(os, 'getcwd')\ndef test_it(getcwd):\n    pass\n"
    )
    assert violation.line == 5
    assert violation.message.startswith("`mock.patch.object` patches `getcwd` with a mock")


@pytest.mark.parametrize(
    "arguments",
    [
        "autospec=True",
        "spec=Client",
        "spec_set=['a']",
        "autospec=Client",
        "new=None",
        "new_callable=mock.PropertyMock",
        "object()",
        "*arguments",
        "**options",
    ],
)
def test_a_spec_or_replacement_passes(arguments: str) -> None:
    source = f"from unittest import mock\n\n\ndef test_it():\n    mock.patch('a.b', {arguments})\n"
    assert check(source) == []


@pytest.mark.parametrize(
    "arguments", ["autospec=False", "autospec=None", "spec=None", "new=mock.DEFAULT", "create=True"]
)
def test_a_spec_that_specifies_nothing_is_reported(arguments: str) -> None:
    source = f"from unittest import mock\n\n\ndef test_it():\n    mock.patch('a.b', {arguments})\n"
    assert len(check(source)) == 1


def test_every_import_spelling_of_patch_is_recognised() -> None:
    source = """
        import mock
        import unittest.mock
        from unittest import mock as um
        from unittest.mock import patch
        import fixtures
        from fixtures import MockPatchObject


        def test_it(mocker):
            mock.patch("a.b")
            unittest.mock.patch("a.b")
            um.patch.object(um, "b")
            patch("a.b")
            fixtures.MockPatch("a.b")
            MockPatchObject(um, "b")
            mocker.patch("a.b")
            mocker.patch.object(um, "b")
        """
    assert [v.line for v in check(source)] == list(range(11, 19))


def test_lookalikes_and_other_patch_helpers_are_not_judged() -> None:
    source = """
        import os
        from unittest import mock
        from somewhere import patch


        def test_it(mocker, monkeypatch):
            patch("a.b")
            mock.patch.dict(os.environ, {})
            mock.patch.multiple(os, getcwd=mock.DEFAULT)
            mocker.spy(os, "getcwd")
            monkeypatch.setattr(os, "getcwd", None)
        """
    assert check(source) == []


def test_a_class_decorator_is_reported_once_at_the_class() -> None:
    source = """
        import unittest
        from unittest import mock


        @mock.patch("a.b")
        class TestIt(unittest.TestCase):
            def test_one(self, b):
                pass

            def test_two(self, b):
                pass
        """
    assert [(v.line, v.definition) for v in check(source)] == [(6, "TestIt")]


def test_patches_in_setup_reach_through_the_closure() -> None:
    source = """
        import unittest
        from unittest import mock


        class TestIt(unittest.TestCase):
            def setUp(self):
                self.p = mock.patch("a.b")

            def test_one(self):
                pass
        """
    assert [(v.line, v.definition) for v in check(source, ["TestIt.test_one"])] == [(8, "TestIt.setUp")]
