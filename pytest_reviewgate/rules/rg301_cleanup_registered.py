"""RG301 `cleanup-registered`: resources a closure acquires are released by a with-block,
a registered cleanup or a fixture.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from ..analysis import facts, flow, idioms
from ..analysis.closures import Scope, is_fixture, is_test
from ..analysis.index import Definition, chain_of, walk
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
    where,
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
CONTAINERS = frozenset({"append", "add", "extend", "insert", "appendleft", "put"})
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
    function that made it counts as released. Temporary files and
    directories are released when `fixtures.NestedTempfile` is entered in
    the closure or in a `setUp` of a project base class, or when they are
    made inside a directory the test got elsewhere (`dir=` not a literal).
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
    version = "3"
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
    ``setUp`` may be out of the closure): every temporary file is then made in a directory
    that the fixture removes. ``known`` remembers the answer per class for one check."""
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
                _, module, inner = resolve(index, base)
                if module is not None:
                    queue.append((module, inner))
    return known[target.parent]


@dataclass
class _Shape:
    """Where a function's calls end up: entered, returned, unpacked or stored in a container."""

    role: str
    entered: set[int] = field(default_factory=set)  # ids of nodes inside a with item or entered
    entered_names: set[str] = field(default_factory=set)  # chains used as a with item or entered
    handed: set[int] = field(default_factory=set)  # ids of calls returned or yielded as they are
    returned: set[str] = field(default_factory=set)  # names returned or yielded
    unpacked: dict[int, list[str]] = field(default_factory=dict)  # id(call) -> names unpacked into
    stored: dict[int, str] = field(default_factory=dict)  # id(call) -> container appended to
    loops: dict[str, str] = field(default_factory=dict)  # loop variable -> the chain it iterates
    appended: dict[str, str] = field(default_factory=dict)  # chain -> container it is appended to
    chained: dict[int, str] = field(default_factory=dict)  # id(call) -> method called on its result
    ended: dict[str, set[str]] = field(default_factory=dict)  # close | join -> chains it is called on


class _Shapes:
    """Each function's shape, computed when first asked for, once per check."""

    def __init__(self) -> None:
        self._known: dict[str, _Shape] = {}

    def __call__(self, scope: Scope) -> _Shape:
        key = scope_key(scope)
        if key not in self._known:
            self._known[key] = _shape(scope)
        return self._known[key]


def _shape(scope: Scope) -> _Shape:
    fixture = is_fixture(scope)
    shape = _Shape("fixture" if fixture else scope.role)
    for node in walk(scope.node):
        entered: list[ast.expr] = []
        if isinstance(node, ast.With | ast.AsyncWith):
            entered = [item.context_expr for item in node.items]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            method = node.func.attr
            if isinstance(node.func.value, ast.Call):
                shape.chained[id(node.func.value)] = method
            if method in idioms.ENTER:
                entered = list(node.args)
            elif method in CONTAINERS:
                receiver = chain_of(node.func.value)
                for arg in node.args:
                    if receiver and isinstance(arg, ast.Call):
                        shape.stored[id(arg)] = receiver
                    elif receiver and chain_of(arg):
                        shape.appended[chain_of(arg) or ""] = receiver
            elif method in ("close", "join") and chain_of(node.func.value):
                shape.ended.setdefault(method, set()).add(chain_of(node.func.value) or "")
        elif isinstance(node, ast.Return | ast.Yield | ast.YieldFrom) and node.value is not None:
            if isinstance(node.value, ast.Call):
                shape.handed.add(id(node.value))
            shape.returned.add(chain_of(node.value) or "")
        elif isinstance(node, ast.For | ast.AsyncFor) and isinstance(node.target, ast.Name):
            shape.loops[node.target.id] = chain_of(node.iter) or ""
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            for target in node.targets:
                if isinstance(target, ast.Tuple | ast.List):
                    names = [chain_of(e) for e in target.elts]
                    shape.unpacked[id(node.value)] = [n for n in names if n]
        for expr in entered:
            shape.entered.update(id(n) for n in walk(expr))
            shape.entered_names.add(chain_of(expr) or "")
    for ended in shape.ended.values():  # ``for t in threads: t.join()`` ends what ``threads`` holds
        containers = {shape.loops[n] for n in ended if shape.loops.get(n)}
        ended.update(n for n, container in shape.appended.items() if container in containers)
    return shape


def ended_in_function(call: facts.Call, name: str, method: str, shape: _Shape) -> bool:
    """Whether the function that acquires a resource calls ``method`` on it, wherever
    (``f.close()``, ``t.join()``, ``for t in threads: t.join()``)."""
    return call.scope is not None and name in shape.ended.get(method, set())


