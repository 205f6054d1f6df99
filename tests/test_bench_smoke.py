"""The benchmark in bench/ works: its corpus parses and covers every static rule, and one tiny run
of ``bench/run.py --quick`` fills the table. No timing is asserted: timings belong to the benchmark."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
STATIC_RULES = {
    "RG101": "config-reverted-via-fixtures", "RG102": "env-reverted-via-fixtures",
    "RG103": "no-unreverted-monkeypatch", "RG201": "mocks-undone", "RG202": "mocks-autospecced",
    "RG203": "patch-targets-exist", "RG301": "cleanup-registered", "RG302": "no-hardcoded-uuids",
    "RG303": "tests-assert", "RG304": "error-paths-tested",
}


@pytest.fixture
def bench(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> object:
    monkeypatch.syspath_prepend(str(BENCH))
    for name in [m for m in sys.modules if m in ("run", "suite", "measure", "corpus", "report", "linearity")]:
        monkeypatch.delitem(sys.modules, name)
    import measure

    monkeypatch.setitem(measure.ENV, "PYTHONPYCACHEPREFIX", str(tmp_path / "pycache"))
    return measure


def test_corpus_parses_and_its_reviews_expect_every_static_rule_with_and_without_targets(
    bench: object, tmp_path: Path
) -> None:
    import corpus

    made = corpus.generate(tmp_path / "corpus", modules=40, seed=2024)

    assert len(made.modules) == len(made.reviews) == 40
    for path in [*made.modules, *(tmp_path / "corpus").rglob("conftest.py"), *(tmp_path / "corpus").rglob("base.py")]:
        ast.parse(path.read_bytes(), str(path))
    names = {name: code for code, name in STATIC_RULES.items()}
    seen: set[tuple[str, bool]] = set()
    for review in made.reviews:
        for match in re.finditer(r"^\s*expect: (.*)$", review.read_text(), re.M):
            rules, _, targets = match[1].partition(" on ")
            seen.update((names.get(rule, rule), bool(targets)) for rule in rules.split(", "))
    assert {(code, on) for code in STATIC_RULES for on in (True, False)} <= seen
    again = corpus.generate(tmp_path / "again", modules=40, seed=2024)
    assert [p.read_bytes() for p in again.reviews] == [p.read_bytes() for p in made.reviews]


def test_quick_run_fills_the_table_and_writes_latest_md(bench: object, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    import run
    import suite

    assert run.main(["--quick", "--only", "static", "--modules", "4", "--out", str(tmp_path / "out")]) == 0

    text = (tmp_path / "out" / "latest.md").read_text()
    assert "CPU: " in text
    assert "Python " in text
    for row in ("floor: read + ast.parse", "analysis, cold", "whole `--reviewgate-only", "whole run, warm",
                "cold run, collection"):
        assert row in text
    assert re.search(r"analysis, cold.*\| (pass|MISS) \|", text)
    assert text in capsys.readouterr().out
    parser = suite.parser((300, 3000), batch=0.002)
    assert {row.verdict for row in parser.rows} <= {"pass", "MISS"}
    assert len(parser.rows) >= 10
