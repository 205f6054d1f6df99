"""What test code means, known once: xunit hooks, fixtures, mock modules, cleanups, environments.

Every analysis step and every rule asks here; nothing else spells these names.
"""

from __future__ import annotations

import builtins

# xunit hooks by role (unittest, pytest's xunit style, nose's ``setup``/``teardown``)
SETUP = ("setUp", "asyncSetUp", "setup_method", "setup")
TEARDOWN = ("tearDown", "asyncTearDown", "teardown_method", "teardown")
CLASS_SETUP = ("setUpClass", "setup_class")
CLASS_TEARDOWN = ("tearDownClass", "teardown_class")
MODULE_SETUP = ("setUpModule", "setup_module", "setup_function")
MODULE_TEARDOWN = ("tearDownModule", "teardown_module", "teardown_function")
MODULE_HOOKS = ("setUpModule", "tearDownModule", "setup_module", "teardown_module", "setup_function",
                "teardown_function")
TEARDOWN_NAMES = frozenset(TEARDOWN + CLASS_TEARDOWN + MODULE_TEARDOWN)
# where a restore of a method's change may live, by owner: a class, or the module
CLASS_TEARDOWNS = ("tearDown", "asyncTearDown", "teardown_method", "tearDownClass", "teardown_class")
MODULE_TEARDOWNS = MODULE_TEARDOWN

# pytest fixtures
FIXTURE_DECORATORS = frozenset({"pytest.fixture", "pytest.yield_fixture", "_pytest.fixtures.fixture"})
MOCKERS = frozenset({"mocker", "class_mocker", "module_mocker", "package_mocker", "session_mocker"})

# unittest.mock and its backport
MOCK_MODULES = ("unittest.mock", "mock")
STOPALL = frozenset(f"{m}.patch.stopall" for m in MOCK_MODULES)
STARTS = frozenset({"start", "setUp", "__enter__"})  # patcher.start(), fixture.setUp(), cm.__enter__()
# ``patch("pkg.mod.open")``, ``patch.object(mod, "len")``: mock creates a module attribute named like
# a builtin (the module's code looks it up there first), as if ``create=True`` were passed
PATCHABLE_BUILTINS = frozenset(name for name in dir(builtins) if not name.startswith("_"))
PATCH_CALLS = frozenset({"patch", "MockPatch", "MonkeyPatch", "dict", "multiple", "setattr", "delattr"})

# cleanups: registering a callable, entering a fixture or context
REGISTER = frozenset({"addCleanup", "addClassCleanup", "addAsyncCleanup", "addfinalizer"})
ENTER = frozenset({"useFixture", "enterContext", "enterClassContext", "enter_context", "enterAsyncContext"})

# process state
ENVIRONS = frozenset({"os.environ", "os.environb"})
TRUSTED_HELPERS = ("flags",)  # OpenStack's ``self.flags(...)``: overrides under a config fixture

# objects a test makes to stand in for real ones: attributes set on them leave with them
MOCK_FACTORIES = frozenset(
    f"{module}.{name}"
    for module in MOCK_MODULES
    for name in ("Mock", "MagicMock", "NonCallableMock", "NonCallableMagicMock", "AsyncMock", "PropertyMock",
                 "create_autospec")
)
# ``x.return_value = v``, ``x.side_effect = e``: configuring a mock that a patch put in place
MOCK_SETTINGS = frozenset({"return_value", "side_effect"})
MOCK_HANDLES = frozenset({"mock", "start"})  # ``useFixture(MockPatch(...)).mock``, ``patcher.start()``
# calls that make a fresh empty container: ``X.cache = set()`` is a constant as much as ``X.cache = {}``
EMPTY_CONTAINERS = frozenset({"set", "dict", "list", "tuple", "frozenset"})
# mock's signature checking switched on for every patch of the process (the mocks rules)
# oslotest's ``patch_mock_module()`` replaces ``unittest.mock._patch``: from then on every
# ``patch``/``patch.object`` (and what wraps them: ``fixtures.MockPatch*``, ``mocker.patch*``)
# without ``autospec=False``, ``create=True``, ``new``, ``new_callable`` or ``spec`` checks the
# calls of its mock against the original's signature. ``MockAutospecFixture`` alone does not:
# it only makes ``Mock(autospec=...)`` check its methods, and patches pass no ``autospec``.
AUTOSPEC_SWITCHES = frozenset({"oslotest.mock_fixture.patch_mock_module"})

# fixtures that make every tempfile.mkdtemp()/mkstemp() in a directory they remove (cleanup-registered)
TEMPFILE_NESTERS = frozenset({"fixtures.NestedTempfile", "fixtures._fixtures.tempdir.NestedTempfile"})

# waits between polls: a ``while`` loop that calls one and raises on a timeout checks a condition
SLEEPS = frozenset({"sleep", "wait"})

# keywords that tell a request helper the HTTP status to expect: it fails on another one. WebTest's
# ``app.post(url, body, status=400)`` only on its request methods (``Mock(status=404)`` makes a fake)
STATUS_EXPECTATIONS = frozenset({"expected_code", "expected_status", "expected_status_code", "expect_status"})
WEBTEST_REQUESTS = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options", "request"}
    | {f"{verb}_json" for verb in ("post", "put", "patch", "delete")}
)

# unconditional skips: a test under one never runs (tests-assert does not judge it)
SKIPS = frozenset({
    "unittest.skip", "unittest.case.skip", "pytest.skip", "pytest.mark.skip", "testtools.skip",
    "testtools.testcase.skip",
})
SKIP_EXCEPTIONS = frozenset({"unittest.SkipTest", "unittest.case.SkipTest", "testtools.testcase.TestSkipped"})
