"""What exercises a failure: expected exceptions, error states and HTTP error statuses, injected
errors (``side_effect=Error``, fakes that raise); each function summarised once per module analysis.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from http import HTTPStatus

from . import idioms
from .asserts import Names, canonical_of
from .closures import Scope
from .index import ModuleIndex, chain_of, walk
from .patches import PatchCall, patch_call
from .state import decorator_mocks
from .walk import TRY_NODES

# how exceptions are named: ``ValueError``, ``InstanceNotFound``, ``PortBindingFailed``, ``HTTPConflict``
ERROR_NAME = re.compile(
    r"(Error|Exception|Fault|Failure|Failed|NotFound|Timeout|TimedOut|Invalid\w*|Conflict|Unavailable|Refused|"
    r"Denied|Forbidden|BadRequest|Exists|Exceeded|Interrupt|Exit)$"
)
ERROR_VARIABLE = re.compile(r"(^|_)(exc|exception|error|err)(_?(cls|class|type))?$")  # a parameter: exc_cls
STATUS_LINE = re.compile(r"[45]\d\d [A-Z]")  # '401 Unauthorized'
ERROR_MODULE = re.compile(r"\w*(exc|exception|exceptions|errors)")  # exception.X, webob.exc.X, db_exc.X
# (keyword, normalised value or "*" for any value), all of which a call must pass; "" for a positional value
Pattern = tuple[tuple[str, str], ...]
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


@lru_cache(maxsize=1024)
def pattern(entry: str) -> Pattern:
    """``expected_state='ERROR'`` -> (("expected_state", "'ERROR'"),); () when it does not parse.
    A bare value (``'ERROR'``) matches any positional argument."""
    text = re.sub(r"=\s*\*\s*(?=,|$)", "=...", entry.strip())
    try:
        tree = ast.parse(f"f({text})", mode="eval")
    except (SyntaxError, ValueError, RecursionError):
        return ()
    call = tree.body
    if not isinstance(call, ast.Call) or not (call.args or call.keywords):
        return ()
    out: list[tuple[str, str]] = [("", source(arg)) for arg in call.args]
    for keyword in call.keywords:
        if keyword.arg is None:
            return ()
        wildcard = isinstance(keyword.value, ast.Constant) and keyword.value.value is Ellipsis
        out.append((keyword.arg, "*" if wildcard else source(keyword.value)))
    return tuple(out)


def source(node: ast.expr) -> str:
    """Normalised source of an expression; "" for one too deep to print (never matches)."""
    try:
        return ast.unparse(node)
    except RecursionError:
        return ""


def exercises_failure(
    scope: Scope,
    nodes: Sequence[ast.AST],
    patterns: tuple[Pattern, ...],
    local: bool,
    names: Names,
    memo: dict[object, object],
    look_up: bool = True,
) -> bool:
    """Whether a function expects an error, checks an error state or status, or injects a
    failure (``side_effect=Error``, a fake that raises) and asserts something; once per function
    in ``memo``, the analysed module's (``index.memo``; see ``asserts.summary``).

    Not ``local`` (a helper of a base class in another module): only what it expects outright
    (``assertRaises``, ``patterns``) counts. Without ``look_up`` the project's classes are not
    read (a project class derived from ``testtools.ExpectedException`` is not seen): a caller
    asks so first, and again with ``look_up`` only when nothing answered.
    """
    key = ("errors.exercises", id(scope.node), patterns, local)
    found = memo.get(key)
    if found is None:
        calls = [n for n in nodes if type(n) is ast.Call]
        found = memo[key] = (_exercises_failure(scope, nodes, calls, patterns, local, names), scope.node, calls)
    if found[0] or not look_up:  # type: ignore[index]
        return bool(found[0])  # type: ignore[index]
    project_key = ("errors.project-expects", id(scope.node))
    if project_key not in memo:
        memo[project_key] = _project_expects(scope.index, found[2], names)  # type: ignore[index]
    return bool(memo[project_key])


def _exercises_failure(
    scope: Scope,
    nodes: Sequence[ast.AST],
    calls: Sequence[ast.Call],
    patterns: tuple[Pattern, ...],
    local: bool,
    names: Names,
) -> bool:
    """``exercises_failure`` but for the project's classes."""
    index = scope.index
    if not local:
        return any(_expects(index, n, patterns, False, names) for n in calls)
    injects = checks = False
    for node in nodes:
        kind = type(node)
        if kind in TRY_NODES and _expects_in_try(node):  # type: ignore[arg-type]
            return True
        if kind is ast.Assert:
            checks = True
        elif kind is ast.Raise and not _not_implemented(node):  # type: ignore[arg-type]
            injects = injects or _in_nested_function(scope, node)
        elif kind is ast.Assign and any(
            isinstance(t, ast.Attribute) and t.attr == "side_effect" for t in node.targets  # type: ignore[attr-defined]
        ):
            injects = injects or is_error(node.value)  # type: ignore[attr-defined]
        if kind is not ast.Call:
            continue
        if _expects(index, node, patterns, True, names):  # type: ignore[arg-type]
            return True
        checks = checks or asserts(node)  # type: ignore[arg-type]
        injects = injects or any(k.arg == "side_effect" and is_error(k.value) for k in node.keywords)  # type: ignore[attr-defined]
    return (injects and checks) or _logged_problem(scope, nodes)


