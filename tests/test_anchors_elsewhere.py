"""Names a review cites that live outside the module are no anchors; a finding with none makes no item."""

from __future__ import annotations

import pytest

from pytest_reviewgate.analysis.index import parse_module
from pytest_reviewgate.analysis.symbols import Elsewhere
from pytest_reviewgate.analysis.vocabulary import library

MODULE = """\
import os


def test_netrc_is_read(monkeypatch):
    monkeypatch.setenv("NETRC", "/tmp/netrc")
    assert os.environ["NETRC"]
"""


@pytest.mark.parametrize(
    ("name", "owner"),
    [
        ("tmp_path", "pytest's"),
        ("monkeypatch.setenv", "pytest's"),
        ("autospec", "unittest.mock's"),
        ("mock.patch.object", "unittest.mock's"),
        ("self.addCleanup", "unittest's"),
        ("fixtures.EnvironmentVariable", "a test library's"),
        ("os.environ", "the standard library's"),
    ],
)
def test_library_names_are_known_with_their_owner(name: str, owner: str) -> None:
    assert library(name) == owner


@pytest.mark.parametrize("name", ["_create_mdev", "self.current_host", "VGPUTests", "setUp", "tearDown"])
def test_module_names_and_xunit_hooks_are_no_library_api(name: str) -> None:
    assert library(name) == ""


def test_a_string_literal_of_the_module_is_where_an_environment_variable_lives() -> None:
    index = parse_module(MODULE.encode(), "test_netrc.py")
    assert Elsewhere(index)("NETRC") == "a string of test_netrc.py"
    assert Elsewhere(index)("NETRC_PATH") == ""


def test_a_conftest_fixture_is_where_a_fixture_name_lives() -> None:
    index = parse_module(MODULE.encode(), "test_netrc.py")
    conftest = parse_module(b"import pytest\n\n@pytest.fixture\ndef fake_server():\n    yield 1\n", "conftest.py")
    assert Elsewhere(index, [conftest])("fake_server") == "conftest.py"
    assert Elsewhere(index, [conftest])("fake_client") == ""


def run(pytester: pytest.Pytester, review: str) -> pytest.RunResult:
    pytester.makepyfile(
        conftest="""
        import pytest

        @pytest.fixture
        def fake_server():
            yield "server"
        """,
        base="""
        import unittest

        class ServerTestCase(unittest.TestCase):
            def start_server(self):
                return "server"
        """,
        test_netrc="""
        import os
        from base import ServerTestCase

        class NetrcTests(ServerTestCase):
            def test_netrc_is_read(self):
                self.start_server()
                os.environ.get("NETRC")

        def test_server(fake_server):
            assert fake_server
        """,
    )
    pytester.makefile(".review.txt", test_netrc=review)
    return pytester.runpytest("-p", "reviewgate", "--reviewgate-only", "-p", "no:cacheprovider")


