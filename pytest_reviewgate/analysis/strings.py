"""A module's string literals and where they sit: met by the index walk, kept in its memo; the
modules its code imports by a literal name.

Docstrings and other bare string statements are documentation and left out; an f-string is one
literal (its placeholders read as ``\\0``), whatever it holds.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import NamedTuple

from .idioms import DYNAMIC_IMPORTS
from .index import ModuleIndex, chain_of, walk

LITERALS = "strings.literals"  # key of ``ModuleIndex.memo``
IMPORTED = "project.strings.imported-by-name"  # kept when a project module's nodes go (no node in it)


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


def imported_by_name(index: ModuleIndex) -> tuple[str, ...]:
    """The modules the module's code imports by a literal name, in source order: the first argument
    of a call of ``__import__`` or ``importlib.import_module`` (however imported), in a function or a
    class, or at module level while the module's tree is kept. Docstrings and comments are no call."""
    known = index.memo.get(IMPORTED)
    if isinstance(known, tuple):
        return known
    roots: list[ast.AST] = [index.tree] if index.tree is not None else [
        node for qualname, node in index.nodes.items() if "." not in qualname
    ]
    found: list[tuple[int, int, str]] = []
    for root in roots:
        for node in walk(root):
            if type(node) is not ast.Call or not node.args:
                continue
            spelled = chain_of(node.func)
            first = node.args[0]
            if (spelled and index.qualify(spelled) in DYNAMIC_IMPORTS and isinstance(first, ast.Constant)
                    and isinstance(first.value, str)):
                found.append((first.lineno, first.col_offset, first.value))
    result = index.memo[IMPORTED] = tuple(dict.fromkeys(name for *_, name in sorted(found)))
    return result


def sixteen_byte_literals(index: ModuleIndex, qualname: str) -> frozenset[bytes]:
    """The 16-byte ``bytes`` constants written inside a definition (``index.nodes[qualname]``):
    what a UUID is in binary form (``b'\\xdd\\xd8Rt...'``). Empty when the definition's node is gone."""
    key = ("strings.sixteen-bytes", qualname)
    known = index.memo.get(key)
    if isinstance(known, frozenset):
        return known
    node = index.nodes.get(qualname)
    found = frozenset(
        n.value
        for n in (walk(node) if node is not None else ())
        if type(n) is ast.Constant and isinstance(n.value, bytes) and len(n.value) == 16
    )
    index.memo[key] = found
    return found