# ---------------------------------------------------------------- a patched logger told of a problem

_CALL_RECORDS = idioms.CALLED_ASSERTIONS | {"called", "call_count"}
LogMocks = dict[str, str]  # the name a patch of a logger binds -> "logger" (the whole) or "level" (a method)


def _logged_problem(scope: Scope, nodes: Sequence[ast.AST]) -> bool:
    """Whether the function patches a logger (``@mock.patch.object(hook, "LOG")``) or a
    warning-or-worse method of one (``mock.patch.object(hook.LOG, "warning")``) and checks that
    this very mock was told of a problem: ``log.error.assert_called_once_with(...)``,
    ``warn.assert_called()``, ``self.assertTrue(log.exception.called)``, ``assertEqual(1,
    warn.call_count)``; also in a method of its class it hands the mock to
    (``self._check_retries(log_error)``). The test asserts the code under test reported one: its
    error path."""
    index = scope.index
    records = any(type(n) is ast.Attribute and n.attr in _CALL_RECORDS for n in nodes)
    handed = [n for n in nodes if _hands_on(n)] if scope.definition.in_class else []
    if not (records or handed):
        return False  # checks no mock's calls: the patches need not be read
    mocks = _log_mocks(index, scope, nodes)
    if not mocks:
        return False
    if records and _told(mocks, nodes):
        return True
    for call in handed:
        helper = index.nodes.get(f"{scope.definition.parent}.{call.func.attr}")  # type: ignore[attr-defined]
        if not isinstance(helper, _FUNCTIONS) or helper is scope.node:
            continue
        params = [a.arg for a in [*helper.args.posonlyargs, *helper.args.args]][1:]  # after ``self``
        passed = {
            params[at]: mocks[arg.id] for at, arg in enumerate(call.args)  # type: ignore[attr-defined]
            if at < len(params) and type(arg) is ast.Name and arg.id in mocks
        }
        passed.update(
            (k.arg, mocks[k.value.id]) for k in call.keywords  # type: ignore[attr-defined]
            if k.arg and type(k.value) is ast.Name and k.value.id in mocks
        )
        if passed and _told(passed, list(walk(helper))):
            return True
    return False


def _hands_on(node: ast.AST) -> bool:
    """``self.helper(name, ...)``: a call of a method of the class that passes a bare name."""
    if type(node) is not ast.Call:
        return False
    func = node.func
    return (type(func) is ast.Attribute and type(func.value) is ast.Name and func.value.id == "self"
            and not any(type(a) is ast.Starred for a in node.args)
            and any(type(a) is ast.Name for a in [*node.args, *(k.value for k in node.keywords)]))


