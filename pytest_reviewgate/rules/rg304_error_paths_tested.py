"""RG304 `error-paths-tested`: at least one targeted test exercises a failure."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, ClassVar

from ..analysis.index import ModuleIndex, chain_of
from ..model import Violation
from ._patches import Reach, canonical, closure_of
from .base import Context, Rule

EXPECTING = frozenset(
    {
        "pytest.raises",
        "testtools.ExpectedException",
        "testtools.testcase.ExpectedException",
        "testtools.matchers.Raises",
        "testtools.matchers.raises",
    }
)
DEFAULT_ERROR_ASSERTIONS = ["expected_state='ERROR'"]
# (keyword, normalised value or "*" for any value), all of which a call must pass
Pattern = tuple[tuple[str, str], ...]


class ErrorPathsTested(Rule):
    """At least one targeted test exercises a failure.

    ## What it does
    Looks through the targeted tests and the module helpers they call for one
    that expects an error: `self.assertRaises*` (any receiver), `pytest.raises`,
    `testtools.ExpectedException` or the `Raises` matcher, or a call whose
    keywords match an entry of `error-assertions` (by default
    `expected_state='ERROR'`, as in functional tests that wait for a server to
    go to ERROR). When none does, one violation is reported at the first
    target's `def` line.

    ## Why is this bad?
    Tests that cover only the happy path leave the error handling, often the
    code that protects data and cleans up, unexercised; reviews ask for the
    failure case because that is where regressions hide.

    ## Example
    ```python
    def test_parse_number():
        assert int("42") == 42
    ```

    Use instead:
    ```python
    import pytest


    def test_parse_number():
        assert int("42") == 42


    def test_parse_garbage():
        with pytest.raises(ValueError):
            int("forty-two")
    ```

    ## Options
    `error-assertions` (default `["expected_state='ERROR'"]`): keyword patterns
    a call must pass, each `name=value` (several separated by commas). Values
    are compared as normalised source, so `"ERROR"` and `'ERROR'` are the same
    and `vm_states.ERROR` works too; `name=*` accepts any value. A bare value
    (`'ERROR'`) matches a positional argument, as in Nova's
    `self._wait_for_state_change(server, 'ERROR')`:
    `extend-error-assertions = ["'ERROR'"]`.
    """

    code = "RG304"
    name = "error-paths-tested"
    summary = "At least one targeted test exercises a failure"
    cwe = 703
    kind = "static"
    options: ClassVar[Mapping[str, Any]] = {"error-assertions": DEFAULT_ERROR_ASSERTIONS}

    def check(self, context: Context) -> Iterator[Violation]:
        if not context.targets:
            return
        option = context.options.get("error-assertions", DEFAULT_ERROR_ASSERTIONS)
        entries = [option] if isinstance(option, str) else list(option)
        patterns = [p for p in (_pattern(e) for e in entries) if p]
        reach = Reach(lambda scope, nodes: any(_expects_error(scope.index, n, patterns) for n in nodes))
        for target in context.targets:
            if any(reach.summary(scope) for scope in reach(closure_of(context, target.qualname))):
                return
        first = min(context.targets, key=lambda d: (d.first_line, d.line))
        accepted = "`self.assertRaises`, `pytest.raises`, `testtools.ExpectedException`"
        if entries:
            accepted += " or a call with " + " / ".join(f"`{e}`" for e in entries)
        yield Violation(
            rule=self.code,
            message=(f"none of the targeted tests exercises a failure -> add a test that expects one ({accepted})"),
            path=context.index.path,
            line=first.line,
            definition=first.qualname,
            source=context.index.source_line(first.line),
        )


def _pattern(entry: str) -> Pattern:
    """``expected_state='ERROR'`` -> (("expected_state", "'ERROR'"),); () when it does not parse."""
    text = re.sub(r"=\s*\*\s*(?=,|$)", "=...", entry.strip())
    try:
        tree = ast.parse(f"f({text})", mode="eval")
    except (SyntaxError, ValueError, RecursionError):
        return ()
    call = tree.body
    if not isinstance(call, ast.Call) or not (call.args or call.keywords):
        return ()
    # a bare value (``'ERROR'``) matches any positional argument: ``_wait_for_state_change(server, 'ERROR')``
    out: list[tuple[str, str]] = [("", _source(arg)) for arg in call.args]
    for keyword in call.keywords:
        if keyword.arg is None:
            return ()
        wildcard = isinstance(keyword.value, ast.Constant) and keyword.value.value is Ellipsis
        out.append((keyword.arg, "*" if wildcard else _source(keyword.value)))
    return tuple(out)


def _expects_error(index: ModuleIndex, node: ast.AST, patterns: Sequence[Pattern]) -> bool:
    if not isinstance(node, ast.Call):
        return False
    spelled = chain_of(node.func)
    if spelled:
        last = spelled.rpartition(".")[2]
        if last.startswith("assertRaises") or last == "failUnlessRaises":
            return True
        if canonical(index.qualify(spelled)) in EXPECTING:
            return True
    if not patterns or not (node.keywords or node.args):
        return False
    passed = {k.arg: k.value for k in node.keywords if k.arg}
    positional = {_source(arg) for arg in node.args}

    def matches(name: str, value: str) -> bool:
        if not name:
            return value in positional
        return name in passed and (value == "*" or _source(passed[name]) == value)

    return any(all(matches(name, value) for name, value in pattern) for pattern in patterns)


def _source(node: ast.expr) -> str:
    """Normalised source of a keyword value; "" for one too deep to print (never matches)."""
    try:
        return ast.unparse(node)
    except RecursionError:
        return ""
