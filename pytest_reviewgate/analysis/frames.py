"""What one function's nodes say, worked out once per function and shared by the rules: the names
each call's frames bind (shadowing), the helpers it calls, the names it returns, its shape.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from .closures import Scope
from .facts import Call
from .idioms import CONTAINERS, ENTER, REGISTERING
from .index import ModuleIndex, chain_of, children, walk

_Scoped = ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
_Function = ast.FunctionDef | ast.AsyncFunctionDef


def function_node(index: ModuleIndex, qualname: str) -> _Function | None:
    """The ``def`` node of a function of ``index``; None when ``qualname`` is no function."""
    node = index.nodes.get(qualname)
    return node if isinstance(node, _Function) else None


# ---------------------------------------------------------------- shadowing


def shadowed(scope: Scope, call: ast.AST, name: str) -> bool:
    """Whether the functions around ``call`` (a call node of ``scope``) bind ``name`` themselves:
    a parameter, assignment, loop or ``with`` target, ``except ... as``, nested ``def``; not a
    ``global`` name nor an import. A local named like an imported module is not the module
    (``driver = Driver()``). Answered from the names bound anywhere in the function first, the
    frames only when that name is bound somewhere."""
    if name not in _bound_anywhere(scope):
        return False
    return name in shadowing(scope).get(id(call), frozenset())


def _bound_anywhere(scope: Scope) -> frozenset[str]:
    """Every name any function around or in ``scope`` binds, whatever its frame (a superset of
    what ``shadowing`` gives any call); once per function."""
    key = ("bound-anywhere", id(scope.node))
    memo = scope.index.memo
    found = memo.get(key)
    if found is None:
        names: set[str] = set()
        nodes: list[ast.AST] = [scope.node]
        parent = scope.index.by_qualname.get(scope.definition.parent)
        while parent is not None and parent.kind == "function":
            node = scope.index.nodes.get(parent.qualname)
            if node is not None:
                nodes.append(node)
            parent = scope.index.by_qualname.get(parent.parent)
        for top in nodes:
            for node in walk(top):
                kind = type(node)
                if kind is ast.Name:
                    if type(node.ctx) is not ast.Load:  # type: ignore[attr-defined]
                        names.add(node.id)  # type: ignore[attr-defined]
                elif kind is ast.arg:
                    names.add(node.arg)  # type: ignore[attr-defined]
                elif kind in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
                    names.add(node.name)  # type: ignore[attr-defined]
                elif kind is ast.ExceptHandler and node.name:  # type: ignore[attr-defined]
                    names.add(node.name)  # type: ignore[attr-defined]
        found = memo[key] = (frozenset(names), scope.node)  # the node is kept: its id stays its own
    return found[0]  # type: ignore[index, no-any-return]


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


# ---------------------------------------------------------------- helpers called, names returned


def called_names(nodes: Iterable[ast.AST]) -> Iterator[str]:
    """Names called as ``helper()``, ``self.helper()``, ``cls.helper()`` or ``super().helper()``
    among ``nodes``."""
    for node in nodes:
        if type(node) is not ast.Call:
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


def helpers_called(index: ModuleIndex, function: ast.AST) -> frozenset[str]:
    """``called_names`` of a function's nodes; once per function."""
    return index.once("called-names", function, lambda: frozenset(called_names(walk(function))))


def returned_names(index: ModuleIndex, function: ast.AST) -> frozenset[str]:
    """The names a function (or a function nested in it) returns as they are: ``return name``;
    once per function."""
    return index.once("returned-names", function, lambda: frozenset(
        node.value.id for node in walk(function) if isinstance(node, ast.Return) and isinstance(node.value, ast.Name)
    ))


# ---------------------------------------------------------------- where a function's calls end up



@dataclass
class Shape:
    """Where a function's calls end up: entered, returned, unpacked or stored in a container."""

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
    # in source order: ("with", line, callee spelled) for a call used as a with item, and
    # ("register", line, method, first argument spelled) for ``x.addCleanup(f)``-style calls
    releases: list[tuple[str, int, str, str]] = field(default_factory=list)


def shape(index: ModuleIndex, function: ast.AST) -> Shape:
    """The shape of a function's calls; once per function."""
    return index.once("call-shape", function, lambda: _shape(function))


def _shape(function: ast.AST) -> Shape:
    shape = Shape()
    for node in walk(function):
        entered: list[ast.expr] = []
        if isinstance(node, ast.With | ast.AsyncWith):
            entered = [item.context_expr for item in node.items]
            for item in node.items:
                call = item.context_expr
                spelled = chain_of(call.func) if isinstance(call, ast.Call) else None
                if spelled:
                    shape.releases.append(("with", node.lineno, spelled, ""))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            method = node.func.attr
            if method in REGISTERING:
                shown = chain_of(node.args[0]) if node.args else None
                shape.releases.append(("register", node.lineno, method, shown or ""))
            if isinstance(node.func.value, ast.Call):
                shape.chained[id(node.func.value)] = method
            if method in ENTER:
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


def chains_in(expressions: Iterable[ast.AST]) -> list[str]:
    """Every dotted chain (``a``, ``a.b``...) in the expressions, in source order."""
    return [c for expr in expressions for c in (chain_of(n) for n in walk(expr)) if c]


def is_constant(node: ast.AST | None) -> bool:
    """Whether an expression is a literal constant (``"/tmp"``, ``None``)."""
    return isinstance(node, ast.Constant)


Node = ast.AST  # a syntax node, for rules that pass nodes through without reading them


def nodes_of(function: ast.AST) -> list[ast.AST]:
    """A function's nodes (itself first), depth-first in source order."""
    return list(walk(function))


def argument_chains(call: Call) -> list[str]:
    """Every dotted chain in a call's arguments, positional then keyword, in source order."""
    return chains_in([*call.args, *(k.value for k in call.keywords)])


def keyword_or_argument(call: Call, keyword: str, position: int) -> ast.expr | None:
    """The argument passed as ``keyword=``, else the one at ``position``; None without either."""
    given = next((k.value for k in call.keywords if k.arg == keyword), None)
    if given is None and len(call.args) > position:
        given = call.args[position]
    return given
