"""Where a name occurs in a module's code, what a name defines, and did-you-mean suggestions."""

from __future__ import annotations

import ast
import difflib
import re
from collections.abc import Callable, Sequence

from ..model import SymbolAnchor
from .index import Definition, ModuleIndex
from .vocabulary import library


def counts(symbol: SymbolAnchor, index: ModuleIndex) -> bool:
    """Whether a candidate is an anchor: dotted and CamelCase ones only when the module backs them."""
    if symbol.kind == "dotted":
        first = symbol.name.split(".", 1)[0]
        return first in ("self", "cls") or first in index.bindings
    if symbol.kind == "camel":
        return symbol.name in index.by_name
    return True


def definitions_of(name: str, index: ModuleIndex) -> list[Definition]:
    """The definitions a symbol names: ``f``, ``Class.method`` (also inherited), ``self.method``."""
    if name in index.by_name:
        return index.by_name[name]
    if name in index.by_qualname:
        return [index.by_qualname[name]]
    head, _, rest = name.partition(".")
    if head in ("self", "cls") and rest and "." not in rest:
        return [d for d in index.by_name.get(rest, []) if d.in_class]
    owner, _, attr = name.rpartition(".")
    inherited = index.member(owner, attr) if owner in index.by_qualname else None
    return [inherited] if inherited is not None else []


def resolves(name: str, index: ModuleIndex) -> bool:
    """Whether ``name`` appears as code: a name, or a dotted chain (or a prefix of one)."""
    if "." not in name:
        return name in index.names
    if name in index.chains or name in index.by_qualname:
        return True
    owner, _, attr = name.rpartition(".")
    return owner in index.by_qualname and index.member(owner, attr) is not None


def suggestion(name: str, index: ModuleIndex) -> str:
    pool = index.chains if "." in name else index.names
    close = difflib.get_close_matches(name, pool, n=1, cutoff=0.75)
    return f"; did you mean `{close[0]}`?" if close else ""


class Elsewhere:
    """Where a name that the module's code lacks lives instead, so that a review citing it is not
    stale: a library's API, a string of the module (an environment variable's name), a conftest.py
    above it, or a method the module's classes inherit from another file of the project."""

    def __init__(
        self,
        index: ModuleIndex,
        conftests: Sequence[ModuleIndex] = (),
        inherited: Callable[[str, str], tuple[ModuleIndex, Definition] | None] | None = None,
    ) -> None:
        self.index = index
        self.conftests = conftests
        self.inherited = inherited  # (class qualname, name) -> where the class finds it

    def __call__(self, name: str) -> str:
        owner = library(name)
        if owner:
            return f"{owner} API"
        if _in_string(self.index, name):
            return f"a string of {_file(self.index)}"
        owner, _, attr = name.rpartition(".")
        if (owner in self.index.chains or owner in self.index.names) and _in_string(self.index, attr):  # patch.object(quota.QUOTAS, 'count')
            return f"`{owner}` and the string '{attr}' of {_file(self.index)}"
        head = name.removeprefix("self.").removeprefix("cls.").partition(".")[0]
        for conftest in self.conftests:
            if head in conftest.by_name or head in conftest.bindings:
                return _file(conftest)
        if self.inherited is not None:
            for definition in self.index.definitions:
                if definition.kind == "class" and definition.bases:
                    found = self.inherited(definition.qualname, head)
                    if found is not None and found[0] is not self.index:
                        return f"{_file(found[0])} ({found[1].qualname})"
        return ""


def _file(index: ModuleIndex) -> str:
    return index.path.replace("\\", "/").rpartition("/")[2]


def _in_string(index: ModuleIndex, name: str) -> bool:
    """Whether ``name`` stands as a word in a string literal of the module's code (``'NETRC'``);
    docstrings and comments do not count: they may name what the code no longer has."""
    if index.tree is None or not any(name in line for line in index.lines):
        return False
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(index.tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)
    }
    # a dotted name may close a dotted path: 'nova.objects.KeyPair._create' holds `KeyPair._create`
    word = re.compile(rf"(?<![\w{'' if '.' in name else '.'}]){re.escape(name)}(?!\w)")
    return any(
        isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
        and name in node.value and word.search(node.value) is not None
        for node in ast.walk(index.tree)
    )
