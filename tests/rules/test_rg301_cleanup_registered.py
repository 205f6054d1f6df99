"""RG301 `cleanup-registered`: resources, how they are released, the `acquire` option, places."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pytest

from pytest_reviewgate.model import Violation
from pytest_reviewgate.rules.rg301_cleanup_registered import CleanupRegistered
from pytest_reviewgate.testing import check_rule


def check(
    source: str,
    targets: Sequence[str] = (),
    options: Mapping[str, Any] | None = None,
    files: Mapping[str, str] | None = None,
) -> list[Violation]:
    """RG301's violations in ``source``, with the rule's ``options`` and other project ``files``."""
    config = {"rules": {"RG301": dict(options)}} if options is not None else None
    return check_rule(CleanupRegistered, source, targets=targets, config=config, files=files)


def test_a_leaked_directory_gets_the_documented_message() -> None:
    [violation] = check("import tempfile\n\n\ndef test_it():\n    path = tempfile.mkdtemp()\n")
    assert (violation.rule, violation.line, violation.definition) == ("RG301", 5, "test_it")
    assert violation.source == "path = tempfile.mkdtemp()"
    assert violation.message == (
        "`tempfile.mkdtemp()` makes a directory that nothing removes -> use the `tmp_path` "
        "fixture or `fixtures.TempDir`, or register `self.addCleanup(shutil.rmtree, path)`"
    )


@pytest.mark.parametrize(
    "release",
    [
        "self.addCleanup(shutil.rmtree, self.path)",
        "self.addCleanup(lambda: shutil.rmtree(self.path))",
        "self.addCleanup(functools.partial(shutil.rmtree, self.path))",
    ],
)
def test_a_registered_cleanup_that_uses_the_resource_releases_it(release: str) -> None:
    source = f"""
        import functools
        import shutil
        import tempfile
        import unittest


        class TestIt(unittest.TestCase):
            def setUp(self):
                self.path = tempfile.mkdtemp()
                {release}

            def test_it(self):
                pass
        """
    assert check(source, ["TestIt.test_it"]) == []


def test_a_release_in_teardown_or_a_helper_it_calls_counts() -> None:
    source = """
        import shutil
        import tempfile
        import unittest


        class TestIt(unittest.TestCase):
            def setUp(self):
                self.a = tempfile.mkdtemp()
                self.b = tempfile.mkdtemp()
                self.c = tempfile.mkdtemp()

            def tearDown(self):
                shutil.rmtree(self.a)
                self._remove()

            def _remove(self):
                shutil.rmtree(self.b)

            def test_it(self):
                pass
        """
    assert [v.line for v in check(source, ["TestIt.test_it"])] == [11]


def test_a_setup_resource_is_reported_once_for_all_tests() -> None:
    source = """
        import tempfile
        import unittest


        class TestIt(unittest.TestCase):
            def setUp(self):
                self.a = tempfile.mkdtemp()

            def test_one(self):
                pass

            def test_two(self):
                pass
        """
    assert [(v.line, v.definition) for v in check(source, ["TestIt"])] == [(8, "TestIt.setUp")]


def test_a_helper_that_returns_a_resource_hands_it_to_its_caller() -> None:
    source = """
        import shutil
        import tempfile
        import unittest


        class TestIt(unittest.TestCase):
            def _make(self):
                return tempfile.mkdtemp()

            def _make_bound(self):
                path = tempfile.mkdtemp()
                return path

            def test_it(self):
                path = self._make()
                self.addCleanup(shutil.rmtree, path)
        """
    assert check(source, ["TestIt.test_it"]) == []


def test_the_acquire_option_adds_qualified_names() -> None:
    source = """
        import socket
        from myproject.tests import utils


        def test_it():
            conn = socket.socket()
            server = utils.start_server()
            with utils.start_server():
                pass
        """
    assert check(source) == []
    violations = check(source, options={"acquire": ["socket.socket", "myproject.*.start_server"]})
    assert [v.line for v in violations] == [7, 8]
    assert violations[1].message == (
        "`utils.start_server()` acquires a resource that nothing releases -> use it in a `with` "
        "block, or register a cleanup that releases it"
    )
    assert [v.line for v in check(source, options={"acquire": "socket.socket"})] == [7]


def test_threads_need_a_join_and_processes_a_wait() -> None:
    source = """
        import subprocess
        import threading


        def test_it(request):
            worker = threading.Thread(target=print)
            worker.start()
            proc = subprocess.Popen(["true"])
            request.addfinalizer(proc.kill)
        """
    [violation] = check(source)
    assert violation.line == 8
    assert violation.message == (
        "thread `worker` is started and never joined -> join it before the test ends, or register "
        "a cleanup that makes it finish and joins it with a timeout"
    )


def test_a_module_that_defines_its_own_open_is_not_judged_for_it() -> None:
    source = "def open(path):\n    return path\n\n\ndef test_it():\n    open('x')\n"
    assert check(source, ["test_it"]) == []


def test_an_unstopped_patcher_is_an_unreleased_resource() -> None:
    source = """
        from unittest import mock


        def test_it():
            mock.patch("os.getcwd").start()
        """
    [violation] = check(source)
    assert violation.message.startswith(
        "patcher `mock.patch('os.getcwd')` is started and never stopped -> register its `stop`"
    )


def test_a_file_read_at_once_is_left_to_the_garbage_collector() -> None:
    [violation] = check("def test_it():\n    text = open('x').read()\n    open('y').close()\n")
    assert violation.line == 2
    assert violation.message == (
        "`open()` whose file nothing closes: the garbage collector closes it some time later (a "
        "`ResourceWarning`) -> use `with open(...) as f:`"
    )


def test_a_nested_tempfile_fixture_of_a_project_base_removes_temporary_files() -> None:
    base = """
        import unittest

        import fixtures


        class TestCase(unittest.TestCase):
            def setUp(self):
                super().setUp()
                self.useFixture(fixtures.NestedTempfile())


        class PlainCase(unittest.TestCase):
            pass
        """
    source = """
        import tempfile

        from app import base


        class TestNested(base.TestCase):
            def setUp(self):
                super().setUp()
                self.path = tempfile.mkdtemp()

            def test_it(self):
                pass


        class TestPlain(base.PlainCase):
            def test_it(self):
                self.path = tempfile.mkdtemp()
        """
    found = check(source, files={"app/__init__.py": "", "app/base.py": base})
    assert [(v.line, v.definition) for v in found] == [(18, "TestPlain.test_it")]


@pytest.mark.parametrize(
    ("body", "flagged"),
    [
        ("wrapper = Reader(open(path, 'rb'))\n    wrapper.read()\n    wrapper.close()", False),
        ("with Reader(open(path, 'rb')) as wrapper:\n        wrapper.read()", False),
        ("wrapper = Reader(source=open(path, 'rb'))\n    self.addCleanup(wrapper.close)", False),
        ("wrapper = Reader(open(path, 'rb'))\n    wrapper.read()", True),
        ("data = load(open(path))\n    assert data", True),
        ("Reader(open(path, 'rb')).read()", True),
    ],
    ids=["closed", "entered", "cleanup", "never-closed", "result-kept", "not-bound"],
)
def test_a_file_handed_to_an_object_the_test_closes_is_closed(body: str, flagged: bool) -> None:
    source = f"""
