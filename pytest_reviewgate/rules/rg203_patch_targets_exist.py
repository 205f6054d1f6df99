"""RG203 `patch-targets-exist`: dotted patch targets inside the project name something
its source defines.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from ..analysis import idioms
from ..analysis.closures import Scope
from ..analysis.index import ModuleIndex, chain_of, walk
from ..model import Violation
from ._patches import MULTIPLE_OPTIONS, PatchCall, patch_call, shadowing, unique
from .base import Context, Rule

DOTTED = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+")
MONKEYPATCH = frozenset({"monkeypatch.setattr", "monkeypatch.delattr"})


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
    attribute; a class of the module itself must define it in its body or
    assign it on `self` (classes with bases are not judged).
    Targets outside the project, or in modules that cannot be resolved (star
    imports, `__getattr__`), are not judged; neither are patches that say the
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
    version = "3"
    summary = "Patch targets inside the project exist"
    cwe = 561
    kind = "static"

    def check(self, context: Context) -> Iterator[Violation]:
        return unique(self._check(context))

    def _check(self, context: Context) -> Iterator[Violation]:
        for scope in context.scopes():
            for target, node, by_mock in _targets(scope):
                owner_name, _, attribute = target.rpartition(".")
                if by_mock and attribute in idioms.PATCHABLE_BUILTINS and context.project.find(owner_name) is not None:
                    continue  # mock creates it: ``patch.object(module, "open")``
                local = _local_class(scope.index, target)
                defined = context.project.defines(target) if local is None else local
                if defined is not False:
                    continue
                owner = scope.index.enclosing(node.lineno)
                yield Violation(
                    rule=self.code,
                    message=(
                        f"patch target `{target}` names nothing the project's source "
                        "defines -> patch the module and attribute the code under test looks "
                        "up, or fix the spelling"
                    ),
                    path=scope.index.path,
                    line=node.lineno,
                    definition=owner.qualname if owner is not None else scope.definition.qualname,
                    source=scope.index.source_line(node.lineno),
                )


def _targets(scope: Scope) -> Iterator[tuple[str, ast.expr, bool]]:
    """(qualified target, node naming it, whether mock patches it) for each patch in a function
    and its class's decorators."""
    index = scope.index
    nodes: list[ast.AST] = list(walk(scope.node))
    owner = index.nodes.get(scope.definition.parent) if scope.definition.in_class else None
    if isinstance(owner, ast.ClassDef):
        nodes.extend(owner.decorator_list)
    for node in nodes:
        if not isinstance(node, ast.Call):
            continue
        local = _Locals(scope, node)
        patch = patch_call(index, node)
        if patch is not None:
            if not _may_create(node, "create", True):
                yield from ((t, n, True) for t, n in _patch_targets(index, patch, local))
        elif chain_of(node.func) in MONKEYPATCH and "monkeypatch" not in index.imports:
            if not _may_create(node, "raising", False):
                yield from ((t, n, False) for t, n in _monkeypatch_targets(index, node, local))


class _Locals:
    """The names the functions around a call bind, worked out only when asked."""

    def __init__(self, scope: Scope, node: ast.Call) -> None:
        self.scope, self.node = scope, node

    def __contains__(self, name: object) -> bool:
        return name in shadowing(self.scope).get(id(self.node), frozenset())


def _patch_targets(index: ModuleIndex, patch: PatchCall, local: _Locals) -> Iterator[tuple[str, ast.expr]]:
    if patch.kind in ("patch.object", "MockPatchObject"):
        owner, attribute = patch.argument(0, "target", "obj"), patch.argument(1, "attribute", "attr")
        yield from _object_target(index, owner, attribute, local)
        return
    first = patch.argument(0, "target", "obj", "in_dict")
    dotted = _dotted(first)
    if dotted is None or first is None:
        return
    if patch.kind in ("patch.multiple", "MockPatchMultiple"):
        for keyword in patch.node.keywords:
            if keyword.arg and keyword.arg not in MULTIPLE_OPTIONS:
                yield f"{dotted}.{keyword.arg}", first
    else:
        yield dotted, first


def _monkeypatch_targets(index: ModuleIndex, node: ast.Call, local: _Locals) -> Iterator[tuple[str, ast.expr]]:
    if not node.args:
        return
    first = node.args[0]
    dotted = _dotted(first)
    if dotted is not None:
        yield dotted, first
    elif len(node.args) > 1:
        yield from _object_target(index, first, node.args[1], local)


def _local_class(index: ModuleIndex, target: str) -> bool | None:
    """``Class.attr`` for a class of the module itself: None when not local or it has bases."""
    owner, _, name = target.rpartition(".")
    node = index.nodes.get(owner)
    if not isinstance(node, ast.ClassDef) or node.bases or name.startswith("__"):
        return None
    defined: set[str] = set()
    for statement in node.body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            defined.add(statement.name)
        elif isinstance(statement, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            defined.update(n.id for t in targets for n in walk(t) if isinstance(n, ast.Name))
    defined.update(
        n.attr
        for n in walk(node)
        if isinstance(n, ast.Attribute) and isinstance(n.ctx, ast.Store) and chain_of(n.value) == "self"
    )
    return name in defined


def _object_target(
    index: ModuleIndex, owner: ast.expr | None, attribute: ast.expr | None, local: _Locals
) -> Iterator[tuple[str, ast.expr]]:
    """``patch.object(owner, "name")`` when ``owner`` is imported or a class of the module, and no
    parameter or local of the function shadows that name."""
    dotted = chain_of(owner) if owner is not None else None
    name = _string(attribute)
    if not dotted or name is None or attribute is None:
        return
    head = dotted.split(".")[0]
    if (head in index.imports or isinstance(index.nodes.get(dotted), ast.ClassDef)) and head in local:
        return
    if isinstance(index.nodes.get(dotted), ast.ClassDef) and name.isidentifier():
        yield f"{dotted}.{name}", attribute
        return
    if dotted.split(".")[0] not in index.imports:
        return
    qualified = index.qualify(dotted)
    if not qualified.startswith(".") and name.isidentifier():
        yield f"{qualified}.{name}", attribute


def _dotted(node: ast.expr | None) -> str | None:
    value = _string(node)
    return value if value is not None and DOTTED.fullmatch(value) else None


def _string(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _may_create(node: ast.Call, keyword: str, value: bool) -> bool:
    return any(k.arg == keyword and isinstance(k.value, ast.Constant) and k.value.value is value for k in node.keywords)
