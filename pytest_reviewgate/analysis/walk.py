"""The walk behind ``flow.Flow.facts``: one function -> ``flow.Facts``, in a single iterative pass.

Never recursive (deep nesting must not overflow); facts are qualified once the locals are known.
"""

from __future__ import annotations

import ast
import sys
from typing import TYPE_CHECKING

from .facts import RESTORING, Assign, Call, Facts, Save, is_teardown, made
from .facts import qualify as qualify_name
from .idioms import ENTER, REGISTER
from .index import chain_of, node_fields
from .patches import patches_of, saved_source

# ``try``/``except*`` (Python 3.11+) have the same shape: body, handlers, orelse, finalbody
TRY_NODES: tuple[type[ast.Try], ...] = (ast.Try, *([vars(ast)["TryStar"]] if hasattr(ast, "TryStar") else []))

if TYPE_CHECKING:
    from .closures import Scope

_Function = ast.FunctionDef | ast.AsyncFunctionDef
# Nodes ``_drain`` treats apart (functions, lambdas, try, classes), and those ``_node`` records facts of.
_SCOPING = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, *TRY_NODES})
_FACT_NODES = frozenset({
    ast.Call, ast.Yield, ast.YieldFrom, ast.With, ast.AsyncWith, ast.Assign, ast.AnnAssign, ast.AugAssign,
    ast.Delete, ast.Global, ast.Nonlocal,
})
# ``top``: index of the scope body's statement a node is in; -1 decorators and nested bodies,
# -2 the body of another function registered as a cleanup (its names are not our locals).
_Entry = tuple[ast.AST, str, int]


def walk_scope(scope: Scope, aliases: dict[str, str]) -> Facts:
    walker = _Walker(scope, aliases)
    walker.run()
    return walker.facts()


