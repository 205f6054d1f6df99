"""RG303 `tests-assert`: each targeted test asserts something, directly or through a helper."""

from __future__ import annotations

import ast
import fnmatch
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, ClassVar

from ..analysis import closures as target_selection
from ..analysis.closures import Scope
from ..analysis.index import chain_of
from ..model import Violation
from ._patches import Reach, canonical, closure_of
from .base import Context, Rule

ASSERTING = frozenset(
    {
        "pytest.raises",
        "pytest.warns",
        "pytest.fail",
        "pytest.deprecated_call",
        "testtools.ExpectedException",
        "testtools.testcase.ExpectedException",
    }
)
DEFAULT_HELPERS = ["*assert*", "*check*", "*verify*", "*fail*", "*wait_for*"]


class TestsAssert(Rule):
    """Each targeted test asserts something.

    ## What it does
    For each targeted test (a function or method matching pytest's default
    `test*` / `Test*` naming, or a `test*` method of a class with bases such as
    `unittest.TestCase`), looks for an assertion in the test or in the module
    helpers it calls, transitively: an `assert` statement, `self.assert*`,
    `self.fail*`, `self.expectThat`, `pytest.raises`/`warns`/`fail`,
    `testtools.ExpectedException`, or any call whose name starts with `assert`
    (a mock's `assert_called_once_with`, `numpy.testing.assert_equal`). A call
    `self.x()` to a method the closure does not define (inherited from a base
    class outside the project) counts when its name matches `assert-helpers`.
    Non-test targets are not checked. Reported at the test's `def` line.

    ## Why is this bad?
    A test that asserts nothing only proves that the code does not raise; it
    passes when the behaviour it is named after is broken, and reviewers
    count it as coverage it does not give.

    ## Example
    ```python
    def test_resize(server):
        server.resize(flavor="large")
    ```

    Use instead:
    ```python
    def test_resize(server):
        server.resize(flavor="large")
        assert server.flavor == "large"
    ```

    ## Options
    `assert-helpers` (default `["*assert*", "*check*", "*verify*", "*fail*",
    "*wait_for*"]`): case-insensitive globs on the names of `self.x()` helpers
    defined outside the module that assert for the test.
    """

    __test__ = False  # the class name starts with "Test"; pytest must not collect it

    code = "RG303"
    name = "tests-assert"
    summary = "Each targeted test asserts something"
    cwe = 710
    kind = "static"
    options: ClassVar[Mapping[str, Any]] = {"assert-helpers": DEFAULT_HELPERS}

    def check(self, context: Context) -> Iterator[Violation]:
        helpers = _patterns(context.options.get("assert-helpers", DEFAULT_HELPERS))
        reach = Reach(lambda scope, nodes: _summary(scope, nodes, helpers))
        for target in context.targets:
            if not target_selection.is_test(target, context.index):
                continue
            closure = closure_of(context, target.qualname)
            if not closure or _asserts(closure, reach):
                continue
            yield Violation(
                rule=self.code,
                message=(
                    f"test `{target.name}` asserts nothing -> assert on the outcome "
                    "(`assert`, `self.assert*`, `pytest.raises`, a mock's `assert_called_*`), "
                    "or list the helper that asserts under `assert-helpers`"
                ),
                path=context.index.path,
                line=target.line,
                definition=target.qualname,
                source=context.index.source_line(target.line),
            )


def _patterns(option: str | Sequence[str]) -> list[str]:
    return [p.lower() for p in ([option] if isinstance(option, str) else option)]


# (asserts by itself, names of ``self.x()`` calls that match ``assert-helpers``)
Summary = tuple[bool, frozenset[str]]


def _asserts(closure: Sequence[Scope], reach: Reach[Summary]) -> bool:
    """Whether the test or a helper it reaches asserts; a matching ``self.x()`` counts when the
    closure does not define ``x`` (it comes from a base class outside the project)."""
    known = {s.definition.name for s in closure}
    for scope in reach(closure):
        direct, named = reach.summary(scope)
        if direct or any(name not in known for name in named):
            return True
    return False


def _summary(scope: Scope, nodes: Sequence[ast.AST], helpers: Sequence[str]) -> Summary:
    named: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Assert):
            return True, frozenset()
        if not isinstance(node, ast.Call):
            continue
        spelled = chain_of(node.func)
        if not spelled:
            continue
        head, _, last = spelled.rpartition(".")
        if last.startswith("assert") or canonical(scope.index.qualify(spelled)) in ASSERTING:
            return True, frozenset()
        if head in ("self", "cls"):
            if last.startswith("fail") or last == "expectThat":
                return True, frozenset()
            if any(fnmatch.fnmatchcase(last.lower(), p) for p in helpers):
                named.add(last)
    return False, frozenset(named)
