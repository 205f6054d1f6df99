"""What a module's source binds for good, read from its tree once: names bound once to a
constant (module and class level), the modules it star-imports, the globals a function resets.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from .idioms import EMPTY_CONTAINERS
from .index import ModuleIndex, chain_of, walk

CONSTANTS = "project.constants"  # key of ``ModuleIndex.memo``: name -> text of the constant bound once
KINDS = "project.kinds"  # key of ``ModuleIndex.memo``: what names are bound to (see ``bound_kinds``)
STARS = "*"  # the key of ``constants()`` that lists the modules star-imported, space-separated


def constant(node: ast.expr | None) -> str | None:
    """The text of a constant expression (a literal, a container of literals, ``set()``), else None:
    two expressions get the same text when they are the same tree."""
    if node is None:
        return None
    if isinstance(node, ast.Call):
        name = node.func.id if isinstance(node.func, ast.Name) else ""
        empty = name in EMPTY_CONTAINERS and not (node.args or node.keywords)
        return f"{name}()" if empty else None
    if not all(isinstance(n, _LITERAL_NODES) for n in walk(node)):
        return None
    shown = {ast.Dict: "dict()", ast.List: "list()", ast.Tuple: "tuple()"}.get(type(node))
    if shown and not getattr(node, "keys" if isinstance(node, ast.Dict) else "elts"):
        return shown  # ``{}`` and ``dict()`` are the same value
    return _text(node)


def _text(node: ast.AST) -> str:
    """A literal tree spelled out without recursion (``ast.dump`` recurses, and each call leaves
    a cycle of its own for the garbage collector)."""
    out: list[str] = []
    stack: list[ast.AST | str] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, str):
            out.append(current)
        elif isinstance(current, ast.Constant):
            out.append(f"{type(current.value).__name__}:{current.value!r}")
        elif current is None or isinstance(current, ast.expr_context):
            out.append("_")
        else:
            out.append(f"{type(current).__name__}(")
            stack.append(")")
            for _, value in reversed(list(ast.iter_fields(current))):
                if isinstance(value, list):
                    stack.append("]")
                    stack.extend(reversed(value))
                    stack.append("[")
                else:
                    stack.append(value)
    return " ".join(out)


_LITERAL_NODES = (ast.Constant, ast.Tuple, ast.List, ast.Set, ast.Dict, ast.UnaryOp, ast.unaryop, ast.expr_context)


def constants(index: ModuleIndex) -> dict[str, str]:
    """Names a module (``X``) and its classes (``Cls.X``) bind once, to a constant: name -> text.

    Read from the tree once and kept in the index's memo, so it outlives the tree.
    """
    found = index.memo.get(CONSTANTS)
    if isinstance(found, dict):
        return found
    out: dict[str, str] = {}
    if index.tree is not None:
        _bind_once(index.tree.body, "", out)
    index.memo[CONSTANTS] = out
    return out


def _bind_once(body: list[ast.stmt], prefix: str, out: dict[str, str]) -> None:
    counts: dict[str, int] = {}
    values: dict[str, str | None] = {}
    for statement, top in _statements(body):
        for name, value in _bindings(statement):
            counts[name] = counts.get(name, 0) + 1
            values[name] = constant(value) if top else None
        if isinstance(statement, ast.ClassDef) and top:
            _bind_once(statement.body, f"{prefix}{statement.name}.", out)
    for name, count in counts.items():
        dump = values.get(name)
        if count == 1 and dump is not None:
            out[prefix + name] = dump
    if not prefix:
        stars = [_star_source(s) for s, _ in _statements(body) if isinstance(s, ast.ImportFrom) and _star_source(s)]
        out[STARS] = " ".join(stars)


def _statements(body: list[ast.stmt]) -> Iterator[tuple[ast.stmt, bool]]:
    """The statements of a module or class body, and those nested in its ``if``/``try``/``for``/
    ``with`` blocks (which bind names there too, but conditionally: not ``top``)."""
    pending = [(statement, True) for statement in reversed(body)]
    while pending:
        statement, top = pending.pop()
        yield statement, top
        if not isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            for field in ("body", "orelse", "finalbody", "handlers"):
                inner = getattr(statement, field, None)
                if isinstance(inner, list):
                    pending.extend((s, False) for s in reversed(inner) if isinstance(s, ast.stmt))
            for handler in getattr(statement, "handlers", ()):
                pending.extend((s, False) for s in reversed(handler.body))


def _star_source(statement: ast.ImportFrom) -> str:
    """``pkg.mod`` (or ``.mod``) of ``from pkg.mod import *``, else ""."""
    if not any(alias.name == "*" for alias in statement.names):
        return ""
    return "." * statement.level + (statement.module or "")


def _bindings(statement: ast.stmt) -> Iterator[tuple[str, ast.expr | None]]:
    """(name, value) for each name a statement binds; the value only for ``NAME = value``."""
    if isinstance(statement, ast.Assign | ast.AnnAssign):
        targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
        single = len(targets) == 1 and isinstance(targets[0], ast.Name)
        for target in targets:
            for node in walk(target):
                if isinstance(node, ast.Name):
                    yield node.id, statement.value if single else None
    elif isinstance(statement, ast.AugAssign | ast.For | ast.AsyncFor):
        for node in walk(statement.target):
            if isinstance(node, ast.Name):
                yield node.id, None
    elif isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        yield statement.name, None
    elif isinstance(statement, ast.Import | ast.ImportFrom):
        for alias in statement.names:
            if alias.name != "*":
                yield alias.asname or alias.name.split(".")[0], None


def assigned_globals(function: ast.FunctionDef | ast.AsyncFunctionDef, owner: str) -> Iterator[str]:
    """``X`` for ``global X; X = ...`` and ``Owner.X`` for ``cls.X = ...`` in a function."""
    declared: set[str] = set()
    stores: list[ast.expr] = []
    for node in walk(function):
        if isinstance(node, ast.Global):
            declared.update(node.names)
        elif isinstance(node, ast.Assign):
            stores.extend(node.targets)
        elif isinstance(node, ast.AnnAssign | ast.AugAssign):
            stores.append(node.target)
    for target in stores:
        if isinstance(target, ast.Name) and target.id in declared:
            yield target.id
        elif owner and isinstance(target, ast.Attribute) and (chain_of(target.value) or "") in ("cls", owner):
            yield f"{owner}.{target.attr}"


def bound_kinds(index: ModuleIndex) -> tuple[dict[str, str | None], dict[tuple[str, str], str]]:
    """What assignments bind, read once (a project module's before its tree goes) and kept:

    - module-level ``NAME = value`` (one target; the last one counts) -> the kind of ``value``
      (``value_kind``);
    - (class qualname, name) -> "function" when the first assignment of ``name`` in the class's
      body binds a ``lambda``, else "object".
    """
    found = index.memo.get(KINDS)
    if found is None:
        module: dict[str, str | None] = {}
        try:
            tree = index.tree or ast.parse("\n".join(index.lines))
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            tree = None
        for statement in tree.body if tree is not None else []:
            if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
                if isinstance(statement.targets[0], ast.Name):
                    module[statement.targets[0].id] = value_kind(statement.value)
        members: dict[tuple[str, str], str] = {}
        for qualname, node in index.nodes.items():
            if not isinstance(node, ast.ClassDef):
                continue
            for member in node.body:
                kind = "object"
                if isinstance(member, ast.Assign):
                    targets, value = member.targets, member.value
                elif isinstance(member, ast.AnnAssign) and member.value is not None:
                    targets, value = [member.target], member.value
                else:
                    continue
                if isinstance(value, ast.Lambda):
                    kind = "function"
                for target in targets:
                    if isinstance(target, ast.Name):
                        members.setdefault((qualname, target.id), kind)
        found = index.memo[KINDS] = (module, members)
    return found  # type: ignore[return-value]


def value_kind(value: ast.expr) -> str | None:
    """What a module-level name bound to ``value`` is: an object when made by instantiating a class
    (``UnlimitedSemaphore()``, ``logging.getLogger()``) or spelled as a literal; a function for
    ``lambda`` and ``functools.partial``; else None (``synchronized =
    lockutils.synchronized_with_prefix('nova-')`` may be either)."""
    if isinstance(value, ast.Lambda):
        return "function"
    if not isinstance(value, ast.Call):
        return "object" if isinstance(value, ast.Constant | ast.Dict | ast.List | ast.Set | ast.Tuple) else None
    callee = (chain_of(value.func) or "").rpartition(".")[2]
    if callee == "partial":
        return "function"
    if callee == "getLogger" or (callee[:1].isupper() and not callee.isupper()):
        return "object"
    return None
