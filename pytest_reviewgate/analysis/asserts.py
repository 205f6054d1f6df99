"""What a function checks: ``assert`` statements, asserting calls, ``if ...: raise Error`` checks,
polling loops that raise on a timeout, skips; each function summarised once per module analysis.
"""

from __future__ import annotations

import ast
import fnmatch
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from http import HTTPStatus

from . import idioms
from .closures import Scope
from .index import Definition, ModuleIndex, chain_of, walk
from .project import remember

Function = ast.FunctionDef | ast.AsyncFunctionDef
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_NESTED = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda})
# (asserts by itself, names of ``self.x()`` calls that match the helper globs)
Summary = tuple[bool, frozenset[str]]
_NOTHING: Summary = (False, frozenset())
_ASSERTS: Summary = (True, frozenset())


@dataclass(frozen=True)
class Names:
    """How names resolve for these questions, as the caller knows them: ``canonical`` folds a
    qualified name (the ``mock`` backport into ``unittest.mock``); ``subclass(index, spelled,
    bases)`` says whether a name the module imports is a project class deriving from one of
    ``bases``; ``project`` loads project modules (``load``, ``absolute``), or is None."""

    canonical: Callable[[str], str]
    subclass: Callable[[ModuleIndex, str, Iterable[str]], bool]
    project: object = None


def patterns(option: str | Sequence[str]) -> tuple[str, ...]:
    """The helper globs of an option, lowercased (they match case-insensitively)."""
    return tuple(p.lower() for p in ([option] if isinstance(option, str) else option))


@lru_cache(maxsize=65536)
def matches(name: str, helpers: tuple[str, ...]) -> bool:
    """Whether a name matches one of the (lowercased) globs."""
    lowered = name.lower()
    return any(fnmatch.fnmatchcase(lowered, p) for p in helpers)


def function_of(index: ModuleIndex, qualname: str) -> Function | None:
    """The ``def`` node of a function of the module, else None."""
    node = index.nodes.get(qualname)
    return node if isinstance(node, _FUNCTIONS) else None


# ---------------------------------------------------------------- one call, one statement


def canonical_of(index: ModuleIndex, spelled: str, names: Names) -> str:
    """``names.canonical`` of a spelling qualified in the module, once per module."""
    key = ("asserts.canonical", names.canonical, spelled)
    found = index.memo.get(key)
    if found is None:
        found = index.memo[key] = names.canonical(index.qualify(spelled))
    return found  # type: ignore[return-value]


def asserting_call(index: ModuleIndex, node: ast.Call, helpers: tuple[str, ...], names: Names) -> bool:
    """``x.assert*()`` on any receiver (``mocks['a'].assert_called_once_with()``,
    ``factory().assert_not_called()``), the asserting calls of pytest and testtools, and calls
    that ask the callee to check (``api_post(..., check_response_status=[400])``)."""
    func = node.func
    kind = type(func)
    last = func.attr if kind is ast.Attribute else func.id if kind is ast.Name else ""  # type: ignore[attr-defined]
    if last.startswith("assert"):
        return True
    spelled = chain_of(func)
    if spelled and canonical_of(index, spelled, names) in idioms.ASSERTING:
        return True
    keywords = node.keywords
    if not keywords:
        return False
    if any(k.arg in ("new", "new_callable") and _never_called(k.value) for k in keywords):
        return True  # ``patch(..., new_callable=mock.NonCallableMock)`` fails the test if called
    expectations = idioms.STATUS_EXPECTATIONS | ({"status"} if last in idioms.WEBTEST_REQUESTS else set())
    if any(k.arg in expectations and http_status(k.value, index) for k in keywords):
        return True  # ``app.post(url, body, status=400)``, ``self._update(..., expected_code=409)``
    return bool(helpers) and any(
        k.arg and matches(k.arg, helpers) and not _constant(k.value, False, None) for k in keywords
    )


