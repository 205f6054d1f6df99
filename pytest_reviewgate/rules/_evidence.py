"""Pass-evidence of the built-in rules (``Rule.evidence``): what makes a rule's concern moot.

Triage quotes these to refute a finding; each is a construct of the targets' closures with its
line. Called only when the rule found nothing, so a construct named here is one the rule accepts.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from ..analysis.closures import Scope
from ..analysis.facts import RESTORING, Call, matches
from ..analysis.flow import Closure
from ..analysis.idioms import TRUSTED_HELPERS
from ..analysis.index import chain_of, walk
from ..analysis.patches import OSLO_CONFIG_FIXTURE
from ._state import closures, project_class_inherits, setup_of, shared_flow, test_class
from .base import Context, Evidence

MAX = 4  # constructs per rule: enough to refute, short enough to read
HOW = {"decorator": "a decorator", "with": "a `with` block", "fixture": "a fixture", "start": "a started patcher"}


def _name(path: str) -> str:
    return Path(path).name


def _where(context: Context, path: str, line: int) -> str:
    """``line 186`` in the reviewed module, ``test.py:233`` elsewhere."""
    return f"line {line}" if path == context.index.path else f"{_name(path)}:{line}"


def _installer(scope: Scope | None) -> str:
    if scope is None:
        return "the closure"
    return f"`{scope.definition.qualname}`"


def _unique(found: Iterable[Evidence]) -> list[Evidence]:
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
            phrase = (f"the config fixture `{patch.call.spelled}` that {_installer(owner)} installs "
                      f"({_where(context, owner.index.path, patch.line)})")
            found.append((_on_conf(patch.call.args), patch.line, phrase))
    for call in closure.calls:
        caller = call.scope
        if call.how in ("fixture", "with") and caller is not None and project_class_inherits(
            context, caller.index, call.spelled, (OSLO_CONFIG_FIXTURE,)
        ):
            phrase = (f"the config fixture `{call.spelled}` that {_installer(caller)} installs "
                      f"({_where(context, caller.index.path, call.line)})")
            found.append((_on_conf(call.args), call.line, phrase))
    return min(found, key=lambda f: (not f[0], f[1]))[2] if found else ""


def _on_conf(args: Sequence[ast.expr]) -> bool:
    return bool(args) and (chain_of(args[0]) or "") == "CONF"


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
        for call in closure.calls:
            scope = call.scope
            if scope is None or call.where in RESTORING:
                continue
            if _reverting_call(context, call):
                text = f"changes go through `{call.spelled}` ({_where(context, scope.index.path, call.line)})"
                if fixture:
                    text += f", reverted by {fixture}"
                elif base:
                    text += f"; {base}"
                else:
                    text += ", a helper that reverts by construction"
                out.append(Evidence(scope.index.path, call.line, text))
            elif (call.method in ("set_override", "set_default") and "CONF" in call.spelled.split(".")
                  and scope.index is context.index):
                why = fixture or base or "a registered `clear_override`/`reset`"
                text = f"`{call.spelled}(...)` ({_where(context, scope.index.path, call.line)}) is reverted by {why}"
                out.append(Evidence(scope.index.path, call.line, text))
        changed = bool(out)
        for patch in closure.patches:
            if patch.kind in ("config", "settings") and patch.active and patch.call.scope is not None:
                scope = patch.call.scope
                if not changed and scope.index is not context.index:
                    continue  # a base's fixture is evidence only for changes the targets make
                how = HOW.get(patch.how, patch.how)
                at = _where(context, scope.index.path, patch.line)
                text = f"`{patch.call.spelled}` ({at}) is {how} that reverts the configuration when the test ends"
                out.append(Evidence(scope.index.path, patch.line, text))
    return _unique(out)


def env(context: Context) -> list[Evidence]:
    """RG102: environment changes through self-undoing patches, or restored at cleanup."""
    from .rg102_env_reverted_via_fixtures import changes

    flow = shared_flow(context)
    out: list[Evidence] = []
    for closure in closures(context, flow):
        for patch in closure.patches:
            scope = patch.call.scope
            if scope is None or not patch.active:
                continue
            if patch.kind == "env" or (patch.kind == "dict" and patch.target == "os.environ"):
                how = HOW.get(patch.how, patch.how)
                at = _where(context, scope.index.path, patch.line)
                text = f"the environment is changed through `{patch.call.spelled}` ({at}), {how} undone at the end"
                out.append(Evidence(scope.index.path, patch.line, text))
        restores = [c for f in closure.facts for c in changes(f) if c.where in RESTORING]
        for facts in closure.facts:
            for change in changes(facts):
                if change.where in RESTORING or not restores:
                    continue
                restore = restores[0]
                text = (f"`{change.shown}` ({_where(context, facts.scope.index.path, change.line)}) is restored "
                        f"at {_where(context, restore.scope.index.path, restore.line)} ({restore.where})")
                out.append(Evidence(facts.scope.index.path, change.line, text))
    return _unique(out)


def patches(context: Context, kinds: Sequence[str] = ("attr", "dict")) -> list[Evidence]:
    """RG103 and RG201: patches that undo themselves, and started patchers that are stopped."""
    flow = shared_flow(context)
    out: list[Evidence] = []
    for closure in closures(context, flow):
        for patch in closure.patches:
            scope = patch.call.scope
            if scope is None or not patch.active or patch.kind not in kinds:
                continue
            how = HOW.get(patch.how, patch.how)
            at = _where(context, scope.index.path, patch.line)
            text = f"`{patch.call.spelled}` ({at}) is {how}, undone when the test ends"
            out.append(Evidence(scope.index.path, patch.line, text))
    return _unique(out)


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
                at = _where(context, scope.index.path, start.call.line)
                text = f"patcher {start.label} started at {at} is stopped at cleanup"
                out.append(Evidence(scope.index.path, start.call.line, text))
    return _unique([*out, *patches(context, ("attr", "dict", "env", "config", "settings"))])


UUID_MAKERS = (
    "uuid.uuid1", "uuid.uuid4", "uuid.uuid5", "uuidutils.generate_uuid", "oslo_utils.uuidutils.generate_uuid",
)
SENTINELS = ("uuids", "uuidsentinel", "uuid_sentinel")


def uuids(context: Context) -> list[Evidence]:
    """RG302: UUIDs the targets generate or take from a sentinel instead of spelling them."""
    out: list[Evidence] = []
    for scope in _scopes(context):
        index = scope.index
        for node in walk(scope.node):
            spelled = chain_of(node.func) if isinstance(node, ast.Call) else None
            line = int(getattr(node, "lineno", 0))
            if spelled and (index.qualify(spelled) in UUID_MAKERS or spelled.endswith(("generate_uuid", ".uuid4"))):
                text = f"the UUID is generated by `{spelled}()` ({_where(context, index.path, line)})"
                out.append(Evidence(index.path, line, text))
            elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in SENTINELS:
                shown = f"{node.value.id}.{node.attr}"
                text = f"UUIDs come from the sentinel `{shown}` ({_where(context, index.path, line)})"
                out.append(Evidence(index.path, line, text))
    return _unique(out)


def _scopes(context: Context) -> list[Scope]:
    """The targets' own functions first, then the rest of their closures."""
    scopes = context.scopes()
    own = {d.qualname for d in context.targets}
    return sorted(scopes, key=lambda s: (s.definition.qualname not in own, s.index.path != context.index.path))


