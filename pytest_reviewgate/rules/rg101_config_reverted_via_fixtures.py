"""RG101 `config-reverted-via-fixtures`: configuration changes in tests are reverted.

Reverted by fixtures or cleanups; config objects are matched by qualified name.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from ..analysis import idioms
from ..analysis.closures import Scope
from ..analysis.facts import RESTORING, Call, Facts, is_teardown
from ..analysis.flow import Closure, Flow
from ..analysis.idioms import CLEARS, OSLO_CONFIG_FIXTURE, OVERRIDES, UNREGISTERS, WHOLE_STATE
from ..analysis.index import Definition, ModuleIndex
from ..analysis.state import (
    argument_chain,
    argument_literal,
    chain,
    config_option,
    name_uses,
    spell_call,
)
from ..analysis.state import config_root as config_root  # RG103 and the tests import it from here
from ..model import Violation
from ._state import (
    Reports,
    closures,
    project_class_inherits,
    setup_of,
    shared_flow,
    test_class,
    trusted,
)
from .base import Context, Evidence, Rule

REGISTERS = re.compile(r"^register_(?:cli_)?opts?$|^register_group$")
REGISTER_FUNCTIONS = re.compile(r"^register_\w*opts$")


class ConfigRevertedViaFixtures(Rule):
    """Configuration changes in tests are reverted by fixtures or cleanups.

    ## What it does
    Finds changes to a global configuration object in the targets' closures that
    nothing reverts:
    - an assigned attribute (`CONF.host = ...`, `CONF.group.opt = ...`,
      `setattr(CONF, ...)`), always, even when restored by hand;
    - `set_override` / `set_default` with no `clear_override` / `clear_default` /
      `reset` registered as a cleanup, in `tearDown`, a `finally` or after a
      fixture's `yield`, no config fixture in the closure (oslo.config's
      `fixture.Config`, or a class of the project derived from it such as Nova's
      `ConfFixture`; for a helper method, one its class's `setUp` installs counts)
      and no class under `reverting-bases` (a mixin's tests count as under it when
      every class of the module that mixes it in is; a module function as well
      when only methods of such classes call it or register it as the test's
      cleanup, `self.addCleanup(f, ...)`, not another object's such as
      `cls.fx.addCleanup(f)`; a function nested in a method, such as
      a mock's `side_effect`, counts as that method). Neither a reverting class
      nor a config fixture covers a function nested in `tearDownClass` /
      `tearDownModule` or a module function they call: it runs after every
      test's reset;
    - options or groups registered on the global object (`CONF.register_opts`,
      `register_*opts(CONF)`) with no `unregister_opt(s)` cleanup.

    Reverting by construction, never reported: `self.flags(...)`, the config
    fixture's `config()` / `set_default()` / `register_opt(s)`, `monkeypatch`,
    `mock.patch.object(CONF, ...)`, Django's `override_settings` /
    `self.settings()`, pytest-django's `settings` fixture, and helpers named in
    `reverting-calls`.

    ## Why is this bad?
    The configuration object outlives the test. A change that is not reverted
    leaks into every later test, which then passes or fails depending on the
    order the tests run in. An assigned attribute is worse: oslo.config keeps it,
    and it shadows every later override.

    ## Example
    ```python
    from oslo_config import cfg

    CONF = cfg.CONF


    class ComputeTests:
        def test_host(self):
            CONF.set_override("host", "compute1")
            assert CONF.host == "compute1"
    ```

    Use instead:
    ```python
    from oslo_config import cfg
    from oslo_config import fixture as config_fixture

    CONF = cfg.CONF


    class ComputeTests:
        def test_host(self):
            self.useFixture(config_fixture.Config(CONF)).config(host="compute1")
            assert CONF.host == "compute1"
    ```

    ## Options
    None of its own; it reads the project settings `config-objects` (qualified
    names; any global `CONF`, such as `nova.conf.CONF` or `CONF = cfg.CONF`,
    counts too), `reverting-bases` and `reverting-calls`.

    ## Known problems
    A cleanup pairs with a change by option name (and group) when both are
    literal, else with any change; the order of a change and its cleanup is not
    checked. An oslo.config fixture reverts every oslo-style config object, not
    only the one it wraps. Parsing arguments into the global object (`CONF([])`)
    is not reported.
    """

    code = "RG101"
    name = "config-reverted-via-fixtures"
    summary = "Configuration changes in tests are reverted by fixtures or cleanups"
    version = "5"
    cwe = 664
    kind = "static"
    implemented = True

    def evidence(self, context: Context) -> list[Evidence]:
        """Why the targets pass, for triage (see ``_evidence.config``)."""
        from ._evidence import config

        return config(context)

    def check(self, context: Context) -> Iterable[Violation]:
        reports = Reports(self.code)
        objects = context.settings.config_objects
        flow = shared_flow(context)
        found: dict[tuple[int, int], _Found] = {}  # a function's candidates, once whatever closure holds it
        for closure in closures(context, flow):
            excused: Callable[[], bool] | None = None
            for facts in closure.facts:
                key = (id(facts.calls), id(facts.assigns))  # shared by every copy of one function's facts
                candidates = found.get(key)
                if candidates is None:
                    candidates = found[key] = _shared_candidates(context, facts, objects)
                if not candidates or trusted(context, facts.scope):
                    continue
                if excused is None:
                    excused = functools.cache(lambda closure=closure: self._excused(context, flow, closure))
                self._report(candidates, facts.scope, closure, objects, excused, reports)
        return list(reports)

    @staticmethod
    def _report(
        found: _Found,
        scope: Scope,
        closure: Closure,
        objects: Sequence[str],
        excused: Callable[[], bool],
        reports: Reports,
    ) -> None:
        for line, message in found.assigned:
            reports.add(scope, line, message)
        late = _in_shared_teardown(scope)  # after every test's reset: nothing of theirs reverts it
        for call, shown in found.overrides:
            if not ((excused() and not late) or _cleared(call, closure, objects)):
                reports.add(scope, call.line, _never_reverted(call, shown, scope))
        if found.registers and not _unregistered(closure, objects):
            for line, shown, receiver in found.registers:
                reports.add(scope, line, _registered(shown, receiver))

    def _excused(self, context: Context, flow: Flow, closure: Closure) -> bool:
        """Overrides are reset at cleanup: a reverting base, or a config fixture installed by the
        closure or, for a helper, by the setup its class's tests run first."""
        if self._reverting_base(context, closure) or _config_fixture(closure, context):
            return True
        setup = setup_of(context, flow, closure)
        return (setup is not None and _config_fixture(setup, context)) or _called_by_reverting(context, closure)

    def _reverting_base(self, context: Context, closure: Closure) -> bool:
        owner = test_class(closure)
        bases = context.settings.reverting_bases
        if owner is None or not bases:
            return False
        index = owner[0].index
        key = ("rg101-reverting-base", owner[1], tuple(bases))  # one answer for every test of the class
        known = index.memo.get(key)
        if not isinstance(known, bool):
            known = index.memo[key] = context.project.inherits(index, owner[1], bases) is True
        return known


def _called_by_reverting(context: Context, closure: Closure) -> bool:
    """A module function of the reviewed module that only methods of reverting-base classes call
    (``def set_flags(...)`` called from their tests and setUp): it runs under their reset."""
    first = closure.scopes[0] if closure.scopes else None
    bases = context.settings.reverting_bases
    if first is None or first.test or first.index is not context.index or first.definition.parent or not bases:
        return False
    index, name = context.index, first.definition.name
    key = ("rg101-called-by-reverting", name, tuple(bases))
    if key not in index.memo:
        owners: set[str] = set()
        for line, called in name_uses(index).get(name, ()):
            owner = _owning_class(index, line)
            caller = index.enclosing(line)
            late = caller is not None and (caller.name in idioms.SHARED_TEARDOWN or _in_shared_teardown_of(
                index, caller))
            if not called or owner is None or late:  # passed on, called outside a class or after the resets
                owners = set()
                break
            owners.add(owner)
        index.memo[key] = bool(owners) and all(context.project.inherits(index, o, bases) is True for o in owners)
    return bool(index.memo[key])


def _owning_class(index: ModuleIndex, line: int) -> str | None:
    definition = index.enclosing(line)
    while definition is not None and definition.kind != "class":
        definition = index.by_qualname.get(definition.parent) if definition.parent else None
    return definition.qualname if definition is not None else None


@dataclass
class _Found:
    """What one function does to config objects, whatever closure holds it."""

    assigned: list[tuple[int, str]] = field(default_factory=list)  # always reported: (line, message)
    overrides: list[tuple[Call, str]] = field(default_factory=list)  # set_* calls, unless reverted
    registers: list[tuple[int, str, str]] = field(default_factory=list)  # unless unregistered

    def __bool__(self) -> bool:
        return bool(self.assigned or self.overrides or self.registers)


def _shared_candidates(context: Context, facts: Facts, objects: Sequence[str]) -> _Found:
    """``_candidates``, kept in the memo of a module other than the reviewed one (a base class's,
    a conftest's) for every module that reaches the function: their facts are the same walk. Only
    for a name the module defines once, so that every walk of it reads the same ``def``."""
    scope = facts.scope
    index, definition = scope.index, scope.definition
    if index is context.index:
        return _candidates(facts, objects)
    same = [d for d in index.by_name.get(definition.name, ()) if d.qualname == definition.qualname]
    if len(same) != 1:
        return _candidates(facts, objects)
    key = ("rg101-candidates", definition.qualname, is_teardown(scope), tuple(objects))
    known = index.memo.get(key)
    if not isinstance(known, _Found):
        known = index.memo[key] = _candidates(facts, objects)
    return known


def _candidates(facts: Facts, objects: Sequence[str]) -> _Found:
    found = _Found()
    scope = facts.scope
    for assign in facts.assigns:
        root = config_root(assign.name, objects, facts.locals)
        if assign.name.rpartition(".")[2] in idioms.MOCK_SETTINGS:
            continue  # ``utils.CONF.list_all_sections.return_value = ...``: a mock a patch put there
        if root and assign.name != root and assign.kind.endswith("attr"):
            what = f"`del {assign.spelled}`" if assign.kind == "del-attr" else f"`{assign.spelled} = ...`"
            found.assigned.append((assign.line, _assigned(what, assign.name, root, scope)))
    for call in facts.calls:
        if call.name == "setattr" and len(call.args) >= 2:
            qualified = facts.qualify(call.args[0])
            root = config_root(qualified, objects, facts.locals)
            if root:
                owner, name = argument_chain(call, 0), argument_literal(call, 1)
                what = f"`setattr({owner}, {name!r}, ...)`" if name else f"`setattr({owner}, ...)`"
                path = f"{qualified}.{name}" if name else f"{qualified}.?"
                found.assigned.append((call.line, _assigned(what, path, root, scope)))
            continue
        if call.where in RESTORING:
            continue
        receiver = call.receiver
        root = config_root(receiver, objects, facts.locals)
        if root and receiver == root and call.method in OVERRIDES:
            found.overrides.append((call, spell_call(call)))
        elif root and receiver == root and REGISTERS.match(call.method):
            found.registers.append((call.line, spell_call(call), call.spelled.rpartition(".")[0]))
        elif not root and REGISTER_FUNCTIONS.match(call.method):
            passed = [a for a in call.args if config_root(facts.qualify(a), objects, facts.locals)]
            if passed:
                found.registers.append((call.line, spell_call(call), chain(passed[0]) or "CONF"))
    return found


def _cleared(change: Call, closure: Closure, objects: Sequence[str]) -> bool:
    """A clear_*/reset, or the same set_* restoring the value, registered or at teardown."""
    name, group, known = config_option(change)
    for call in closure.cleanups:
        if not call.receiver or call.receiver != config_root(call.receiver, objects):
            continue
        if call.method in WHOLE_STATE:
            return True
        if call.method in (CLEARS[change.method], change.method):
            other, other_group, other_known = config_option(call)
            if not (known and other_known) or (name, group) == (other, other_group):
                return True
    return False


def _config_fixture(closure: Closure, context: Context) -> bool:
    """oslo.config's ``fixture.Config`` installed in the closure, or a project class built on it
    (Nova's ``self.useFixture(nova_fixtures.ConfFixture(CONF))``)."""
    if any(p.kind == "config" and p.active for p in closure.patches):
        return True
    return any(
        c.how in ("fixture", "with") and c.scope is not None
        and project_class_inherits(context, c.scope.index, c.spelled, (OSLO_CONFIG_FIXTURE,))
        for c in closure.calls
    )


def _unregistered(closure: Closure, objects: Sequence[str]) -> bool:
    undo = UNREGISTERS | {"__setstate__"}
    return any(c.method in undo and config_root(c.receiver, objects) for c in closure.cleanups)


def _fix(option: str | None, group: str | None, scope: Scope) -> str:
    """``self.flags`` in a method; the Config fixture's ``config()`` in a plain function."""
    keywords = f"{option}=..." if option else "..."
    if group:
        keywords += f", group={group!r}"
    if _has_self(scope):
        return f"use `self.flags({keywords})` or a `config_fixture.Config` fixture"
    return f"use a `config_fixture.Config` fixture and its `config({keywords})`"


def _in_shared_teardown(scope: Scope) -> bool:
    """A function nested in ``tearDownClass``/``tearDownModule`` (at any depth): it runs after the
    cleanups of every test, so their config reset is over. (The hook's own calls are teardown
    code, read as restores.)"""
    return _in_shared_teardown_of(scope.index, scope.definition)


def _in_shared_teardown_of(index: ModuleIndex, definition: Definition | None) -> bool:
    while definition is not None and definition.kind == "function" and definition.parent:
        definition = index.by_qualname.get(definition.parent)
        if definition is not None and definition.kind == "function" and definition.name in idioms.SHARED_TEARDOWN:
            return True
    return False


def _has_self(scope: Scope) -> bool:
    """A method with ``self``, or a function nested in one (it sees the method's ``self``)."""
    definition: Definition | None = scope.definition
    while definition is not None and not definition.in_class and definition.kind == "function":
        definition = scope.index.by_qualname.get(definition.parent) if definition.parent else None
    return definition is not None and definition.in_class and "self" in definition.params


def _assigned(what: str, qualified: str, root: str, scope: Scope) -> str:
    """``what`` assigns ``qualified`` (``<root>.[group.]option``; ``?`` for an unknown name)."""
    parts = qualified[len(root) + 1 :].split(".")
    name = parts[-1] if parts[-1] != "?" else None
    group = parts[-2] if len(parts) > 1 else None
    if root.startswith("django."):
        name = name or "..."
        return (
            f"{what} assigns a setting directly -> use `override_settings({name}=...)`, "
            f"`self.settings({name}=...)` or pytest-django's `settings` fixture"
        )
    fix = _fix(name, group, scope)
    return f"{what} assigns a config attribute, which shadows every later override -> {fix}"


def _never_reverted(call: Call, shown: str, scope: Scope) -> str:
    name, group, _ = config_option(call)
    if call.method == "set_default":
        option = repr(name) if name else "..."
        return (
            f"`{shown}` is never reverted -> use the `set_default({option}, ...)` of a "
            f"`config_fixture.Config` fixture, which clears it at cleanup"
        )
    return f"`{shown}` is never reverted -> {_fix(name, group, scope)}"


def _registered(shown: str, receiver: str) -> str:
    return (
        f"`{shown}` registers on the global config and nothing unregisters it -> register "
        f"through a `config_fixture.Config` fixture or add "
        f"`self.addCleanup({receiver}.unregister_opts, ...)`"
    )