def http_status(node: ast.expr, index: ModuleIndex | None = None) -> bool:
    """An HTTP status spelled as a number (``400``), an exception's code (``exc.HTTPConflict.code``),
    an ``HTTPStatus`` member or, given the module, a status member of ``http.client`` however it is
    imported (``http.client.FORBIDDEN``, ``http_client.NOT_FOUND``); ``status='ACTIVE'`` is a state,
    not an expected response."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, int) and not isinstance(node.value, bool) and 100 <= node.value <= 599
    spelled = chain_of(node) or ""
    if any(part.startswith("HTTP") for part in spelled.split(".")):
        return True
    if index is None or "." not in spelled:
        return False
    module, _, member = index.qualify(spelled).rpartition(".")
    return module in idioms.HTTP_STATUS_MODULES and member in HTTPStatus.__members__


def _never_called(node: ast.expr) -> bool:
    if isinstance(node, ast.Call):
        node = node.func
    return (chain_of(node) or "").rpartition(".")[2] in idioms.NEVER_CALLED


def _constant(node: ast.expr, *values: object) -> bool:
    return isinstance(node, ast.Constant) and any(node.value is v for v in values)


def is_super(node: ast.AST) -> bool:
    """``super()`` (or ``super(Cls, self)``)."""
    return type(node) is ast.Call and type(node.func) is ast.Name and node.func.id == "super"


def checking_raise(node: ast.AST) -> bool:
    """``if ...: raise Error(...)`` checks a condition; ``raise NotImplementedError`` and skips
    do not."""
    if not isinstance(node, ast.If):
        return False
    for statement in [*node.body, *node.orelse]:
        if isinstance(statement, ast.Raise) and statement.exc is not None:
            # ``raise exc if exc else Timeout(...)``: either branch is what the check raises
            exc = statement.exc
            raised = [exc.body, exc.orelse] if isinstance(exc, ast.IfExp) else [exc]
            for exc in raised:
                name = (chain_of(exc.func if isinstance(exc, ast.Call) else exc) or "").rpartition(".")[2]
                if name and name not in idioms.NOT_CHECKS:
                    return True
    return False


def _sleeps(loop: ast.While) -> bool:
    return any(
        isinstance(n, ast.Call) and (chain_of(n.func) or "").rpartition(".")[2] in idioms.SLEEPS for n in walk(loop)
    )


def polls(node: ast.AST) -> bool:
    """Whether a function waits for a condition and raises when it does not come true: a ``while``
    loop that sleeps and holds an ``if ...: raise Error(...)`` check (a ``for`` over data that
    raises is code validating its input)."""
    return any(
        isinstance(loop, ast.While) and _sleeps(loop) and any(checking_raise(n) for n in walk(loop))
        for loop in walk(node)
    )


def asserts_outright(index: ModuleIndex, node: ast.AST, names: Names) -> bool:
    """Whether a function (or any node) holds an ``assert`` or an asserting call (no helper globs)."""
    for inner in walk(node):
        kind = type(inner)
        if kind is ast.Assert or (kind is ast.Call and asserting_call(index, inner, (), names)):  # type: ignore[arg-type]
            return True
    return False


def from_test_code(qualified: str) -> bool:
    """Whether a qualified name comes from test code (``app.tests.utils.check_x``,
    ``shop.testing.verify``), not from the code under test (``app.utils.check_x``)."""
    return any(part.startswith("test") or part.endswith(("test", "tests")) for part in qualified.split(".")[:-1])


# ---------------------------------------------------------------- functions imported from the project


def imported_function(
    index: ModuleIndex, spelled: str, kind: str, names: Names, test: Callable[[ModuleIndex, ast.AST], bool]
) -> bool:
    """``test`` on the definition of a function the module imports from a project module,
    memoized per module (False when the project cannot load it)."""
    project = names.project
    load, absolute = getattr(project, "load", None), getattr(project, "absolute", None)
    if load is None or absolute is None:
        return False
    qualified = absolute(index, index.qualify(spelled))

    def compute() -> bool:
        module, _, name = qualified.rpartition(".")
        found = load(module) if module else None
        definition = found.by_qualname.get(name) if found is not None else None
        function = definition is not None and definition.kind == "function"
        return found is not None and function and _tested(found, name, kind, test)

    return bool(remember(project, index.memo, (kind, qualified), compute))


def _tested(found: ModuleIndex, name: str, kind: str, test: Callable[[ModuleIndex, ast.AST], bool]) -> bool:
    """``test`` on a function of a loaded module, once per process (it reads the function alone; a
    ``project.`` key outlives the module's nodes, which need not be parsed again for it)."""
    key = ("project.asserts.tested", kind, name)
    if key not in found.memo:
        found.memo[key] = test(found, found.nodes[name])
    return bool(found.memo[key])


def imported_function_asserts(index: ModuleIndex, spelled: str, names: Names) -> bool:
    """Whether a function imported from a project module asserts in its own body
    (``compare_obj(self, result, expected)`` from a shared test module)."""
    return imported_function(index, spelled, "imported-asserts", names,
                             lambda found, node: asserts_outright(found, node, names))


def imported_function_polls(index: ModuleIndex, spelled: str, names: Names) -> bool:
    """Whether a function imported from a project module (test code or not) polls (see ``polls``)."""
    return imported_function(index, spelled, "imported-polls", names, lambda found, node: polls(node))


# ---------------------------------------------------------------- a function's summary


def summary(
    scope: Scope, nodes: Sequence[ast.AST], helpers: tuple[str, ...], names: Names, memo: dict[object, object]
) -> Summary:
    """Whether the function asserts by itself, else the ``self.x()`` helpers it calls whose names
    match ``helpers`` (whether they assert depends on where ``x`` is defined); ``nodes`` are the
    function's nodes (``walk(scope.node)``). Computed once per function and helper globs in
    ``memo``, the analysed module's (``index.memo``): the project files it reads are noted for
    that module's analysis, so a function of a shared base module is summarised per module."""
    key = ("asserts.summary", id(scope.node), helpers)
    found = memo.get(key)
    if found is None:
        found = memo[key] = (_summary(scope, nodes, helpers, names), scope.node)  # the node keeps its id
    return found[0]  # type: ignore[index, no-any-return]


def _summary(scope: Scope, nodes: Sequence[ast.AST], helpers: tuple[str, ...], names: Names) -> Summary:
    index = scope.index
    calls: list[ast.Call] = []
    ifs: list[ast.If] = []
    nested: list[ast.AST] = []
    parents: set[str] = set()  # ``base = super(Cls, self)``: ``base.x()`` calls the parent's ``x``
    for node in nodes:
        kind = type(node)
        if kind is ast.Call:
            calls.append(node)  # type: ignore[arg-type]
        elif kind is ast.Assert:
            return _ASSERTS
        elif kind is ast.If:
            ifs.append(node)  # type: ignore[arg-type]
        elif kind is ast.Assign:
            if is_super(node.value):  # type: ignore[attr-defined]
                parents.update(t.id for t in node.targets if isinstance(t, ast.Name))  # type: ignore[attr-defined]
        elif kind in _NESTED and node is not scope.node:
            nested.append(node)
    checks = [node for node in ifs if checking_raise(node)]
    if checks:
        # a raise in a nested function injects a failure (a fake); it checks nothing
        fakes = {id(inner) for other in nested for inner in walk(other)}
        if any(id(node) not in fakes for node in checks):
            return _ASSERTS
    named: set[str] = set()
    imports = index.imports
    imported: dict[str, bool] = {}  # spelled -> from test code: looked up only when nothing else asserts
    for node in calls:
        if asserting_call(index, node, helpers, names):
            return _ASSERTS
        func = node.func
        if type(func) is ast.Attribute and (
            is_super(func.value) or (type(func.value) is ast.Name and func.value.id in parents)
        ):
            if func.attr.startswith("test") or matches(func.attr, helpers):
                return _ASSERTS  # the parent's test (judged where it is), or its checker
            continue
        spelled = chain_of(func)
        if not spelled:
            continue
        head, _, last = spelled.rpartition(".")
        if head in ("self", "cls"):
            if last.startswith("fail") or last == "expectThat":
                return _ASSERTS
            if matches(last, helpers):
                named.add(last)
        elif spelled.partition(".")[0] in imports and spelled not in imported:
            imported[spelled] = test_code = from_test_code(index.qualify(spelled))
            if test_code and matches(last, helpers):
                return _ASSERTS  # an assertion helper imported from test code, by its name
    for spelled, test_code in imported.items():
        if (
            (test_code and imported_function_asserts(index, spelled, names))  # ``compare_obj(...)``
            or imported_function_polls(index, spelled, names)  # ``wait_until_true(predicate)`` times out
            or names.subclass(index, spelled, idioms.ASSERTING)  # ``testlib_api.ExpectedException(...)``
        ):
            return _ASSERTS
    return (False, frozenset(named)) if named else _NOTHING


def self_calls(scope: Scope) -> frozenset[str]:
    """The names of the ``self.x()`` calls in a function (once per function)."""
    return scope.index.once("asserts.self-calls", scope.node, lambda: frozenset(
        node.func.attr
        for node in walk(scope.node)
        if type(node) is ast.Call
        and type(node.func) is ast.Attribute
        and type(node.func.value) is ast.Name
        and node.func.value.id == "self"
    ))


def body_asserts(index: ModuleIndex, node: ast.AST, depth: int, names: Names) -> bool:
    """Whether a function asserts, or a module function of its module that it calls does
    (``depth`` calls deep)."""
    if asserts_outright(index, node, names):
        return True
    if depth <= 0:
        return False
    for inner in walk(node):
        if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name):
            for definition in index.by_name.get(inner.func.id, []):
                called = index.nodes.get(definition.qualname)
                if definition.kind == "function" and not definition.parent and called is not None:
                    if body_asserts(index, called, depth - 1, names):
                        return True
    return False


