"""Context.closures / Context.scopes() as custom rules may use them (docs/custom-rules.md)."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_reviewgate.model import Violation
from pytest_reviewgate.rules.base import Context, Rule
from pytest_reviewgate.testing import check_rule

SOURCE = """
import unittest
class T(unittest.TestCase):
    def setUp(self):
        self.helper()
    def helper(self):
        pass
    def test_a(self):
        pass
"""


def _seen(rule: Rule, context: Context) -> Iterator[Violation]:
    for scope in context.scopes():
        yield Violation(rule=rule.code, message=f"saw {scope.definition.qualname}", path=scope.index.path,
                        line=scope.definition.line, definition=scope.definition.qualname, source="")


class Narrow(Rule):
    code, name, summary, kind = "X900", "narrow", "keeps each target alone", "static"

    def check(self, context: Context) -> Iterator[Violation]:
        for qualname in list(context.closures):
            context.closures[qualname] = list(context.closures[qualname])[:1]  # type: ignore[index]
        yield from _seen(self, context)


class Rebind(Rule):
    code, name, summary, kind = "X901", "rebind", "rebinds the closures", "static"

    def check(self, context: Context) -> Iterator[Violation]:
        context.closures = {q: list(c)[:1] for q, c in context.closures.items()}
        yield from _seen(self, context)


def test_a_rule_may_narrow_a_closure_of_its_own_context() -> None:
    found = check_rule(Narrow, SOURCE, targets=["T.test_a"])
    assert [v.message for v in found] == ["saw T.test_a"]


def test_scopes_follow_closures_a_rule_rebinds() -> None:
    found = check_rule(Rebind, SOURCE, targets=["T.test_a"])
    assert [v.message for v in found] == ["saw T.test_a"]


def test_a_rule_narrowing_its_closures_leaves_the_next_rule_the_whole_closure() -> None:
    """The closures are built once per module, and each rule's context gets its own mapping of them."""
    from pytest_reviewgate.analysis.closures import ClosureBuilder
    from pytest_reviewgate.analysis.index import parse_module
    from pytest_reviewgate.analysis.project import SourceProject
    from pytest_reviewgate.config import Settings
    from pytest_reviewgate.engine.checks import build_context

    index = parse_module(SOURCE.encode(), "test_mod.py")
    project = SourceProject([])
    builder = ClosureBuilder(index, (), project)
    first, _ = build_context(index, Narrow, ["T.test_a"], Settings(), project, builder=builder)
    list(Narrow().check(first))
    again, _ = build_context(index, Narrow, ["T.test_a"], Settings(), project, builder=builder)
    assert [s.definition.qualname for s in again.closures["T.test_a"]] == ["T.test_a", "T.setUp", "T.helper"]
