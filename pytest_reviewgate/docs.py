"""The README's rules table, generated from the rule classes (``python -m pytest_reviewgate.docs``)."""

from __future__ import annotations

from collections.abc import Iterable

from .rules import BUILTIN_RULES
from .rules.base import Rule


def rules_table(rules: Iterable[type[Rule]] = BUILTIN_RULES) -> str:
    lines = ["| code | name | kind | CWE | summary |", "|---|---|---|---|---|"]
    for rule in sorted(rules, key=lambda r: r.code):
        cwe = f"CWE-{rule.cwe}" if rule.cwe else ""
        lines.append(f"| {rule.code} | `{rule.name}` | {rule.kind} | {cwe} | {rule.summary} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(rules_table())
