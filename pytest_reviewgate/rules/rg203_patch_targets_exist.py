"""RG203 `patch-targets-exist`: dotted patch targets inside the project name something
its source defines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..analysis import idioms
from ..analysis.closures import Scope
from ..analysis.frames import Node, shadowed
from ..analysis.idioms import MONKEYPATCH_ATTRIBUTES, MULTIPLE_OPTIONS
from ..analysis.index import ModuleIndex
from ..analysis.patches import (
    PatchCall,
    class_decorator_patches,
    class_members,
    function_patches,
)
from ..analysis.strings import imported_by_name
from ..model import Violation
from ._patches import unique
from .base import Context, Rule

DOTTED = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+")


class PatchTargetsExist(Rule):
    """Dotted patch targets inside the project name an attribute its source defines.

    ## What it does
    Reads the target of every patch in the targets' closures: the dotted
    string of `mock.patch`, `mock.patch.dict`, `mock.patch.multiple` (with
    each attribute), `fixtures.MockPatch*`, `mocker.patch*` and
    `monkeypatch.setattr`/`delattr`, and `patch.object(owner, "name")` when
    `owner` is imported or a class of the module and the function binds no
    parameter or local of that name (`driver = Driver()` shadows an imported
    `driver` module, and is not judged). When the target lies inside
    the project, the module's source (read, never imported) must define the
    attribute (also under a module-level `if`, `try` or `with`:
    `if os.name == "nt": Server = ...`); a class of the module itself must define it in its body or
    assign it on `self` (classes with bases are not judged).
    Targets outside the project, or in modules that cannot be resolved (star
    imports, `__getattr__`), are not judged; a registry package whose code calls
    for its own submodules by name at run time (`__import__("pkg.objects.node")`,
    `importlib.import_module(...)` in a function, as oslo.versionedobjects
    projects do in `register_all()`; not a docstring or comment that says so)
    counts as defining the classes those submodules define (`pkg.objects.Node`),
    since registering a class sets it on the package (their functions, constants
    and imports stay theirs); neither are patches that say the
    attribute may be missing (`create=True`, `raising=False`), nor mock's
    patches of a module attribute named like a builtin (`patch.object(module,
    "open")`: mock creates it, as the module's code looks the name up there
    before the builtins).

    ## Why is this bad?
    A patch of a name that does not exist fails only when the test runs, and
    a test that is skipped or runs on one platform only hides it for months.
    Renames and moves leave such patches behind, and a reviewer who cites
    one cannot tell whether it still replaces anything.

    ## Example
    ```python
    from unittest import mock


    class Inventory:
        def refresh(self):
            return ["disk"]


    def test_refresh():
        with mock.patch.object(Inventory, "refesh", autospec=True) as refresh:
            refresh.return_value = []
            assert Inventory().refresh() == []
    ```

    Use instead:
    ```python
    from unittest import mock


    class Inventory:
        def refresh(self):
            return ["disk"]


    def test_refresh():
        with mock.patch.object(Inventory, "refresh", autospec=True) as refresh:
            refresh.return_value = []
            assert Inventory().refresh() == []
    ```
    """

    code = "RG203"
    name = "patch-targets-exist"
    version = "5"
    summary = "Patch targets inside the project exist"
    cwe = 561
    kind = "static"

    def check(self, context: Context) -> Iterator[Violation]:
        return unique(self._check(context))

    def _check(self, context: Context) -> Iterator[Violation]:
        for scope in context.scopes():
            for target, line, by_mock in _targets(scope):
                owner_name, _, attribute = target.rpartition(".")
                if by_mock and attribute in idioms.PATCHABLE_BUILTINS and context.project.find(owner_name) is not None:
                    continue  # mock creates it: ``patch.object(module, "open")``
                local = _local_class(scope.index, target)
                defined = context.project.defines(target) if local is None else local
                if defined is not False or (local is None and _registered_at_run_time(context, target)):
                    continue
                owner = scope.index.enclosing(line)
                yield Violation(
                    rule=self.code,
                    message=(
                        f"patch target `{target}` names nothing the project's source "
                        "defines -> patch the module and attribute the code under test looks "
                        "up, or fix the spelling"
                    ),
                    path=scope.index.path,
                    line=line,
                    definition=owner.qualname if owner is not None else scope.definition.qualname,
                    source=scope.index.source_line(line),
                )


def _registered_at_run_time(context: Context, target: str, hops: int = 3) -> bool:
    """``pkg.Name[.attr]`` where ``pkg``'s code imports its own submodules by name at run time
    (a call ``__import__("pkg.sub")`` or ``importlib.import_module(...)``) and one of them defines
    the class ``Name`` (with ``attr``, as far as the source shows): a registry package such as
    oslo.versionedobjects' (``ironic.objects``), whose registration hook sets each registered class
    on the package. Only classes: a submodule's functions, constants and imports stay its own."""
    load = getattr(context.project, "load", None)  # a SourceProject's; the protocol reads no source
    if not callable(load):
        return False
    parts = target.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        package = ".".join(parts[:cut])
        index = load(package)
        if not isinstance(index, ModuleIndex):
            continue
        head, rest = parts[cut], parts[cut + 1 :]
        absolute = getattr(context.project, "absolute", None)
        if head in index.imports and callable(absolute) and hops:  # ``mod.objects.Node``: through the import
            imported = str(absolute(index, index.imports[head]))
            return _registered_at_run_time(context, ".".join([imported, *rest]), hops - 1)
        prefix = package + "."
        for submodule in imported_by_name(index):
            found = load(submodule) if submodule.startswith(prefix) else None
            definition = found.by_qualname.get(head) if isinstance(found, ModuleIndex) else None
            if definition is not None and definition.kind == "class" and not definition.parent:
                if not rest or context.project.defines(".".join([submodule, head, *rest])) is not False:
                    return True
        return False
    return False