def _told(mocks: LogMocks, nodes: Sequence[ast.AST]) -> bool:
    """Whether ``nodes`` check that one of ``mocks`` was told of a problem."""
    for node in nodes:
        kind = type(node)
        if kind is ast.Call:
            func = node.func  # type: ignore[attr-defined]
            if type(func) is ast.Attribute and func.attr in idioms.CALLED_ASSERTIONS:
                if _problem_mock(mocks, func.value):
                    return True
            elif asserts(node) and _counts_calls(node, mocks):  # type: ignore[arg-type]
                return True
        elif kind is ast.Assert and _checks_called(node.test, mocks, True):  # type: ignore[attr-defined]
            return True
    return False


def _problem_mock(mocks: LogMocks, node: ast.expr) -> bool:
    """``node`` spells a mock of a warning-or-worse log method: a patched method itself, or that
    method of a patched logger (``log.error``)."""
    spelled = chain_of(node)
    if not spelled:
        return False
    if mocks.get(spelled) == "level":
        return True
    owner, _, level = spelled.rpartition(".")
    return mocks.get(owner) == "logger" and level in idioms.PROBLEM_LOG_LEVELS


def _checks_called(node: ast.expr, mocks: LogMocks, truthy: bool) -> bool:
    """``log.error.called`` (asserted true), ``warn.call_count`` compared with no zero."""
    if isinstance(node, ast.Attribute) and node.attr in ("called", "call_count"):
        return truthy and _problem_mock(mocks, node.value)
    if isinstance(node, ast.Compare) and len(node.comparators) == 1:
        left, right = node.left, node.comparators[0]
        if any(isinstance(side, ast.Constant) and side.value == 0 for side in (left, right)):
            return isinstance(node.ops[0], ast.Gt | ast.NotEq) and _checks_called(left, mocks, True)
        return isinstance(node.ops[0], ast.Eq | ast.GtE | ast.Gt) and (
            _checks_called(left, mocks, True) or _checks_called(right, mocks, True)
        )
    return False


def _counts_calls(node: ast.Call, mocks: LogMocks) -> bool:
    """``self.assertTrue(log.warning.called)``, ``self.assertEqual(1, warn.call_count)``,
    ``assertGreater(warn.call_count, 0)``; not ``assertFalse``, nor a count compared with 0."""
    method = (chain_of(node.func) or "").rpartition(".")[2]
    args = node.args
    if method in ("assertTrue", "assert_", "failUnless") and args:
        return _checks_called(args[0], mocks, True)
    if method in ("assertGreater", "assertGreaterEqual") and args:
        return _checks_called(args[0], mocks, True) and not (
            method == "assertGreaterEqual" and len(args) > 1 and isinstance(args[1], ast.Constant)
            and args[1].value == 0
        )
    if method in ("assertEqual", "assertEquals", "failUnlessEqual") and len(args) >= 2:
        first, second = args[0], args[1]
        if any(isinstance(a, ast.Constant) and not a.value for a in (first, second)):
            return False  # ``assertEqual(0, warn.call_count)``, ``assertEqual(False, log.error.called)``
        return _checks_called(first, mocks, True) or _checks_called(second, mocks, True)
    return False


def _log_mocks(index: ModuleIndex, scope: Scope, nodes: Sequence[ast.AST]) -> LogMocks:
    """The names the function's patches of a logger or of its warning-or-worse method bind:
    decorator parameters (the last ones: the function's own patches, then its class's), ``with ... as`` names,
    ``x = patcher.start()``, ``x = self.useFixture(MockPatch(...)).mock``, ``x = mocker.patch(...)``;
    also ``self.x`` attributes its class's ``setUp`` binds so."""
    node = scope.node
    out: LogMocks = {}
    if scope.definition.in_class:
        setup = index.nodes.get(scope.definition.parent + ".setUp")
        if isinstance(setup, _FUNCTIONS) and setup is not node:
            kept = index.once("errors.setup-log-mocks", setup, lambda: {
                k: v for k, v in _bound_log_mocks(index, walk(setup)).items() if k.startswith("self.")
            })
            out.update(kept)
    for param, patch in decorator_mocks(index, node, scope.definition):
        what = _log_patch(patch)
        if what:
            out[param] = what
    out.update(_bound_log_mocks(index, nodes))
    return out


