"""The README cannot rot: its rules table is the one generated from the rule classes."""

from __future__ import annotations

from pathlib import Path

from pytest_reviewgate.docs import rules_table

README = Path(__file__).parents[1] / "README.md"


def test_readme_rules_table_is_generated_from_the_rule_classes() -> None:
    text = README.read_text(encoding="utf-8")
    table = text.split("<!-- rules-table -->\n", 1)[1].split("\n<!-- /rules-table -->", 1)[0]
    assert table == rules_table()


def test_readme_opens_with_the_two_commands() -> None:
    blocks = README.read_text(encoding="utf-8").split("```bash\n")
    assert blocks[1].startswith("python3 -m venv .venv")
    assert "cd example_project && pytest -p reviewgate" in blocks[1]
    assert blocks[2].startswith("python3 -m venv .venv")
    assert "pytest -n 2" in blocks[2]
