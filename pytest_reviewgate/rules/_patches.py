"""Shared by the mock and hygiene rules: patch calls by qualified name, started patchers and
their stops within one closure, and the helpers a test reaches.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from ..analysis import closures, facts, flow, idioms
from ..analysis.closures import Scope
from ..analysis.index import Definition, ModuleIndex, chain_of, children, walk
from ..model import Violation
from .base import Context

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
# Keywords of patch.multiple / MockPatchMultiple that are not attributes to patch.
MULTIPLE_OPTIONS = frozenset({"target", "spec", "create", "spec_set", "autospec", "new_callable"})
T = TypeVar("T")


@dataclass(frozen=True)
class PatchCall:
    """A call that makes a patch: ``mock.patch*``, ``fixtures.MockPatch*``, ``mocker.patch*``."""

    kind: str  # patch | patch.object | patch.dict | patch.multiple | MockPatch | MockPatchObject...
    spelled: str  # the callee as written
    node: ast.Call
    mocker: bool = False  # pytest-mock's ``mocker.patch*``: undone by the fixture

    def argument(self, position: int, *keywords: str) -> ast.expr | None:
        """The argument at ``position`` or passed by one of ``keywords``."""
        for keyword in self.node.keywords:
            if keyword.arg in keywords:
                return keyword.value
        args = self.node.args
        if 0 <= position < len(args) and not any(isinstance(a, ast.Starred) for a in args[:position]):
            return args[position]
        return None


def canonical(qualified: str) -> str:
    """Fold the ``mock`` backport into ``unittest.mock``, fixtures' private modules into
    ``fixtures``."""
    if qualified == "mock" or qualified.startswith("mock."):
        qualified = "unittest." + qualified
    qualified = qualified.replace("unittest.mock.mock.", "unittest.mock.")
    if qualified.startswith("fixtures.") and qualified.rsplit(".", 1)[-1].startswith("MockPatch"):
        return "fixtures." + qualified.rsplit(".", 1)[-1]
    return qualified


def patch_call(index: ModuleIndex, node: ast.AST) -> PatchCall | None:
    """The patch that ``node`` makes, if it is a patch call (worked out once per node)."""
    if not isinstance(node, ast.Call):
        return None
    key = ("patch-call", id(node))
    if key not in index.memo:
        index.memo[key] = (_patch_call(index, node), node)  # the node is kept: its id stays its own
    return index.memo[key][0]  # type: ignore[index, no-any-return]


def _patch_call(index: ModuleIndex, node: ast.Call) -> PatchCall | None:
    spelled = chain_of(node.func) or ""
    head, _, rest = spelled.partition(".")
    mocker = head in idioms.MOCKERS and head not in index.imports
    if mocker and (rest == "patch" or rest.startswith("patch.")):
        kind = PATCHES.get(f"unittest.mock.{rest}")
        return PatchCall(kind[0], spelled, node, mocker=True) if kind else None
    found = PATCHES.get(canonical(index.qualify(spelled))) if spelled else None
    return PatchCall(found[0], spelled, node) if found else None


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
    node = context.index.nodes.get(qualname)
    if definition is None or not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return ()
    return (Scope(context.index, definition, node, "target"),)


def project_subclass(project: object, index: ModuleIndex, spelled: str, bases: Iterable[str]) -> bool:
    """Whether a name the module imports is a class of the project deriving from one of ``bases``
    (a project's ``ExpectedException(testtools.ExpectedException)``); memoised per module."""
    resolve, inherits = getattr(project, "resolve_class", None), getattr(project, "inherits", None)
    wanted = tuple(sorted(bases))
    if resolve is None or inherits is None or not wanted:
        return False
    key = ("project-subclass", spelled, wanted)
    if key not in index.memo:
        _, module, inner = resolve(index, spelled)
        index.memo[key] = module is not None and bool(inner) and inherits(module, inner, wanted) is True
    return bool(index.memo[key])


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
            node = found[0].nodes.get(found[1].qualname) if found else None
            if found and isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                scope = Scope(found[0], found[1], node, role, "")
                if scope_key(scope) not in seen:
                    seen.add(scope_key(scope))
                    closure.append(scope)
    return closure


_Scoped = ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda


def shadowing(scope: Scope) -> Mapping[int, frozenset[str]]:
    """For each call in a function (by id), the names that the functions around it bind
    themselves: parameters, assignments, loop and ``with`` targets, ``except ... as``, nested
    ``def``s; not ``global`` names nor imports (they keep their module). Decorators and defaults
    of a nested ``def`` belong to the function around it, as Python evaluates them there.

    A local named like an imported module shadows it (``driver = Driver()``). One walk.
    """
    key = ("shadowing", id(scope.node))
    if key not in scope.index.memo:
        around: set[str] = set()  # a nested function sees the locals of those around it
        parent = scope.index.by_qualname.get(scope.definition.parent)
        while parent is not None and parent.kind == "function":
            node = scope.index.nodes.get(parent.qualname)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                around |= _Frames(node).bound[0]
            parent = scope.index.by_qualname.get(parent.parent)
        frames = _Frames(scope.node)
        names = [frozenset(around | frames.chain(i)) for i in range(len(frames.bound))]
        out = {call: names[frame] for call, frame in frames.calls}
        for decorator in getattr(scope.node, "decorator_list", []):  # they run in the function around
            out.update((id(n), frozenset(around)) for n in walk(decorator) if isinstance(n, ast.Call))
        scope.index.memo[key] = (out, scope.node)  # the node is kept: its id stays its own
    return scope.index.memo[key][0]  # type: ignore[index, no-any-return]


class _Frames:
    """One walk of a function: the names each function in it binds (frame 0 is the function,
    then its nested functions and lambdas), and the frame each call runs in."""

    def __init__(self, function: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
        self.bound: list[set[str]] = []
        self.declared: list[set[str]] = []
        self.parents: list[int] = []
        self.calls: list[tuple[int, int]] = []  # (id(call), frame)
        stack: list[tuple[ast.AST, int]] = []
        self._open(function, -1, stack)
        while stack:
            node, frame = stack.pop()
            if isinstance(node, _Scoped):
                if not isinstance(node, ast.Lambda):
                    self.bound[frame].add(node.name)
                self._outer(node, frame, stack)
                self._open(node, frame, stack)
                continue
            if isinstance(node, ast.ClassDef):
                self.bound[frame].add(node.name)
                stack.extend((child, frame) for child in [*node.decorator_list, *node.bases, *node.keywords])
                continue  # a class body is its own scope: its names bind no local
            if isinstance(node, ast.Call):
                self.calls.append((id(node), frame))
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store | ast.Del):
                self.bound[frame].add(node.id)
            elif isinstance(node, ast.ExceptHandler) and node.name:
                self.bound[frame].add(node.name)
            elif isinstance(node, ast.Global | ast.Nonlocal):
                self.declared[frame].update(node.names)
            stack.extend((child, frame) for child in children(node))
        for frame, declared in enumerate(self.declared):
            self.bound[frame] -= declared

    def _open(self, function: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda, parent: int,
              stack: list[tuple[ast.AST, int]]) -> None:
        arguments = function.args
        names = {a.arg for a in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]}
        names.update(a.arg for a in (arguments.vararg, arguments.kwarg) if a is not None)
        self.bound.append(names)
        self.declared.append(set())
        self.parents.append(parent)
        frame = len(self.bound) - 1
        body = function.body if isinstance(function.body, list) else [function.body]
        stack.extend((child, frame) for child in reversed(body))

    @staticmethod
    def _outer(function: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda, frame: int,
               stack: list[tuple[ast.AST, int]]) -> None:
        """Decorators and defaults of a nested function run in the function around it."""
        outer: list[ast.AST] = [*getattr(function, "decorator_list", []), *function.args.defaults]
        outer += [d for d in function.args.kw_defaults if d is not None]
        stack.extend((child, frame) for child in outer)

    def chain(self, frame: int) -> set[str]:
        names: set[str] = set()
        while frame >= 0:
            names |= self.bound[frame]
            frame = self.parents[frame]
        return names


