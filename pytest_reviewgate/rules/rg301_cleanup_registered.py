"""RG301 `cleanup-registered`: resources a closure acquires are released by a with-block,
a registered cleanup or a fixture.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from ..analysis import facts, flow, idioms
from ..analysis.closures import Scope, is_fixture, is_test
from ..analysis.frames import Shape, argument_chains, is_constant, keyword_or_argument
from ..analysis.frames import shape as shape_of
from ..analysis.index import Definition
from ..model import Violation
from . import _evidence
from . import _state as reverts
from ._patches import (
    Key,
    at_call,
    judged_closures,
    key_of,
    patchers,
    restoring_helpers,
    scope_key,
    stopall_base,
    unique,
)
from .base import Context, Evidence, Rule

FILE = (
    "`open()` outside a `with` block stays open when the test fails -> use `with open(...) as f:` "
    "or register `self.addCleanup(f.close)`"
)
RESOURCES = {
    "tempfile.mkdtemp": (
        "`tempfile.mkdtemp()` makes a directory that nothing removes -> use the `tmp_path` "
        "fixture or `fixtures.TempDir`, or register `self.addCleanup(shutil.rmtree, path)`"
    ),
    "tempfile.mkstemp": (
        "`tempfile.mkstemp()` makes a file that nothing closes or removes -> use the `tmp_path` "
        "fixture, or register cleanups that close the descriptor and remove the file"
    ),
    "open": FILE,
    "builtins.open": FILE,
    "io.open": FILE,
    "codecs.open": FILE,
    "subprocess.Popen": (
        "`subprocess.Popen` starts a process that nothing waits for -> use "
        "`with subprocess.Popen(...) as proc:` or register a cleanup that kills and waits for it"
    ),
}
TEMPORARY_FILE = (
    "`open()` whose file nothing closes: the garbage collector closes it some time later (a "
    "`ResourceWarning`) -> use `with open(...) as f:`"
)
THREADS = frozenset({"threading.Thread", "threading.Timer"})
FILES = frozenset({"open", "builtins.open", "io.open", "codecs.open"})
TEMPFILES = frozenset({"tempfile.mkdtemp", "tempfile.mkstemp"})


class CleanupRegistered(Rule):
    """Resources acquired in the targets are released.

    ## What it does
    Finds resources acquired in the targets' closures and checks that each is
    released when the test ends: started patchers (as `mocks-undone` pairs
    them), `tempfile.mkdtemp()`/`mkstemp()`, `open()` outside a `with`
    block, `threading.Thread(...).start()`, `subprocess.Popen(...)` and calls
    named in `acquire`. A resource is released when it is used in a `with`
    block (or `enterContext`, `enter_context`, `useFixture`), or when what it
    is bound to is used by a registered cleanup (`addCleanup`,
    `addfinalizer`), in `tearDown`, in a `finally` or after a fixture's
    `yield`. A file closed (`f.close()`, `open(p).close()`) or a thread
    joined (`t.join()`, also `for t in threads: t.join()`) anywhere in the
    function that made it counts as released, and so does a file handed to
    an object that is closed, entered or released that way
    (`w = Reader(open(p)); ...; w.close()`). Temporary files and
    directories are released when `fixtures.NestedTempfile` is entered in
    the closure or in a `setUp` of a project base class (oslotest's
    `BaseTestCase` enters it in its `setUp`: a class derived from it counts),
    unless they are made with a literal `dir=` (they go there) or in
    `setUpClass`/`setUpModule` (which run before the fixture is entered); or when
    they are made inside a directory the test got elsewhere (`dir=` not a literal).
    A resource that a helper returns belongs to its caller, and one kept on
    `self` by a class with no tests and no xunit hooks (a fake, a controller)
    belongs to that object: neither is reported. `open(p).read()` is
    reported as a file left for the garbage collector to close.

    ## Why is this bad?
    A test that fails before its last line skips the release written there:
    temporary directories pile up, file handles and processes leak, threads
    keep running into later tests, and the suite's outcome starts to depend
    on order.

    ## Example
    ```python
    import shutil
    import tempfile


    def test_export():
        path = tempfile.mkdtemp()
        assert path
        shutil.rmtree(path)
    ```

    Use instead:
    ```python
    def test_export(tmp_path):
        path = tmp_path / "export"
        assert path
    ```

    ## Options
    `acquire` (default `[]`): qualified names of further calls that acquire a
    resource (`"socket.socket"`, `"myproject.tests.utils.start_server"`);
    globs and dotted suffixes match as for the other name options.

    ## Known problems
    A cleanup counts as releasing a resource when it uses the name the
    resource is bound to (`shutil.rmtree(path)`, `self.addCleanup(f.close)`);
    what the cleanup does with it is not checked. A release written in the
    test body after the last assertion is not a registered cleanup and is
    reported, except the `close()` of a file and the `join()` of a thread,
    which rarely have a failing assertion before them. A thread may wait
    for ever: release it with a cleanup that makes it finish, then joins it
    with a timeout, never with a bare `join`.
    """

    code = "RG301"
    name = "cleanup-registered"
    version = "5"
    summary = "Resources acquired in tests are released"
    cwe = 772
    kind = "static"
    options: ClassVar[Mapping[str, Any]] = {"acquire": []}

    def evidence(self, context: Context) -> list[Evidence]:
        """Why the targets pass, for triage (see ``_evidence.cleanups``)."""
        return _evidence_of(context)

    def check(self, context: Context) -> Iterator[Violation]:
        return unique(self._check(context))

    def _check(self, context: Context) -> Iterator[Violation]:
        facts = reverts.shared_flow(context)
        option = context.options.get("acquire", [])
        acquire = [option] if isinstance(option, str) else list(option)
        shapes = _Shapes()
        known: dict[str, bool] = {}
        nesting: dict[str, bool] = {}
        for target, closure in judged_closures(context):
            if not closure:
                continue
            facts_of = facts.closure(closure)
            found = patchers(facts_of, stopall_base(context, target, known))
            for start in found.starts:
                if start.status != "stopped":
                    yield at_call(
                        self.code,
                        start.call,
                        f"patcher {start.label} is started and never stopped -> register its "
                        "`stop` with `self.addCleanup`, or patch with a decorator, a `with` "
                        "block or a fixture",
                    )
            nested = functools.partial(_nested_tempfiles, context, target, nesting)
            for call, message in _unreleased(facts_of, shapes, acquire, nested):
                yield at_call(self.code, call, message)


def _nested_tempfiles(context: Context, target: Definition, known: dict[str, bool]) -> bool:
    """Whether a project base of the target's class enters ``fixtures.NestedTempfile`` (its
    ``setUp`` may be out of the closure), or derives from a library base known to (oslotest's
    ``BaseTestCase``): every temporary file is then made in a directory that the fixture
    removes. ``known`` remembers the answer per class for one check."""
    if not target.in_class:
        return False
    if target.parent not in known:
        known[target.parent] = False
        resolve = getattr(context.project, "resolve_class", None)
        queue = [(context.index, target.parent)]
        seen: set[tuple[str, str]] = set()
        while queue and resolve is not None and len(seen) < 32 and not known[target.parent]:
            index, qualname = queue.pop(0)
            if (index.path, qualname) in seen:
                continue
            seen.add((index.path, qualname))
            cls = index.by_qualname.get(qualname)
            if cls is None or cls.kind != "class":
                continue
            known[target.parent] = any(
                cls.first_line <= line <= cls.end_line and index.qualify(chain) in idioms.TEMPFILE_NESTERS
                for chain, line in index.chains.items()
            )
            for base in cls.bases:
                qualified, module, inner = resolve(index, base)
                if module is not None:
                    queue.append((module, inner))
                elif qualified in idioms.TEMPFILE_NESTING_BASES:  # a library's base, out of the project
                    known[target.parent] = True
    return known[target.parent]


@dataclass(frozen=True)
class _Shape:
    """A function's shape (``frames.Shape``), with the role it plays in the closure."""

    role: str
    of: Shape


