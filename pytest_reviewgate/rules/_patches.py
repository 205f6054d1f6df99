"""Shared by the mock and hygiene rules: patch calls by qualified name, started patchers and
their stops within one closure, and the helpers a test reaches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from ..analysis import closures, facts, flow, idioms
from ..analysis.closures import Scope
from ..analysis.frames import Node, called_names, function_node, helpers_called, nodes_of, returned_names, shadowing
from ..analysis.idioms import MULTIPLE_OPTIONS, PATCHES
from ..analysis.index import Definition, ModuleIndex
from ..analysis.patches import (
    PatchCall,
    canonical,
    describe,
    helper_calls,
    loop_patchers,
    patch_call,
    patcher_calls,
    startable,
)
from ..analysis.project import remember
from ..model import Violation
from .base import Context

# the recogniser and the per-function facts live in analysis; these names stay importable from here
__all__ = [
    "MULTIPLE_OPTIONS",
    "PATCHES",
    "PatchCall",
    "Reach",
    "called_names",
    "canonical",
    "closure_of",
    "patch_call",
    "project_subclass",
    "shadowing",
    "startable",
]
T = TypeVar("T")


def unique(violations: Iterable[Violation]) -> Iterator[Violation]:
    """Each violation once, however many closures share the function it is in."""
    seen: set[tuple[str, int, str]] = set()
    for violation in violations:
        key = (violation.path, violation.line, violation.message)
        if key not in seen:
            seen.add(key)
            yield violation


def at_call(code: str, call: facts.Call, message: str) -> Violation:
    """A violation located at a call that ``flow`` found, in the module that holds it."""
    assert call.scope is not None  # flow sets the scope of every fact
    index = call.scope.index
    owner = index.enclosing(call.line)
    return Violation(
        rule=code,
        message=message,
        path=index.path,
        line=call.line,
        definition=owner.qualname if owner is not None else call.scope.definition.qualname,
        source=index.source_line(call.line),
    )


def closure_of(context: Context, qualname: str) -> Sequence[Scope]:
    """A target's closure; a lone target scope when the engine gave none."""
    closure = context.closures.get(qualname)
    if closure:
        return closure
    definition = context.index.by_qualname.get(qualname)
    node = function_node(context.index, qualname)
    if definition is None or node is None:
        return ()
    return (Scope(context.index, definition, node, "target"),)


def project_subclass(project: object, index: ModuleIndex, spelled: str, bases: Iterable[str]) -> bool:
    """Whether a name the module imports is a class of the project deriving from one of ``bases``
    (a project's ``ExpectedException(testtools.ExpectedException)``); memoised per module."""
    resolve, inherits = getattr(project, "resolve_class", None), getattr(project, "inherits", None)
    wanted = tuple(sorted(bases))
    if resolve is None or inherits is None or not wanted:
        return False

    def compute() -> bool:
        _, module, inner = resolve(index, spelled)
        return module is not None and bool(inner) and inherits(module, inner, wanted) is True

    return bool(remember(project, index.memo, ("project-subclass", spelled, wanted), compute))


def stopall_base(context: Context, target: Definition, known: dict[str, bool]) -> bool:
    """Whether the target's class derives from a ``stopall-bases`` class; unknown is no.

    ``known`` remembers the answer per class for one check.
    """
    if not target.in_class or not context.settings.stopall_bases:
        return False
    if target.parent not in known:
        bases = context.settings.stopall_bases
        known[target.parent] = context.project.inherits(context.index, target.parent, bases) is True
    return known[target.parent]


def judged_closures(context: Context) -> Iterator[tuple[Definition, Sequence[Scope]]]:
    """Each targeted test with its closure, then each other target that no such closure covers.

    Cleanups pair within a test's closure; a setUp or helper that a targeted test runs is
    judged there, and alone (with its class's teardown hooks) only when no targeted test runs it.
    """
    covered: set[str] = set()
    others: list[Definition] = []
    for target in context.targets:
        if not closures.is_test(target, context.index):
            others.append(target)
            continue
        closure = closure_of(context, target.qualname)
        covered.update(scope_key(s) for s in closure)
        yield target, closure
    for target in others:
        if f"{context.index.path}:{target.qualname}" not in covered:
            yield target, closure_with_teardown(context, target)


