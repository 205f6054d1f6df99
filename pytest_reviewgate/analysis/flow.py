"""Facts over the functions of a closure, shared by rules (API: ``Flow``, ``Closure``, ``Facts``).

``Flow().closure(scopes)`` walks each function once (iteratively) into frozen facts: ``Call``
(qualified callee; ``how="registered"`` for ``addCleanup(f, *args)``-style cleanups), ``Assign``
(``X.a = v``, ``X[k] = v``, ``del``), ``Save`` (``old = X.a``), ``Patch`` (self-undoing patches),
each with ``where`` (body, finally, teardown, after-yield, cleanup, nested). Rules pair changes
with reverts inside one ``Closure``; ignore comments are the engine's (``checks.ignored``).
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

from .closures import Scope
from .facts import RESTORING, Assign, Call, Facts, Patch, Save, is_teardown, module_aliases
from .idioms import REGISTER, STARTS, STOPALL
from .index import Definition, ModuleIndex


@dataclass(frozen=True)
class Closure:
    """The facts of every function of one target's closure, merged."""

    scopes: tuple[Scope, ...]
    facts: tuple[Facts, ...]
    memo: dict[object, object] = field(default_factory=dict, compare=False, repr=False)  # what rules derive

    @cached_property
    def calls(self) -> tuple[Call, ...]:
        return tuple(c for f in self.facts for c in f.calls)

    @cached_property
    def assigns(self) -> tuple[Assign, ...]:
        return tuple(a for f in self.facts for a in f.assigns)

    @cached_property
    def saves(self) -> tuple[Save, ...]:
        return tuple(s for f in self.facts for s in f.saves)

    @cached_property
    def patches(self) -> tuple[Patch, ...]:
        """Every patch, with ``how == "start"`` when ``.start()`` (a fixture's ``.setUp()``) is
        called on it anywhere here."""
        starts = [c for c in self.calls if c.method in STARTS]
        started = {id(c.on) for c in starts if c.on is not None}
        names = {c.spelled.rpartition(".")[0] for c in starts if c.spelled.count(".")}
        out = []
        for patch in (p for f in self.facts for p in f.patches):
            if not patch.how and (id(patch.call.node) in started or patch.call.bound_to in names):
                patch = replace(patch, how="start")
            out.append(patch)
        return tuple(out)

    @cached_property
    def cleanups(self) -> tuple[Call, ...]:
        """Calls that run when the test ends: registered, in tearDown, finally, after a yield."""
        return tuple(c for c in self.calls if c.where in RESTORING)

    @property
    def stopall(self) -> bool:
        """``mock.patch.stopall`` registered or called at teardown in this closure."""
        return any(c.name in STOPALL for c in self.cleanups)

    def saved(self, spelled: str) -> tuple[Save, ...]:
        """The saves into ``spelled`` (``old``, ``self._old``)."""
        return tuple(s for s in self.saves if s.name == spelled)


class Flow:
    """Computes facts once per function (module path, qualname, teardown or not); share one
    between the rules of a module to walk each function once."""

    def __init__(self) -> None:
        self._facts: dict[tuple[str, str, bool], Facts] = {}
        self._aliases: dict[int, dict[str, str]] = {}
        self._closures: dict[tuple[int, ...], Closure] = {}
        self._cleanups: dict[tuple[str, str], frozenset[str]] = {}

    def facts(self, scope: Scope) -> Facts:
        """One function's facts, walked once per flow; and once per process for a module every
        analysis reads (a base class's ``setUp``), for as long as that module keeps its nodes: its
        ``memo`` keeps them by role, which the facts' own scope carries."""
        teardown = is_teardown(scope)
        key = (scope.index.path, scope.definition.qualname, teardown)
        found = self._facts.get(key)
        if found is None:
            from .walk import walk_scope

            memo, kept = scope.index.memo, ("flow.facts", scope.definition.qualname, scope.role, teardown)
            found = memo.get(kept)  # type: ignore[assignment]
            if found is None or found.scope.node is not scope.node:
                found = memo[kept] = walk_scope(scope, self.aliases(scope.index))
            self._facts[key] = found
        return found

    def closure(self, scopes: Sequence[Scope]) -> Closure:
        """The closure's facts; each ``Facts.scope`` is the closure's own scope (its role).

        Built once per list of scopes: every rule of a module asks for the same closures.
        """
        key = tuple(map(id, scopes))
        known = self._closures.get(key)
        if known is not None:
            return known
        facts = []
        for scope in scopes:
            found = self.facts(scope)
            facts.append(found.seen_from(scope))
        closure = self._closures[key] = Closure(tuple(scopes), tuple(facts))  # holds the scopes: ids stay theirs
        return closure

    def registered_as_cleanup(self, scope: Scope) -> bool:
        """Whether the enclosing function registers this nested def as a cleanup, or a method of
        its class registers this method (``addCleanup(restore)``, ``addCleanup(self._restore)``)."""
        definition, index = scope.definition, scope.index
        owner = index.by_qualname.get(definition.parent) if definition.parent else None
        if owner is None:
            return False
        if owner.kind == "function":
            wanted = {definition.name}
        else:
            wanted = {f"self.{definition.name}", f"cls.{definition.name}"}
        return not wanted.isdisjoint(self._registered(index, owner))

    def _registered(self, index: ModuleIndex, owner: Definition) -> frozenset[str]:
        """What the owner (a function, or every method of a class) registers as cleanups, spelled;
        once per owner, for every target it holds."""
        key = (index.path, owner.qualname)
        found = self._cleanups.get(key)
        if found is None:
            if owner.kind == "function":
                functions = [owner]
            else:
                functions = [d for d in index.definitions if d.parent == owner.qualname and d.kind == "function"]
            spelled: set[str] = set()
            for function in functions:
                node = index.nodes.get(function.qualname)
                # only an ``x.addCleanup(...)``-style call registers: a function that never spells one
                # is not walked for it (a class of hundreds of tests, for each target that is no test)
                text = "\n".join(index.lines[function.first_line - 1 : function.end_line])
                if not any(word in text for word in REGISTER):
                    continue
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    facts = self.facts(Scope(index, function, node, "helper"))
                    spelled.update(c.spelled for c in facts.calls if c.how == "registered")
            found = self._cleanups[key] = frozenset(spelled)
        return found

    def aliases(self, index: ModuleIndex) -> dict[str, str]:
        """Module-level ``NAME = dotted`` bindings, qualified (``CONF = cfg.CONF``)."""
        if id(index) not in self._aliases:
            self._aliases[id(index)] = module_aliases(index)
        return self._aliases[id(index)]


