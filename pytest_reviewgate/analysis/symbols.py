"""Where a name occurs in a module's code, what a name defines, and did-you-mean suggestions."""

from __future__ import annotations

import ast
import difflib
import re
from collections.abc import Callable, Sequence

from ..model import SymbolAnchor
from .index import Definition, ModuleIndex
from .vocabulary import FILE_SUFFIXES, LINT_CODE, MOCK, STDLIB, UNITTEST, library


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


MAX_USES = 12  # a name spelled on more lines than this (`self.flags`, `assertEqual`) says nothing about one line


def used_at(name: str, index: ModuleIndex, start: int, end: int) -> bool:
    """Whether ``name`` is spelled as a word on the lines ``start``-``end`` outside its own definitions:
    "`_make_fake` is called at lines 55-58" cites the calls, not the ``def`` (a drifted ``def`` line stays
    stale). Only a distinctive name counts: not a module the test imports, not one spelled on more than
    ``MAX_USES`` lines, or any drifted line would hold."""
    spelled = name.removesuffix("()")
    if not spelled or start > index.line_count or spelled in index.imports:
        return False
    key = ("used_at", spelled)
    if key not in index.memo:
        own = [(d.first_line, d.end_line) for d in definitions_of(spelled, index)]
        word = re.compile(rf"(?<![\w.]){re.escape(spelled)}(?!\w)")
        index.memo[key] = [
            number for number, line in enumerate(index.lines, 1)
            if spelled in line and word.search(line) is not None and not any(a <= number <= b for a, b in own)
        ]
    uses = index.memo[key]
    assert isinstance(uses, list)
    return len(uses) <= MAX_USES and any(start <= number <= end for number in uses)


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
        load: Callable[[str], ModuleIndex | None] | None = None,
    ) -> None:
        self.index = index
        self.conftests = conftests
        self.inherited = inherited  # (class qualname, name) -> where the class finds it
        self.load = load  # a project module by dotted name (``nova.context``); None outside the project

    def __call__(self, name: str) -> str:
        owner = library(name)
        if owner:
            return f"{owner} API"
        spelled = name.removesuffix("()")
        if LINT_CODE.fullmatch(spelled):
            return "a linter's rule code"
        head, dot, last = spelled.rpartition(".")
        if dot and last in (MOCK | UNITTEST) and resolves(head, self.index):
            return f"unittest.mock's API on `{head}`"  # `self.execute.mock_calls`, `mock_x.assert_called_once_with`
        if dot and last in FILE_SUFFIXES and spelled.partition(".")[0] not in self.index.bindings:
            return "a file name"
        parts = spelled.split(".")
        if len(parts) > 2 and parts[0] in self.index.bindings and parts[1] in STDLIB:
            return f"the standard library's API through `{parts[0]}`"  # `bridge_lib.os.path.exists`
        module = self._imported(spelled)
        if module:
            return module
        if _in_string(self.index, name):
            return f"a string of {_file(self.index)}"
        owner, _, attr = name.rpartition(".")
        # patch.object(quota.QUOTAS, 'count') holds `quota.QUOTAS.count`
        if (owner in self.index.chains or owner in self.index.names) and _in_string(self.index, attr):
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


    def _imported(self, name: str) -> str:
        """`context.CELL_CACHE` when the module imports ``context`` from its own project and that module
        binds ``CELL_CACHE`` at its top level (``base.BaseTestCase.setUp``: a class and its member): the
        review cites the code under test."""
        head, dot, rest = name.partition(".")
        qualified = self.index.imports.get(head, "")
        if not dot or not qualified or self.load is None or rest.count(".") > 1:
            return ""
        other = self.load(qualified)
        if other is None or other is self.index:
            return ""
        top, _, member = rest.partition(".")
        if member:
            found = rest in other.by_qualname or other.member(top, member) is not None
        else:
            found = top in other.bindings or any(d.qualname == top for d in other.by_name.get(top, []))
        return _file(other) if found else ""


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
    # and so may an undotted one at the end of a patch target: 'cinder.privsep.cgroup.cgroup_limit'
    word = re.compile(rf"(?<![\w{'' if '.' in name else '.'}]){re.escape(name)}(?!\w)"
                      + ("" if "." in name else rf"|(?<=\.){re.escape(name)}$"))
    return any(
        isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
        and name in node.value and word.search(node.value) is not None
        for node in ast.walk(index.tree)
    )
