"""RG303 `tests-assert`: each targeted test asserts something, directly or through a helper."""

from __future__ import annotations

import ast
import fnmatch
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, ClassVar

from ..analysis import closures as target_selection
from ..analysis import idioms
from ..analysis.closures import Scope
from ..analysis.index import Definition, ModuleIndex, chain_of, walk
from ..model import Violation
from . import _evidence
from ._patches import Reach, canonical, closure_of, project_subclass
from .base import Context, Evidence, Rule

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
DEFAULT_HELPERS = ["*assert*", "*check*", "*verify*", "*fail*", "*wait_for*"]
NOT_CHECKS = frozenset({"NotImplementedError", "SkipTest", "skipException"})


class TestsAssert(Rule):
    """Each targeted test asserts something.

    ## What it does
    For each targeted test (a function or method matching pytest's default
    `test*` / `Test*` naming, or a `test*` method of a class with bases such as
    `unittest.TestCase`), looks for an assertion in the test or in the module
    helpers it calls, transitively: an `assert` statement, `self.assert*`,
    `self.fail*`, `self.expectThat`, `pytest.raises`/`warns`/`fail`,
    `testtools.ExpectedException`, a patch whose mock fails when called
    (`new_callable=mock.NonCallableMock`), any call whose name starts with
    `assert` on any receiver (a mock's `assert_called_once_with`, also through
    `mocks['a']` or `factory()`, `numpy.testing.assert_equal`), an
    `if ...: raise Error(...)` check (also `raise exc if exc else Error(...)`;
    not `NotImplementedError`, and not in a
    fake the test defines), or a call that asks its callee to check, by a
    keyword matching `assert-helpers` (`check_response_status=[400]`) or by
    an HTTP status to expect (`app.post(url, body, status=400)`,
    `expected_code=exc.HTTPConflict.code`); a project class that derives
    from `testtools.ExpectedException` counts as it does.

    A call `self.x()` or `super().x()` to a method the closure does not
    define (inherited from a base class outside the project) counts when
    the name matches `assert-helpers`; so does a function imported from test
    code (`from shop.testing import verify_totals`), or when its body in the
    project asserts; so does a project function, test code or not, that
    polls (a `while` loop that sleeps and holds an `if ...: raise` check:
    `wait_until_true(predicate)`).
    `super().test_x()` runs the parent's test, judged where
    it is defined. A `self.x()` in a test of a mixin counts when a class of
    the module that combines the mixin with a test case has an `x` that
    asserts. Assertions in a fake that `setUp` or a fixture defines (and
    installs) count for every test it serves.

    Not checked: non-test targets; `test*` methods of a class that is no test
    (neither its name, nor its bases, nor a class of the module deriving from
    it says so: `class FakeManager(Manager): def test_method(...)`); and
    placeholders that never run, skipped unconditionally by a decorator of
    the test or its class (`unittest.skip`, `pytest.mark.skip`) or by their
    first statement (`self.skipTest(...)`). Reported at the test's `def` line.

    ## Why is this bad?
    A test that asserts nothing only proves that the code does not raise; it
    passes when the behaviour it is named after is broken, and reviewers
    count it as coverage it does not give.

    ## Example
    ```python
    def test_resize(server):
        server.resize(flavor="large")
    ```

    Use instead:
    ```python
    def test_resize(server):
        server.resize(flavor="large")
        assert server.flavor == "large"
    ```

    ## Options
    `assert-helpers` (default `["*assert*", "*check*", "*verify*", "*fail*",
    "*wait_for*"]`): case-insensitive globs on the names of `self.x()` helpers
    defined outside the module that assert for the test; they also name the
    imported functions and the keywords that count.

    ## Known problems
    A test whose body only says `pass` to switch off an inherited test is
    reported: skip it (`self.skipTest(...)`) to say so. A fake counts when
    `setUp` defines it, whether or not it is installed.
    """

    __test__ = False  # the class name starts with "Test"; pytest must not collect it

    code = "RG303"
    name = "tests-assert"
    version = "3"
    summary = "Each targeted test asserts something"
    cwe = 710
    kind = "static"
    options: ClassVar[Mapping[str, Any]] = {"assert-helpers": DEFAULT_HELPERS}

    def evidence(self, context: Context) -> list[Evidence]:
        """Why the targets pass, for triage (see ``_evidence.asserts``)."""
        return _evidence_of(context)

    def check(self, context: Context) -> Iterator[Violation]:
        helpers = _patterns(context.options.get("assert-helpers", DEFAULT_HELPERS))
        reach = Reach(lambda scope, nodes: _summary(scope, nodes, helpers, context.project))
        classes: dict[str, bool] = {}
        for target in context.targets:
            if not target_selection.is_test(target, context.index) or _skipped(context.index, target):
                continue
            if target.in_class and not _test_class(context, target.parent, classes):
                continue
            closure = closure_of(context, target.qualname)
            if not closure or _asserts(closure, reach) or _installed_fakes_assert(closure):
                continue
            if _mixin_methods_assert(context, target, closure, reach):
                continue
            yield Violation(
                rule=self.code,
                message=(
                    f"test `{target.name}` asserts nothing -> assert on the outcome "
                    "(`assert`, `self.assert*`, `pytest.raises`, a mock's `assert_called_*`), "
                    "or list the helper that asserts under `assert-helpers`"
                ),
                path=context.index.path,
                line=target.line,
                definition=target.qualname,
                source=context.index.source_line(target.line),
            )


