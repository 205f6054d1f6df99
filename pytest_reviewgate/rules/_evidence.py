"""Pass-evidence of the built-in rules (``Rule.evidence``): what makes a rule's concern moot.

Triage quotes these to refute a finding; each is a construct of the targets' closures with its
line. Called only when the rule found nothing, so a construct named here is one the rule accepts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from ..analysis.closures import Scope
from ..analysis.facts import RESTORING, Call, matches
from ..analysis.flow import Closure
from ..analysis.idioms import CONFIG_FIXTURE_CHANGES, OSLO_CONFIG_FIXTURE, TRUSTED_HELPERS
from ..analysis.state import argument_chain
from ._state import closures, project_class_inherits, setup_of, shared_flow, test_class
from .base import Context, Evidence

MAX = 4  # constructs per rule: enough to refute, short enough to read
HOW = {"decorator": "a decorator", "with": "a `with` block", "fixture": "a fixture", "start": "a started patcher"}


def _name(path: str) -> str:
    return Path(path).name


def where(context: Context, path: str, line: int) -> str:
    """``line 186`` in the reviewed module, ``test.py:233`` elsewhere."""
    return f"line {line}" if path == context.index.path else f"{_name(path)}:{line}"


def installer(scope: Scope | None) -> str:
    if scope is None:
        return "the closure"
    return f"`{scope.definition.qualname}`"


def unique(found: Iterable[Evidence]) -> list[Evidence]:
    seen: set[tuple[str, int]] = set()
    out = []
    for item in found:
        if (item.path, item.line) not in seen:
            seen.add((item.path, item.line))
            out.append(item)
    return out[:MAX]


def _config_fixture(context: Context, closure: Closure) -> str:
    """The config fixture the closure installs, as a phrase, else "": one on the global ``CONF``
    first (Nova's ``ConfFixture(CONF)`` over a conditional ``Config(lockutils.CONF)``)."""
    found: list[tuple[bool, int, str]] = []
    for patch in closure.patches:
        owner = patch.call.scope
        if patch.kind == "config" and patch.active and owner is not None:
            phrase = (f"the config fixture `{patch.call.spelled}` that {installer(owner)} installs "
                      f"({where(context, owner.index.path, patch.line)})")
            found.append((_on_conf(patch.call), patch.line, phrase))
    for call in closure.calls:
        caller = call.scope
        if call.how in ("fixture", "with") and caller is not None and project_class_inherits(
            context, caller.index, call.spelled, (OSLO_CONFIG_FIXTURE,)
        ):
            phrase = (f"the config fixture `{call.spelled}` that {installer(caller)} installs "
                      f"({where(context, caller.index.path, call.line)})")
            found.append((_on_conf(call), call.line, phrase))
    return min(found, key=lambda f: (not f[0], f[1]))[2] if found else ""


def _on_conf(call: Call) -> bool:
    return argument_chain(call, 0) == "CONF"


def _reverting_call(context: Context, call: Call) -> bool:
    if call.method in TRUSTED_HELPERS and call.spelled in (f"self.{call.method}", f"cls.{call.method}"):
        return True
    patterns = context.settings.reverting_calls
    return bool(patterns) and (matches(call.spelled, patterns) or matches(call.method, patterns))


def config(context: Context) -> list[Evidence]:
    """RG101: changes through reverting helpers (``self.flags``), config fixtures, reverting bases."""
    flow = shared_flow(context)
    out: list[Evidence] = []
    for closure in closures(context, flow):
        fixture = _config_fixture(context, closure)
        setup = setup_of(context, flow, closure)
        if not fixture and setup is not None:
            fixture = _config_fixture(context, setup)
        owner = test_class(closure)
        bases = context.settings.reverting_bases
        base = ""
        if owner is not None and bases and context.project.inherits(owner[0].index, owner[1], bases) is True:
            base = f"`{owner[1]}` derives from {', '.join(f'`{b}`' for b in bases)} (reverting-bases)"
        # names the closure binds a config fixture to (``self.cfg_fixture = self.useFixture(Config(CONF))``)
        holders = {p.call.bound_to: p for p in closure.patches if p.kind == "config" and p.active and p.call.bound_to}
        for call in closure.calls:
            scope = call.scope
            if scope is None or call.where in RESTORING:
                continue
            holder = holders.get(call.spelled.rpartition(".")[0]) if call.method in CONFIG_FIXTURE_CHANGES else None
            if holder is not None and holder.call.scope is not None:
                made = holder.call.scope
                fixture_text = (f"the config fixture `{holder.call.spelled}` that {installer(made)} installs "
                                f"({where(context, made.index.path, holder.line)}), which reverts them when the "
                                "test ends")
                # the module's own calls of the helper that makes the change (``self.config(x=1)``)
                helper = scope.definition
                callers = [c for c in closure.calls if c.scope is not None and c.scope.index is context.index
                           and helper.in_class and c.spelled in (f"self.{helper.name}", f"cls.{helper.name}")]
                for caller in callers[:1]:
                    text = (f"changes go through `{caller.spelled}` "
                            f"({where(context, context.index.path, caller.line)}): `{helper.qualname}` hands them "
                            f"to {fixture_text}")
                    out.append(Evidence(context.index.path, caller.line, text))
                if not callers and scope.index is context.index:
                    text = f"changes go through `{call.spelled}` ({where(context, scope.index.path, call.line)}), "
                    out.append(Evidence(scope.index.path, call.line, text + fixture_text))
            elif _reverting_call(context, call):
                text = f"changes go through `{call.spelled}` ({where(context, scope.index.path, call.line)})"
                if fixture:
                    text += f", reverted by {fixture}"
                elif base:
                    text += f", reverted when the test ends: {base}"
                else:
                    text += ", a helper that reverts by construction"
                out.append(Evidence(scope.index.path, call.line, text))
            elif (call.method in ("set_override", "set_default") and "CONF" in call.spelled.split(".")
                  and scope.index is context.index):
                why = f"by {fixture}" if fixture else (
                    f"when the test ends: {base}" if base else "by a registered `clear_override`/`reset`")
                text = f"`{call.spelled}(...)` ({where(context, scope.index.path, call.line)}) is reverted {why}"
                out.append(Evidence(scope.index.path, call.line, text))
        changed = bool(out)
        for patch in closure.patches:
            if patch.kind in ("config", "settings") and patch.active and patch.call.scope is not None:
                scope = patch.call.scope
                if not changed and scope.index is not context.index:
                    continue  # a base's fixture is evidence only for changes the targets make
                how = HOW.get(patch.how, patch.how)
                at = where(context, scope.index.path, patch.line)
                text = f"`{patch.call.spelled}` ({at}) is {how} that reverts the configuration when the test ends"
                out.append(Evidence(scope.index.path, patch.line, text))
    return unique(out)


def patches(context: Context, kinds: Sequence[str] = ("attr", "dict")) -> list[Evidence]:
    """RG103 and RG201: patches that undo themselves, and started patchers that are stopped."""
    flow = shared_flow(context)
    out: list[Evidence] = []
    for closure in closures(context, flow):
        for patch in closure.patches:
            scope = patch.call.scope
            if scope is None or not patch.active or patch.kind not in kinds or patch.how == "start":
                continue  # a started patcher is undone only when stopped: ``started`` says which are
            how = HOW.get(patch.how, patch.how)
            at = where(context, scope.index.path, patch.line)
            text = f"`{patch.call.spelled}` ({at}) is {how}, undone when the test ends"
            out.append(Evidence(scope.index.path, patch.line, text))
    return unique(out)


def started(context: Context) -> list[Evidence]:
    """RG201: each started patcher with the cleanup that stops it, then self-undoing patches."""
    from . import _patches

    flow = shared_flow(context)
    out: list[Evidence] = []
    known: dict[str, bool] = {}
    for target, scopes in _patches.judged_closures(context):
        if not scopes:
            continue
        found = _patches.patchers(flow.closure(scopes), _patches.stopall_base(context, target, known))
        for start in found.starts:
            scope = start.call.scope
            if start.status == "stopped" and scope is not None:
                at = where(context, scope.index.path, start.call.line)
                text = f"patcher {start.label} started at {at} is stopped at cleanup"
                out.append(Evidence(scope.index.path, start.call.line, text))
    return unique([*out, *patches(context, ("attr", "dict", "env", "config", "settings"))])


def scopes(context: Context) -> list[Scope]:
    """The targets' own functions first, then the rest of their closures."""
    scopes = context.scopes()
    own = {d.qualname for d in context.targets}
    return sorted(scopes, key=lambda s: (s.definition.qualname not in own, s.index.path != context.index.path))