def _bound_log_mocks(index: ModuleIndex, nodes: Iterable[ast.AST]) -> LogMocks:
    """``with <log patch> as x``, ``x = <log patch>.start()`` (or through a patcher name),
    ``x = self.useFixture(<log patch>).mock``, ``x = mocker.patch(<logger>)``."""
    out: LogMocks = {}
    patchers: dict[str, str] = {}  # name bound to a patcher of a logger -> what it patches
    for node in nodes:
        kind = type(node)
        if kind is ast.withitem:
            patch = patch_call(index, node.context_expr)  # type: ignore[attr-defined]
            bound = chain_of(node.optional_vars) if node.optional_vars is not None else None  # type: ignore[attr-defined]
            what = _log_patch(patch) if patch is not None and bound else ""
            if what:
                out[bound] = what  # type: ignore[index]
            continue
        if kind is not ast.Assign or len(node.targets) != 1:  # type: ignore[attr-defined]
            continue
        bound = chain_of(node.targets[0])  # type: ignore[attr-defined]
        if not bound:
            continue
        value = node.value  # type: ignore[attr-defined]
        handle = ""
        if isinstance(value, ast.Attribute) and value.attr == "mock":  # useFixture(MockPatch(...)).mock
            value, handle = value.value, "entered"
        elif isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "start":
            started = value.func.value
            if isinstance(started, ast.Name) and started.id in patchers:
                out[bound] = patchers[started.id]
                continue
            value, handle = started, "started"
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr in idioms.ENTER:
            if not value.args:
                continue
            value, handle = value.args[0], handle or "fixture"
        patch = patch_call(index, value)
        what = _log_patch(patch) if patch is not None else ""
        if not what:
            continue
        if handle == "fixture":
            out[bound + ".mock"] = what  # ``fx = self.useFixture(MockPatch(...))``, then ``fx.mock``
        elif handle or patch.mocker:  # type: ignore[union-attr]
            out[bound] = what
        else:
            patchers[bound] = what
    return out


def _log_patch(patch: PatchCall) -> str:
    """"logger" for a patch of a whole logger (``mock.patch.object(hook, "LOG")``,
    ``fixtures.MockPatch("pkg.mod.LOG")``), "level" for one of its warning-or-worse method
    (``mock.patch.object(hook.LOG, "warning")``, ``mock.patch("pkg.mod.LOG.error")``), else ""."""
    if any(k.arg in idioms.REPLACEMENT_KEYWORDS for k in patch.node.keywords):
        return ""  # ``new=``: what stands there is not a mock the patch made
    variant = idioms.VARIANTS.get(patch.kind)
    if variant == "object":
        owner, name = patch.chain(0, "target") or "", patch.string(1, "attribute")
        parts = [*owner.split("."), name or ""]
    elif variant == "":
        parts = (patch.string(0, "target") or "").split(".")
    else:
        return ""
    if len(parts) >= 2 and parts[-1] in idioms.LOGGERS:
        return "logger"
    if len(parts) >= 2 and parts[-2] in idioms.LOGGERS and parts[-1] in idioms.PROBLEM_LOG_LEVELS:
        return "level"
    return ""


def _expects_in_try(node: ast.Try) -> bool:
    """``try: call(); self.fail(...) except Error: ...``, or a handler that asserts on the
    error it caught (``except Error as e: self.assertIn('quota', str(e))``)."""
    if not node.handlers:
        return False
    if any(isinstance(statement, ast.Raise) for statement in node.body):
        return True  # ``try: raise Error('x') except Error: ...`` makes an error to handle
    if any(_fails(n) for statement in [*node.body, *node.orelse] for n in walk(statement)):
        return True
    return any(
        isinstance(n, ast.Assert) or (isinstance(n, ast.Call) and asserts(n))
        for handler in node.handlers
        for statement in handler.body
        for n in walk(statement)
    )


