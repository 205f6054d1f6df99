"""What the global-state rules (RG101-RG103) share: closures, patch coverage, violation reports.

Built on ``flow``; pure, no pytest. A violation is reported once, at the line where it happens.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ..analysis.facts import Patch, literal, matches
from ..analysis.flow import Closure, Flow
from ..analysis.idioms import CLASS_SETUP, CLASS_TEARDOWNS, MODULE_SETUP, MODULE_TEARDOWNS, SETUP, TRUSTED_HELPERS
from ..analysis.index import Definition, ModuleIndex
from ..analysis.state import function_node, name_of, qualified_chain
from ..analysis.state import restores_saved as restores_saved  # the rules' names since before analysis.state
from ..analysis.state import spell as spell
from ..model import Violation

if TYPE_CHECKING:
    from ..analysis.closures import Scope
    from .base import Context



def shared_flow(context: Context) -> Flow:
    """The context's ``flow`` when the engine shares one between rules, else a new one."""
    flow = getattr(context, "flow", None)
    return flow if isinstance(flow, Flow) else Flow()


def closures(context: Context, flow: Flow) -> Iterator[Closure]:
    """Each target's closure, in a stable order. A target that is no test also gets its class's
    (or module's) teardown hooks, which run after every test that uses it; a target that is a
    registered cleanup (``def restore(): ...; self.addCleanup(restore)``) counts as teardown."""
    memo = context.index.memo
    for qualname in sorted(context.closures):
        given = context.closures[qualname]
        key = ("state.closure", qualname)
        known = memo.get(key)  # every rule of the module asks: one closure (and its derived facts) for all
        if isinstance(known, tuple) and known[0] is given and known[1] is flow:
            yield known[2]
            continue
        scopes = list(given)
        if scopes and not scopes[0].test:
            if flow.registered_as_cleanup(scopes[0]):
                scopes[0] = replace(scopes[0], role="teardown")
            scopes += _teardowns(scopes[0], scopes)
        closure = flow.closure(scopes)
        memo[key] = (given, flow, closure)
        yield closure


def _teardowns(first: Scope, scopes: list[Scope]) -> list[Scope]:
    from ..analysis.closures import Scope, find_method

    have = {(s.index.path, s.definition.qualname) for s in scopes}
    out: list[Scope] = []
    owner = first.definition.parent if first.definition.in_class else ""
    for name in CLASS_TEARDOWNS if owner else MODULE_TEARDOWNS:
        found = find_method(first.index, owner, name) if owner else first.index.by_qualname.get(name)
        if found is None or (first.index.path, found.qualname) in have:
            continue
        node = function_node(first.index, found.qualname)
        if node is not None:
            out.append(Scope(first.index, found, node, "teardown"))
    return out


def setup_of(context: Context, flow: Flow, closure: Closure) -> Closure | None:
    """For a method that is no test (a helper, a hook, a function nested in a method), what every
    test of its class runs first:
    the class's setup hooks and their helpers. A fixture or patch they install is in force while
    the method runs. None for tests (their closure holds their hooks) and plain functions."""
    first = closure.scopes[0] if closure.scopes else None
    owner = method_class(first.index, first.definition) if first is not None else ""
    if first is None or first.test or first.index is not context.index or not owner:
        return None
    from ..analysis.closures import ClosureBuilder

    builder = context.index.memo.get("state-setup-builder")
    if not isinstance(builder, ClosureBuilder):
        builder = context.index.memo["state-setup-builder"] = ClosureBuilder(context.index, (), context.project)
    scopes = [s for s in builder.setup_closure(owner) if s.definition is not first.definition]
    return flow.closure(scopes) if scopes else None


def trusted(context: Context, scope: Scope) -> bool:
    """A helper that reverts by construction, whose own body is not analysed: ``flags`` from
    outside the reviewed module (Nova's ``self.flags``), or a name in ``reverting-calls``
    (``override``, ``self.override``, ``Base.override``, ``pkg.base.Base.override``, globs)."""
    if scope.index is context.index and scope.role != "helper":
        return False
    definition = scope.definition
    if scope.index is not context.index and definition.name in TRUSTED_HELPERS:
        return True
    patterns = context.settings.reverting_calls
    if matches(definition.qualname, patterns) or matches(definition.name, patterns):
        return True
    return any(p.endswith("." + definition.qualname) for p in patterns)


def test_class(closure: Closure) -> tuple[Scope, str] | None:
    """The class of the closure's target (its first scope), with that scope. A function nested in
    a method (``def side_effect(...)`` inside a test, handed to a mock) runs while that method
    does: its class is the method's."""
    if not closure.scopes:
        return None
    first = closure.scopes[0]
    owner = method_class(first.index, first.definition)
    return (first, owner) if owner else None


def method_class(index: ModuleIndex, definition: Definition) -> str:
    """The class whose method ``definition`` is, or is nested in (any depth of ``def``); "" if none."""
    found: Definition | None = definition
    while found is not None and not found.in_class and found.kind == "function":
        found = index.by_qualname.get(found.parent) if found.parent else None
    return found.parent if found is not None and found.in_class else ""


