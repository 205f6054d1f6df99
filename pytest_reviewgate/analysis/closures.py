"""Expectation targets -> definitions, and each target's closure (SPEC 3.4).

A closure is the target, the module helpers it calls (transitively, through project bases),
and for a test its xunit hooks and the pytest fixtures it uses, conftest.py files included.
"""

from __future__ import annotations

import ast
import fnmatch
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from ..model import Finding
from .fixtures import conftest_paths as conftest_paths  # where the engine has always found it
from .fixtures import fixture_defs, is_fixture_decorator, usefixtures
from .idioms import CLASS_SETUP, CLASS_TEARDOWN, MODULE_HOOKS, SETUP, TEARDOWN
from .index import Definition, ModuleIndex, chain_of
from .mro import Mro, lookup
from .symbols import counts, definitions_of

# ``super().<name>()`` of an xunit hook runs that hook of a base: it keeps the hook's role
_HOOK_ROLES = {
    **dict.fromkeys(SETUP, "setup"),
    **dict.fromkeys(TEARDOWN, "teardown"),
    **dict.fromkeys(CLASS_SETUP, "class-setup"),
    **dict.fromkeys(CLASS_TEARDOWN, "class-teardown"),
}
LINES = re.compile(r"^lines?\s+(\d{1,9})(?:\s*(?:-|\u2013|to)\s*(\d{1,9}))?$")


@dataclass(frozen=True)
class Scope:
    """One function of a target's closure, with the module that defines it."""

    index: ModuleIndex  # the reviewed module, a conftest.py or a base class's module
    definition: Definition
    node: ast.FunctionDef | ast.AsyncFunctionDef
    # target | helper | setup | teardown | class-setup | class-teardown | fixture
    role: str
    test: str = ""  # qualname of the test this closure serves; "" when the target is no test


@dataclass
class Selection:
    definitions: list[Definition] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)


def select(index: ModuleIndex, targets: Sequence[str], finding: Finding | None) -> Selection:
    """Resolve ``on`` targets, or the finding's own symbols and lines, or the whole module."""
    selection = Selection()
    chosen: list[Definition] = []
    if targets:
        for target in targets:
            found = _match(index, target.strip())
            if found:
                chosen.extend(found)
            else:
                selection.unmatched.append(target)
    elif finding is not None:
        for symbol in finding.symbol_anchors:
            if counts(symbol, index):
                chosen.extend(definitions_of(symbol.name, index))
        if not chosen:
            for anchor in finding.line_anchors:
                if not anchor.error:
                    chosen.extend(index.innermost(anchor.start, anchor.end))
    if not targets and not chosen:  # the whole module: every rule of a module-wide review asks
        known = index.memo.get("module-functions")
        if not isinstance(known, tuple):
            known = index.memo["module-functions"] = tuple(_functions(index, list(index.definitions)))
        selection.definitions = list(known)
        return selection
    selection.definitions = _functions(index, chosen)
    return selection


def _match(index: ModuleIndex, target: str) -> list[Definition]:
    lines = LINES.match(target)
    if lines:
        start = int(lines.group(1))
        end = int(lines.group(2)) if lines.group(2) else start
        return index.innermost(start, end)
    if any(ch in target for ch in "*?["):
        return [d for d in index.definitions if fnmatch.fnmatchcase(d.qualname, target)
                or ("." not in target and fnmatch.fnmatchcase(d.name, target))]
    if target in index.by_qualname:
        return [index.by_qualname[target]]
    if "." in target:
        owner, _, method = target.rpartition(".")
        inherited = find_method(index, owner, method)
        return [inherited] if inherited else []
    return list(index.by_name.get(target, []))


def _functions(index: ModuleIndex, chosen: list[Definition]) -> list[Definition]:
    """Classes expand to their methods; duplicates go; source order."""
    out: dict[str, Definition] = {}
    for definition in chosen:
        if definition.kind == "class":
            for other in index.definitions:
                if other.parent == definition.qualname and other.kind == "function":
                    out.setdefault(other.qualname, other)
        else:
            out.setdefault(definition.qualname, definition)
    return sorted(out.values(), key=lambda d: (d.first_line, d.qualname))


def find_method(index: ModuleIndex, class_qualname: str, method: str) -> Definition | None:
    """``Class.method`` through the class's bases defined in the same module."""
    return index.member(class_qualname, method)