class _Walker:
    def __init__(self, scope: Scope, aliases: dict[str, str]) -> None:
        self.scope = scope
        self.index = scope.index
        self.aliases = aliases
        self.stored: set[str] = set(scope.definition.params)
        self.declared: set[str] = set()
        self.local: frozenset[str] = frozenset()
        self.first_yield = sys.maxsize
        self.stack: list[_Entry] = []
        self.how: dict[int, tuple[str, tuple[int, int] | None]] = {}  # id(call) -> (how, span)
        self.bound: dict[int, str] = {}  # id(call) -> spelled target
        self.cleanup_names: set[str] = set()
        self.cleanup_lambdas: set[int] = set()
        self.nested: list[tuple[_Function, str, int]] = []
        self.visited: set[str] = {scope.definition.qualname}
        # raw facts, qualified in ``facts()``
        self.calls: list[tuple[ast.Call, str, int]] = []
        self.registered: list[tuple[ast.Call, ast.expr, list[ast.expr], list[ast.keyword], int]] = []
        self.targets: list[tuple[ast.expr, ast.stmt, ast.expr | None, str, int]] = []

    # -- driving -----------------------------------------------------------
    def run(self) -> None:
        scope = self.scope
        where = "teardown" if is_teardown(scope) else "body"
        span = (scope.definition.first_line, scope.definition.end_line)
        decorators = list(scope.node.decorator_list)
        owner = self.index.nodes.get(scope.definition.parent) if scope.definition.in_class else None
        if isinstance(owner, ast.ClassDef) and scope.definition.name.startswith("test"):
            decorators += owner.decorator_list  # mock.patch on a class patches its test methods
        for decorator in decorators:
            if isinstance(decorator, ast.Call):
                self.how[id(decorator)] = ("decorator", span)
        self.stack.extend((d, where, -1) for d in reversed(decorators))
        self._drain()
        body = scope.node.body
        self.stack.extend((body[i], where, i) for i in range(len(body) - 1, -1, -1))
        self._drain()
        while self.nested:
            function, outer, top = self.nested.pop(0)
            inner = "cleanup" if function.name in self.cleanup_names else outer
            inner = inner if inner in RESTORING else "nested"
            if top != -2:
                self.stored.update(a.arg for a in ast.walk(function.args) if isinstance(a, ast.arg))
            self.stack.extend((s, inner, top) for s in reversed(function.body))
            self._drain()
        self.local = frozenset(self.stored - self.declared)

    def _drain(self) -> None:
        stack, stored, fields_of = self.stack, self.stored, node_fields
        name_class, attribute_class, constant_class, store = ast.Name, ast.Attribute, ast.Constant, ast.Store
        while stack:
            node, where, top = stack.pop()
            kind = type(node)
            if kind in _SCOPING:
                self._scoping(node, where, top)
                continue
            if kind in _FACT_NODES:
                self._node(node, where, top)
            # the children, inline: names bind locals, constants hold nothing, and an attribute
            # chain (``self.a.b``) is no fact itself: only what it hangs from is pushed
            entries: list[_Entry] = []
            for field in fields_of(kind):
                value = getattr(node, field, None)
                for child in value if type(value) is list else (value,):
                    child_kind = type(child)
                    while child_kind is attribute_class:
                        child = child.value  # type: ignore[union-attr]
                        child_kind = type(child)
                    if child_kind is name_class:
                        if type(child.ctx) is store and top != -2:  # type: ignore[union-attr]
                            stored.add(child.id)  # type: ignore[union-attr]
                    elif child is not None and child_kind is not constant_class:
                        entries.append((child, where, top))
            if entries:
                entries.reverse()
                stack.extend(entries)

    def _scoping(self, node: ast.AST, where: str, top: int) -> None:
        """Functions wait for the end of the body, lambdas and ``try`` open another ``where``."""
        stack = self.stack
        if isinstance(node, _Function):
            self.nested.append((node, where, -1 if top != -2 else -2))
        elif isinstance(node, ast.Lambda):
            inner = "cleanup" if id(node) in self.cleanup_lambdas else where
            if top != -2:
                self.stored.update(a.arg for a in ast.walk(node.args) if isinstance(a, ast.arg))
            stack.append((node.body, inner if inner in RESTORING else "nested", top))
        elif isinstance(node, TRY_NODES):
            final = where if where in RESTORING else "finally"
            stack.extend((s, final, top) for s in reversed(node.finalbody))
            rest = [*node.body, *node.handlers, *node.orelse]
            stack.extend((s, where, top) for s in reversed(rest))

    # -- raw facts ---------------------------------------------------------
    def _node(self, node: ast.AST, where: str, top: int) -> None:
        if isinstance(node, ast.Call):
            self._call(node, where, top)
        elif isinstance(node, ast.Yield | ast.YieldFrom):
            if top >= 0:
                self.first_yield = min(self.first_yield, top)
        elif isinstance(node, ast.With | ast.AsyncWith):
            span = (node.lineno, node.end_lineno or node.lineno)
            for item in node.items:
                if isinstance(item.context_expr, ast.Call):
                    self.how[id(item.context_expr)] = ("with", span)
                    alias = chain_of(item.optional_vars) if item.optional_vars else None
                    if alias:
                        self.bound[id(item.context_expr)] = alias
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                self._target(target, node.value, node, where, top)
        elif isinstance(node, ast.AnnAssign | ast.AugAssign) and node.value is not None:
            self._target(node.target, node.value, node, where, top)
        elif isinstance(node, ast.Delete):
            for target in node.targets:
                self._target(target, None, node, where, top)
        elif isinstance(node, ast.Global | ast.Nonlocal):
            self.declared.update(node.names)

    def _target(self, target: ast.expr, value: ast.expr | None, statement: ast.stmt, where: str, top: int) -> None:
        pending = [target]
        while pending:
            current = pending.pop()
            if isinstance(current, ast.Tuple | ast.List):
                pending.extend(current.elts)
                value = None  # unpacking: no single value per element
            elif isinstance(current, ast.Starred):
                pending.append(current.value)
            else:
                self.targets.append((current, statement, value, where, top))
                spelled = chain_of(current) if isinstance(value, ast.Call) else None
                if spelled and not isinstance(statement, ast.Delete):
                    self.bound.setdefault(id(value), spelled)

    def _call(self, node: ast.Call, where: str, top: int) -> None:
        self.calls.append((node, where, top))
        func = node.func
        method = func.attr if isinstance(func, ast.Attribute) else ""
        bound = self.bound.get(id(node), "")
        if method in ("start", "__enter__") and isinstance(func, ast.Attribute) and bound:
            if isinstance(func.value, ast.Call):
                self.bound.setdefault(id(func.value), bound)
        if method in ENTER and node.args and isinstance(node.args[0], ast.Call):
            self.how.setdefault(id(node.args[0]), ("fixture", None))
            if bound:
                self.bound.setdefault(id(node.args[0]), bound)
        if method in REGISTER and node.args:
            self._register(node, top)

    def _register(self, node: ast.Call, top: int) -> None:
        function, rest, keywords = node.args[0], list(node.args[1:]), list(node.keywords)
        partial = isinstance(function, ast.Call) and (chain_of(function.func) or "").endswith("partial")
        if isinstance(function, ast.Call) and partial and function.args:
            rest, keywords = [*function.args[1:], *rest], [*function.keywords, *keywords]
            function = function.args[0]
        self.registered.append((node, function, rest, keywords, top))
        spelled = chain_of(function) or ""
        if isinstance(function, ast.Lambda):
            self.cleanup_lambdas.add(id(function))
        elif isinstance(function, ast.Name):
            self.cleanup_names.add(function.id)
            self._cleanup_function(function.id)
        elif spelled.count(".") == 1 and spelled.split(".")[0] in ("self", "cls"):
            owner = self.scope.definition.parent if self.scope.definition.in_class else ""
            if owner:
                self._cleanup_function(f"{owner}.{spelled.split('.')[1]}")

    def _cleanup_function(self, qualname: str) -> None:
        """Walk a module function or method of this module registered as a cleanup, once."""
        node = self.index.nodes.get(qualname)
        if qualname in self.visited or not isinstance(node, _Function):
            return
        self.visited.add(qualname)
        self.nested.append((node, "cleanup", -2))
        self.cleanup_names.add(node.name)

    # -- qualified facts ---------------------------------------------------
    def qualify(self, dotted: str) -> str:
        return qualify_name(self.index, dotted, self.aliases, self.local)

    def qualify_expr(self, node: ast.expr | None) -> str:
        dotted = chain_of(node) if node is not None else None
        return self.qualify(dotted) if dotted else ""

    def _where(self, where: str, top: int) -> str:
        return "after-yield" if where == "body" and top > self.first_yield else where

    def facts(self) -> Facts:
        calls = [self._fact(node, self._where(where, top)) for node, where, top in self.calls]
        calls += [self._registered(*entry) for entry in self.registered]
        calls.sort(key=lambda c: (c.line, c.node.col_offset, c.how == "registered"))
        monkeypatches = {"monkeypatch"} | {
            c.bound_to
            for c in calls
            if c.bound_to and (c.method == "MonkeyPatch" or c.name.endswith("MonkeyPatch.context"))
        }
        assigns: list[Assign] = []
        saves: list[Save] = []
        for target, statement, value, where, top in self.targets:
            self._assignment(target, statement, value, self._where(where, top), assigns, saves)
        return Facts(
            scope=self.scope,
            calls=tuple(calls),
            assigns=tuple(sorted(assigns, key=lambda a: a.line)),
            saves=tuple(sorted(saves, key=lambda s: s.line)),
            patches=tuple(p for c in calls for p in patches_of(c, self.qualify_expr, monkeypatches)),
            locals=self.local,
            aliases=self.aliases,
        )

    def _fact(self, node: ast.Call, where: str) -> Call:
        func = node.func
        spelled = chain_of(func) or ""
        method, on = "", None
        if isinstance(func, ast.Attribute):
            method = func.attr
            on = func.value if isinstance(func.value, ast.Call) else None
        elif isinstance(func, ast.Name):
            method = func.id
        how, span = self.how.get(id(node), ("", None))
        return made(
            Call,
            name=self.qualify(spelled) if spelled else "",
            spelled=spelled,
            method=method,
            line=node.lineno,
            node=node,
            args=tuple(node.args),
            keywords=tuple(node.keywords),
            where=where,
            how=how,
            span=span,
            bound_to=self.bound.get(id(node), ""),
            on=on,
            scope=self.scope,
        )

    def _registered(
        self, node: ast.Call, function: ast.expr, rest: list[ast.expr], keywords: list[ast.keyword], _: int
    ) -> Call:
        spelled = chain_of(function) or ""
        return made(
            Call,
            name=self.qualify(spelled) if spelled else "",
            spelled=spelled,
            method=spelled.rpartition(".")[2],
            line=node.lineno,
            node=node,
            args=tuple(rest),
            keywords=tuple(keywords),
            where="cleanup",
            how="registered",
            scope=self.scope,
        )

    def _assignment(
        self,
        target: ast.expr,
        statement: ast.stmt,
        value: ast.expr | None,
        where: str,
        assigns: list[Assign],
        saves: list[Save],
    ) -> None:
        deleting = isinstance(statement, ast.Delete)
        item = isinstance(target, ast.Subscript)
        spelled = chain_of(target.value if isinstance(target, ast.Subscript) else target)
        if not spelled:
            return
        if isinstance(target, ast.Attribute | ast.Subscript):
            assigns.append(
                made(
                    Assign,
                    name=self.qualify(spelled),
                    spelled=spelled,
                    kind=("del-" if deleting else "") + ("item" if item else "attr"),
                    line=statement.lineno,
                    where=where,
                    node=statement,
                    key=target.slice if isinstance(target, ast.Subscript) else None,
                    value=value,
                    local=spelled.split(".")[0] in self.local,
                    scope=self.scope,
                )
            )
        if value is not None and not deleting and not item:
            source, key = saved_source(value, self.qualify_expr)
            if source and "." in source:
                saves.append(Save(spelled, source, key, statement.lineno, where, self.scope))
