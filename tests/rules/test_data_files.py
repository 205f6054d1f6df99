"""Every data file under ``data/`` flags exactly the lines that carry its rule's marker."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pytest_reviewgate.analysis.index import parse_module
from pytest_reviewgate.analysis.project import SourceProject
from pytest_reviewgate.config import settings_from_table
from pytest_reviewgate.engine.checks import build_context, ignored
from pytest_reviewgate.rules import BUILTIN_RULES

DATA = Path(__file__).parent / "data"
MARKER = re.compile(r"#.*\b(RG\d{3})\b")
SETTINGS = re.compile(r"^# settings: (\{.*\})$", re.M)
RULES = {rule.code: rule for rule in BUILTIN_RULES}


def data_files() -> list[Path]:
    return sorted(DATA.glob("rg[0-9][0-9][0-9]_*.py"))


@pytest.mark.parametrize("path", data_files(), ids=lambda p: p.stem)
def test_data_file_flags_exactly_the_marked_lines(path: Path) -> None:
    code = path.name[:5].upper()
    rule = RULES[code]
    source = path.read_text(encoding="utf-8")
    found = SETTINGS.search(source)
    settings = settings_from_table(json.loads(found.group(1)) if found else {})
    index = parse_module(path.read_bytes(), str(path))
    context, unmatched = build_context(index, rule, (), settings, SourceProject([DATA]))
    assert unmatched == []
    flagged = {
        v.line for v in rule().check(context) if v.path == str(path) and not ignored(index, v.line, rule)
    }
    expected = {
        number
        for number, line in enumerate(index.lines, start=1)
        if code in MARKER.findall(line) and "ignore[" not in line
    }
    assert sorted(flagged) == sorted(expected)
