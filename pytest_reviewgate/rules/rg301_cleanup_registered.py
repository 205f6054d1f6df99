"""RG301 `cleanup-registered`: resources a closure acquires are released by a with-block,
a registered cleanup or a fixture.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from ..analysis import facts, flow, idioms
from ..analysis.closures import Scope, is_fixture
from ..analysis.index import chain_of, walk
from ..model import Violation
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
from .base import Context, Rule

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
THREADS = frozenset({"threading.Thread", "threading.Timer"})
CONTAINERS = frozenset({"append", "add", "extend", "insert", "appendleft", "put"})


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
    `yield`. A resource that a helper returns belongs to its caller and is
    not reported.

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
    reported.
    """

    code = "RG301"
    name = "cleanup-registered"
    summary = "Resources acquired in tests are released"
    cwe = 772
    kind = "static"
    options: ClassVar[Mapping[str, Any]] = {"acquire": []}

    def check(self, context: Context) -> Iterator[Violation]:
        return unique(self._check(context))

    def _check(self, context: Context) -> Iterator[Violation]:
        facts = reverts.shared_flow(context)
        option = context.options.get("acquire", [])
        acquire = [option] if isinstance(option, str) else list(option)
        shapes = _Shapes()
        known: dict[str, bool] = {}
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
            for call, message in _unreleased(facts_of, shapes, acquire):
                yield at_call(self.code, call, message)


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
            if node.func.attr in idioms.ENTER:
                entered = list(node.args)
            elif node.func.attr in CONTAINERS:
                receiver = chain_of(node.func.value)
                for arg in node.args:
                    if receiver and isinstance(arg, ast.Call):
                        shape.stored[id(arg)] = receiver
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
    return shape


def _unreleased(closure: flow.Closure, shapes: _Shapes, acquire: Sequence[str]) -> Iterator[tuple[facts.Call, str]]:
    calls = list(closure.calls)
    restoring = restoring_helpers(closure)
    released = _released_keys(calls, restoring, shapes)
    threads = {key_of(c, c.bound_to) for c in calls if c.name in THREADS and c.bound_to}
    by_node = {id(c.node): c for c in calls if c.how != "registered"}
    for call in calls:
        if call.how == "registered" or call.scope is None:
            continue
        if call.method == "start" and call.spelled.endswith(".start"):
            receiver = call.spelled.removesuffix(".start")
            if key_of(call, receiver) in threads and key_of(call, receiver) not in released:
                yield (
                    call,
                    (
                        f"thread `{receiver}` is started and never joined -> register a "
                        f"cleanup that stops and joins it (`self.addCleanup({receiver}.join)`)"
                    ),
                )
            continue
        on = by_node.get(id(call.on)) if call.on is not None else None
        if call.method == "start" and on is not None and on.name in THREADS:
            yield (
                call,
                (
                    f"`{on.spelled}(...).start()` starts a thread nothing can join -> keep the "
                    "thread and register a cleanup that stops and joins it"
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
        if id(call.node) in shape.handed and shape.role != "fixture":
            continue  # a helper hands the resource to its caller
        names = [call.bound_to] if call.bound_to else shape.unpacked.get(id(call.node), [])
        if not names and id(call.node) in shape.stored:
            names = [shape.stored[id(call.node)]]
        if any(_kept(call, name, released, shape) for name in names):
            continue
        yield call, message


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
