"""RG202 `mocks-autospecced`: patches use autospec, spec or an explicit replacement."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain
from pathlib import Path

from ..analysis import idioms
from ..analysis.closures import Scope
from ..analysis.frames import shadowed
from ..analysis.index import ModuleIndex
from ..analysis.patches import PatchCall, binding_kind, class_decorator_patches, function_patches, member_kind
from ..analysis.state import wraps_real
from ..model import Violation
from . import _evidence
from ._patches import unique
from .base import Context, Evidence, Rule

CHECKED = frozenset({"patch", "patch.object", "MockPatch", "MockPatchObject"})


class MocksAutospecced(Rule):
    """Patches use `autospec=True`, `spec=`, `spec_set=` or an explicit replacement.

    ## What it does
    Checks every `mock.patch`, `mock.patch.object`, `fixtures.MockPatch` and
    `fixtures.MockPatchObject` call in the targets' closures (as decorator,
    context manager, fixture or started patcher; pytest-mock's
    `mocker.patch` and `mocker.patch.object` too). Calls are matched by
    qualified name, whatever the import alias. A patch passes when it has
    `autospec=` (not `False`/`None`), `spec=` or `spec_set=` (not `None`), or
    a replacement: the positional `new`, `new=` (not `mock.DEFAULT`) or
    `new_callable=`, or `wraps=` a real object (the mock hands each call to the
    real callable, whose signature rejects a wrong one): not a constant such as
    `None`, `mock.DEFAULT`, a `lambda` or a mock (`mock.Mock()`, `MagicMock(...)`),
    and not with `return_value=` or `side_effect=` in the same call or set on the
    mock it binds (its `with ... as` name, its decorator's parameter), since the
    mock then answers without calling the wrapped object. A call that unpacks `*args`/`**kwargs` is not judged.

    Some projects switch signature checking on for every patch: oslotest's
    `patch_mock_module()` makes each patch without `autospec=False`,
    `create=True`, `new`, `new_callable` or `spec` check the calls of its mock
    against the original. The switch is on for a module when the module
    itself, a package `__init__.py` or `conftest.py` above it, a project
    module it imports, or the module of one of its classes' project bases
    (any chain of them) mentions `patch_mock_module` (importing a module runs
    it), or when one of its classes derives from a class
    listed in `autospec-bases` (`[tool.reviewgate]`, default `[]`: for a
    switch made where no source shows it). oslotest's `MockAutospecFixture`
    alone is no switch: it checks `Mock(autospec=...)` objects, and patches
    pass none.

    ## Why is this bad?
    A bare `MagicMock` accepts every attribute and every call: a test keeps
    passing when the code under test calls a method that was renamed, or
    passes the wrong arguments, because the mock does not know the real
    signature.

    ## Example
    ```python
    from unittest import mock


    @mock.patch("inventory.backend.Client")
    def test_refresh(client):
        client.return_value.fetch.return_value = []
    ```

    Use instead:
    ```python
    from unittest import mock


    @mock.patch("inventory.backend.Client", autospec=True)
    def test_refresh(client):
        client.return_value.fetch.return_value = []
    ```

    Under the switch only what it leaves out is reported: `autospec=False`,
    `create=True` without a spec or a replacement, and patches of a class or
    of an object that is no function, as the project's source shows them
    (`patch_mock_module()` checks calls of the mock itself only, and leaves
    the attributes of a patched class or object free).

    ## Known problems
    Under the switch, a patch whose target the source does not show (an
    attribute of an instance, a name outside the project or set at run
    time) counts as a function and is not reported. Modules that a project
    module imports in turn are not read.
    """

    code = "RG202"
    name = "mocks-autospecced"
    version = "5"
    summary = "Patches use autospec, spec or an explicit replacement"
    cwe = 710
    kind = "static"

    def evidence(self, context: Context) -> list[Evidence]:
        """Why the targets pass, for triage (see ``_evidence.specced``)."""
        return _evidence_of(context)

    def check(self, context: Context) -> Iterator[Violation]:
        return unique(self._check(context))

    def _check(self, context: Context) -> Iterator[Violation]:
        switched: bool | None = None  # worked out at the first patch that needs it
        for scope in context.scopes():
            for patch, owner in _patch_calls(scope):
                if patch.kind not in CHECKED or patch.specced:
                    continue
                if wraps_real(scope.index, patch, scope.node, scope.definition):
                    continue
                if switched is None:
                    switched = autospec_switch(context)
                kind = _target_kind(context, scope, patch) if switched else None
                message = _message(patch, switched, kind)
                if not message:
                    continue
                line = patch.line
                yield Violation(
                    rule=self.code,
                    message=message,
                    path=scope.index.path,
                    line=line,
                    definition=owner,
                    source=scope.index.source_line(line),
                )


def _message(patch: PatchCall, switched: bool, kind: str | None) -> str:
    """What is wrong with a patch that passes no spec; "" when the project's switch covers it."""
    target = _target(patch)
    if switched and kind in ("class", "object") and not patch.keyword_is("create", True):
        what = "a class" if kind == "class" else "an object that is no function"
        return (
            f"`{patch.spelled}` patches{target}, {what}, with a mock whose attributes accept any "
            "call: the project's autospec switch (`patch_mock_module()`) checks calls of the mock "
            "itself only -> pass `spec_set=` (or `spec=`), or the replacement as `new` "
            "(`mock.create_autospec(...)`)"
        )
    if not switched:
        return (
            f"`{patch.spelled}` patches{target} with a mock that accepts any call -> pass "
            "`autospec=True` (or `spec=`/`spec_set=`), or the replacement as `new`"
        )
    if patch.keyword_is("autospec", False):
        return (
            f"`{patch.spelled}` patches{target} with `autospec=False`, which turns off the "
            "signature checks the project switches on for every patch (`patch_mock_module()`) "
            "-> drop `autospec=False`, or pass `spec=`/`spec_set=` or the replacement as `new`"
        )
    if patch.keyword_is("create", True):
        return (
            f"`{patch.spelled}` patches{target} with `create=True`, which the project's autospec "
            "switch (`patch_mock_module()`) leaves unchecked -> pass `spec=`/`spec_set=`, or the "
            "replacement as `new`"
        )
    return ""


def _target_kind(context: Context, scope: Scope, patch: PatchCall) -> str | None:
    """What a patch replaces, read from the project's source: "function" (a ``def``), "class",
    "object" (a module or class attribute bound by assignment), or None when it cannot tell."""
    index = scope.index
    absolute = getattr(context.project, "absolute", None)
    if patch.kind in ("patch.object", "MockPatchObject"):
        owner = patch.chain(0, "target", "obj") or ""
        name = patch.string(1, "attribute", "attr") or ""
        if not owner or not name:
            return None
        head, local_class = owner.split(".")[0], _is_class(index, owner)
        if not local_class and (head not in index.imports or absolute is None):
            return None  # neither a class of the module nor an import: nothing to read
        if shadowed(scope, patch.node, head):
            return None
        if local_class or absolute is None:
            return member_kind(index, owner, name) if local_class else None
        return _kind_of(context, f"{absolute(index, index.qualify(owner))}.{name}", 0)
    first = patch.string(0, "target")
    if first is not None and "." in first:
        return _kind_of(context, first, 0)
    return None


def _is_class(index: ModuleIndex, qualname: str) -> bool:
    definition = index.by_qualname.get(qualname)
    return definition is not None and definition.kind == "class"


def _kind_of(context: Context, qualified: str, depth: int) -> str | None:
    """The kind of ``pkg.module.name`` or ``pkg.module.Class.name`` in the project's source."""
    load, absolute = getattr(context.project, "load", None), getattr(context.project, "absolute", None)
    if load is None or absolute is None or depth > 3:
        return None
    parts = qualified.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        index = load(".".join(parts[:cut]))
        if index is None:
            continue
        rest = parts[cut:]
        if "__getattr__" in index.bindings or "*" in index.imports or len(rest) > 2:
            return None
        head = rest[0]
        if head in index.imports:
            return _kind_of(context, ".".join([absolute(index, index.imports[head]), *rest[1:]]), depth + 1)
        definition = index.by_qualname.get(head)
        if len(rest) == 2:
            return member_kind(index, head, rest[1]) if definition is not None else None
        if definition is not None:
            return "function" if definition.kind == "function" else "class"
        return binding_kind(index, head) if head in index.bindings else None
    return None


def autospec_switch(context: Context) -> bool:
    """Whether mock's signature checking is on for every patch of the module's tests.

    On when a module that runs before them mentions a call in ``idioms.AUTOSPEC_SWITCHES``
    (oslotest's ``patch_mock_module()``): the module itself, the packages above it, the
    conftest.py files above it, the module of a base class of one of its classes, or a project
    module it imports (importing runs that module); or when one of its classes derives from
    ``autospec-bases``.
    """
    key = ("autospec-switch", context.settings.autospec_bases)
    memo = context.index.memo
    if key not in memo:
        modules = chain([context.index], _modules_above(context), _base_modules(context), _imported(context))
        found = any(_mentions_switch(m) for m in modules)  # lazily: the imports are read last
        bases = context.settings.autospec_bases
        if not found and bases:
            classes = [d for d in context.index.definitions if d.kind == "class"]
            found = any(context.project.inherits(context.index, d.qualname, bases) is True for d in classes)
        memo[key] = found
    return bool(memo[key])


def _mentions_switch(index: ModuleIndex) -> bool:
    key = "autospec-switch-mentioned"
    if key not in index.memo:
        switches = idioms.AUTOSPEC_SWITCHES
        index.memo[key] = any(q in switches for q in index.imports.values()) or any(
            index.qualify(chain) in switches for chain in index.chains
        )
    return bool(index.memo[key])


def _modules_above(context: Context) -> Iterator[ModuleIndex]:
    """The ``__init__.py`` of each package above the module, and the conftest.py files up to
    the project's root."""
    project = context.project
    load = getattr(project, "load_path", None)
    if load is None:
        return
    roots = [Path(r) for r in getattr(project, "roots", ())]
    real = getattr(project, "real", Path.resolve)
    exists = getattr(project, "exists", Path.is_file)  # the project's asks once, and notes the answer
    folder = real(Path(context.index.path)).parent
    package = True
    for _ in range(64):
        package = package and exists(folder / "__init__.py")
        for name in ("__init__.py", "conftest.py") if package else ("conftest.py",):
            if exists(folder / name) and (found := load(folder / name)) is not None:
                yield found
        if folder in roots or folder.parent == folder or not (package or any(r in folder.parents for r in roots)):
            return
        folder = folder.parent


def _imported(context: Context) -> Iterator[ModuleIndex]:
    """The project modules the module imports by name (``from app import base``), not those
    they import in turn."""
    project = context.project
    load, absolute = getattr(project, "load", None), getattr(project, "absolute", None)
    if load is None or absolute is None:
        return
    seen: set[str] = set()
    for qualified in sorted(set(context.index.imports.values())):
        dotted = absolute(context.index, qualified)
        for name in (dotted, dotted.rpartition(".")[0]):  # a module, or the module of a name
            if not name or name in seen or "*" in name:
                continue
            seen.add(name)
            found = load(name)
            if found is not None:
                yield found
                break


def _base_modules(context: Context) -> Iterator[ModuleIndex]:
    """The project modules that define the bases of the module's classes, transitively."""
    resolve = getattr(context.project, "resolve_class", None)
    if resolve is None:
        return
    queue = [(context.index, d.qualname) for d in context.index.definitions if d.kind == "class"]
    seen: set[tuple[str, str]] = set()
    modules: set[str] = {context.index.path}
    while queue and len(seen) < 256:
        index, qualname = queue.pop(0)
        if (index.path, qualname) in seen:
            continue
        seen.add((index.path, qualname))
        definition = index.by_qualname.get(qualname)
        for spelling in definition.bases if definition is not None else ():
            _, module, inner = resolve(index, spelling)
            if module is not None:
                queue.append((module, inner))
                if module.path not in modules:
                    modules.add(module.path)
                    yield module


def _target(patch: PatchCall) -> str:
    first = patch.string(0, "target", "obj")
    if first is not None and len(first) <= 80:
        return f" `{first}`"
    attribute = patch.string(1, "attribute", "attr")
    if attribute is not None and len(attribute) <= 80:
        return f" `{attribute}`"
    return ""


def _patch_calls(scope: Scope) -> Iterator[tuple[PatchCall, str]]:
    """Patch calls in a function (decorators included) and in its class's decorators.

    Yields each call with the qualname of the definition it belongs to.
    """
    index = scope.index
    for found in function_patches(index, scope.node):
        yield found, scope.definition.qualname
    if scope.definition.in_class:
        for found in class_decorator_patches(index, scope.definition.parent):
            yield found, scope.definition.parent


# ---------------------------------------------------------------- pass-evidence (triage)


def _evidence_of(context: Context) -> list[Evidence]:
    """RG202: patches with a spec, and mock's signature checking switched on for the whole module."""

    out: list[Evidence] = []
    switched: bool | None = None
    for scope in _evidence.scopes(context):
        for patch in function_patches(scope.index, scope.node):
            if patch.kind not in CHECKED:
                continue
            line = patch.line
            at = _evidence.where(context, scope.index.path, line)
            if patch.specced:
                replaced = patch.replaced
                what = ("replaces the target with its own object (`new`)" if replaced
                        else "has a spec (autospec, spec or spec_set)")
                text = f"the patch at {at} {what}"
                out.append(Evidence(scope.index.path, line, text))
                continue
            if wraps_real(scope.index, patch, scope.node, scope.definition):
                text = f"the patch at {at} wraps the real callable (`wraps=`), which checks every call"
                out.append(Evidence(scope.index.path, line, text))
                continue
            if switched is None:
                switched = autospec_switch(context)
            if switched:
                text = (f"the patch at {at} checks call signatures: mock's autospec switch "
                        "(oslotest `patch_mock_module()`) is on for these tests")
                out.append(Evidence(scope.index.path, line, text))
    return _evidence.unique(out)