class _Shapes:
    """Each function's shape with its role (the first closure's that asks), once per check."""

    def __init__(self) -> None:
        self._known: dict[str, _Shape] = {}

    def __call__(self, scope: Scope) -> _Shape:
        key = scope_key(scope)
        if key not in self._known:
            role = "fixture" if is_fixture(scope) else scope.role
            self._known[key] = _Shape(role, shape_of(scope.index, scope.node))
        return self._known[key]


def ended_in_function(call: facts.Call, name: str, method: str, shape: _Shape) -> bool:
    """Whether the function that acquires a resource calls ``method`` on it, wherever
    (``f.close()``, ``t.join()``, ``for t in threads: t.join()``)."""
    return call.scope is not None and name in shape.of.ended.get(method, set())


@dataclass(frozen=True)
class _Acquired:
    """The calls of one function that may acquire a resource, and what releases them there."""

    candidates: tuple[facts.Call, ...]  # starts, RESOURCES and ``acquire`` calls (not registered)
    threads: tuple[Key, ...]  # what ``threading.Thread(...)`` is bound to
    started: Mapping[int, facts.Call]  # the calls ``.start()`` is called on, by id
    nests: bool  # enters ``fixtures.NestedTempfile``


def _acquired(calls: tuple[facts.Call, ...], acquire: tuple[str, ...]) -> _Acquired:
    """``_Acquired`` of one function's facts; once per function and ``acquire`` option."""
    if not calls or calls[0].scope is None:
        return _Acquired((), (), {}, any(c.name in idioms.TEMPFILE_NESTERS and c.how for c in calls))
    memo = calls[0].scope.index.memo
    key = ("acquired", id(calls), acquire)
    found = memo.get(key)
    if found is None:
        candidates = tuple(
            c
            for c in calls
            if c.how != "registered"
            and c.scope is not None
            and (
                c.method == "start"
                or c.name in RESOURCES
                or (acquire and c.name and facts.matches(c.name, acquire))
            )
        )
        ons = {id(c.on) for c in candidates if c.on is not None}
        summary = _Acquired(
            candidates=candidates,
            threads=tuple(key_of(c, c.bound_to) for c in calls if c.name in THREADS and c.bound_to),
            started={id(c.node): c for c in calls if c.how != "registered" and id(c.node) in ons},
            nests=any(c.name in idioms.TEMPFILE_NESTERS and c.how for c in calls),
        )
        found = memo[key] = (summary, calls)  # the calls are kept: their id stays their own
    return found[0]  # type: ignore[index, no-any-return]