def called_names(nodes: Iterable[ast.AST]) -> Iterator[str]:
    """Names called as ``helper()``, ``self.helper()``, ``cls.helper()`` or ``super().helper()``
    among ``nodes``."""
    for node in nodes:
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name):
            yield func.id
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            if func.value.id in ("self", "cls"):
                yield func.attr
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Call):
            inner = func.value.func
            if isinstance(inner, ast.Name) and inner.id == "super":
                yield func.attr


class Reach(Generic[T]):
    """The functions a target reaches through its closure's helpers, and a rule's summary of
    each function's nodes; both computed in one walk per function and check."""

    def __init__(self, summarise: Callable[[Scope, Sequence[ast.AST]], T]) -> None:
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
            nodes = list(walk(scope.node))
            self._known[key] = (frozenset(called_names(nodes)), self._summarise(scope, nodes))
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


def startable(call: facts.Call) -> PatchCall | None:
    """A ``mock.patch*`` made but not entered by ``with``, a decorator or ``useFixture``."""
    if call.how or call.scope is None:
        return None
    found = patch_call(call.scope.index, call.node)
    return found if found is not None and found.kind.startswith("patch") and not found.mocker else None


def restoring_helpers(closure: flow.Closure) -> set[str]:
    """Scope keys of closure helpers that a cleanup, tearDown, ``finally`` or post-``yield``
    code calls."""
    helpers: dict[str, list[str]] = {}
    for scope in closure.scopes:
        if scope.role == "helper":
            helpers.setdefault(scope.definition.name, []).append(scope_key(scope))
    found: set[str] = set()
    pending = [c for c in closure.calls if c.where in facts.RESTORING]
    while pending:
        call = pending.pop()
        head, _, name = call.spelled.rpartition(".")
        if head not in ("", "self", "cls"):
            continue
        for key in helpers.get(name, []):
            if key not in found:
                found.add(key)
                pending.extend(c for c in closure.calls if scope_key(c.scope) == key)
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
    calls = list(closure.calls)
    restoring = restoring_helpers(closure)
    by_node = {id(c.node): c for c in calls if c.how != "registered"}
    direct = {id(c.on) for c in calls if c.method == "start" and c.on is not None}
    loose = [c for c in calls if not c.bound_to and id(c.node) not in direct and startable(c)]
    made = {key_of(c, c.bound_to) for c in calls if c.bound_to and id(c.node) not in direct and startable(c)}
    made.update(_loop_patchers({id(c.scope): c.scope for c in loose if c.scope is not None}.values()))
    starts: list[tuple[facts.Call, str, Key | None]] = []  # (start, label, patcher key or None)
    mocks: dict[Key, Key | None] = {}  # what ``start()`` returned -> its patcher
    for call in calls:
        if call.method != "start" or call.how == "registered":
            continue
        receiver = call.spelled.removesuffix(".start") if call.spelled.endswith(".start") else ""
        inner = by_node.get(id(call.on)) if call.on is not None else None
        if inner is not None and startable(inner) is not None:
            starts.append((call, f"`{_describe(inner)}`", None))
        elif receiver and key_of(call, receiver) in made:
            starts.append((call, f"`{receiver}`", key_of(call, receiver)))
        else:
            continue
        if call.bound_to:
            mocks[key_of(call, call.bound_to)] = starts[-1][2]
    stopped: set[Key] = set()
    unsafe: dict[Key, int] = {}
    noops: list[facts.Call] = []
    for call in calls:
        if call.method != "stop" or not call.spelled.endswith(".stop"):
            continue
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
        or any(c.name in idioms.STOPALL and where(c, restoring) in facts.RESTORING for c in calls)
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
    fixture = closures.is_fixture(scope)
    return not fixture and any(
        isinstance(node, ast.Return) and isinstance(node.value, ast.Name) and node.value.id == name
        for node in walk(scope.node)
    )


def _loop_patchers(scopes: Iterable[Scope]) -> set[Key]:
    """Loop variables over a literal list of patchers: ``for p in (mock.patch(..), ..): p.start()``."""
    out: set[Key] = set()
    for scope in scopes:
        for node in walk(scope.node):
            if (
                isinstance(node, ast.For | ast.AsyncFor)
                and isinstance(node.target, ast.Name)
                and isinstance(node.iter, ast.List | ast.Tuple | ast.Set)
                and any(patch_call(scope.index, element) for element in node.iter.elts)
            ):
                out.add((scope_key(scope), node.target.id))
    return out


def _describe(call: facts.Call) -> str:
    first = call.args[0] if call.args else None
    text = first.value if isinstance(first, ast.Constant) else None
    shown = repr(text) if isinstance(text, str) else "..."
    return f"{call.spelled}({shown if len(shown) <= 60 else '...'})"
