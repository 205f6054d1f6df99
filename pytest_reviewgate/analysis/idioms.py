"""What test code means, known once: xunit hooks, fixtures, mock modules, cleanups, environments.

Every analysis step and every rule asks here; nothing else spells these names.
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping

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
# hooks that run once before a class's or a module's tests, before any test's own setUp and its fixtures
SHARED_SETUP = frozenset({*CLASS_SETUP, "setUpModule", "setup_module"})
# hooks that run once after a class's or a module's tests, after every test's cleanups
SHARED_TEARDOWN = frozenset({*CLASS_TEARDOWN, "tearDownModule", "teardown_module"})
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
# importing a module by a name given as a string (``__import__("pkg.sub")``, ``importlib.import_module``),
# qualified: a registry package (oslo.versionedobjects') imports its submodules so, and their classes land on it
DYNAMIC_IMPORTS = frozenset({"__import__", "importlib.import_module", "importlib.__import__",
                             "oslo_utils.importutils.import_module"})

# cleanups: registering a callable, entering a fixture or context
REGISTER = frozenset({"addCleanup", "addClassCleanup", "addAsyncCleanup", "addfinalizer"})
TEST_CLEANUPS = frozenset({"addCleanup", "addAsyncCleanup"})  # run at the test's own cleanup, not its class's
ENTER = frozenset({"useFixture", "enterContext", "enterClassContext", "enter_context", "enterAsyncContext"})

# process state
ENVIRONS = frozenset({"os.environ", "os.environb"})
# context-local proxies of web frameworks: each stands for the current request's object, so setting an
# attribute on it (``pecan.response.status = 204`` in a controller) changes that request only
REQUEST_LOCALS = frozenset({"pecan.request", "pecan.response", "pecan.core.request", "pecan.core.response",
                            "flask.request", "flask.g", "flask.session"})
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
# library test bases whose ``setUp`` enters ``fixtures.NestedTempfile`` (every test of a class derived
# from one makes its temporary files in a directory removed at cleanup)
TEMPFILE_NESTING_BASES = frozenset({"oslotest.base.BaseTestCase"})

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

# ---------------------------------------------------------------- patches and what they replace
# oslo.config's fixture, Django's settings overrides, copies a test saves to restore later
OSLO_CONFIG_FIXTURE = "oslo_config.fixture.Config"
# methods of that fixture that change options, each undone by its cleanup (``self.cfg_fixture.config(x=1)``)
CONFIG_FIXTURE_CHANGES = frozenset({"config", "set_default", "register_opt", "register_opts",
                                    "register_cli_opt", "register_cli_opts", "load_raw_values",
                                    "set_config_files", "set_config_dirs"})
DJANGO_SETTINGS = "django.conf.settings"
DJANGO_OVERRIDES = frozenset(
    f"django.test.{m}{name}" for m in ("", "utils.") for name in ("override_settings", "modify_settings")
)
COPIES = frozenset({"dict", "list", "tuple", "set", "frozenset", "copy.copy", "copy.deepcopy"})  # a saved copy

# canonical name -> (kind, position of the positional ``new`` or -1)
PATCHES: Mapping[str, tuple[str, int]] = {
    "unittest.mock.patch": ("patch", 1),
    "unittest.mock.patch.object": ("patch.object", 2),
    "unittest.mock.patch.dict": ("patch.dict", -1),
    "unittest.mock.patch.multiple": ("patch.multiple", -1),
    "fixtures.MockPatch": ("MockPatch", 1),
    "fixtures.MockPatchObject": ("MockPatchObject", 2),
    "fixtures.MockPatchMultiple": ("MockPatchMultiple", -1),
}
# kind -> the variant of ``mock.patch`` it is ("" for ``patch`` itself)
VARIANTS = {
    "patch": "",
    "patch.object": "object",
    "patch.dict": "dict",
    "patch.multiple": "multiple",
    "MockPatch": "",
    "MockPatchObject": "object",
    "MockPatchMultiple": "multiple",
}
# Keywords of patch.multiple / MockPatchMultiple that are not attributes to patch.
MULTIPLE_OPTIONS = frozenset({"target", "spec", "create", "spec_set", "autospec", "new_callable"})
SPEC_KEYWORDS = ("autospec", "spec", "spec_set")
REPLACEMENT_KEYWORDS = ("new", "new_callable")
WRAPPING_KEYWORDS = ("wraps",)  # the mock calls through to the real object
# pytest's ``monkeypatch`` fixture patching an attribute (when the module imports no such name)
MONKEYPATCH_ATTRIBUTES = frozenset({"monkeypatch.setattr", "monkeypatch.delattr"})

# ---------------------------------------------------------------- process and configuration state
# oslo.config: what changes an option, what clears it, what registers options on the object
OVERRIDES = frozenset({"set_override", "set_default"})
CLEARS = {"set_override": "clear_override", "set_default": "clear_default"}
WHOLE_STATE = frozenset({"reset", "__setstate__"})  # __setstate__(CONF.export_state()) restores all
UNREGISTERS = frozenset({"unregister_opt", "unregister_opts"})

# ---------------------------------------------------------------- what checks, what expects an error
# calls that check by themselves (canonical names): an error or warning expected, a failure
ASSERTING = frozenset(
    {
        "pytest.raises",
        "pytest.warns",
        "pytest.fail",
        "pytest.deprecated_call",
        "testtools.ExpectedException",
        "testtools.testcase.ExpectedException",
    }
)
# what an ``if ...: raise X`` raises when it checks nothing: a stub, a skip
NOT_CHECKS = frozenset({"NotImplementedError", "SkipTest", "skipException"})
NEVER_CALLED = ("NonCallableMock", "NonCallableMagicMock")  # a patch's mock that fails when called
# calls that expect an error (canonical names)
EXPECTING = frozenset(
    {
        "pytest.raises",
        "testtools.ExpectedException",
        "testtools.testcase.ExpectedException",
        "testtools.matchers.Raises",
        "testtools.matchers.raises",
    }
)
# modules whose attributes are ``http.HTTPStatus`` members by name (``http.client.NOT_FOUND``)
HTTP_STATUS_MODULES = frozenset({"http.client", "six.moves.http_client", "http.HTTPStatus"})
# webob's HTTP errors whose names do not say error; states and failing calls a test expects
HTTP_ERRORS = frozenset({"HTTPUnauthorized", "HTTPGone", "HTTPNotAcceptable", "HTTPMethodNotAllowed",
                         "HTTPRequestEntityTooLarge", "HTTPUnsupportedMediaType", "HTTPTooManyRequests",
                         "HTTPUnprocessableEntity", "HTTPNotImplemented", "HTTPPreconditionFailed"})
ERROR_STATES = frozenset({"error", "failed", "failure", "fault", "faulted"})
FAILS = frozenset({"self.fail", "cls.fail", "pytest.fail"})
# a logger (``LOG``, ``logger``...) whose warning-or-worse method a test patches to assert that the code
# under test reported a problem: ``@mock.patch.object(hook.LOG, "warning")``, ``mock.patch("pkg.mod.LOG.error")``
LOGGERS = frozenset({"LOG", "LOGGER", "log", "logger", "_LOG", "_log", "_logger"})
PROBLEM_LOG_LEVELS = frozenset({"warning", "warn", "error", "exception", "critical", "fatal"})
# what shows a test checks that a mock was called: ``m.assert_called_once_with(...)``, ``m.call_count``
CALLED_ASSERTIONS = frozenset({"assert_called", "assert_called_once", "assert_called_with",
                               "assert_called_once_with", "assert_any_call", "assert_has_calls"})

# ---------------------------------------------------------------- where a function's calls end up
# methods that put a resource into a container, calls that hand one to a cleanup
CONTAINERS = frozenset({"append", "add", "extend", "insert", "appendleft", "put"})
REGISTERING = frozenset({"addCleanup", "addfinalizer", "enterContext", "enter_context", "callback"})