class _Released:
    """The keys the cleanups of a closure use (``_released_keys``), worked out when first asked."""

    def __init__(self, closure: flow.Closure, restoring: set[str]) -> None:
        self.closure, self.restoring = closure, restoring
        self._keys: set[Key] | None = None

    def __contains__(self, key: object) -> bool:
        if self._keys is None:
            self._keys = _released_keys(self.closure, self.restoring)
        return key in self._keys


def _unreleased(
    closure: flow.Closure, shapes: _Shapes, acquire: Sequence[str], nested_tempfiles: Callable[[], bool]
) -> Iterator[tuple[facts.Call, str]]:
    parts = [_acquired(f.calls, tuple(acquire)) for f in closure.facts]
    restoring = restoring_helpers(closure)
    released = _Released(closure, restoring)
    threads = {k for part in parts for k in part.threads}
    by_node: dict[int, facts.Call] = {}
    for part in parts:
        by_node.update(part.started)
    nested = any(part.nests for part in parts)
    for call in (c for part in parts for c in part.candidates):
        if call.scope is None:
            continue
        if call.method == "start" and call.spelled.endswith(".start"):
            receiver = call.spelled.removesuffix(".start")
            if key_of(call, receiver) not in threads:
                continue
            shape = shapes(call.scope)
            if _kept(call, receiver, released, shape):
                continue
            if ended_in_function(call, receiver, "join", shape) or _owned_by_object(call.scope, receiver):
                continue
            yield (
                call,
                (
                    f"thread `{receiver}` is started and never joined -> join it before the test "
                    "ends, or register a cleanup that makes it finish and joins it with a timeout"
                ),
            )
            continue
        on = by_node.get(id(call.on)) if call.on is not None else None
        if call.method == "start" and on is not None and on.name in THREADS:
            yield (
                call,
                (
                    f"`{on.spelled}(...).start()` starts a thread nothing can join -> keep the "
                    "thread, join it before the test ends or in a cleanup, with a timeout"
                ),
            )
            continue
        message = RESOURCES.get(call.name)
        if message is None and acquire and call.name and facts.matches(call.name, acquire):
            message = (
                f"`{call.spelled}()` acquires a resource that nothing releases -> use it in a "
                "`with` block, or register a cleanup that releases it"
            )
        if message is None or call.how in ("with", "fixture"):
            continue
        shape = shapes(call.scope)
        if id(call.node) in shape.of.entered:
            continue
        if call.name == "open" and "open" in call.scope.index.bindings:
            continue  # the module defines its own ``open``
        if call.name in TEMPFILES and (_inside_a_directory(call) or (
            _nestable(call) and (nested or nested_tempfiles())
        )):
            continue  # removed with the directory it is made in
        if id(call.node) in shape.of.handed and shape.role != "fixture":
            continue  # a helper hands the resource to its caller
        names = [call.bound_to] if call.bound_to else shape.of.unpacked.get(id(call.node), [])
        if not names and id(call.node) in shape.of.stored:
            names = [shape.of.stored[id(call.node)]]
        if any(_kept(call, name, released, shape) or _owned_by_object(call.scope, name) for name in names):
            continue
        if call.name in FILES:
            if any(ended_in_function(call, name, "close", shape) for name in names):
                continue  # closed later in the same function
            if not names and _closed_by_holder(closure, call, released, shape):
                continue  # ``w = Reader(open(path)); ...; w.close()``: the object it is handed to closes it
            chained = shape.of.chained.get(id(call.node)) if not names else None
            if chained == "close":
                continue  # ``open(path).close()``: made and closed at once
            if chained:
                message = TEMPORARY_FILE  # ``open(path).read()``
        yield call, message


