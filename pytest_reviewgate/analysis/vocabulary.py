"""Names a review may cite that belong to a library's API, not to the reviewed module.

A reviewer who backticks `tmp_path`, `autospec` or `os.environ` names pytest's, unittest.mock's
or the standard library's API: such a name is no anchor (it cannot go stale), unless the module
defines it itself. xunit hook names (`setUp`, `tearDown`) are not listed: a review citing them
speaks of the module's own methods.
"""

from __future__ import annotations

import builtins
import keyword
import re
import sys

PYTEST = frozenset({
    # built-in fixtures
    "capfd", "capfdbinary", "caplog", "capsys", "capsysbinary", "capteesys", "doctest_namespace",
    "monkeypatch", "pytestconfig", "record_property", "record_testsuite_property", "record_xml_attribute",
    "recwarn", "subtests", "tmp_path", "tmp_path_factory", "tmpdir", "tmpdir_factory", "pytester",
    # pytest-mock, pytest-django, pytest-xdist
    "mocker", "class_mocker", "module_mocker", "package_mocker", "session_mocker", "worker_id",
    # API and decorators
    "pytest", "fixture", "yield_fixture", "autouse", "usefixtures", "parametrize", "raises", "warns", "approx",
    "skip", "skipif", "xfail", "importorskip", "mark", "param", "addfinalizer", "getfixturevalue",
    "setattr", "delattr", "setenv", "delenv", "setitem", "delitem", "syspath_prepend", "undo",
    "conftest", "conftest.py",
})
MOCK = frozenset({
    "mock", "patch", "patch.object", "patch.dict", "patch.multiple", "patch.stopall", "Mock", "MagicMock",
    "NonCallableMock", "NonCallableMagicMock", "AsyncMock", "PropertyMock", "create_autospec", "sentinel", "ANY",
    "DEFAULT", "mock_open", "seal", "autospec", "spec", "spec_set", "new_callable",
    "side_effect", "return_value", "wraps", "unsafe", "stopall", "call_count",
    "call_args", "call_args_list", "mock_calls", "method_calls", "reset_mock", "configure_mock",
    "assert_called", "assert_called_once", "assert_called_with", "assert_called_once_with", "assert_any_call",
    "assert_has_calls", "assert_not_called", "assert_awaited", "assert_awaited_once", "assert_awaited_with",
    "assert_awaited_once_with", "assert_any_await", "assert_has_awaits", "assert_not_awaited",
})
UNITTEST = frozenset({
    "unittest", "TestCase", "IsolatedAsyncioTestCase", "addCleanup", "addClassCleanup", "addAsyncCleanup",
    "doCleanups", "doClassCleanups", "enterContext", "enterClassContext", "enterAsyncContext", "subTest",
    "skipTest", "assertRaises", "assertRaisesRegex", "assertWarns", "assertWarnsRegex", "assertLogs",
    "assertNoLogs", "assertEqual", "assertNotEqual", "assertTrue", "assertFalse", "assertIs", "assertIsNot",
    "assertIsNone", "assertIsNotNone", "assertIn", "assertNotIn", "assertIsInstance", "assertNotIsInstance",
    "assertAlmostEqual", "assertNotAlmostEqual", "assertGreater", "assertGreaterEqual", "assertLess",
    "assertLessEqual", "assertRegex", "assertNotRegex", "assertCountEqual", "assertMultiLineEqual",
    "assertSequenceEqual", "assertListEqual", "assertTupleEqual", "assertSetEqual", "assertDictEqual",
    "assertThat", "expectThat", "assertRaisesRegexp", "assertItemsEqual", "maxDiff", "longMessage", "fail",

})
FIXTURES = frozenset({
    # the fixtures and testtools libraries, oslotest, oslo.config's fixture
    "fixtures", "testtools", "oslotest", "useFixture", "Fixture", "MockPatch", "MockPatchObject",
    "MockPatchMultiple", "MonkeyPatch", "EnvironmentVariable", "TempDir", "TempHomeDir", "NestedTempfile",
    "FakeLogger", "LogHandler", "Timeout", "TimeoutException", "PythonPackage", "PackagePathEntry",
    "ExpectedException", "config_fixture", "set_override", "clear_override", "set_default",
    "clear_default", "register_opt", "register_opts", "unregister_opt", "unregister_opts", "register_group",
    "cfg", "oslo_config", "oslo.config", "CONF",  # oslo.config's global ``cfg.CONF``
    "ddt",  # data-driven tests: ``ddt.ddt``, ``ddt.data``, ``ddt.unpack``
})
STDLIB = frozenset(sys.stdlib_module_names)  # counted as the head of a dotted name (``os.environ``)
KEYWORDS = frozenset(keyword.kwlist) | frozenset(name for name in dir(builtins) if not name.startswith("_"))
OWNERS = ((PYTEST, "pytest's"), (MOCK, "unittest.mock's"), (UNITTEST, "unittest's"),
          (FIXTURES, "a test library's"), (KEYWORDS, "Python's"))


# a linter's rule code a review quotes (`E501`, `W0612`, `PT009`, `A001`): no name of the module
LINT_CODE = re.compile(r"[A-Z]{1,4}[0-9]{2,5}")
# a file a review names by its name (`a.json`, `nova.conf`): ``json``, ``conf`` and ``cfg`` are left out of the
# parser's file extensions because ``response.json`` is code, so they are told apart here, by the module lacking them
FILE_SUFFIXES = frozenset({"json", "conf", "cfg", "xml", "csv", "html", "pem", "crt", "j2", "gz", "tar", "zip"})


# a patcher's methods, cited bare ("register `stop`"); ``self.stop`` is the module's own
PATCHER = frozenset({"start", "stop", "start()", "stop()"})


def library(name: str) -> str:
    """Whose API ``name`` is ("pytest's", "unittest.mock's", ...), or "" when it is none of those.

    ``self.``/``cls.`` are dropped first (``self.addCleanup``); a dotted name counts by its head
    (``os.environ``, ``monkeypatch.setenv``, ``mock.patch.object``).
    """
    if name in PATCHER:
        return "unittest.mock's"
    spelled = name.removeprefix("self.").removeprefix("cls.")
    head, dot, _ = spelled.partition(".")
    for names, owner in OWNERS:
        if spelled in names or head in names:
            return owner
    if dot and head in STDLIB and spelled == name:
        return "the standard library's"
    return ""