def _unreleased(
    closure: flow.Closure, shapes: _Shapes, acquire: Sequence[str], nested_tempfiles: Callable[[], bool]
) -> Iterator[tuple[facts.Call, str]]:
    calls = list(closure.calls)
    restoring = restoring_helpers(closure)
    released = _released_keys(calls, restoring, shapes)
    threads = {key_of(c, c.bound_to) for c in calls if c.name in THREADS and c.bound_to}
    by_node = {id(c.node): c for c in calls if c.how != "registered"}
    nested = any(c.name in idioms.TEMPFILE_NESTERS and c.how for c in calls)
    for call in calls:
        if call.how == "registered" or call.scope is None:
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
        if id(call.node) in shape.entered:
            continue
        if call.name == "open" and "open" in call.scope.index.bindings:
            continue  # the module defines its own ``open``
        if call.name in TEMPFILES and (nested or _inside_a_directory(call) or nested_tempfiles()):
            continue  # removed with the directory it is made in
        if id(call.node) in shape.handed and shape.role != "fixture":
            continue  # a helper hands the resource to its caller
        names = [call.bound_to] if call.bound_to else shape.unpacked.get(id(call.node), [])
        if not names and id(call.node) in shape.stored:
            names = [shape.stored[id(call.node)]]
        if any(_kept(call, name, released, shape) or _owned_by_object(call.scope, name) for name in names):
            continue
        if call.name in FILES:
            if any(ended_in_function(call, name, "close", shape) for name in names):
                continue  # closed later in the same function
            chained = shape.chained.get(id(call.node)) if not names else None
            if chained == "close":
                continue  # ``open(path).close()``: made and closed at once
            if chained:
                message = TEMPORARY_FILE  # ``open(path).read()``
        yield call, message


def _inside_a_directory(call: facts.Call) -> bool:
    """``mkdtemp(dir=...)`` inside a directory the test got from elsewhere: whoever made that
    directory removes it; a literal directory (``dir="/tmp"``) is no such place."""
    given = next((k.value for k in call.keywords if k.arg == "dir"), None)
    if given is None and len(call.args) > 2:
        given = call.args[2]
    return given is not None and not isinstance(given, ast.Constant)


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


def _kept(call: facts.Call, name: str, released: set[Key], shape: _Shape) -> bool:
    """Whether what a resource is bound to is released, entered, or handed to the caller."""
    if key_of(call, name) in released or name in shape.entered_names:
        return True
    return name in shape.returned and shape.role != "fixture" and not name.startswith("self.")


def _released_keys(calls: Sequence[facts.Call], restoring: set[str], shapes: _Shapes) -> set[Key]:
    """Every name (and dotted prefix) a cleanup uses, keyed like ``key_of``; a loop variable
    stands for what it iterates."""
    out: set[Key] = set()
    for call in calls:
        if where(call, restoring) not in facts.RESTORING:
            continue
        chains = [call.spelled] if call.spelled else []
        for expr in [*call.args, *(k.value for k in call.keywords)]:
            chains.extend(c for c in (chain_of(n) for n in walk(expr)) if c)
        loops = shapes(call.scope).loops if call.scope is not None else {}
        chains.extend(loops[c.split(".")[0]] for c in list(chains) if loops.get(c.split(".")[0]))
        for chain in chains:
            parts = chain.split(".")
            for end in range(1, len(parts) + 1):
                out.add(key_of(call, ".".join(parts[:end])))
    return out


# ---------------------------------------------------------------- pass-evidence (triage)


def _evidence_of(context: Context) -> list[Evidence]:
    """RG301: cleanups the closures register and resources opened in ``with`` blocks."""
    out: list[Evidence] = []
    for scope in _evidence.scopes(context):
        if scope.index is not context.index:
            continue
        for node in walk(scope.node):
            if isinstance(node, ast.With | ast.AsyncWith):
                for item in node.items:
                    call = item.context_expr
                    spelled = chain_of(call.func) if isinstance(call, ast.Call) else None
                    if spelled and spelled.rpartition(".")[2] in ("open", "TemporaryDirectory", "NamedTemporaryFile"):
                        at = _evidence.where(context, scope.index.path, node.lineno)
                        text = f"`{spelled}(...)` is released by its `with` block ({at})"
                        out.append(Evidence(scope.index.path, node.lineno, text))
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in (
                "addCleanup", "addfinalizer", "enterContext", "enter_context", "callback"
            ):
                shown = chain_of(node.args[0]) if node.args else None
                what = f"`{shown}`" if shown else "a cleanup"
                at = _evidence.where(context, scope.index.path, node.lineno)
                text = f"{what} is registered with `{node.func.attr}` ({at})"
                out.append(Evidence(scope.index.path, node.lineno, text))
    return _evidence.unique(out)
