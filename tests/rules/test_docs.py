"""Every rule documents itself; a static rule flags its Example and not its Use instead."""

from __future__ import annotations

import pytest

from pytest_reviewgate.analysis.index import parse_module
from pytest_reviewgate.analysis.project import SourceProject
from pytest_reviewgate.config import Settings
from pytest_reviewgate.engine.checks import build_context
from pytest_reviewgate.rules import BUILTIN_RULES
from pytest_reviewgate.rules.base import DOC_SECTIONS, Rule, RuleRegistry


@pytest.mark.parametrize("rule", BUILTIN_RULES, ids=lambda r: r.code)
def test_docs_have_every_section_in_order(rule: type[Rule]) -> None:
    docs = rule.docs()
    positions = [docs.find(section) for section in DOC_SECTIONS]
    assert all(p >= 0 for p in positions), f"{rule.code} lacks a docs section"
    assert positions == sorted(positions)
    assert rule.summary
    assert rule.cwe


def test_codes_and_names_are_unique_and_register_cleanly() -> None:
    registry = RuleRegistry()
    for rule in BUILTIN_RULES:
        registry.add(rule)
    assert registry.problems == []
    assert len(registry) == len(BUILTIN_RULES)


def _violations(rule: type[Rule], source: str, tmp_path_str: str) -> list[str]:
    index = parse_module(source.encode(), f"{tmp_path_str}/test_example.py")
    context, _ = build_context(index, rule, (), Settings(), SourceProject([]))
    return [v.message for v in rule().check(context)]


STATIC = [r for r in BUILTIN_RULES if r.kind == "static" and r.implemented]


@pytest.mark.parametrize("rule", STATIC, ids=lambda r: r.code)
def test_example_is_flagged_and_use_instead_is_not(rule: type[Rule], tmp_path: object) -> None:
    example, fixed = rule.section("## Example"), rule.section("Use instead:")
    assert example
    assert fixed
    assert _violations(rule, example, str(tmp_path)), f"{rule.code}: its Example is not flagged"
    assert _violations(rule, fixed, str(tmp_path)) == [], f"{rule.code}: its Use instead is flagged"


def test_registering_a_duplicate_code_is_reported() -> None:
    class Impostor(Rule):
        """Docs."""

        code = "RG101"
        name = "something-else"

    registry = RuleRegistry()
    for rule in BUILTIN_RULES:
        registry.add(rule)
    registry.add(Impostor)
    assert registry.problems == [
        "rule test_registering_a_duplicate_code_is_reported.<locals>.Impostor: RG101 is already taken "
        "by ConfigRevertedViaFixtures"
    ]
