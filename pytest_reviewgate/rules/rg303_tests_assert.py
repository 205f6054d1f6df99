"""RG303 `tests-assert`: each targeted test asserts something, directly or through a helper."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import partial
from typing import Any, ClassVar

from ..analysis import asserts
from ..analysis import closures as target_selection
from ..analysis.closures import Scope
from ..analysis.index import Definition, ModuleIndex
from ..model import Violation
from . import _evidence
from ._patches import Reach, canonical, closure_of, project_subclass
from .base import Context, Evidence, Rule

Lazy = Callable[[], asserts.Summary]
DEFAULT_HELPERS = ["*assert*", "*check*", "*verify*", "*fail*", "*wait_for*"]


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
    `expected_code=exc.HTTPConflict.code`, `expected_status_code=http.client.FORBIDDEN`,
    however `http.client` is imported); a project class that derives
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
    first statement (`self.skipTest(...)`, or a call of a method of the class
    or a project base every path of which skips or raises, one of them
    skipping: `self.skip_test_overrides('N/A')`, unless a class of the module
    deriving from the test's class overrides it with one that does not skip).
    Reported at the test's `def` line.

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
    version = "5"
    summary = "Each targeted test asserts something"
    cwe = 710
    kind = "static"
    options: ClassVar[Mapping[str, Any]] = {"assert-helpers": DEFAULT_HELPERS}

    def evidence(self, context: Context) -> list[Evidence]:
        """Why the targets pass, for triage (see ``_evidence.asserts``)."""
        return _evidence_of(context)

    def check(self, context: Context) -> Iterator[Violation]:
        helpers = asserts.patterns(context.options.get("assert-helpers", DEFAULT_HELPERS))
        names = _names(context.project)
        memo = context.index.memo
        # a summary is worked out when asked for: the helpers of a test that asserts itself are not
        reach: Reach[Lazy] = Reach(lambda scope, nodes: partial(asserts.summary, scope, nodes, helpers, names, memo))
        classes: dict[str, bool] = {}
        for target in context.targets:
            if not target_selection.is_test(target, context.index) or asserts.skipped(context.index, target, names):
                continue
            if target.in_class and not _test_class(context, target.parent, classes):
                continue
            closure = closure_of(context, target.qualname)
            if not closure or _asserts(closure, reach) or _installed_fakes_assert(closure, names):
                continue
            if _skipped_by_a_helper(context, target, closure, names):
                continue
            if _mixin_methods_assert(context, target, closure, reach, names):
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


def _names(project: object) -> asserts.Names:
    """Names resolved as the mock rules resolve them: the ``mock`` backport folded, project
    classes read through ``project``."""
    return asserts.Names(
        canonical, lambda index, spelled, bases: project_subclass(project, index, spelled, bases), project
    )


def _mixin_methods_assert(
    context: Context, target: Definition, closure: Sequence[Scope], reach: Reach[Lazy],
    names: asserts.Names,
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
    wanted = {name for scope in reach(closure) for name in asserts.self_calls(scope) if name not in known}
    builder = target_selection.ClosureBuilder(context.index, (), context.project)
    for name in sorted(wanted):
        for user in users:
            found = builder.method(user, name)
            node = asserts.function_of(found[0], found[1].qualname) if found else None
            if found and node is not None:
                if asserts.body_asserts(found[0], node, 2, names):
                    return True
                break
    return False


def _skipped_by_a_helper(
    context: Context, target: Definition, closure: Sequence[Scope], names: asserts.Names
) -> bool:
    """Whether the test's first statement calls a method of its class or a project base
    (``self.skip_test_overrides('N/A')``) every path of which skips or raises, and that no class of
    the module deriving from the test's class overrides with one that does not: a placeholder.
    In a mixin, the method is looked up in the module's classes that derive from it, through
    any chain: each that finds it must find such a method."""
    if not target.in_class:
        return False
    name = asserts.first_self_call(context.index, target.qualname)
    if not name:
        return False
    if any(
        scope.definition.name == name and scope.definition.in_class
        and asserts.skipping_helper(scope.index, scope.node, names)
        for scope in closure
    ):
        return not _overridden(context, target.parent, name, names)  # a subclass's own hook may run the test
    if any(scope.definition.name == name and scope.definition.in_class for scope in closure):
        return False  # the class's own lookup finds a method that does not always skip
    builder = target_selection.ClosureBuilder(context.index, (), context.project)
    verdicts = []
    for user in _derived(context, target.parent):
        found = builder.method(user, name)
        node = asserts.function_of(found[0], found[1].qualname) if found else None
        if found and node is not None:
            verdicts.append(asserts.skipping_helper(found[0], node, names))
    return bool(verdicts) and all(verdicts)


def _overridden(context: Context, owner: str, name: str, names: asserts.Names) -> bool:
    """Whether a class of the module deriving from ``owner`` defines ``name`` itself with a method
    that does not always skip: the inherited test runs there (a capability hook that says yes)."""
    for user in _derived(context, owner):
        own = context.index.by_qualname.get(f"{user}.{name}")
        node = asserts.function_of(context.index, own.qualname) if own is not None else None
        if node is not None and not asserts.skipping_helper(context.index, node, names):
            return True
    return False


def _derived(context: Context, qualname: str) -> list[str]:
    """The module's classes that derive from a class of it, through any chain of its classes."""
    found: list[str] = []
    todo = [qualname]
    while todo:
        current = todo.pop()
        for d in context.index.definitions:
            if d.kind == "class" and current in d.bases and d.qualname not in found and d.qualname != qualname:
                found.append(d.qualname)
                todo.append(d.qualname)
    return found


def _asserts(closure: Sequence[Scope], reach: Reach[Lazy]) -> bool:
    """Whether the test or a helper it reaches asserts; a matching ``self.x()`` counts when the
    closure does not define ``x`` (it comes from a base class outside the project)."""
    known = {s.definition.name for s in closure}
    for scope in reach(closure):
        direct, named = reach.summary(scope)()
        if direct or any(name not in known for name in named):
            return True
    return False


def _installed_fakes_assert(closure: Sequence[Scope], names: asserts.Names) -> bool:
    """Whether a fake that ``setUp`` or a fixture defines asserts: ``setUp`` installs it
    (``self.stub_out(name, fake)``) and the code under test calls it while the test runs."""
    return any(scope.role in ("setup", "fixture") and asserts.fakes_assert(scope, names) for scope in closure)


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

    names = _names(context.project)
    out: list[Evidence] = []
    for target in context.targets:
        for scope in context.closures.get(target.qualname, ()):
            found = asserts.first_check(scope, names)
            if found is None:
                continue
            line, shown = found
            inside = "" if scope.definition.qualname == target.qualname else f" in `{scope.definition.qualname}`"
            where = _evidence.where(context, scope.index.path, line)
            how = f" with `{shown}(...)`" if shown else ""
            out.append(Evidence(scope.index.path, line, f"`{target.name}` asserts{how}{inside} ({where})"))
            break
    return _evidence.unique(out)