def _closed_by_holder(closure: flow.Closure, call: facts.Call, released: _Released, shape: _Shape) -> bool:
    """Whether the file ``call`` opens is an argument of a call whose result the test closes or
    enters (``wrapper = InfoWrapper(open(path, 'rb')); ...; wrapper.close()``,
    ``with Reader(open(path)) as r:``): the object that holds the file closes it."""
    holders = closure.memo.get("file-holders")
    if not isinstance(holders, dict):
        holders = closure.memo["file-holders"] = {
            id(argument): holder
            for holder in closure.calls
            for argument in (*holder.args, *(k.value for k in holder.keywords))
        }
    holder = holders.get(id(call.node))
    if holder is None or holder.how == "registered":
        return False
    if holder.how in ("with", "fixture"):
        return True
    name = holder.bound_to
    return bool(name) and (_kept(holder, name, released, shape) or ended_in_function(holder, name, "close", shape))


def _inside_a_directory(call: facts.Call) -> bool:
    """``mkdtemp(dir=...)`` inside a directory the test got from elsewhere: whoever made that
    directory removes it; a literal directory (``dir="/tmp"``) is no such place."""
    given = keyword_or_argument(call, "dir", 2)
    return given is not None and not is_constant(given)


def _nestable(call: facts.Call) -> bool:
    """Whether a test's ``fixtures.NestedTempfile`` holds what ``mkdtemp()``/``mkstemp()`` makes:
    not with an explicit ``dir=`` (the file goes there), nor in ``setUpClass``/``setUpModule``,
    which run before any test's ``setUp`` enters the fixture."""
    given = keyword_or_argument(call, "dir", 2)
    if given is not None and not (is_constant(given) and getattr(given, "value", 0) is None):
        return False
    return call.scope is None or call.scope.definition.name not in idioms.SHARED_SETUP


