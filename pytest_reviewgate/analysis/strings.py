"""A module's string literals and where they sit: met by the index walk, kept in its memo.

Docstrings and other bare string statements are documentation and left out; an f-string is one
literal (its placeholders read as ``\\0``), whatever it holds.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import NamedTuple

from .index import ModuleIndex, walk

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


def literals(index: ModuleIndex) -> Literals:
    """The module's string literals, from what the index walk met (``ModuleIndex.strings``): every
    string constant and f-string but the parts of an f-string and the bare string statements."""
    known = index.memo.get(LITERALS)
    if isinstance(known, Literals):
        return known
    found: list[Literal] = []
    if index.tree is not None:  # a project module's tree is gone: nobody asks for its literals
        skip = set(index.documenting)
        joined = ast.JoinedStr
        for node in index.strings:
            if type(node) is joined:
                skip.update(id(n) for n in walk(node) if n is not node)
        for node in index.strings:
            if id(node) not in skip:
                text = "".join(_fstring_text(node)) if type(node) is joined else node.value  # type: ignore[attr-defined]
                found.append(_literal(node, text))
    result = Literals(tuple(found))
    index.memo[LITERALS] = result
    index.strings, index.documenting = [], set()  # read once: the nodes need not stay
    return result


def _literal(node: ast.AST, value: str) -> Literal:
    line = int(node.lineno)  # type: ignore[attr-defined]
    end = node.end_lineno or line  # type: ignore[attr-defined]
    return Literal(value, line, int(node.col_offset), end, node.end_col_offset)  # type: ignore[attr-defined]


def _fstring_text(node: ast.JoinedStr) -> list[str]:
    return [
        value.value if isinstance(value, ast.Constant) and isinstance(value.value, str) else "\0"
        for value in node.values
    ]
