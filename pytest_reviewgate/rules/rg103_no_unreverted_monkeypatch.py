"""RG103 `no-unreverted-monkeypatch`: module and class attributes set by assignment are restored.

A dead monkeypatch (an attribute the project's module does not define) is said so in the message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from ..analysis.closures import Scope
from ..analysis.facts import RESTORING, Facts, Patch, matches
from ..analysis.flow import Closure, Flow
from ..analysis.idioms import ENVIRONS, MOCK_SETTINGS, REQUEST_LOCALS
from ..analysis.index import ModuleIndex
from ..analysis.state import (
    Expr,
    argument_chain,
    argument_literal,
    config_root,
    lasting_aliases,
    makes_fake,
    restores_saved,
)
from ..analysis.values import constant, constants
from ..model import Violation
from ._state import (
    Reports,
    closures,
    covers,
    forwarded_patches,
    option_list,
    setup_of,
    shared_flow,
    shared_setup,
    trusted,
    unittest_style,
)
from .base import Context, Evidence, Rule


@dataclass(frozen=True)
class _Patch:
    """An attribute set or deleted in one function, whatever closure holds it (its scope apart)."""

    line: int
    shown: str  # ``manager.LOG = ...``
    spelled: str  # the owner as written (``manager``)
    owner: str  # qualified owner (``pkg.manager``)
    attr: str | None  # None when not literal (``setattr(mod, name, v)``)
    imported: bool  # the owner comes from an import (not a class of the module)
    where: str
    value: Expr | None  # the value assigned, None for deletions
    constant: str | None  # the value as a constant (``values.constant``), else None

    @property
    def target(self) -> str:
        return f"{self.owner}.{self.attr}" if self.attr else self.owner


def _global(facts: Facts, spelled: str) -> bool | None:
    """True: the chain starts at an import; False: at a module-level class; None: neither."""
    head = spelled.split(".")[0]
    index = facts.scope.index
    if head in facts.locals:
        return None
    if head in index.imports or head in facts.aliases:
        return True
    definition = index.by_qualname.get(head)
    return False if definition is not None and definition.kind == "class" else None


def assignments(facts: Facts, context: Context) -> Iterator[_Patch]:
    """Attributes of imported names and module classes set or deleted in one function."""
    objects = context.settings.config_objects
    found: list[tuple[int, str, str, str | None, str, str, Expr | None]] = []
    for assign in facts.assigns:
        if assign.kind in ("attr", "del-attr") and not assign.local:
            owner, _, attr = assign.spelled.rpartition(".")
            shown = f"del {assign.spelled}" if assign.kind == "del-attr" else f"{assign.spelled} = ..."
            qualified_owner = assign.name.rpartition(".")[0]
            found.append((assign.line, shown, owner, attr, qualified_owner, assign.where, assign.value))
    for call in facts.calls:
        spelled = argument_chain(call, 0) if call.name in ("setattr", "delattr") else ""
        if spelled:
            name = argument_literal(call, 1)
            shown = f"{call.name}({spelled}, {name!r}, ...)" if name else f"{call.name}({spelled}, ...)"
            value = call.args[2] if len(call.args) > 2 else None
            found.append((call.line, shown, spelled, name, facts.qualify(spelled), call.where, value))
    for line, shown, written, attribute, qualified, where, value in found:
        if attribute in MOCK_SETTINGS and "." in written:
            continue  # ``api.method.return_value = x`` configures a mock that a patch put there
        imported = _global(facts, written)
        target = f"{qualified}.{attribute}" if attribute else qualified
        if imported is None or config_root(target, objects, facts.locals):
            continue
        if any(target == e or target.startswith(e + ".") for e in ENVIRONS):
            continue
        if request_local(context, qualified):
            continue  # any attribute of the proxy, ``setattr(flask.g, name, v)`` too, is the request's
        yield _Patch(line, shown, written, qualified, attribute, imported, where, value, constant(value))


_FRAMEWORKS = frozenset(p.partition(".")[0] for p in REQUEST_LOCALS)


def request_local(context: Context, owner: str, hops: int = 2) -> bool:
    """``owner`` is a web framework's context-local proxy (``pecan.response``), spelled out or
    through a module-level alias of the project bound once and for good (``ironic.api.response``,
    where ``ironic/api/__init__.py`` says ``response = pecan.response``, or re-exports it with
    ``from pecan import response``): its attributes are the current request's."""
    if any(owner == p or owner.startswith(p + ".") for p in REQUEST_LOCALS):
        return True
    module, _, name = owner.rpartition(".")
    load = getattr(context.project, "load", None)
    index = load(module) if module and hops and callable(load) else None
    if not isinstance(index, ModuleIndex):
        return False
    if name not in index.imports and not any(q.partition(".")[0] in _FRAMEWORKS for q in index.imports.values()):
        return False  # imports no framework and does not import the name: no alias there
    bound = lasting_aliases(index).get(name)
    absolute = getattr(context.project, "absolute", None)
    if bound and bound.startswith(".") and callable(absolute):
        bound = str(absolute(index, bound))
    return bool(bound) and request_local(context, bound, hops - 1)  # type: ignore[arg-type]