def _mixin_methods_assert(
    context: Context, target: Definition, closure: Sequence[Scope], reach: Reach[Summary]
) -> bool:
    """For a test of a mixin: whether a ``self.x()`` the closure does not define is a method of
    a class that combines the mixin with a test case (``class TestThing(_LocalTest,
    _TestThingMixin)``) and asserts there, or in a module function it calls."""
    if not target.in_class:
        return False
    users = [d.qualname for d in context.index.definitions if d.kind == "class" and target.parent in d.bases]
    if not users:
        return False
    known = {s.definition.name for s in closure}
    wanted = {
        node.func.attr
        for scope in reach(closure)
        for node in walk(scope.node)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "self"
        and node.func.attr not in known
    }
    builder = target_selection.ClosureBuilder(context.index, (), context.project)
    for name in sorted(wanted):
        for user in users:
            found = builder.method(user, name)
            node = found[0].nodes.get(found[1].qualname) if found else None
            if found and isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                if _body_asserts(found[0], node, 2):
                    return True
                break
    return False


def _body_asserts(index: ModuleIndex, node: ast.AST, depth: int) -> bool:
    """Whether a function asserts, or a module function of its module that it calls does
    (``depth`` calls deep)."""
    for inner in walk(node):
        if isinstance(inner, ast.Assert) or (isinstance(inner, ast.Call) and _asserting_call(index, inner, ())):
            return True
    if depth <= 0:
        return False
    for inner in walk(node):
        if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name):
            for definition in index.by_name.get(inner.func.id, []):
                called = index.nodes.get(definition.qualname)
                if definition.kind == "function" and not definition.parent and called is not None:
                    if _body_asserts(index, called, depth - 1):
                        return True
    return False


def _patterns(option: str | Sequence[str]) -> list[str]:
    return [p.lower() for p in ([option] if isinstance(option, str) else option)]


# (asserts by itself, names of ``self.x()`` calls that match ``assert-helpers``)
Summary = tuple[bool, frozenset[str]]


def _asserts(closure: Sequence[Scope], reach: Reach[Summary]) -> bool:
    """Whether the test or a helper it reaches asserts; a matching ``self.x()`` counts when the
    closure does not define ``x`` (it comes from a base class outside the project)."""
    known = {s.definition.name for s in closure}
    for scope in reach(closure):
        direct, named = reach.summary(scope)
        if direct or any(name not in known for name in named):
            return True
    return False


