"""RG304 `error-paths-tested`: at least one targeted test exercises a failure."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from http import HTTPStatus
from typing import Any, ClassVar

from ..analysis import idioms
from ..analysis.closures import Scope
from ..analysis.index import ModuleIndex, chain_of, walk
from ..analysis.walk import TRY_NODES
from ..model import Violation
from . import _evidence
from ._patches import Reach, canonical, closure_of, project_subclass
from .base import Context, Evidence, Rule

EXPECTING = frozenset(
    {
        "pytest.raises",
        "testtools.ExpectedException",
        "testtools.testcase.ExpectedException",
        "testtools.matchers.Raises",
        "testtools.matchers.raises",
    }
)
DEFAULT_ERROR_ASSERTIONS = ["expected_state='ERROR'"]
# how exceptions are named: ``ValueError``, ``InstanceNotFound``, ``PortBindingFailed``, ``HTTPConflict``
ERROR_NAME = re.compile(
    r"(Error|Exception|Fault|Failure|Failed|NotFound|Timeout|TimedOut|Invalid\w*|Conflict|Unavailable|Refused|"
    r"Denied|Forbidden|BadRequest|Exists|Exceeded|Interrupt|Exit)$"
)
ERROR_VARIABLE = re.compile(r"(^|_)(exc|exception|error|err)(_?(cls|class|type))?$")  # a parameter: exc_cls
HTTP_ERRORS = frozenset({"HTTPUnauthorized", "HTTPGone", "HTTPNotAcceptable", "HTTPMethodNotAllowed",
                         "HTTPRequestEntityTooLarge", "HTTPUnsupportedMediaType", "HTTPTooManyRequests",
                         "HTTPUnprocessableEntity", "HTTPNotImplemented", "HTTPPreconditionFailed"})
ERROR_STATES = frozenset({"error", "failed", "failure", "fault", "faulted"})
STATUS_LINE = re.compile(r"[45]\d\d [A-Z]")  # '401 Unauthorized'
ERROR_MODULE = re.compile(r"\w*(exc|exception|exceptions|errors)")  # exception.X, webob.exc.X, db_exc.X
# (keyword, normalised value or "*" for any value), all of which a call must pass
Pattern = tuple[tuple[str, str], ...]


class ErrorPathsTested(Rule):
    """At least one targeted test exercises a failure.

    ## What it does
    Looks through the targeted tests and the module helpers they call for one
    that exercises a failure. It expects an error: `self.assertRaises*` (any
    receiver), `pytest.raises`, `testtools.ExpectedException` (or a project
    class derived from it) or the `Raises` matcher, `try: ...; self.fail(...) except ...:`, an `except` block that
    asserts on what it caught, or a `try` that raises an error to handle it.
    It checks an error state or status: a positional `'ERROR'`
    (`self._wait_for_state_change(server, 'ERROR')`, `{'status': 'ERROR'}`),
    a failed state passed to a `*state*` keyword or to a `*state*`/`*status*`
    callee (`migration_expected_state='failed'`,
    `self._wait_for_migration_status(server, ['error'])`),
    an HTTP status 400-599 (`404`, `'404 Not Found'`, `webob.exc.HTTPNotFound.code`)
    that a `*status*` or `expected_code` keyword expects (`check_response_status=[400]`,
    `self._update(..., expected_code=exc.HTTPConflict.code)`), or that an assertion
    compares with a status or code (`self.assertEqual(404, resp.status_code)`,
    `self.assertEqual(HTTPStatus.NOT_FOUND, response.status_int)`).
    Or it injects a failure and asserts something: `side_effect=` an
    exception (named `*Error`, `*Exception`, `*NotFound`, `*Failed`...,
    taken from a module such as `exception` or `webob.exc`, or a parameter
    such as `exc_cls`), or a fake it defines that raises (other than
    `NotImplementedError`). A call whose
    keywords match an entry of `error-assertions` counts too (by default
    `expected_state='ERROR'`, as in functional tests that wait for a server
    to go to ERROR). When none does, one violation is reported at the first
    target's `def` line.

    ## Why is this bad?
    Tests that cover only the happy path leave the error handling, often the
    code that protects data and cleans up, unexercised; reviews ask for the
    failure case because that is where regressions hide.

    ## Example
    ```python
    def test_parse_number():
        assert int("42") == 42
    ```

    Use instead:
    ```python
    import pytest


    def test_parse_number():
        assert int("42") == 42


    def test_parse_garbage():
        with pytest.raises(ValueError):
            int("forty-two")
    ```

    ## Options
    `error-assertions` (default `["expected_state='ERROR'"]`): keyword patterns
    a call must pass, each `name=value` (several separated by commas). Values
    are compared as normalised source, so `"ERROR"` and `'ERROR'` are the same
    and `vm_states.ERROR` works too; `name=*` accepts any value. A bare value
    matches a positional argument (`"vm_states.ERROR"` for
    `self._wait_for_state_change(server, vm_states.ERROR)`).

    ## Known problems
    Exceptions are recognised by how they are named, not by their class: a
    `side_effect=Declined` of an exception class named otherwise is not seen.
    An injected failure counts when the same function asserts anything. In
    the methods of a base class defined in another module only `assertRaises`
    and its kin and `error-assertions` count: their `try` blocks and states
    serve the happy tests too.
    """

    code = "RG304"
    name = "error-paths-tested"
    version = "4"
    summary = "At least one targeted test exercises a failure"
    cwe = 703
    kind = "static"
    options: ClassVar[Mapping[str, Any]] = {"error-assertions": DEFAULT_ERROR_ASSERTIONS}

    def evidence(self, context: Context) -> list[Evidence]:
        """Why the targets pass, for triage (see ``_evidence.failures``)."""
        return _evidence_of(context)

    def check(self, context: Context) -> Iterator[Violation]:
        if not context.targets:
            return
        option = context.options.get("error-assertions", DEFAULT_ERROR_ASSERTIONS)
        entries = [option] if isinstance(option, str) else list(option)
        patterns = [p for p in (_pattern(e) for e in entries) if p]
        path = context.index.path
        project = context.project
        reach = Reach(
            lambda scope, nodes: _exercises_failure(scope, nodes, patterns, scope.index.path == path, project)
        )
        for target in context.targets:
            if any(reach.summary(scope) for scope in reach(closure_of(context, target.qualname))):
                return
        first = min(context.targets, key=lambda d: (d.first_line, d.line))
        accepted = "`self.assertRaises`, `pytest.raises`, `testtools.ExpectedException`"
        if entries:
            accepted += " or a call with " + " / ".join(f"`{e}`" for e in entries)
        yield Violation(
            rule=self.code,
            message=(f"none of the targeted tests exercises a failure -> add a test that expects one ({accepted})"),
            path=context.index.path,
            line=first.line,
            definition=first.qualname,
            source=context.index.source_line(first.line),
        )


def _pattern(entry: str) -> Pattern:
    """``expected_state='ERROR'`` -> (("expected_state", "'ERROR'"),); () when it does not parse."""
    text = re.sub(r"=\s*\*\s*(?=,|$)", "=...", entry.strip())
    try:
        tree = ast.parse(f"f({text})", mode="eval")
    except (SyntaxError, ValueError, RecursionError):
        return ()
    call = tree.body
    if not isinstance(call, ast.Call) or not (call.args or call.keywords):
        return ()
    # a bare value (``'ERROR'``) matches any positional argument: ``_wait_for_state_change(server, 'ERROR')``
    out: list[tuple[str, str]] = [("", _source(arg)) for arg in call.args]
    for keyword in call.keywords:
        if keyword.arg is None:
            return ()
        wildcard = isinstance(keyword.value, ast.Constant) and keyword.value.value is Ellipsis
        out.append((keyword.arg, "*" if wildcard else _source(keyword.value)))
    return tuple(out)


def _exercises_failure(
    scope: Scope, nodes: Sequence[ast.AST], patterns: Sequence[Pattern], local: bool, project: object = None
) -> bool:
    """Whether a function expects an error, checks an error state or status, or injects a
    failure (``side_effect=Error``, a fake that raises) and asserts something.

    A helper of a base class in another module counts only by what it expects outright
    (``assertRaises``, ``error-assertions``): the rest of its error handling (a polling helper's
    ``try``/``self.fail``) serves every test, the happy ones too.
    """
    index = scope.index
    if not local:
        return any(isinstance(n, ast.Call) and _expects_error(index, n, patterns, False, project) for n in nodes)
    injects = checks = False
    for node in nodes:
        if isinstance(node, TRY_NODES) and _expects_in_try(node):
            return True
        if isinstance(node, ast.Assert):
            checks = True
        elif isinstance(node, ast.Raise) and not _not_implemented(node):
            injects = injects or _in_nested_function(scope, node)
        elif isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Attribute) and t.attr == "side_effect" for t in node.targets
        ):
            injects = injects or _is_error(node.value)
        if not isinstance(node, ast.Call):
            continue
        if _expects_error(index, node, patterns, True, project):
            return True
        checks = checks or _asserts(node)
        injects = injects or any(k.arg == "side_effect" and _is_error(k.value) for k in node.keywords)
        if injects and checks:
            return True
    return injects and checks


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
        isinstance(n, ast.Assert) or (isinstance(n, ast.Call) and _asserts(n))
        for handler in node.handlers
        for statement in handler.body
        for n in walk(statement)
    )


def _fails(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    spelled = chain_of(node.func) or ""
    return spelled in ("self.fail", "cls.fail", "pytest.fail")


def _asserts(node: ast.Call) -> bool:
    func = node.func
    last = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    return last.startswith("assert") or last == "expectThat"


def _not_implemented(node: ast.Raise) -> bool:
    """``raise NotImplementedError``: a fake that stops or must not be reached, no failure."""
    raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
    return raised is not None and (chain_of(raised) or "").endswith("NotImplementedError")


def _in_nested_function(scope: Scope, node: ast.AST) -> bool:
    """Whether a node lies in a function defined inside the scope's function (a fake)."""
    key = ("nested-nodes", id(scope.node))
    if key not in scope.index.memo:
        inner = {
            id(n)
            for child in walk(scope.node)
            if child is not scope.node and isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            for n in walk(child)
        }
        scope.index.memo[key] = (frozenset(inner), scope.node)  # the node is kept: its id stays its own
    return id(node) in scope.index.memo[key][0]  # type: ignore[index]