def _same(change: _Patch, other: _Patch) -> bool:
    if change.owner != other.owner:
        return False
    return change.attr is None or other.attr is None or change.attr == other.attr


def restored(
    change: _Patch, scope: Scope, closure: Closure, restores: list[_Patch], patches: Iterable[Patch]
) -> bool:
    """Restored at cleanup, or assigned while a self-undoing patch of it is in force."""
    if any(_same(change, r) for r in restores):
        return True
    for patch in patches:
        if patch.kind != "attr" or not patch.target or not patch.active:
            continue
        target = change.target
        hit = target == patch.target or target.startswith(patch.target + ".")
        if not change.imported:  # a class of this module, patched by a dotted string
            hit = hit or patch.target.endswith("." + target)
        if hit and covers(patch, scope, change.line, closure):
            return True
    return False


def fakes(closure: Closure) -> set[str]:
    """What the closure replaced with a mock it made (``mod.x = mock.Mock()``): setting attributes
    on it configures the fake, and they leave with it."""
    out: set[str] = set()
    for facts in closure.facts:
        for assign in facts.assigns:
            if assign.kind == "attr" and not assign.local and makes_fake(facts, assign.value):
                out.add(assign.name)
    return out


def reset_by_cleanups(closure: Closure, context: Context) -> set[str]:
    """Attributes a cleanup restores by calling a function of their own module that resets them
    (``self.addCleanup(fakelibvirt._reset)``, where ``_reset`` assigns the ``global`` back)."""
    resets = getattr(context.project, "resets", None)
    out: set[str] = set()
    if not callable(resets):
        return out
    for call in closure.cleanups:
        head = call.name.split(".")[0]
        if call.name and call.scope is not None and head not in ("self", "cls") and "." in call.name:
            out.update(resets(_absolute(call.name, call.scope, context)))
    return out


def unchanged(change: _Patch, scope: Scope, context: Context) -> bool:
    """The value assigned is the constant the module (or class) already binds: nothing changes."""
    value = change.constant
    if value is None or not change.attr:
        return False
    if not change.imported:
        return constants(scope.index).get(change.target) == value
    value_of = getattr(context.project, "value_of", None)
    return callable(value_of) and value_of(_absolute(change.target, scope, context)) == value


def _absolute(qualified: str, scope: Scope, context: Context) -> str:
    absolute = getattr(context.project, "absolute", None)
    return str(absolute(scope.index, qualified)) if qualified.startswith(".") and callable(absolute) else qualified