def _targets(scope: Scope) -> Iterator[tuple[str, int, bool]]:
    """(qualified target, line of the node naming it, whether mock patches it) for each patch in
    a function and its class's decorators."""
    index = scope.index
    patches = function_patches(index, scope.node)
    if scope.definition.in_class:
        patches += class_decorator_patches(index, scope.definition.parent)
    for patch in patches:
        local = _Locals(scope, patch.node)
        if patch.kind not in MONKEYPATCH_ATTRIBUTES:
            if not patch.keyword_is("create", True):
                yield from ((t, line, True) for t, line in _patch_targets(index, patch, local))
        elif not patch.keyword_is("raising", False):
            yield from ((t, line, False) for t, line in _monkeypatch_targets(index, patch, local))


class _Locals:
    """The names the functions around a call bind, worked out only when asked."""

    def __init__(self, scope: Scope, node: Node) -> None:
        self.scope, self.node = scope, node

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and shadowed(self.scope, self.node, name)


def _patch_targets(index: ModuleIndex, patch: PatchCall, local: _Locals) -> Iterator[tuple[str, int]]:
    if patch.kind in ("patch.object", "MockPatchObject"):
        yield from _object_target(index, patch, 0, ("target", "obj"), ("attribute", "attr"), local)
        return
    dotted = _dotted(patch.string(0, "target", "obj", "in_dict"))
    if dotted is None:
        return
    line = patch.line_of(0, "target", "obj", "in_dict")
    if patch.kind in ("patch.multiple", "MockPatchMultiple"):
        for keyword in patch.keywords():
            if keyword not in MULTIPLE_OPTIONS:
                yield f"{dotted}.{keyword}", line
    else:
        yield dotted, line


def _monkeypatch_targets(index: ModuleIndex, patch: PatchCall, local: _Locals) -> Iterator[tuple[str, int]]:
    if not patch.positional:
        return
    dotted = _dotted(patch.string(0))
    if dotted is not None:
        yield dotted, patch.line_of(0)
    elif patch.positional > 1:
        yield from _object_target(index, patch, 0, (), (), local)


def _local_class(index: ModuleIndex, target: str) -> bool | None:
    """``Class.attr`` for a class of the module itself: None when not local or it has bases."""
    owner, _, name = target.rpartition(".")
    members = class_members(index, owner)
    if members is None or name.startswith("__"):
        return None
    return name in members


def _is_class(index: ModuleIndex, qualname: str) -> bool:
    definition = index.by_qualname.get(qualname)
    return definition is not None and definition.kind == "class"


def _object_target(
    index: ModuleIndex,
    patch: PatchCall,
    position: int,
    owner_keywords: tuple[str, ...],
    attribute_keywords: tuple[str, ...],
    local: _Locals,
) -> Iterator[tuple[str, int]]:
    """``patch.object(owner, "name")`` when ``owner`` is imported or a class of the module, and no
    parameter or local of the function shadows that name."""
    dotted = patch.chain(position, *owner_keywords)
    name = patch.string(position + 1, *attribute_keywords)
    if not dotted or name is None:
        return
    line = patch.line_of(position + 1, *attribute_keywords)
    head = dotted.split(".")[0]
    if (head in index.imports or _is_class(index, dotted)) and head in local:
        return
    if _is_class(index, dotted) and name.isidentifier():
        yield f"{dotted}.{name}", line
        return
    if dotted.split(".")[0] not in index.imports:
        return
    qualified = index.qualify(dotted)
    if not qualified.startswith(".") and name.isidentifier():
        yield f"{qualified}.{name}", line


def _dotted(value: str | None) -> str | None:
    return value if value is not None and DOTTED.fullmatch(value) else None
