"""Where a name occurs in a module's code, what a name defines, and did-you-mean suggestions."""

from __future__ import annotations

import difflib

from ..model import SymbolAnchor
from .index import Definition, ModuleIndex


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
