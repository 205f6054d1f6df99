"""A module's string literals and where they sit: gathered by one walk per module, kept in its memo.

Docstrings and other bare string statements are documentation and left out; an f-string is one
literal (its placeholders read as ``\\0``), whatever it holds.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from .index import ModuleIndex, children, walk

LITERALS = "strings.literals"  # key of ``ModuleIndex.memo``


class Literal(NamedTuple):
    """A string constant or f-string of the module, with its source span (columns in UTF-8 bytes).

    A named tuple: a module holds thousands, made in one go."""

    value: str  # an f-string's text parts, each placeholder as "\0"
    line: int
    column: int
    end_line: int
    end_column: int | None


@dataclass(frozen=True)
class Literals:
    """Every literal of one module, in no particular order."""

    found: tuple[Literal, ...]

    def between(self, first: int, last: int) -> list[Literal]:
        """The literals that start on lines ``first``-``last``: for a ``def``/``class`` from its first
        decorator to its end, the literals inside it (nothing else shares those lines with it)."""
        return [literal for literal in self.found if first <= literal.line <= last]


_DEFINITIONS = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef})


def literals(index: ModuleIndex) -> Literals:
    """The module's string literals, read from its tree once. A ``def`` is read from its cached node
    list (``index.walk``), which the rules that walk functions share."""
    known = index.memo.get(LITERALS)
    if isinstance(known, Literals):
        return known
    found: list[Literal] = []
    if index.tree is not None:
        skip: set[int] = set()
        constant, joined, expression = ast.Constant, ast.JoinedStr, ast.Expr
        for node in _nodes(index.tree):
            kind = type(node)
            if kind is constant:
                if type(node.value) is str and id(node) not in skip:  # type: ignore[attr-defined]
                    found.append(_literal(node, node.value))  # type: ignore[attr-defined]
            elif kind is joined:  # its parts carry the whole string's position before Python 3.12
                if id(node) not in skip:
                    found.append(_literal(node, "".join(_fstring_text(node))))  # type: ignore[arg-type]
                skip.update(id(n) for n in walk(node))
            elif kind is expression and type(node.value) in (constant, joined):  # type: ignore[attr-defined]
                skip.add(id(node.value))  # type: ignore[attr-defined]  # a docstring or bare string documents
    result = Literals(tuple(found))
    index.memo[LITERALS] = result
    return result


def _nodes(tree: ast.Module) -> Iterator[ast.AST]:
    """Every node of the module, each ``def`` through its cached list, in no particular order."""
    stack: list[ast.AST] = list(tree.body)
    pop, push = stack.pop, stack.extend
    definitions, class_node = _DEFINITIONS, ast.ClassDef
    while stack:
        node = pop()
        kind = type(node)
        if kind is class_node:  # its methods one by one, so that each keeps its own list
            yield node
            push(children(node))
        elif kind in definitions:
            yield from walk(node)
        else:
            yield from walk(node)  # a statement outside any def or class: not cached


def _literal(node: ast.AST, value: str) -> Literal:
    line = int(node.lineno)  # type: ignore[attr-defined]
    end = node.end_lineno or line  # type: ignore[attr-defined]
    return Literal(value, line, int(node.col_offset), end, node.end_col_offset)  # type: ignore[attr-defined]


def _fstring_text(node: ast.JoinedStr) -> list[str]:
    return [
        value.value if isinstance(value, ast.Constant) and isinstance(value.value, str) else "\0"
        for value in node.values
    ]