def is_fixture(scope: Scope) -> bool:
    """Whether a closure's function is a pytest fixture: reached as one, or decorated as one."""
    return scope.role == "fixture" or any(is_fixture_decorator(scope.index, d) for d in scope.definition.decorators)


def is_autouse(scope: Scope) -> bool:
    """Whether a closure's function is an autouse fixture (``@pytest.fixture(autouse=True)``)."""
    for decorator in scope.node.decorator_list:
        if isinstance(decorator, ast.Call) and is_fixture_decorator(scope.index, chain_of(decorator.func) or ""):
            return any(
                k.arg == "autouse" and isinstance(k.value, ast.Constant) and k.value.value is True
                for k in decorator.keywords
            )
    return False


def is_test(definition: Definition, index: ModuleIndex) -> bool:
    """pytest's default ``python_functions``/``python_classes``, plus classes with bases (TestCase)."""
    if definition.kind != "function" or not definition.name.startswith("test"):
        return False
    if not definition.parent:
        return True
    owner = index.by_qualname.get(definition.parent)
    return owner is not None and owner.kind == "class" and (
        owner.name.startswith("Test") or bool(owner.bases)
    )


class ClosureBuilder:
    """Builds closures over the reviewed module, its conftests and project base classes."""

    def __init__(self, index: ModuleIndex, conftests: Sequence[ModuleIndex] = (), project: object = None) -> None:
        self.index = index
        self.conftests = list(conftests)  # nearest first
        self.project = project
        self._fixture_cache: dict[str, dict[str, list[tuple[Definition, bool]]]] = {}
        self._closures: dict[str, list[Scope]] = {}
        self._calls: dict[tuple[str, str, str], list[tuple[ModuleIndex, Definition, str]]] = {}
        self._methods: dict[tuple[str, str], tuple[ModuleIndex, Definition] | None] = {}
        self.classes = Mro(project)

    def closure(self, target: Definition) -> list[Scope]:
        """The target's closure; built once per builder (one builder serves a whole module)."""
        if target.qualname not in self._closures:
            self._closures[target.qualname] = self._closure(target)
        return self._closures[target.qualname]

    def _closure(self, target: Definition) -> list[Scope]:
        test = target.qualname if is_test(target, self.index) else ""
        seeds = [(self.index, target, "target")]
        if test:
            seeds += self._hooks(target)
            seeds += [(index, definition, "fixture") for index, definition in self._fixtures(target)]
        return self._expand(seeds, target.parent if target.in_class else "", test)

    def setup_closure(self, class_qualname: str) -> list[Scope]:
        """What every test of a class runs first: its setup hooks (found along the MRO, and the
        bases' through ``super()``) with their helpers. Empty for a class the module lacks."""
        key = "\0setup\0" + class_qualname
        if key not in self._closures:
            hooks = [(i, d, r) for i, d, r in self._class_hooks(class_qualname) if r in ("setup", "class-setup")]
            self._closures[key] = self._expand(hooks, class_qualname, "")
        return self._closures[key]

    def _expand(self, seeds: Sequence[tuple[ModuleIndex, Definition, str]], instance: str, test: str) -> list[Scope]:
        """The seeds and the helpers they call, transitively, each function once."""
        scopes: list[Scope] = []
        seen: set[tuple[str, str]] = set()

        def add(index: ModuleIndex, definition: Definition, role: str) -> None:
            key = (index.path, definition.qualname)
            node = index.nodes.get(definition.qualname)
            if key in seen or not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                return
            seen.add(key)
            scopes.append(Scope(index, definition, node, role, test))

        for index, definition, role in seeds:
            add(index, definition, role)
        position = 0
        while position < len(scopes):
            scope = scopes[position]
            position += 1
            for index, definition, role in self._helpers(scope, instance):
                add(index, definition, role)
        return scopes

    # -- classes ---------------------------------------------------------
    def mro(self, index: ModuleIndex, class_qualname: str) -> list[tuple[ModuleIndex, Definition]]:
        """The class and the bases the project defines, in method resolution order."""
        return self.classes.of(index, class_qualname)

    def method(self, class_qualname: str, name: str) -> tuple[ModuleIndex, Definition] | None:
        """``Class.name`` for a class of the reviewed module, looked up along its MRO."""
        key = (class_qualname, name)
        if key not in self._methods:
            self._methods[key] = lookup(self.mro(self.index, class_qualname), name)
        return self._methods[key]

    def _hooks(self, test: Definition) -> list[tuple[ModuleIndex, Definition, str]]:
        found = list(self._class_hooks(test.parent)) if test.parent else []
        for name in MODULE_HOOKS:
            for definition in self.index.by_name.get(name, []):
                if not definition.parent:
                    found.append((self.index, definition, "setup" if "setup" in name.lower() else "teardown"))
        return found

    def _class_hooks(self, class_qualname: str) -> Iterator[tuple[ModuleIndex, Definition, str]]:
        for names, role in ((SETUP, "setup"), (TEARDOWN, "teardown"), (CLASS_SETUP, "class-setup"),
                            (CLASS_TEARDOWN, "class-teardown")):
            for name in names:
                found = self.method(class_qualname, name)
                if found is not None:
                    yield found[0], found[1], role

    # -- fixtures ----------------------------------------------------------
    def _fixture_defs(self, index: ModuleIndex) -> dict[str, list[tuple[Definition, bool]]]:
        if index.path not in self._fixture_cache:
            self._fixture_cache[index.path] = fixture_defs(index)
        return self._fixture_cache[index.path]

    def _fixtures(self, test: Definition) -> Iterator[tuple[ModuleIndex, Definition]]:
        layers = [(self.index, self._fixture_defs(self.index))]
        layers += [(c, self._fixture_defs(c)) for c in self.conftests]
        wanted = [p for p in test.params if p not in ("self", "cls")]
        wanted += usefixtures(self.index, test)
        for _, defs in layers:
            for name, entries in defs.items():
                for definition, autouse in entries:
                    if autouse and (not definition.parent or definition.parent == test.parent):
                        wanted.append(name)
        done: set[str] = set()
        while wanted:
            name = wanted.pop(0)
            if name in done:
                continue
            done.add(name)
            for index, defs in layers:
                candidates = [d for d, _ in defs.get(name, []) if not d.parent or d.parent == test.parent]
                if candidates:
                    # nearest first: a class fixture over a module one, the module over conftests
                    candidates.sort(key=lambda d: d.parent != test.parent)
                    chosen = candidates[0]
                    yield index, chosen
                    wanted.extend(p for p in chosen.params if p not in ("self", "cls", "request"))
                    break

    # -- helpers -----------------------------------------------------------
    def _helpers(self, scope: Scope, instance: str) -> list[tuple[ModuleIndex, Definition, str]]:
        """The functions a function calls (with the role they get); its calls are read once per
        builder and class of ``self`` (a base's ``self.x()`` finds the test class's override)."""
        key = (scope.index.path, scope.definition.qualname, instance)
        if key not in self._calls:
            self._calls[key] = list(self._walk_helpers(scope, instance))
        return self._calls[key]

    def _walk_helpers(self, scope: Scope, instance: str) -> Iterator[tuple[ModuleIndex, Definition, str]]:
        index = scope.index
        owner = scope.definition.parent if scope.definition.in_class else ""
        order = self._instance_order(scope, instance) if owner else []
        for node in index.calls_within(scope.definition.qualname):
            func = node.func
            if isinstance(func, ast.Attribute) and owner:
                if isinstance(func.value, ast.Call):  # super().name(), super(Class, self).name()
                    found = lookup(order, func.attr, after=(index.path, owner))
                    role = _HOOK_ROLES.get(func.attr, "helper")
                else:
                    found, role = lookup(order, func.attr), "helper"
                if found is not None:
                    yield found[0], found[1], role
            elif isinstance(func, ast.Name):
                for definition in index.by_name.get(func.id, []):
                    if definition.kind == "function" and not definition.parent:
                        yield index, definition, "helper"

    def _instance_order(self, scope: Scope, instance: str) -> list[tuple[ModuleIndex, Definition]]:
        """The MRO ``self`` has in a method: the test's class when the method is one of its bases',
        else the method's own class."""
        owner = scope.definition.parent
        if instance:
            order = self.mro(self.index, instance)
            if any(i.path == scope.index.path and c.qualname == owner for i, c in order):
                return order
        return self.mro(scope.index, owner)