def covers(patch: Patch, scope: Scope, line: int, closure: Closure) -> bool:
    """Whether an active patch is in force (and undone) where ``line`` of ``scope`` runs.

    Fixture-managed and started patches cover the whole closure (order is not tracked); a
    decorator covers its function and the helpers; a with-block covers its lines and the
    helpers called inside it.
    """
    if patch.how in ("fixture", "start"):
        return True
    own = patch.call.scope
    same = own is not None and _same(own, scope)
    if patch.how == "decorator":
        return same or scope.role == "helper"
    if patch.how == "with" and patch.call.span is not None:
        low, high = patch.call.span
        if same:
            return low <= line <= high
        return any(
            c.scope is not None
            and own is not None
            and _same(c.scope, own)
            and low <= c.line <= high
            and c.method == scope.definition.name
            for c in closure.calls
        )
    return False


def forwarded_patches(closure: Closure) -> list[Patch]:
    """Patches a helper makes of its own parameter, one per call of it in the closure with that
    argument spelled out: Nova's ``self.stub_out('pkg.mod.X', fake)`` wraps
    ``self.useFixture(fixtures.MonkeyPatch(old, new))``, which patches ``pkg.mod.X``."""
    out: list[Patch] = []
    for patch in closure.patches:
        scope, first = patch.call.scope, name_of(patch.call.args[0]) if patch.call.args else ""
        if patch.target or not patch.active or scope is None or not first:
            continue
        params = list(scope.definition.params)
        if first not in params:
            continue
        position = params.index(first) - (1 if scope.definition.in_class and params[0] in ("self", "cls") else 0)
        name = scope.definition.name
        for call in closure.calls:
            if call.spelled not in (name, f"self.{name}", f"cls.{name}") or len(call.args) <= position:
                continue
            argument = call.args[position]
            target = literal(argument) or (qualified_chain(call.scope.index, argument) if call.scope else "")
            if target:
                out.append(replace(patch, target=target, call=call))
    return out


def shared_setup(scope: Scope) -> bool:
    """A function every test of its class or module runs first: an xunit setup hook (reached as
    one, or through ``super()``) or an autouse fixture."""
    from ..analysis.closures import is_autouse

    if scope.role in ("setup", "class-setup") or is_autouse(scope):
        return True
    names = (SETUP + CLASS_SETUP) if scope.definition.in_class else MODULE_SETUP
    return scope.role == "target" and scope.definition.name in names  # a hook as a target of its own


def project_class_inherits(context: Context, index: ModuleIndex, spelled: str, bases: Iterable[str]) -> bool:
    """Whether ``spelled`` (as ``index`` writes it) names a class of the project deriving from
    one of ``bases``, such as a project fixture built on oslo.config's ``fixture.Config``."""
    resolve = getattr(context.project, "resolve_class", None)
    if not spelled or not callable(resolve):
        return False
    key = ("inherits", index.path, spelled, tuple(bases))
    known = context.index.memo.get(key)  # a base's setUp installs the same fixture for every test
    if not isinstance(known, bool):
        _, module, inner = resolve(index, spelled)
        known = module is not None and bool(inner) and context.project.inherits(module, inner, tuple(bases)) is True
        context.index.memo[key] = known
    return known


def unittest_style(scope: Scope) -> bool:
    """A method of a class with bases (a ``TestCase``): fixes use ``self.useFixture``."""
    definition = scope.definition
    if not definition.in_class or "self" not in definition.params:
        return False
    owner = scope.index.by_qualname.get(definition.parent)
    return owner is not None and bool(owner.bases)


def _same(one: Scope, other: Scope) -> bool:
    return one.index.path == other.index.path and one.definition.qualname == other.definition.qualname


def option_list(value: Any) -> tuple[str, ...]:
    """A rule option given as a string or a list of strings."""
    if isinstance(value, str):
        return (value,) if value else ()
    return tuple(str(v) for v in value or ())


class Reports:
    """Collects violations once per (path, line, message); iterates them by place."""

    def __init__(self, code: str) -> None:
        self.code = code
        self._seen: dict[tuple[str, int, str], Violation] = {}

    def add(self, scope: Scope, line: int, message: str) -> None:
        index = scope.index
        inner = [d for d in index.innermost(line, line) if d.kind == "function"]
        definition = max(inner, key=lambda d: len(d.qualname)).qualname if inner else ""
        key = (index.path, line, message)
        if key not in self._seen:
            self._seen[key] = Violation(
                rule=self.code,
                message=message,
                path=index.path,
                line=line,
                definition=definition or scope.definition.qualname,
                source=index.source_line(line),
            )

    def __iter__(self) -> Iterator[Violation]:
        return iter(sorted(self._seen.values(), key=lambda v: (v.path, v.line, v.message)))