class NoUnrevertedMonkeypatch(Rule):
    """Attributes of modules and classes patched by assignment are restored.

    ## What it does
    Finds assignments (and `setattr` / `del`) to attributes of imported modules and
    classes, or of classes the module defines (`driver.LibvirtDriver._x = fake`,
    `manager.LOG = mock`, `Widget.colour = 1`), in the targets' closures that are not
    undone: saved and restored in a `finally` (not one of a setup hook, which runs before
    the test), a registered cleanup, `tearDown` or after a fixture's `yield` (for a
    helper method, also a cleanup or `tearDown` its class's `setUp` registers), or
    assigned while `mock.patch` / `monkeypatch` / `fixtures.MockPatch` of the same
    attribute is in force. When the module is in the project and does not
    define the attribute, the message says the monkeypatch is dead.

    Not reported, since nothing leaks:
    - a constant (`None`, `0.01`, `[]`, `set()`) assigned in a setup hook (`setUp`,
      `setUpClass`, `setup_method`, `setup_function`, reached through `super()` too) or an
      autouse fixture: every test of the class or module starts from it, so it is a reset;
    - the value the module (or class) already binds (`rpcapi.LAST_VERSION = None` where
      `rpcapi.py` says `LAST_VERSION = None`), read from the project's source;
    - attributes of stubs and mocks the closure made: `mod.client = mock.Mock()` is
      reported, `mod.client.timeout = 3` after it is not, nor attributes of an object a
      patch or a helper like Nova's `self.stub_out("pkg.mod.X", fake)` installed;
    - an attribute a registered cleanup (or `tearDown`) resets by calling a function of its
      module that assigns it back (`self.addCleanup(fakelibvirt._reset)`, where `_reset`
      declares the name `global` and assigns it);
    - attributes of objects the test made, config objects and `os.environ` (RG101 and
      RG102), of a web framework's request-local proxy (`pecan.response.status = 204`
      in a fake controller, `setattr(flask.g, name, True)` in a hook, also through a
      project alias: a module-level name its module binds once, `response =
      pecan.response` or `from pecan import response`, and no function rebinds under
      `global`: it is the current request's), and `return_value` / `side_effect`
      (`api.Client.get.return_value = ...`), which configure a mock that a patch put
      there and takes away.

    ## Why is this bad?
    Modules and classes live for the whole session. A patched attribute stays patched for
    every later test, which then tests the fake instead of the code; a dead monkeypatch
    (the name is not there any more) tests nothing at all.

    ## Example
    ```python
    import logging

    from inventory import manager


    def test_reserve_logs():
        manager.LOG = logging.getLogger("test")
        manager.reserve("widget")
    ```

    Use instead:
    ```python
    import logging

    from inventory import manager


    def test_reserve_logs(monkeypatch):
        monkeypatch.setattr(manager, "LOG", logging.getLogger("test"))
        manager.reserve("widget")
    ```

    ## Options
    - `reset-globals`: attributes the project resets itself (say, in a session fixture),
      as qualified names (`inventory.manager.LOG`) or fnmatch patterns
      (`inventory.*._cache`); assignments to them are not reported.
    - `strict-resets` (default `false`): also report constants assigned in setup hooks and
      autouse fixtures; such a reset still leaves the value behind after the last test.

    ## Known problems
    The order of an assignment and a started patcher or fixture is not checked. A value a
    module binds conditionally (in `try` / `if`) or more than once is not known, and a class
    reached only through a registry at runtime is found only when the package star-imports it.
    """

    code = "RG103"
    name = "no-unreverted-monkeypatch"
    version = "6"
    summary = "Attributes of modules and classes patched by assignment are restored"
    cwe = 664
    kind = "static"
    implemented = True
    options: ClassVar[Mapping[str, Any]] = {"reset-globals": (), "strict-resets": False}

    def evidence(self, context: Context) -> list[Evidence]:
        """Why the targets pass, for triage (see ``_evidence.patches``)."""
        from ._evidence import patches

        return patches(context)

    def check(self, context: Context) -> Iterable[Violation]:
        reports = Reports(self.code)
        reset = option_list(context.options.get("reset-globals", ()))
        strict = context.options.get("strict-resets", False) is True
        flow = shared_flow(context)
        known: dict[tuple[int, int], list[_Patch]] = {}  # a function's assignments, once whatever closure holds it
        kept: dict[int, bool] = {}  # id of a change -> whether it leaves nothing behind, whatever closure holds it

        def of(facts: Facts) -> list[_Patch]:
            key = (id(facts.calls), id(facts.assigns))  # shared by every copy of one function's facts
            found = known.get(key)
            if found is None:
                found = known[key] = list(assignments(facts, context))
            return found

        def harmless(change: _Patch, scope: Scope) -> bool:
            """Undone or no change whatever the closure: reset by the project, a restore, the value
            already bound, or reset by a cleanup this function's module registers."""
            known = kept.get(id(change))
            if known is None:
                known = kept[id(change)] = (
                    change.where in RESTORING or matches(change.target, reset) or unchanged(change, scope, context)
                )
            return known

        for closure in closures(context, flow):
            found = [(f.scope, p) for f in closure.facts if (changes := of(f)) and not trusted(context, f.scope)
                     for p in changes]
            if found:
                every = [(f, of(f)) for f in closure.facts]
                self._judge(context, flow, closure, found, every, strict, harmless, reports)
        return list(reports)

    @staticmethod
    def _judge(
        context: Context,
        flow: Flow,
        closure: Closure,
        found: list[tuple[Scope, _Patch]],
        every: list[tuple[Facts, list[_Patch]]],
        strict: bool,
        harmless: Callable[[_Patch, Scope], bool],
        reports: Reports,
    ) -> None:
        """Report the changes of one closure that nothing undoes. What the closure undoes is read
        only for a change that is not harmless on its own (few are)."""
        made: set[str] | None = None
        cleaned: set[str] | None = None
        setup: Closure | None = None
        asked = False  # for the class's setup
        patches: list[Patch] | None = None
        for scope, change in found:
            if harmless(change, scope):
                continue
            if not strict and change.constant is not None and shared_setup(scope):
                continue  # a reset every test of the class or module runs first
            if restores_saved(closure, change.value, change.target):
                continue
            if made is None:
                made = fakes(closure)
            if any(change.target.startswith(fake + ".") for fake in made):
                continue  # configures a mock the test made
            if not asked:
                setup, asked = setup_of(context, flow, closure), True  # a helper runs under its class's setUp
            if cleaned is None:
                cleaned = reset_by_cleanups(closure, context)
                if setup is not None:  # and the cleanups that setUp registers
                    cleaned |= reset_by_cleanups(setup, context)
            if _absolute(change.target, scope, context) in cleaned:
                continue
            if patches is None:
                patches = [*closure.patches, *forwarded_patches(closure)]
                if setup is not None:
                    patches += [p for p in [*setup.patches, *forwarded_patches(setup)] if p.how in ("fixture", "start")]
            restores = [p for facts, changes in every for p in changes if _restores_after(facts.scope, p)]
            if setup is not None:  # a helper: a cleanup or teardown its class's setUp registers restores after it
                restores += [p for f in setup.facts for p in assignments(f, context) if p.where in AFTER_TEST]
            if not restored(change, scope, closure, restores, patches):
                reports.add(scope, change.line, _message(change, scope, context))