def _owned_by_object(scope: Scope, name: str) -> bool:
    """A resource kept on ``self`` by a class that is no test (a fake, a controller): the object
    owns it, and its user releases it."""
    if not name.startswith("self.") or not scope.definition.in_class:
        return False
    owner = scope.definition.parent
    key = ("test-class", owner)
    memo = scope.index.memo
    if key not in memo:
        hooks = {*idioms.SETUP, *idioms.TEARDOWN, *idioms.CLASS_SETUP, *idioms.CLASS_TEARDOWN}
        members = [d for d in scope.index.definitions if d.parent == owner and d.kind == "function"]
        memo[key] = any(d.name in hooks or is_test(d, scope.index) for d in members)
    return not memo[key]


def _kept(call: facts.Call, name: str, released: _Released, shape: _Shape) -> bool:
    """Whether what a resource is bound to is released, entered, or handed to the caller."""
    if key_of(call, name) in released or name in shape.of.entered_names:
        return True
    return name in shape.of.returned and shape.role != "fixture" and not name.startswith("self.")


def _released_keys(closure: flow.Closure, restoring: set[str]) -> set[Key]:
    """Every name (and dotted prefix) a cleanup of the closure uses, keyed like ``key_of``; a
    loop variable stands for what it iterates. The body of a helper that cleanups call counts
    as cleanup."""
    out: set[Key] = set()
    for function in closure.facts:
        calls = function.calls
        if calls:
            every = scope_key(calls[0].scope) in restoring  # the calls of one function share its scope
            out |= _function_released(calls, every)
    return out


def _function_released(calls: tuple[facts.Call, ...], every: bool) -> frozenset[Key]:
    """The keys one function's restoring calls use (``every``: all its calls); once per function."""
    if calls[0].scope is None:
        return frozenset()
    memo = calls[0].scope.index.memo
    key = ("released-keys", id(calls), every)
    found = memo.get(key)
    if found is None:
        out: set[Key] = set()
        for call in calls:
            if call.where not in facts.RESTORING and not (every and call.where in ("body", "nested")):
                continue
            chains = [call.spelled] if call.spelled else []
            chains.extend(argument_chains(call))
            loops = shape_of(call.scope.index, call.scope.node).loops if call.scope is not None else {}
            chains.extend(loops[c.split(".")[0]] for c in list(chains) if loops.get(c.split(".")[0]))
            for chain in chains:
                parts = chain.split(".")
                for end in range(1, len(parts) + 1):
                    out.add(key_of(call, ".".join(parts[:end])))
        found = memo[key] = (frozenset(out), calls)  # the calls are kept: their id stays their own
    return found[0]  # type: ignore[index, no-any-return]


# ---------------------------------------------------------------- pass-evidence (triage)


def _evidence_of(context: Context) -> list[Evidence]:
    """RG301: cleanups the closures register and resources opened in ``with`` blocks."""
    out: list[Evidence] = []
    for scope in _evidence.scopes(context):
        if scope.index is not context.index:
            continue
        for kind, line, spelled, shown in shape_of(scope.index, scope.node).releases:
            if kind == "with" and spelled.rpartition(".")[2] in ("open", "TemporaryDirectory", "NamedTemporaryFile"):
                at = _evidence.where(context, scope.index.path, line)
                text = f"`{spelled}(...)` is released by its `with` block ({at})"
                out.append(Evidence(scope.index.path, line, text))
            elif kind == "register":
                what = f"`{shown}`" if shown else "a cleanup"
                at = _evidence.where(context, scope.index.path, line)
                text = f"{what} is registered with `{spelled}` ({at})"
                out.append(Evidence(scope.index.path, line, text))
    return _evidence.unique(out)
