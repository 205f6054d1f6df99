"""RG202 `mocks-autospecced`: which patches need a spec, messages, places, aliases."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from pytest_reviewgate.model import Violation
from pytest_reviewgate.rules.rg202_mocks_autospecced import MocksAutospecced
from pytest_reviewgate.testing import check_rule


def check(
    source: str,
    targets: Sequence[str] = (),
    project: Project | None = None,
    config: Mapping[str, Any] | None = None,
) -> list[Violation]:
    """RG202's violations in ``source``, alone or as the test module of a ``project``."""
    if project is None:
        return check_rule(MocksAutospecced, source, targets=targets, config=config)
    root, files = project
    return check_rule(
        MocksAutospecced, source, targets=targets, config=config, files=files, module=TEST_MODULE, root=root
    )


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


Project = tuple[Path, dict[str, str]]  # a root and its files (path -> text)
TEST_MODULE = "app/tests/test_shelf.py"
# A project that switches on signature checking for every patch (oslotest's patch_mock_module)
SWITCH = "from oslotest import mock_fixture\n\nmock_fixture.patch_mock_module()\n"
BASE = "import unittest\n\n\nclass TestCase(unittest.TestCase):\n    pass\n"
PATCHES = """
    from unittest import mock

    from app import base
    from app.setup import anything


    class TestShelf(base.TestCase):
        @mock.patch("app.shelf.count")
        @mock.patch("app.shelf.Shelf.load", return_value=[])
        def test_plain(self, load, count):
            pass

        def test_opt_outs(self):
            with mock.patch("app.shelf.count", autospec=False):
                pass
            with mock.patch.object(base, "helper", create=True):
                pass
            with mock.patch("app.shelf.count", autospec=None):
                pass
    """


def project_with(tmp_path: Path, files: dict[str, str]) -> Project:
    """A project ``app`` with ``files`` (path -> text), its test module to go in app/tests."""
    return tmp_path, {"app/__init__.py": "", "app/tests/__init__.py": "", "app/base.py": BASE, **files}


@pytest.mark.parametrize(
    "files",
    [
        {"app/base.py": SWITCH + BASE},  # the module of a base class
        {"app/tests/__init__.py": SWITCH},  # a package above the module
        {"conftest.py": SWITCH},  # a conftest.py above it
        {"app/base.py": "from oslotest.mock_fixture import patch_mock_module\n" + BASE + "patch_mock_module()\n"},
        {"app/setup.py": SWITCH},  # a project module it imports
    ],
    ids=["base-module", "package", "conftest", "imported-function", "imported-module"],
)
def test_under_the_autospec_switch_only_its_opt_outs_are_reported(tmp_path: Path, files: dict[str, str]) -> None:
    found = check(PATCHES, project=project_with(tmp_path, files))
    assert [v.line for v in found] == [15, 17]
    assert found[0].message == (
        "`mock.patch` patches `app.shelf.count` with `autospec=False`, which turns off the signature checks "
        "the project switches on for every patch (`patch_mock_module()`) -> drop `autospec=False`, or pass "
        "`spec=`/`spec_set=` or the replacement as `new`"
    )
    assert found[1].message.startswith("`mock.patch.object` patches `helper` with `create=True`, which")


def test_autospec_bases_switch_it_on_for_their_subclasses(tmp_path: Path) -> None:
    project = project_with(tmp_path, {})
    config = {"autospec-bases": ["app.base.TestCase"]}
    assert [v.line for v in check(PATCHES, project=project, config=config)] == [15, 17]


def test_without_the_switch_every_bare_patch_is_reported(tmp_path: Path) -> None:
    # MockAutospecFixture alone checks Mock(autospec=...) objects; patches pass no autospec
    setup = "    def setUp(self):\n        self.useFixture(mock_fixture.MockAutospecFixture())"
    fixture_only = BASE.replace("    pass", setup)
    project = project_with(tmp_path, {"app/base.py": "from oslotest import mock_fixture\n" + fixture_only})
    assert sorted(v.line for v in check(PATCHES, project=project)) == [9, 10, 15, 17, 19]
    other = {"autospec-bases": ["app.other.TestCase"]}
    assert sorted(v.line for v in check(PATCHES, project=project, config=other)) == [9, 10, 15, 17, 19]