def fakes_assert(scope: Scope, names: Names) -> bool:
    """Whether a function or lambda that the function defines (a fake it installs) asserts; once
    per function."""
    return scope.index.once("asserts.fakes", scope.node, lambda: any(
        asserts_outright(scope.index, node, names)
        for node in walk(scope.node)
        if node is not scope.node and type(node) in _NESTED
    ))


def skipped(index: ModuleIndex, target: Definition, names: Names) -> bool:
    """A placeholder that never runs: skipped unconditionally by a decorator (of the function or
    its class), or by its first statement (``self.skipTest(...)``, ``raise unittest.SkipTest``)."""
    owners = [target.qualname] + ([target.parent] if target.in_class else [])
    for qualname in owners:
        node = index.nodes.get(qualname)
        for decorator in getattr(node, "decorator_list", []):
            spelled = chain_of(decorator.func if isinstance(decorator, ast.Call) else decorator) or ""
            if canonical_of(index, spelled, names) in idioms.SKIPS:
                return True
    node = index.nodes.get(target.qualname)
    body = [s for s in getattr(node, "body", []) if not _docstring(s)]
    if not body:
        return False
    first = body[0]
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Call):
        spelled = chain_of(first.value.func) or ""
        return spelled in ("self.skipTest", "cls.skipTest") or canonical_of(index, spelled, names) in idioms.SKIPS
    if isinstance(first, ast.Raise) and first.exc is not None:
        raised = first.exc.func if isinstance(first.exc, ast.Call) else first.exc
        return canonical_of(index, chain_of(raised) or "", names) in idioms.SKIP_EXCEPTIONS
    return False