AFTER_TEST = frozenset({"cleanup", "teardown"})  # restores that run once the test is over
SETUP_ROLES = frozenset({"setup", "class-setup"})


def _restores_after(scope: Scope, restore: _Patch) -> bool:
    """A restore that runs after the test's change: at cleanup, teardown or after a fixture's
    ``yield``, or in a ``finally`` of a function other than a setup hook (a setup's ``finally``
    runs before the test)."""
    if restore.where not in RESTORING:
        return False
    return restore.where != "finally" or scope.role not in SETUP_ROLES


def _message(change: _Patch, scope: Scope, context: Context) -> str:
    attr = repr(change.attr) if change.attr else "..."
    if unittest_style(scope):
        fix = (
            f"`mock.patch.object({change.spelled}, {attr}, ...)` or "
            f"`self.useFixture(fixtures.MockPatchObject({change.spelled}, {attr}, ...))`"
        )
    else:
        fix = f"`monkeypatch.setattr({change.spelled}, {attr}, ...)` or `mock.patch.object(...)`"
    if change.imported and change.attr and _dead(change, scope, context):
        return (
            f"`{change.shown}` is never restored, and `{change.owner}` does not define "
            f"`{change.attr}`, so this dead monkeypatch tests nothing -> patch the name the code "
            f"under test uses, with {fix}"
        )
    return f"`{change.shown}` is never restored -> use {fix}"


def _dead(change: _Patch, scope: Scope, context: Context) -> bool:
    target = change.target
    absolute = getattr(context.project, "absolute", None)
    if target.startswith(".") and callable(absolute):
        target = str(absolute(scope.index, target))
    return context.project.defines(target) is False