def test_names_that_live_elsewhere_do_not_fail_the_anchors(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
        1. **Environment**: `test_netrc_is_read` reads `NETRC` through `os.environ`; prefer `monkeypatch`.
        2. **Fixtures**: `test_server` uses `fake_server` and `NetrcTests` calls `start_server`.
        """,
    )
    result.assert_outcomes(passed=3)
    result.stdout.no_fnmatch_line("*does not occur*")


def test_a_stale_name_still_fails_with_its_hint(pytester: pytest.Pytester) -> None:
    result = run(pytester, "1. **Environment**: `test_netrc_read` reads the environment.\n")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*`test_netrc_read` does not occur in the code of test_netrc.py; did you mean*"])


@pytest.mark.parametrize(
    "finding",
    [
        "1. **Temporary files**: use `tmp_path` and `monkeypatch.setenv` here.",
        "1. **Mocks**: patches should pass `autospec`.",
        "1. **Scope**: the OpenStack tests of vGPUs are long.",
    ],
)
def test_a_finding_whose_names_are_all_elsewhere_makes_no_anchors_item(pytester: pytest.Pytester, finding: str) -> None:
    result = run(pytester, finding + "\n")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*1 not gated*"])


def test_a_name_left_only_in_a_comment_or_docstring_is_still_stale(pytester: pytest.Pytester) -> None:
    source = '"""Once had make_widget."""\n# the old helper was called \'make_widget\'\n\n\ndef test_x():\n    pass\n'
    pytester.makepyfile(test_gone=source)
    pytester.makefile(".review.txt", test_gone="1. **Helper**: `make_widget` builds too much.\n")
    result = pytester.runpytest("--reviewgate-only", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*`make_widget` does not occur in the code of test_gone.py*"])


def test_a_generic_method_name_gone_from_the_module_is_still_stale(pytester: pytest.Pytester) -> None:
    source = "import unittest\n\n\nclass T(unittest.TestCase):\n    def test_x(self):\n        pass\n"
    pytester.makepyfile(test_gone=source)
    pytester.makefile(".review.txt", test_gone="1. **Reset**: `self.reset` restores the region too late.\n")
    result = pytester.runpytest("--reviewgate-only", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)


def test_a_library_name_the_module_defines_is_an_anchor(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_own="def autospec():\n    return 1\n\n\ndef test_x():\n    assert autospec()\n")
    pytester.makefile(".review.txt", test_own="1. **Own helper**: `autospec` builds too much.\n")
    result = pytester.runpytest("--reviewgate-only", "-p", "no:cacheprovider", "-v")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*finding-1::anchors PASSED*"])


def test_a_warm_run_counts_gated_findings_as_the_cold_run_did(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_w="def test_x():\n    assert True\n")
    pytester.makefile(".review.txt", test_w="1. **Word**: GadgetTests leaks state.\n2. **Real**: `test_x` line 1.\n")
    for _ in range(2):
        result = pytester.runpytest("--reviewgate-only")
        result.stdout.fnmatch_lines(["findings: 2 (1 gated, 1 not gated*"])


PATCHING = """\
from unittest import mock

from store import pool


class PoolTests:
    @mock.patch('store.privsep.cgroup.cgroup_limit')
    def test_limit(self, mock_limit):
        self.execute = mock.Mock()
        pool.reset()
"""


@pytest.mark.parametrize(
    ("name", "where"),
    [
        ("cgroup_limit", "a string of test_pool.py"),  # the last part of a patch target string
        ("self.execute.mock_calls", "unittest.mock's API on `self.execute`"),
        ("self.execute.assert_called_once_with", "unittest.mock's API on `self.execute`"),
        ("E501", "a linter's rule code"),
        ("A001", "a linter's rule code"),
        ("a.json", "a file name"),
        ("nova.conf", "a file name"),
        ("open", "Python's API"),
        ("CONF", "a test library's API"),
        ("ddt.data", "a test library's API"),
        ("stop", "unittest.mock's API"),  # "register the patcher's `stop`"
        ("pool.os.path.exists", "the standard library's API through `pool`"),
    ],
)
def test_names_a_review_of_real_suites_cites_that_the_module_does_not_define(name: str, where: str) -> None:
    index = parse_module(PATCHING.encode(), "test_pool.py")
    assert Elsewhere(index)(name) == where


@pytest.mark.parametrize(
    "name",
    [
        "cgroup",  # a middle part of a patch target is no name of the module
        "self.missing.mock_calls",  # the mock API on a chain the module lacks
        "self.execute.reset_pool",  # no mock API
        "pool.json",  # `pool` is bound: `pool.json` would be code
        "Cgroup2",  # one capital: no rule code
        "pool.gone",  # the project module is not on disk here
        "self.stop",  # the class's own method, gone
        "pool.osutil.exists",  # no standard module after the module's name
    ],
)
def test_look_alikes_of_those_names_still_do_not_resolve_elsewhere(name: str) -> None:
    index = parse_module(PATCHING.encode(), "test_pool.py")
    assert Elsewhere(index)(name) == ""


def test_a_name_of_the_project_module_the_test_imports_is_the_code_under_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(**{
        "store/__init__.py": "",
        "store/pool.py": "CELL_CACHE = {}\n\n\nclass Pool:\n    def drain(self):\n        CELL_CACHE.clear()\n",
        "tests/test_pool.py": "from store import pool\n\n\ndef test_reset():\n    pool.reset()\n",
    })
    pytester.makefile(".review.txt", **{"tests/test_pool": (
        "1. **Global cache**: `pool.CELL_CACHE` is emptied by `pool.Pool.drain` and never restored.\n"
        "2. **Stale**: `pool.GONE_CACHE` is cleared by `test_reset`.\n"
        "3. **Stale member**: `pool.Pool.fill` fills the cache again.\n"
    )})
    result = pytester.runpytest("-p", "reviewgate", "--reviewgate-only", "-p", "no:cacheprovider", "tests")
    result.assert_outcomes(passed=2, failed=2)
    result.stdout.fnmatch_lines(["*`pool.GONE_CACHE` does not occur*", "*`pool.Pool.fill` does not occur*"])
    result.stdout.no_fnmatch_line("*CELL_CACHE` does not occur*")


def test_names_of_the_imported_project_module_come_from_the_project_loader() -> None:
    index = parse_module(PATCHING.encode(), "test_pool.py")
    source = b"SHARED = {}\n\n\nclass Base:\n    def setUp(self):\n        pass\n\n\nclass Pool(Base):\n    pass\n"
    pool = parse_module(source, "store/pool.py")
    where = Elsewhere(index, load=lambda dotted: pool if dotted == "store.pool" else None)
    assert where("pool.SHARED") == "pool.py"
    assert where("pool.Pool.setUp") == "pool.py"  # a member the class inherits within that module
    assert where("pool.MISSING") == ""
    assert where("pool.Pool.tearDown") == ""
    assert Elsewhere(index)("pool.SHARED") == ""  # no loader: nothing is looked up