class Reader:
    def __init__(self, source):
        self._source = source

    def read(self):
        return self._source.read()

    def close(self):
        self._source.close()


def load(source):
    return source.read()


def test_read(self, path):
    {body}
"""
    assert bool(check(source)) is flagged


def test_temporary_directories_of_a_class_on_oslotests_base_are_nested_by_its_setup() -> None:
    base = """
        import unittest

        from oslotest import base as oslo_base


        class TestCase(oslo_base.BaseTestCase):
            pass


        class PlainCase(unittest.TestCase):
            pass
        """
    source = """
        import tempfile

        from oslotest import base as oslo_base

        from app import base


        class TestProject(base.TestCase):
            def setUp(self):
                super().setUp()
                self.path = tempfile.mkdtemp()

            def test_it(self):
                self.other = tempfile.mkdtemp()


        class TestDirect(oslo_base.BaseTestCase):
            def test_it(self):
                self.path = tempfile.mkdtemp()


        class TestPlain(base.PlainCase):
            def test_it(self):
                self.path = tempfile.mkdtemp()
        """
    found = check(source, files={"app/__init__.py": "", "app/base.py": base})
    assert [(v.line, v.definition) for v in found] == [(25, "TestPlain.test_it")]


@pytest.mark.parametrize("base", ["oslo_base.BaseTestCase", "base.TestCase"])
def test_nested_tempfile_holds_neither_class_setup_files_nor_an_explicit_dir(base: str) -> None:
    project_base = """
        import unittest

        import fixtures


        class TestCase(unittest.TestCase):
            def setUp(self):
                super().setUp()
                self.useFixture(fixtures.NestedTempfile())
        """
    source = f"""
        import tempfile

        from oslotest import base as oslo_base

        from app import base


        def setUpModule():
            tempfile.mkdtemp()


        class TestNested({base}):
            @classmethod
            def setUpClass(cls):
                super().setUpClass()
                cls.shared = tempfile.mkdtemp()

            def test_it(self):
                self.path = tempfile.mkdtemp()
                self.other = tempfile.mkdtemp(dir=None)
                self.fixed = tempfile.mkdtemp(dir="/tmp")
                _, self.named = tempfile.mkstemp(None, None, "/var/tmp")
        """
    found = check(source, files={"app/__init__.py": "", "app/base.py": project_base}, targets=["TestNested"])
    assert [(v.line, v.definition) for v in found] == [
        (10, "setUpModule"), (17, "TestNested.setUpClass"), (22, "TestNested.test_it"), (23, "TestNested.test_it"),
    ]