def _is_error(node: ast.expr) -> bool:
    """An exception class or instance as spelled (``ValueError``, ``exception.InstanceNotFound(...)``,
    ``[ValueError, None]``)."""
    if isinstance(node, ast.List | ast.Tuple):
        return any(_is_error(e) for e in node.elts)
    if isinstance(node, ast.Call):
        node = node.func
    spelled = chain_of(node) or ""
    parts = spelled.split(".")
    return bool(spelled) and (
        ERROR_NAME.search(parts[-1]) is not None
        or ERROR_VARIABLE.search(parts[-1].lower()) is not None
        or any(ERROR_MODULE.fullmatch(p) for p in parts[:-1])
    )


def _error_state_or_status(node: ast.Call) -> bool:
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
            _error_statuses(keyword.value) or _http_error(keyword.value)
        ):
            return True  # ``check_response_status=[400]``, ``expected_code=webob.exc.HTTPNotFound.code``
        if "state" in name and _error_states(keyword.value):
            return True  # ``_live_migrate(server, migration_expected_state='failed')``
    callee = (chain_of(node.func) or "").rpartition(".")[2].lower()
    if ("state" in callee or "status" in callee) and any(_error_states(a) for a in node.args):
        return True  # ``_wait_for_migration_status(server, ['error'])``
    errors = [a for a in node.args if _error_statuses(a) or _http_error(a)] if _asserts(node) else []
    if errors:  # compared with a status or code: ``assertEqual(HTTPStatus.NOT_FOUND, resp.status_int)``
        others = [_source(a).lower() for a in node.args if a not in errors]
        return any("status" in other or "code" in other for other in others)
    return False