def _calls(context: Context, test: Callable[[Scope, ast.Call], bool], phrase: str) -> list[Evidence]:
    """For each target, the first call in its closure that ``test`` accepts."""
    out: list[Evidence] = []
    for target in context.targets:
        for scope in context.closures.get(target.qualname, ()):
            hit = next((n for n in walk(scope.node) if isinstance(n, ast.Call) and test(scope, n)), None)
            if hit is None:
                continue
            shown = chain_of(hit.func) or "..."
            inside = "" if scope.definition.qualname == target.qualname else f" in `{scope.definition.qualname}`"
            text = (f"`{target.name}` {phrase} `{shown}(...)`{inside} "
                    f"({_where(context, scope.index.path, hit.lineno)})")
            out.append(Evidence(scope.index.path, hit.lineno, text))
            break
    return _unique(out)


def asserts(context: Context) -> list[Evidence]:
    """RG303: where each targeted test asserts (itself or through a helper)."""
    from .rg303_tests_assert import _asserting_call

    out: list[Evidence] = []
    for target in context.targets:
        for scope in context.closures.get(target.qualname, ()):
            node = next((n for n in walk(scope.node) if isinstance(n, ast.Assert)), None)
            if node is not None:
                inside = "" if scope.definition.qualname == target.qualname else f" in `{scope.definition.qualname}`"
                out.append(Evidence(scope.index.path, node.lineno,
                                    f"`{target.name}` asserts{inside} "
                                    f"({_where(context, scope.index.path, node.lineno)})"))
                break
            call = next((n for n in walk(scope.node) if isinstance(n, ast.Call)
                         and _asserting_call(scope.index, n, ())), None)
            if call is not None:
                inside = "" if scope.definition.qualname == target.qualname else f" in `{scope.definition.qualname}`"
                shown = chain_of(call.func) or "assert"
                out.append(Evidence(scope.index.path, call.lineno,
                                    f"`{target.name}` asserts with `{shown}(...)`{inside} "
                                    f"({_where(context, scope.index.path, call.lineno)})"))
                break
    return _unique(out)