def _fails(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and (chain_of(node.func) or "") in idioms.FAILS


def asserts(node: ast.Call) -> bool:
    """A call that asserts by its name: ``assert*`` on any receiver, ``expectThat``."""
    func = node.func
    kind = type(func)
    last = func.attr if kind is ast.Attribute else func.id if kind is ast.Name else ""  # type: ignore[attr-defined]
    return last.startswith("assert") or last == "expectThat"


def _not_implemented(node: ast.Raise) -> bool:
    """``raise NotImplementedError``: a fake that stops or must not be reached, no failure."""
    raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
    return raised is not None and (chain_of(raised) or "").endswith("NotImplementedError")


def _in_nested_function(scope: Scope, node: ast.AST) -> bool:
    """Whether a node lies in a function defined inside the scope's function (a fake)."""
    inner = scope.index.once("nested-nodes", scope.node, lambda: frozenset(
        id(n) for child in walk(scope.node) if child is not scope.node and isinstance(child, _FUNCTIONS)
        for n in walk(child)
    ))
    return id(node) in inner


def is_error(node: ast.expr) -> bool:
    """An exception class or instance as spelled (``ValueError``, ``exception.InstanceNotFound(...)``,
    ``[ValueError, None]``)."""
    if isinstance(node, ast.List | ast.Tuple):
        return any(is_error(e) for e in node.elts)
    if isinstance(node, ast.Call):
        node = node.func
    spelled = chain_of(node) or ""
    parts = spelled.split(".")
    return bool(spelled) and (
        ERROR_NAME.search(parts[-1]) is not None
        or ERROR_VARIABLE.search(parts[-1].lower()) is not None
        or any(ERROR_MODULE.fullmatch(p) for p in parts[:-1])
    )


def _error_state_or_status(index: ModuleIndex, node: ast.Call) -> bool:
    """A positional ``'ERROR'`` state (``_wait_for_state_change(server, 'ERROR')``,
    ``{'status': 'ERROR'}``), an error HTTP status a keyword expects
    (``check_response_status=[400]``), or one an assertion compares with a status or code."""
    for arg in node.args:
        values = arg.values if isinstance(arg, ast.Dict) else [arg]
        if any(isinstance(v, ast.Constant) and v.value == "ERROR" for v in values):
            return True
    for keyword in node.keywords:
        name = (keyword.arg or "").lower()
        if ("status" in name or name in idioms.STATUS_EXPECTATIONS) and (
            _error_statuses(keyword.value) or _http_error(index, keyword.value)
        ):
            return True  # ``check_response_status=[400]``, ``expected_code=webob.exc.HTTPNotFound.code``
        if "state" in name and _error_states(keyword.value):
            return True  # ``_live_migrate(server, migration_expected_state='failed')``
    if not node.args:
        return False
    callee = (chain_of(node.func) or "").rpartition(".")[2].lower()
    if ("state" in callee or "status" in callee) and any(_error_states(a) for a in node.args):
        return True  # ``_wait_for_migration_status(server, ['error'])``
    if asserts(node) and "Not" not in (chain_of(node.func) or "") and any(_failed_state(a) for a in node.args):
        return True  # ``self.assertEqual(upgradecheck.Code.FAILURE, result.code)``, ``vm_states.ERROR``
    errors = [a for a in node.args if _error_statuses(a) or _http_error(index, a)] if asserts(node) else []
    if errors:  # compared with a status or code: ``assertEqual(HTTPStatus.NOT_FOUND, resp.status_int)``
        others = [source(a).lower() for a in node.args if a not in errors]
        return any("status" in other or "code" in other for other in others)
    return False


def _http_error(index: ModuleIndex, node: ast.expr) -> bool:
    """An HTTP error named by its class or member: ``webob.exc.HTTPConflict.code``,
    ``HTTPStatus.NOT_FOUND``, ``http.client.NOT_FOUND`` (however the module imports it:
    ``http_client.FORBIDDEN``); ``HTTPOk.code``, ``HTTPStatus.OK`` and ``http.client.OK`` are no error."""
    spelled = chain_of(node) or ""
    parts = spelled.split(".")
    for at, part in enumerate(parts):
        if part.startswith("HTTP") and (ERROR_NAME.search(part) or part in idioms.HTTP_ERRORS):
            return True
        if part == "HTTPStatus" and at + 1 < len(parts):
            return _http_error_member(parts[at + 1])
    module, _, member = index.qualify(spelled).rpartition(".")
    return module in idioms.HTTP_STATUS_MODULES and _http_error_member(member)


def _http_error_member(member: str) -> bool:
    """Whether an ``http.HTTPStatus`` member name is a status 400-599."""
    return member in HTTPStatus.__members__ and HTTPStatus[member] >= 400


def _failed_state(node: ast.expr) -> bool:
    """A constant of a class or module named for a failed state: ``Code.FAILURE``, ``vm_states.ERROR``."""
    owner, _, last = (chain_of(node) or "").rpartition(".")
    return bool(owner) and last.isupper() and last.lower() in idioms.ERROR_STATES


def _error_states(node: ast.expr) -> bool:
    """A state that says something failed (``'failed'``, ``['error']``), as a string or in a list."""
    values = node.elts if isinstance(node, ast.List | ast.Tuple | ast.Set) else [node]
    return any(
        isinstance(v, ast.Constant) and isinstance(v.value, str) and v.value.lower() in idioms.ERROR_STATES
        for v in values
    )


def _error_statuses(node: ast.expr) -> bool:
    """An HTTP status 400-599, as a number or a status line (``'404 Not Found'``), or a list of them."""
    values = node.elts if isinstance(node, ast.List | ast.Tuple | ast.Set) else [node]
    return any(
        isinstance(v, ast.Constant)
        and (
            (type(v.value) is int and 400 <= v.value <= 599)
            or (isinstance(v.value, str) and STATUS_LINE.match(v.value) is not None)
        )
        for v in values
    )


def expects_error(
    index: ModuleIndex, node: ast.Call, patterns: Sequence[Pattern], names: Names, local: bool = True
) -> bool:
    """Whether a call expects an error (``assertRaises*``, ``pytest.raises``, a project class
    derived from ``testtools.ExpectedException``), checks an error state or status (``local``
    only), or passes what one of ``patterns`` asks."""
    return _expects(index, node, patterns, local, names) or _project_expects(index, [node], names)


def _expects(index: ModuleIndex, node: ast.Call, patterns: Sequence[Pattern], local: bool, names: Names) -> bool:
    """``expects_error`` but for the project's classes, which ``_project_expects`` looks up."""
    spelled = chain_of(node.func)
    if spelled:
        last = spelled.rpartition(".")[2]
        if last.startswith("assertRaises") or last == "failUnlessRaises":
            return True
        if canonical_of(index, spelled, names) in idioms.EXPECTING:
            return True
    if local and _error_state_or_status(index, node):
        return True
    if not patterns or not (node.keywords or node.args):
        return False
    return _passes(node, patterns)


def _project_expects(index: ModuleIndex, calls: Sequence[ast.Call], names: Names) -> bool:
    """Whether one of the calls makes a project class, imported by the module, that derives from
    one that expects an error (``testlib_api.ExpectedException(...)``)."""
    seen: set[str] = set()
    for node in calls:
        spelled = chain_of(node.func)
        if spelled and spelled not in seen and spelled.partition(".")[0] in index.imports:
            seen.add(spelled)
            if names.subclass(index, spelled, idioms.EXPECTING):
                return True
    return False


def _passes(node: ast.Call, patterns: Sequence[Pattern]) -> bool:
    """Whether the call passes every (keyword, value) of one of the patterns; sources are
    printed only for the keywords a pattern names."""
    passed = {k.arg: k.value for k in node.keywords if k.arg}
    printed: dict[str, str] = {}
    positional: set[str] | None = None

    def matches(name: str, value: str) -> bool:
        nonlocal positional
        if not name:
            if positional is None:
                positional = {source(arg) for arg in node.args}
            return value in positional
        if name not in passed:
            return False
        if value == "*":
            return True
        if name not in printed:
            printed[name] = source(passed[name])
        return printed[name] == value

    return any(all(matches(name, value) for name, value in pattern) for pattern in patterns)


def first_expected_error(scope: Scope, patterns: Sequence[Pattern], names: Names) -> tuple[int, str] | None:
    """The first call of a function that expects an error, for evidence: (line, callee as spelled)."""
    for node in walk(scope.node):
        if type(node) is ast.Call and expects_error(scope.index, node, patterns, names):
            return node.lineno, chain_of(node.func) or "..."
    return None