def first_self_call(index: ModuleIndex, qualname: str) -> str:
    """The method a function's first statement calls on ``self`` (``self.x(...)`` or
    ``return self.x(...)``), or ""."""
    node = index.nodes.get(qualname)
    body = [s for s in getattr(node, "body", []) if not _docstring(s)]
    first = body[0] if body else None
    call = first.value if isinstance(first, ast.Expr | ast.Return) else None
    func = call.func if isinstance(call, ast.Call) else None
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "self":
        return func.attr
    return ""


def skipping_helper(index: ModuleIndex, node: ast.AST, names: Names) -> bool:
    """Whether every path through a function ends in a skip or a raise, and one in a skip
    (``if known: return super().skipTest(why)`` then ``raise Exception(...)``): a test that calls
    it first never runs its body. A skip under a condition that can fall through is none."""
    return _ending(index, getattr(node, "body", []), names) == "skip"


def _ending(index: ModuleIndex, statements: Sequence[ast.stmt], names: Names) -> str | None:
    """How the statements end every path: "skip" (all skip or raise, one skips), "raise", or
    "return" when a path may end normally; None when they fall through to what follows."""
    skipped = False  # a branch that ended in a skip while the other went on
    for statement in statements:
        if isinstance(statement, ast.Expr | ast.Return) and isinstance(statement.value, ast.Call):
            if _skip_call(index, statement.value, names):
                return "skip"
            if isinstance(statement, ast.Return):
                return "return"  # ``return helper()``
        elif isinstance(statement, ast.Return):
            return "return"
        elif isinstance(statement, ast.For | ast.AsyncFor | ast.While | ast.With | ast.AsyncWith | ast.Try):
            if any(type(node) is ast.Return for node in walk(statement)):
                return "return"  # a return inside may end a path normally
        elif isinstance(statement, ast.Raise):
            raised = statement.exc.func if isinstance(statement.exc, ast.Call) else statement.exc
            skips = raised is not None and canonical_of(index, chain_of(raised) or "", names) in idioms.SKIP_EXCEPTIONS
            return "skip" if skips or skipped else "raise"
        elif isinstance(statement, ast.If):
            ends = (_ending(index, statement.body, names), _ending(index, statement.orelse, names))
            if "return" in ends:
                return "return"
            skipped = skipped or "skip" in ends
            if None not in ends:
                return "skip" if skipped else "raise"
    return None


def _skip_call(index: ModuleIndex, call: ast.Call, names: Names) -> bool:
    """``self.skipTest(...)``, ``super().skipTest(...)`` or a skip of pytest or unittest."""
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr == "skipTest":
        receiver = func.value
        return (isinstance(receiver, ast.Name) and receiver.id in ("self", "cls")) or is_super(receiver)
    return canonical_of(index, chain_of(func) or "", names) in idioms.SKIPS


def _docstring(statement: ast.stmt) -> bool:
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)


def first_check(scope: Scope, names: Names) -> tuple[int, str] | None:
    """Where a function first asserts, for evidence: (line, "") for an ``assert`` statement, else
    (line, the callee as spelled) for an asserting call; None when it does neither."""
    for node in walk(scope.node):
        if type(node) is ast.Assert:
            return node.lineno, ""
    for node in walk(scope.node):
        if type(node) is ast.Call and asserting_call(scope.index, node, (), names):
            return node.lineno, chain_of(node.func) or "assert"
    return None