def closure_with_teardown(context: Context, target: Definition) -> Sequence[Scope]:
    """A closure; for a method that is no test (setUp, a helper), plus its class's teardown hooks.

    Cleanups pair within a test's closure, and a test of the class runs those hooks too.
    """
    closure = list(closure_of(context, target.qualname))
    if not closure or not target.in_class or closures.is_test(target, context.index):
        return closure
    builder = closures.ClosureBuilder(context.index, (), context.project)
    seen = {scope_key(s) for s in closure}
    for names, role in ((idioms.TEARDOWN, "teardown"), (idioms.CLASS_TEARDOWN, "class-teardown")):
        for name in names:
            found = builder.method(target.parent, name)
            node = function_node(found[0], found[1].qualname) if found else None
            if found and node is not None:
                scope = Scope(found[0], found[1], node, role, "")
                if scope_key(scope) not in seen:
                    seen.add(scope_key(scope))
                    closure.append(scope)
    return closure


class Reach(Generic[T]):
    """The functions a target reaches through its closure's helpers, and a rule's summary of
    each function's nodes; both computed in one walk per function and check."""

    def __init__(self, summarise: Callable[[Scope, Sequence[Node]], T]) -> None:
        self._summarise = summarise
        self._known: dict[str, tuple[frozenset[str], T]] = {}

    def summary(self, scope: Scope) -> T:
        return self._facts(scope)[1]

    def __call__(self, closure: Sequence[Scope]) -> list[Scope]:
        """The target and the helpers it calls, transitively (not its setUp or fixtures)."""
        if not closure:
            return []
        helpers: dict[str, list[Scope]] = {}
        for scope in closure[1:]:
            if scope.role == "helper":
                helpers.setdefault(scope.definition.name, []).append(scope)
        out = [closure[0]]
        seen = {id(closure[0])}
        position = 0
        while position < len(out):
            names = self._facts(out[position])[0] if helpers else frozenset()
            for name in names:
                for helper in helpers.get(name, []):
                    if id(helper) not in seen:
                        seen.add(id(helper))
                        out.append(helper)
            position += 1
        return out

    def _facts(self, scope: Scope) -> tuple[frozenset[str], T]:
        key = scope_key(scope)
        if key not in self._known:
            nodes = nodes_of(scope.node)
            self._known[key] = (helpers_called(scope.index, scope.node), self._summarise(scope, nodes))
        return self._known[key]


# Started patchers and what stops them, shared by RG201 and RG301.
Key = tuple[str, str]  # ("", "self.p") for attributes of self/cls, (path:qualname, "p") for locals


@dataclass(frozen=True)
class Start:
    """A patcher's ``start()`` and how the closure undoes it."""

    call: facts.Call  # the ``.start()`` call
    label: str  # "`p`" or "`mock.patch('a.b')`"
    key: str  # spelled patcher, "" when started straight from the patch call
    status: str  # stopped | unstopped | unsafe (stopped only in the test body) | noop
    stop_line: int = 0  # the unsafe stop


@dataclass(frozen=True)
class Patchers:
    starts: tuple[Start, ...]
    noops: tuple[facts.Call, ...]  # cleanups that call ``stop`` on the mock ``start()`` returned


def scope_key(scope: Scope | None) -> str:
    return f"{scope.index.path}:{scope.definition.qualname}" if scope is not None else ""


def key_of(call: facts.Call, spelled: str) -> Key:
    head, dot, rest = spelled.partition(".")
    if head in ("self", "cls"):
        return "", f"self{dot}{rest}"
    return scope_key(call.scope), spelled


def restoring_helpers(closure: flow.Closure) -> set[str]:
    """Scope keys of closure helpers that a cleanup, tearDown, ``finally`` or post-``yield``
    code calls (once per closure)."""
    found = closure.memo.get("restoring-helpers")
    if not isinstance(found, set):
        found = closure.memo["restoring-helpers"] = _restoring_helpers(closure)
    return found


def _restoring_helpers(closure: flow.Closure) -> set[str]:
    helpers: dict[str, list[str]] = {}
    for scope in closure.scopes:
        if scope.role == "helper":
            helpers.setdefault(scope.definition.name, []).append(scope_key(scope))
    found: set[str] = set()
    if not helpers:
        return found
    pending: list[str] = []
    for function in closure.facts:
        pending.extend(helper_calls(function.calls, function.scope.index)[0])
    if not any(name in helpers for name in pending):
        return found
    called: dict[str, set[str]] = {}  # scope key -> names its calls call
    for function in closure.facts:
        for call in function.calls[:1]:  # the calls of one function share its scope
            every = helper_calls(function.calls, function.scope.index)[1]
            called.setdefault(scope_key(call.scope), set()).update(every)
    while pending:
        name = pending.pop()
        for key in helpers.get(name, []):
            if key not in found:
                found.add(key)
                pending.extend(called.get(key, ()))
    return found