SHELF = """
import functools
import logging
import threading

LOG = logging.getLogger(__name__)
lock = threading.Semaphore()
synchronized = logging.make_decorator("shelf-")


def count(shelf):
    return len(shelf)


class Shelf:
    size = 3

    def load(self):
        return []


count_one = functools.partial(count, 1)
"""


def test_under_the_switch_patches_of_classes_and_objects_are_reported(tmp_path: Path) -> None:
    project = project_with(tmp_path, {"app/base.py": SWITCH + BASE, "app/shelf.py": SHELF})
    source = """
        import os
        from unittest import mock

        from app import base, shelf


        class TestShelf(base.TestCase):
            def test_it(self):
                with mock.patch("app.shelf.count"), mock.patch.object(shelf.Shelf, "load"):
                    pass
                with mock.patch("os.path.exists"), mock.patch.object(os, "getcwd"):
                    pass
                with mock.patch("app.shelf.Shelf"):
                    pass
                with mock.patch.object(shelf, "LOG"), mock.patch.object(shelf.Shelf, "size"):
                    pass
                with mock.patch("app.shelf.Shelf", spec_set=True):
                    pass
                with mock.patch.object(shelf, "synchronized"), mock.patch.object(shelf, "count_one"):
                    pass
                with mock.patch.object(shelf, "lock"):
                    pass
        """
    found = check(source, project=project)
    assert [(v.line, v.message.split(",")[1].strip()) for v in found] == [
        (14, "a class"),
        (16, "an object that is no function"),
        (16, "an object that is no function"),
        (22, "an object that is no function"),
    ]
    assert found[0].message == (
        "`mock.patch` patches `app.shelf.Shelf`, a class, with a mock whose attributes accept any call: the "
        "project's autospec switch (`patch_mock_module()`) checks calls of the mock itself only -> pass "
        "`spec_set=` (or `spec=`), or the replacement as `new` (`mock.create_autospec(...)`)"
    )


def test_a_mock_that_wraps_the_real_callable_is_not_reported_but_wraps_none_is() -> None:
    source = """
        from unittest import mock

        import fixtures

        from inventory import store


        class TestSave:
            def test_it(self):
                with mock.patch.object(store, "save", wraps=store.save) as save:
                    store.save("a")
                save.assert_called_once_with("a")
                self.useFixture(fixtures.MockPatch("inventory.store.load", wraps=store.load))
                with mock.patch("inventory.store.drop", wraps=None):
                    pass
        """
    assert [v.line for v in check(source)] == [15]


@pytest.mark.parametrize(
    "patch",
    [
        'mock.patch.object(store, "save", wraps=mock.Mock())',
        'mock.patch.object(store, "save", wraps=mock.MagicMock(return_value=1))',
        'mock.patch.object(store, "save", wraps=lambda *a, **k: None)',
        'mock.patch.object(store, "save", wraps=mock.DEFAULT)',
        'mock.patch.object(store, "save", wraps=store.save, return_value=3)',
        'mock.patch.object(store, "save", wraps=store.save, side_effect=lambda *a: 1)',
        'mock.patch("inventory.store.save", wraps=store.save, return_value=3)',
    ],
)
def test_wraps_that_never_reaches_a_real_callable_is_reported(patch: str) -> None:
    source = f"""
        from unittest import mock

        from inventory import store


        class TestSave:
            def test_it(self):
                with {patch}:
                    store.save("a")
        """
    assert [v.line for v in check(source)] == [9]


def test_wraps_whose_mock_is_told_what_to_return_is_reported() -> None:
    source = """
        from unittest import mock

        from inventory import store


        class TestSave:
            def test_it(self):
                with mock.patch.object(store, "save", wraps=store.save) as save:
                    save.return_value = 3
                    store.save("a")
                with mock.patch.object(store, "load", wraps=store.load) as load:
                    store.load("a")
                load.assert_called_once_with("a")
        """
    assert [v.line for v in check(source)] == [9]


def test_wraps_whose_decorator_parameter_is_told_what_to_return_is_reported() -> None:
    source = """
        from unittest import mock

        import ddt

        from inventory import store


        @ddt.ddt
        class TestSave:
            @ddt.data(1, 2)
            @mock.patch.object(store, "load", wraps=store.load)
            @mock.patch.object(store, "save", wraps=store.save)
            def test_it(self, value, save, load):
                save.side_effect = ValueError
                store.save(value)
                load.assert_not_called()
        """
    assert [v.line for v in check(source)] == [13]