def failures(context: Context) -> list[Evidence]:
    """RG304: where a targeted test expects an error."""
    from .rg304_error_paths_tested import DEFAULT_ERROR_ASSERTIONS, _expects_error, _pattern

    option = context.options.get("error-assertions", DEFAULT_ERROR_ASSERTIONS)
    entries = [option] if isinstance(option, str) else list(option)
    patterns = [p for p in (_pattern(e) for e in entries) if p]
    return _calls(context, lambda scope, node: _expects_error(scope.index, node, patterns), "expects a failure with")


RELEASES = frozenset({"addCleanup", "addfinalizer", "enterContext", "useFixture", "callback", "enter_context"})


def cleanups(context: Context) -> list[Evidence]:
    """RG301: cleanups the closures register and resources opened in ``with`` blocks."""
    out: list[Evidence] = []
    for scope in _scopes(context):
        if scope.index is not context.index:
            continue
        for node in walk(scope.node):
            if isinstance(node, ast.With | ast.AsyncWith):
                for item in node.items:
                    call = item.context_expr
                    spelled = chain_of(call.func) if isinstance(call, ast.Call) else None
                    if spelled and spelled.rpartition(".")[2] in ("open", "TemporaryDirectory", "NamedTemporaryFile"):
                        at = _where(context, scope.index.path, node.lineno)
                        text = f"`{spelled}(...)` is released by its `with` block ({at})"
                        out.append(Evidence(scope.index.path, node.lineno, text))
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in (
                "addCleanup", "addfinalizer", "enterContext", "enter_context", "callback"
            ):
                shown = chain_of(node.args[0]) if node.args else None
                what = f"`{shown}`" if shown else "a cleanup"
                at = _where(context, scope.index.path, node.lineno)
                text = f"{what} is registered with `{node.func.attr}` ({at})"
                out.append(Evidence(scope.index.path, node.lineno, text))
    return _unique(out)


def specced(context: Context) -> list[Evidence]:
    """RG202: patches with a spec, and mock's signature checking switched on for the whole module."""
    from ._patches import patch_call
    from .rg202_mocks_autospecced import CHECKED, _specced, autospec_switch

    out: list[Evidence] = []
    switched: bool | None = None
    for scope in _scopes(context):
        for node in walk(scope.node):
            patch = patch_call(scope.index, node) if isinstance(node, ast.Call) else None
            if patch is None or patch.kind not in CHECKED:
                continue
            line = patch.node.lineno
            at = _where(context, scope.index.path, line)
            if _specced(patch):
                replaced = any(k.arg in ("new", "new_callable") for k in patch.node.keywords)
                what = ("replaces the target with its own `new=` object" if replaced
                        else "has a spec (autospec, spec or spec_set)")
                text = f"the patch at {at} {what}"
                out.append(Evidence(scope.index.path, line, text))
                continue
            if switched is None:
                switched = autospec_switch(context)
            if switched:
                text = (f"the patch at {at} checks call signatures: mock's autospec switch "
                        "(oslotest `patch_mock_module()`) is on for these tests")
                out.append(Evidence(scope.index.path, line, text))
    return _unique(out)