def _http_error(node: ast.expr) -> bool:
    """An HTTP error named by its class or member: ``webob.exc.HTTPConflict.code``,
    ``HTTPStatus.NOT_FOUND``; ``HTTPOk.code`` and ``HTTPStatus.OK`` are no error."""
    parts = (chain_of(node) or "").split(".")
    for at, part in enumerate(parts):
        if part.startswith("HTTP") and (ERROR_NAME.search(part) or part in HTTP_ERRORS):
            return True
        if part == "HTTPStatus" and at + 1 < len(parts):
            member = parts[at + 1]
            return member in HTTPStatus.__members__ and HTTPStatus[member] >= 400
    return False


def _error_states(node: ast.expr) -> bool:
    """A state that says something failed (``'failed'``, ``['error']``), as a string or in a list."""
    values = node.elts if isinstance(node, ast.List | ast.Tuple | ast.Set) else [node]
    return any(
        isinstance(v, ast.Constant) and isinstance(v.value, str) and v.value.lower() in ERROR_STATES for v in values
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


def _expects_error(
    index: ModuleIndex, node: ast.Call, patterns: Sequence[Pattern], local: bool = True, project: object = None
) -> bool:
    spelled = chain_of(node.func)
    if spelled:
        last = spelled.rpartition(".")[2]
        if last.startswith("assertRaises") or last == "failUnlessRaises":
            return True
        if canonical(index.qualify(spelled)) in EXPECTING:
            return True
        if spelled.split(".")[0] in index.imports and project_subclass(project, index, spelled, EXPECTING):
            return True  # ``testlib_api.ExpectedException(...)``: the project's own
    if local and _error_state_or_status(node):
        return True
    if not patterns or not (node.keywords or node.args):
        return False
    passed = {k.arg: k.value for k in node.keywords if k.arg}
    positional = {_source(arg) for arg in node.args}

    def matches(name: str, value: str) -> bool:
        if not name:
            return value in positional
        return name in passed and (value == "*" or _source(passed[name]) == value)

    return any(all(matches(name, value) for name, value in pattern) for pattern in patterns)


def _source(node: ast.expr) -> str:
    """Normalised source of a keyword value; "" for one too deep to print (never matches)."""
    try:
        return ast.unparse(node)
    except RecursionError:
        return ""


# ---------------------------------------------------------------- pass-evidence (triage)


def _calls(context: Context, test: Callable[[Scope, ast.Call], bool], phrase: str) -> list[Evidence]:
    """For each target, the first call in its closure that ``test`` accepts."""
    out: list[Evidence] = []
    for target in context.targets:
        for scope in context.closures.get(target.qualname, ()):
            hit = next((n for n in walk(scope.node) if isinstance(n, ast.Call) and test(scope, n)), None)
            if hit is None:
                continue
            shown = chain_of(hit.func) or "..."
            inside = "" if scope.definition.qualname == target.qualname else f" in `{scope.definition.qualname}`"
            text = (f"`{target.name}` {phrase} `{shown}(...)`{inside} "
                    f"({_evidence.where(context, scope.index.path, hit.lineno)})")
            out.append(Evidence(scope.index.path, hit.lineno, text))
            break
    return _evidence.unique(out)


def _evidence_of(context: Context) -> list[Evidence]:
    """RG304: where a targeted test expects an error."""

    option = context.options.get("error-assertions", DEFAULT_ERROR_ASSERTIONS)
    entries = [option] if isinstance(option, str) else list(option)
    patterns = [p for p in (_pattern(e) for e in entries) if p]
    return _calls(context, lambda scope, node: _expects_error(scope.index, node, patterns), "expects a failure with")
