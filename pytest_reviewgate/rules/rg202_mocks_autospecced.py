"""RG202 `mocks-autospecced`: patches use autospec, spec or an explicit replacement."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ..analysis.closures import Scope
from ..analysis.index import walk
from ..model import Violation
from ._patches import PATCHES, PatchCall, patch_call, unique
from .base import Context, Rule

CHECKED = frozenset({"patch", "patch.object", "MockPatch", "MockPatchObject"})
SPEC_KEYWORDS = ("autospec", "spec", "spec_set")
REPLACEMENT_KEYWORDS = ("new", "new_callable")


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
    `new_callable=`. A call that unpacks `*args`/`**kwargs` is not judged.

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
    """

    code = "RG202"
    name = "mocks-autospecced"
    summary = "Patches use autospec, spec or an explicit replacement"
    cwe = 710
    kind = "static"

    def check(self, context: Context) -> Iterator[Violation]:
        return unique(self._check(context))

    def _check(self, context: Context) -> Iterator[Violation]:
        for scope in context.scopes():
            for patch, owner in _patch_calls(scope):
                if patch.kind not in CHECKED or _specced(patch):
                    continue
                line = patch.node.lineno
                yield Violation(
                    rule=self.code,
                    message=(
                        f"`{patch.spelled}` patches{_target(patch)} with a mock that accepts "
                        "any call -> pass `autospec=True` (or `spec=`/`spec_set=`), or the "
                        "replacement as `new`"
                    ),
                    path=scope.index.path,
                    line=line,
                    definition=owner,
                    source=scope.index.source_line(line),
                )


def _specced(patch: PatchCall) -> bool:
    node = patch.node
    if any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords):
        return True  # unpacked arguments: cannot tell
    for keyword in node.keywords:
        if keyword.arg in SPEC_KEYWORDS and not _is_constant(keyword.value, False, None):
            return True
        if keyword.arg in REPLACEMENT_KEYWORDS and not _is_default(keyword.value):
            return True
    position = _new_position(patch.kind)
    return 0 <= position < len(node.args) and not _is_default(node.args[position])


def _is_constant(node: ast.expr, *values: object) -> bool:
    return isinstance(node, ast.Constant) and any(node.value is v for v in values)


def _is_default(node: ast.expr) -> bool:
    """``mock.DEFAULT`` (or ``DEFAULT``) means "make a MagicMock", like leaving ``new`` out."""
    if isinstance(node, ast.Name):
        return node.id == "DEFAULT"
    return isinstance(node, ast.Attribute) and node.attr == "DEFAULT"


def _target(patch: PatchCall) -> str:
    first = patch.argument(0, "target", "obj")
    if isinstance(first, ast.Constant) and isinstance(first.value, str) and len(first.value) <= 80:
        return f" `{first.value}`"
    attribute = patch.argument(1, "attribute", "attr")
    if isinstance(attribute, ast.Constant) and isinstance(attribute.value, str) and len(attribute.value) <= 80:
        return f" `{attribute.value}`"
    return ""


def _patch_calls(scope: Scope) -> Iterator[tuple[PatchCall, str]]:
    """Patch calls in a function (decorators included) and in its class's decorators.

    Yields each call with the qualname of the definition it belongs to.
    """
    index = scope.index
    for node in walk(scope.node):
        found = patch_call(index, node)
        if found is not None:
            yield found, scope.definition.qualname
    owner = index.nodes.get(scope.definition.parent) if scope.definition.in_class else None
    if isinstance(owner, ast.ClassDef):
        for decorator in owner.decorator_list:
            found = patch_call(index, decorator)
            if found is not None:
                yield found, scope.definition.parent


def _new_position(kind: str) -> int:
    return next((position for name, position in PATCHES.values() if name == kind), -1)
