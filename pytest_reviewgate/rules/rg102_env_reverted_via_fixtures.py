"""RG102 `env-reverted-via-fixtures`: changes to os.environ in tests are reverted.

Reverted by fixtures, self-undoing patches, or a restore in a cleanup or ``finally``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from ..analysis.closures import Scope
from ..analysis.facts import RESTORING, Facts, literal
from ..analysis.flow import Closure
from ..analysis.idioms import ENVIRONS
from ..analysis.state import Expr, restores_saved, spell_call, update_keys
from ..model import Violation
from . import _evidence
from ._state import Reports, closures, covers, shared_flow, trusted, unittest_style
from .base import Context, Evidence, Rule

MUTATORS = frozenset({"update", "pop", "setdefault", "clear", "popitem", "__setitem__", "__delitem__"})
PUTENV = frozenset({"os.putenv", "os.unsetenv"})
REMOVING = frozenset({"pop", "popitem", "clear", "__delitem__", "del-item", "os.unsetenv"})


@dataclass(frozen=True)
class _Change:
    scope: Scope
    line: int
    shown: str  # ``os.environ['HOME'] = ...``
    keys: tuple[str, ...] | None  # None: not known statically (covers and is covered by anything)
    removes: bool
    where: str
    value: Expr | None = None  # the value written back when it may be a saved one


def _keys(node: Expr | None) -> tuple[str, ...] | None:
    key = literal(node)
    return (key,) if key is not None else None


def changes(facts: Facts) -> Iterator[_Change]:
    """Every change to the environment in a function, wherever it happens."""
    scope = facts.scope
    for assign in facts.assigns:
        if assign.name not in ENVIRONS:
            continue
        if assign.kind in ("item", "del-item"):
            key = literal(assign.key)
            index = repr(key) if key is not None else "..."
            removes = assign.kind == "del-item"
            item = f"{assign.spelled}[{index}]"
            shown = f"del {item}" if removes else f"{item} = ..."
            yield _Change(scope, assign.line, shown, _keys(assign.key), removes, assign.where, assign.value)
        elif assign.kind == "attr":
            yield _Change(scope, assign.line, f"{assign.spelled} = ...", None, False, assign.where)
    for call in facts.calls:
        environ = call.method in MUTATORS and call.receiver in ENVIRONS
        if not (environ or call.name in PUTENV):
            continue
        keys = _keys(call.args[0]) if call.args else None
        if call.method == "update":
            keys = update_keys(call.args, call.keywords)
        elif call.method in ("clear", "popitem"):
            keys = None
        removes = call.method in REMOVING or call.name in REMOVING
        shown = spell_call(call)
        value = call.args[0] if call.method == "update" and len(call.args) == 1 else None
        yield _Change(scope, call.line, shown, keys, removes, call.where, value)


def _match(one: tuple[str, ...] | None, other: tuple[str, ...] | None) -> bool:
    return one is None or other is None or bool(set(one) & set(other))


def reverted(change: _Change, closure: Closure, restores: list[_Change]) -> bool:
    """A self-undoing patch of the environment in force there, or a restore at cleanup."""
    for patch in closure.patches:
        if patch.target not in ENVIRONS or not patch.active:
            continue
        if patch.key is None and covers(patch, change.scope, change.line, closure):
            return True
        if patch.key is not None and _match(change.keys, (patch.key,)):
            return True
    return any(_match(change.keys, r.keys) for r in restores)


class EnvRevertedViaFixtures(Rule):
    """Changes to os.environ in tests are reverted by fixtures or cleanups.

    ## What it does
    Finds changes to the process environment in the targets' closures
    (`os.environ[k] = v`, `del os.environ[k]`, `os.environ.update/pop/setdefault/clear`,
    `os.putenv`, `os.unsetenv`) that nothing reverts. Reverting: `monkeypatch.setenv` /
    `delenv`, `mock.patch.dict(os.environ, ...)` as decorator, context manager or started
    patcher, `fixtures.EnvironmentVariable`, or a restore of the same variable in a
    `finally`, a registered cleanup, `tearDown` or after a fixture's `yield`.

    ## Why is this bad?
    The environment belongs to the whole process. A variable a test sets and never
    restores changes the behaviour of every later test, and of subprocesses they start,
    so results depend on test order.

    ## Example
    ```python
    import os


    def test_uses_proxy():
        os.environ["HTTP_PROXY"] = "http://proxy:3128"
        assert os.environ["HTTP_PROXY"].startswith("http")
    ```

    Use instead:
    ```python
    def test_uses_proxy(monkeypatch):
        monkeypatch.setenv("HTTP_PROXY", "http://proxy:3128")
    ```

    ## Known problems
    A restore pairs with a change by variable name when both are literal. The order of a
    change and a started patcher or fixture is not checked.
    """

    code = "RG102"
    name = "env-reverted-via-fixtures"
    version = "2"
    summary = "Changes to os.environ in tests are reverted by fixtures or cleanups"
    cwe = 664
    kind = "static"
    implemented = True

    def evidence(self, context: Context) -> list[Evidence]:
        """Why the targets pass, for triage (see ``_evidence.env``)."""
        return _evidence_of(context)

    def check(self, context: Context) -> Iterable[Violation]:
        reports = Reports(self.code)
        known: dict[tuple[int, int], list[_Change]] = {}  # a function's changes, once whatever closure holds it

        def of(facts: Facts) -> list[_Change]:
            key = (id(facts.calls), id(facts.assigns))  # shared by every copy of one function's facts
            found = known.get(key)
            if found is None:
                found = known[key] = list(changes(facts))
            if not found:  # most functions leave the environment alone
                return found
            return [c if c.scope is facts.scope else replace(c, scope=facts.scope) for c in found]

        for closure in closures(context, shared_flow(context)):
            found = [c for f in closure.facts if (mine := of(f)) and not trusted(context, f.scope) for c in mine]
            if not found:
                continue
            restores = [c for f in closure.facts for c in of(f) if c.where in RESTORING]
            for change in found:
                if change.where in RESTORING or reverted(change, closure, restores):
                    continue
                key = change.keys[0] if change.keys and len(change.keys) == 1 else None
                if not any(restores_saved(closure, change.value, e, key) for e in ENVIRONS):
                    reports.add(change.scope, change.line, _message(change))
        return list(reports)


def _message(change: _Change) -> str:
    key = repr(change.keys[0]) if change.keys and len(change.keys) == 1 else "..."
    if unittest_style(change.scope):
        value = "" if change.removes else ", ..."
        fixture = f"`self.useFixture(fixtures.EnvironmentVariable({key}{value}))`"
        fix = f"{fixture} or `mock.patch.dict(os.environ)`"
    elif change.removes:
        fix = f"`monkeypatch.delenv({key})` or `mock.patch.dict(os.environ)`"
    else:
        fix = f"`monkeypatch.setenv({key}, ...)` or `mock.patch.dict(os.environ)`"
    return f"`{change.shown}` is never reverted -> use {fix}"


# ---------------------------------------------------------------- pass-evidence (triage)


def _evidence_of(context: Context) -> list[Evidence]:
    """RG102: environment changes through self-undoing patches, or restored at cleanup."""

    flow = shared_flow(context)
    out: list[Evidence] = []
    for closure in closures(context, flow):
        for patch in closure.patches:
            scope = patch.call.scope
            if scope is None or not patch.active:
                continue
            if patch.kind == "env" or (patch.kind == "dict" and patch.target == "os.environ"):
                how = _evidence.HOW.get(patch.how, patch.how)
                at = _evidence.where(context, scope.index.path, patch.line)
                text = f"the environment is changed through `{patch.call.spelled}` ({at}), {how} undone at the end"
                out.append(Evidence(scope.index.path, patch.line, text))
        restores = [c for f in closure.facts for c in changes(f) if c.where in RESTORING]
        for facts in closure.facts:
            for change in changes(facts):
                if change.where in RESTORING or not restores:
                    continue
                restore = restores[0]
                at = _evidence.where(context, facts.scope.index.path, change.line)
                text = (f"`{change.shown}` ({at}) is restored "
                        f"at {_evidence.where(context, restore.scope.index.path, restore.line)} ({restore.where})")
                out.append(Evidence(facts.scope.index.path, change.line, text))
    return _evidence.unique(out)