def _summary(scope: Scope, nodes: Sequence[ast.AST], helpers: Sequence[str], project: object) -> Summary:
    named: set[str] = set()
    index = scope.index
    parents = {  # ``base = super(Cls, self)``: ``base.x()`` calls the parent's ``x``
        target.id
        for node in nodes
        if isinstance(node, ast.Assign) and _is_super(node.value)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    fakes: set[int] | None = None  # a raise in a nested function injects a failure; it checks nothing
    for node in nodes:
        if isinstance(node, ast.Assert):
            return True, frozenset()
        if isinstance(node, ast.If) and _checking_raise(node):
            if fakes is None:
                fakes = {
                    id(inner)
                    for other in nodes
                    if other is not scope.node
                    and isinstance(other, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
                    for inner in walk(other)
                }
            if id(node) not in fakes:
                return True, frozenset()
        if not isinstance(node, ast.Call):
            continue
        if _asserting_call(index, node, helpers):
            return True, frozenset()
        func = node.func
        if isinstance(func, ast.Attribute) and (
            _is_super(func.value) or (isinstance(func.value, ast.Name) and func.value.id in parents)
        ):
            if func.attr.startswith("test") or _matches(func.attr, helpers):
                return True, frozenset()  # the parent's test (judged where it is), or its checker
            continue
        spelled = chain_of(func)
        if not spelled:
            continue
        head, _, last = spelled.rpartition(".")
        if head in ("self", "cls"):
            if last.startswith("fail") or last == "expectThat":
                return True, frozenset()
            if any(fnmatch.fnmatchcase(last.lower(), p) for p in helpers):
                named.add(last)
        elif spelled.split(".")[0] in index.imports and _from_test_code(index.qualify(spelled)) and (
            _matches(last, helpers) or _imported_function_asserts(project, index, spelled)
        ):
            return True, frozenset()  # an assertion helper imported from elsewhere
        elif spelled.split(".")[0] in index.imports and _imported_function_polls(project, index, spelled):
            return True, frozenset()  # ``utils.wait_until_true(predicate)`` fails when it times out
        elif spelled.split(".")[0] in index.imports and project_subclass(project, index, spelled, ASSERTING):
            return True, frozenset()  # ``testlib_api.ExpectedException(...)``: the project's own
    return False, frozenset(named)


def _from_test_code(qualified: str) -> bool:
    """Whether a qualified name comes from test code (``app.tests.utils.check_x``,
    ``shop.testing.verify``), not from the code under test (``app.utils.check_x``)."""
    return any(part.startswith("test") or part.endswith(("test", "tests")) for part in qualified.split(".")[:-1])


def _imported_function_asserts(project: object, index: ModuleIndex, spelled: str) -> bool:
    """Whether a function imported from a project module asserts in its own body
    (``compare_obj(self, result, expected)`` from a shared test module)."""
    return _imported_function(project, index, spelled, "imported-asserts", lambda found, node: any(
        isinstance(n, ast.Assert) or (isinstance(n, ast.Call) and _asserting_call(found, n, ()))
        for n in walk(node)
    ))


def _imported_function_polls(project: object, index: ModuleIndex, spelled: str) -> bool:
    """Whether a function imported from a project module (test code or not) waits for a condition
    and raises when it does not come true: a ``while`` loop that sleeps and holds an ``if ...: raise
    Error(...)`` check (a ``for`` over data that raises is code under test validating its input)."""
    return _imported_function(project, index, spelled, "imported-polls", lambda found, node: any(
        isinstance(loop, ast.While) and _sleeps(loop) and any(_checking_raise(n) for n in walk(loop))
        for loop in walk(node)
    ))


def _imported_function(
    project: object, index: ModuleIndex, spelled: str, kind: str, test: Callable[[ModuleIndex, ast.AST], bool]
) -> bool:
    """``test`` on the definition of a function imported from a project module, memoized per module."""
    load, absolute = getattr(project, "load", None), getattr(project, "absolute", None)
    if load is None or absolute is None:
        return False
    qualified = absolute(index, index.qualify(spelled))
    key = (kind, qualified)
    if key not in index.memo:
        module, _, name = qualified.rpartition(".")
        found = load(module) if module else None
        node = found.nodes.get(name) if found is not None else None
        index.memo[key] = found is not None and isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and test(
            found, node)
    return bool(index.memo[key])


def _sleeps(loop: ast.While) -> bool:
    return any(
        isinstance(n, ast.Call) and (chain_of(n.func) or "").rpartition(".")[2] in idioms.SLEEPS for n in walk(loop)
    )


def _asserting_call(index: ModuleIndex, node: ast.Call, helpers: Sequence[str]) -> bool:
    """``x.assert*()`` on any receiver (``mocks['a'].assert_called_once_with()``,
    ``factory().assert_not_called()``), the asserting calls of pytest and testtools, and calls
    that ask the callee to check (``api_post(..., check_response_status=[400])``)."""
    func = node.func
    last = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    if last.startswith("assert"):
        return True
    spelled = chain_of(func)
    if spelled and canonical(index.qualify(spelled)) in ASSERTING:
        return True
    if any(k.arg in ("new", "new_callable") and _never_called(k.value) for k in node.keywords):
        return True  # ``patch(..., new_callable=mock.NonCallableMock)`` fails the test if called
    expectations = idioms.STATUS_EXPECTATIONS | ({"status"} if last in idioms.WEBTEST_REQUESTS else set())
    if any(k.arg in expectations and _http_status(k.value) for k in node.keywords):
        return True  # ``app.post(url, body, status=400)``, ``self._update(..., expected_code=409)``
    return any(
        k.arg and _matches(k.arg, helpers) and not _constant(k.value, False, None) for k in node.keywords
    )


def _http_status(node: ast.expr) -> bool:
    """An HTTP status spelled as a number (``400``), an exception's code (``exc.HTTPConflict.code``)
    or an ``HTTPStatus`` member; ``status='ACTIVE'`` is a state, not an expected response."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, int) and not isinstance(node.value, bool) and 100 <= node.value <= 599
    spelled = chain_of(node) or ""
    return any(part.startswith("HTTP") for part in spelled.split("."))


def _never_called(node: ast.expr) -> bool:
    if isinstance(node, ast.Call):
        node = node.func
    return (chain_of(node) or "").rpartition(".")[2] in ("NonCallableMock", "NonCallableMagicMock")


def _matches(name: str, helpers: Sequence[str]) -> bool:
    return any(fnmatch.fnmatchcase(name.lower(), p) for p in helpers)


def _constant(node: ast.expr, *values: object) -> bool:
    return isinstance(node, ast.Constant) and any(node.value is v for v in values)


def _is_super(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "super"


def _checking_raise(node: ast.AST) -> bool:
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
                if name and name not in NOT_CHECKS:
                    return True
    return False


def _installed_fakes_assert(closure: Sequence[Scope]) -> bool:
    """Whether a fake that ``setUp`` or a fixture defines asserts: ``setUp`` installs it
    (``self.stub_out(name, fake)``) and the code under test calls it while the test runs."""
    for scope in closure:
        if scope.role not in ("setup", "fixture"):
            continue
        for node in walk(scope.node):
            if node is scope.node or not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                continue
            for inner in walk(node):
                if isinstance(inner, ast.Assert) or (
                    isinstance(inner, ast.Call) and _asserting_call(scope.index, inner, ())
                ):
                    return True
    return False


def _skipped(index: ModuleIndex, target: Definition) -> bool:
    """A placeholder that never runs: skipped unconditionally by a decorator (of the test or its
    class), or by its first statement (``self.skipTest(...)``, ``raise unittest.SkipTest``)."""
    owners = [target.qualname] + ([target.parent] if target.in_class else [])
    for qualname in owners:
        node = index.nodes.get(qualname)
        for decorator in getattr(node, "decorator_list", []):
            spelled = chain_of(decorator.func if isinstance(decorator, ast.Call) else decorator) or ""
            if canonical(index.qualify(spelled)) in idioms.SKIPS:
                return True
    node = index.nodes.get(target.qualname)
    body = [s for s in getattr(node, "body", []) if not _docstring(s)]
    if not body:
        return False
    first = body[0]
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Call):
        spelled = chain_of(first.value.func) or ""
        return spelled in ("self.skipTest", "cls.skipTest") or canonical(index.qualify(spelled)) in idioms.SKIPS
    if isinstance(first, ast.Raise) and first.exc is not None:
        raised = first.exc.func if isinstance(first.exc, ast.Call) else first.exc
        return canonical(index.qualify(chain_of(raised) or "")) in idioms.SKIP_EXCEPTIONS
    return False


def _docstring(statement: ast.stmt) -> bool:
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)


def _test_class(context: Context, qualname: str, known: dict[str, bool]) -> bool:
    """Whether a class runs its ``test*`` methods as tests: its name says so (``Test*``,
    ``*TestCase``, ``_TestMixin``), a base says so through any chain of project bases (or
    cannot be read), or a class of the module that does derives from it. A fake such as
    ``class FakeManager(manager.Manager)`` with a ``test_method`` is no test class."""
    if qualname in known:
        return known[qualname]
    known[qualname] = True  # while deciding: a cycle is no evidence against
    found = _test_like_chain(context, qualname)
    if not found:
        users = [d for d in context.index.definitions if d.kind == "class" and qualname in d.bases]
        found = any(_test_class(context, user.qualname, known) for user in users)
    known[qualname] = found
    return found


def _test_like_chain(context: Context, qualname: str) -> bool:
    resolve = getattr(context.project, "resolve_class", None)
    queue: list[tuple[ModuleIndex, str]] = [(context.index, qualname)]
    seen: set[tuple[str, str]] = set()
    while queue and len(seen) < 32:
        index, current = queue.pop(0)
        if (index.path, current) in seen:
            continue
        seen.add((index.path, current))
        cls = index.by_qualname.get(current)
        if cls is None or cls.kind != "class" or "Test" in cls.name or "*" in index.imports:
            return True  # unknown, or named as a test
        for base in cls.bases:
            if base in index.by_qualname:
                queue.append((index, base))
                continue
            qualified, module, inner = resolve(index, base) if resolve is not None else (index.qualify(base), None, "")
            if module is not None:
                queue.append((module, inner))
            elif base.split(".")[0] not in index.imports or "test" in qualified.lower():
                return True  # a base from outside the project: a test base unless its name says not
    return False


# ---------------------------------------------------------------- pass-evidence (triage)


def _evidence_of(context: Context) -> list[Evidence]:
    """RG303: where each targeted test asserts (itself or through a helper)."""

    out: list[Evidence] = []
    for target in context.targets:
        for scope in context.closures.get(target.qualname, ()):
            node = next((n for n in walk(scope.node) if isinstance(n, ast.Assert)), None)
            if node is not None:
                inside = "" if scope.definition.qualname == target.qualname else f" in `{scope.definition.qualname}`"
                out.append(Evidence(scope.index.path, node.lineno,
                                    f"`{target.name}` asserts{inside} "
                                    f"({_evidence.where(context, scope.index.path, node.lineno)})"))
                break
            call = next((n for n in walk(scope.node) if isinstance(n, ast.Call)
                         and _asserting_call(scope.index, n, ())), None)
            if call is not None:
                inside = "" if scope.definition.qualname == target.qualname else f" in `{scope.definition.qualname}`"
                shown = chain_of(call.func) or "assert"
                out.append(Evidence(scope.index.path, call.lineno,
                                    f"`{target.name}` asserts with `{shown}(...)`{inside} "
                                    f"({_evidence.where(context, scope.index.path, call.lineno)})"))
                break
    return _evidence.unique(out)