def where(call: facts.Call, restoring: set[str]) -> str:
    """Where a call runs, counting the body of a helper that cleanups call as cleanup."""
    if call.where in ("body", "nested") and scope_key(call.scope) in restoring:
        return "cleanup"
    return call.where


def patchers(closure: flow.Closure, stopall_base: bool) -> Patchers:
    """Pair each patcher ``start()`` of one closure with the stops registered in that closure
    (once per closure: RG201 and RG301 ask for the same)."""
    key = ("patchers", stopall_base)
    found = closure.memo.get(key)
    if not isinstance(found, Patchers):
        found = closure.memo[key] = _patchers(closure, stopall_base)
    return found


def _patchers(closure: flow.Closure, stopall_base: bool) -> Patchers:
    parts = [patcher_calls(f.calls, f.scope.index) for f in closure.facts]
    if not any(part.starts for part in parts):
        return Patchers((), ())  # nothing started: nothing to pair (a stop of no start is no no-op)
    restoring = restoring_helpers(closure)
    by_node: dict[int, facts.Call] = {}
    direct: set[int] = set()
    for part in parts:
        by_node.update(part.started)
        direct |= part.direct
    made_here = [c for part in parts for c in part.startables if id(c.node) not in direct]
    loose = [c for c in made_here if not c.bound_to]
    made = {key_of(c, c.bound_to) for c in made_here if c.bound_to}
    made.update(_loop_patchers({id(c.scope): c.scope for c in loose if c.scope is not None}.values()))
    starts: list[tuple[facts.Call, str, Key | None]] = []  # (start, label, patcher key or None)
    mocks: dict[Key, Key | None] = {}  # what ``start()`` returned -> its patcher
    for call in (c for part in parts for c in part.starts):
        receiver = call.spelled.removesuffix(".start") if call.spelled.endswith(".start") else ""
        inner = by_node.get(id(call.on)) if call.on is not None else None
        if inner is not None and startable(inner) is not None:
            starts.append((call, f"`{describe(inner)}`", None))
        elif receiver and key_of(call, receiver) in made:
            starts.append((call, f"`{receiver}`", key_of(call, receiver)))
        else:
            continue
        if call.bound_to:
            mocks[key_of(call, call.bound_to)] = starts[-1][2]
    stopped: set[Key] = set()
    unsafe: dict[Key, int] = {}
    noops: list[facts.Call] = []
    for call in (c for part in parts for c in part.stops):
        stops = key_of(call, call.spelled.removesuffix(".stop"))
        runs = where(call, restoring)
        if stops in made and runs in facts.RESTORING:
            stopped.add(stops)
        elif stops in made and runs == "body":
            unsafe.setdefault(stops, call.line)
        elif stops in mocks and runs in facts.RESTORING:
            noops.append(call)
    noop_mocks = {key_of(c, c.spelled.removesuffix(".stop")) for c in noops}
    noop_patchers = {mocks[k] for k in noop_mocks if mocks[k] is not None}
    stopall = (
        closure.stopall
        or stopall_base
        or any(where(c, restoring) in facts.RESTORING for part in parts for c in part.stopalls)
    )
    out: list[Start] = []
    for call, label, key in starts:
        returned = key_of(call, call.bound_to) if call.bound_to else None
        if (key is not None and key in stopped) or stopall:
            status, line = "stopped", 0
        elif returned in noop_mocks or key in noop_patchers:
            status, line = "noop", 0
        elif key is not None and key in unsafe:
            status, line = "unsafe", unsafe[key]
        elif key is not None and key[0] and call.scope is not None and _hands_over(call.scope, key[1]):
            status, line = "stopped", 0  # the caller owns it, and pairs it in its own closure
        else:
            status, line = "unstopped", 0
        out.append(Start(call, label, key[1] if key else "", status, line))
    return Patchers(tuple(out), tuple(noops))


def _hands_over(scope: Scope, name: str) -> bool:
    """Whether a helper (no fixture) returns the local ``name`` to its caller."""
    return not closures.is_fixture(scope) and name in returned_names(scope.index, scope.node)


def _loop_patchers(scopes: Iterable[Scope]) -> set[Key]:
    """Loop variables over a literal list of patchers: ``for p in (mock.patch(..), ..): p.start()``."""
    return {(scope_key(scope), name) for scope in scopes for name in loop_patchers(scope.index, scope.node)}
