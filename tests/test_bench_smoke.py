"""The benchmark in bench/ works: its corpus parses and covers every static rule, one tiny run of
``bench/run.py --quick`` fills the table, and the real-suite path runs on a tiny wheel built here
(nothing is downloaded). No timing is asserted: timings belong to the benchmark."""

from __future__ import annotations

import ast
import re
import sys
import zipfile
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
    bench_modules = ("run", "suite", "measure", "corpus", "report", "linearity", "realsuite", "realmeasure", "sites")
    for name in [m for m in sys.modules if m in bench_modules]:
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


TINY = {
    "tinyproj/__init__.py": "",
    "tinyproj/test.py": '''"""Base class of the tiny suite."""
from unittest import mock

import testtools


class TestCase(testtools.TestCase):
    def setUp(self):
        super().setUp()

    def stub_clock(self):
        patcher = mock.patch("time.monotonic")
        return patcher.start()
''',
    "tinyproj/tests/__init__.py": "",
    "tinyproj/tests/unit/__init__.py": "",
    "tinyproj/tests/unit/test_alpha.py": '''from tinyproj import test


class AlphaTest(test.TestCase):
    def test_clock(self):
        clock = self.stub_clock()
        self.assertIsNotNone(clock)

    def test_nothing(self):
        value = "6f1c3b9e-2a44-4f0e-9a57-0c3d1b2e4f5a"
        len(value)
''',
    "tinyproj/tests/unit/test_beta.py": '''from tinyproj import test


class BetaTest(test.TestCase):
    def test_sum(self):
        self.assertEqual(2, 1 + 1)
''',
    "tinyproj/tests/unit/helpers.py": "def test_not_a_module_of_tests_but_a_helper():\n    return 1\n",
}


def test_real_suite_path_runs_on_a_local_wheel_and_locates_sites_outside_the_reviewed_module(
    bench: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import realsuite
    import run

    wheel = tmp_path / "tinyproj-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for name, text in TINY.items():
            archive.writestr(name, text)
    monkeypatch.setitem(realsuite.SUITES, "tinyproj",
                        realsuite.Suite("tinyproj", "1.0", "tinyproj", ("tinyproj.test.TestCase",)))

    def no_download(*args: object) -> Path:
        raise AssertionError("the smoke test must not download")

    monkeypatch.setattr(realsuite, "fetch_wheel", no_download)
    out = tmp_path / "out"

    assert run.main(["--suite", "tinyproj", "--wheel", str(wheel), "--out", str(out), "--only", "static"]) == 0

    root = out / "suites" / "tinyproj-1.0"
    reviews = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.review.txt"))
    assert reviews == ["tinyproj/tests/unit/test_alpha.review.txt", "tinyproj/tests/unit/test_beta.review.txt"]
    expect = re.search(r"^expect: (.*)$", (root / reviews[0]).read_text(), re.M)
    assert expect is not None
    assert expect[1].split(", ") == list(STATIC_RULES.values())
    assert 'reverting-bases = ["tinyproj.test.TestCase"]' in (root / "pyproject.toml").read_text()
    text = (out / "tinyproj-latest.md").read_text()
    assert text in capsys.readouterr().out
    for row in (r"floor: read \+ ast.parse of the 2 reviewed modules", r"pytest alone: 22 trivial test functions",
                r"analysis, cold: .*\| <= 2.5x floor \| (pass|MISS) \|",
                r"whole `pytest -p reviewgate --reviewgate-only -q --cache-clear` run, cold.*\| (pass|MISS) \|",
                r"whole run, warm .*same SARIF results as cold.*\| <= 0.3x cold \| (pass|MISS) \|",
                r"items of the cold run \| 22: 18 passed, 4 failed", r"\| anomalies .*\| none \| none \| pass \|",
                r"\| RG202 mocks-autospecced \| 0 of 2 \| 1 \| 1 \| 1 \| tinyproj/test.py \(1\) \|",
                r"\| RG302 no-hardcoded-uuids \| 1 of 2 \| 1 \| 1 \| 0 \|  \|",
                r"\| RG304 error-paths-tested \| 2 of 2 \| 2 \| 2 \| 0 \|  \|"):
        assert re.search(row, text), row
    tsv = (out / "tinyproj-sites.tsv").read_text().splitlines()
    assert tsv[0] == "rule\tfile\tline\tmessage\treviews\toutside"
    rows = {tuple(line.split("\t")[:3]) + tuple(line.split("\t")[4:]) for line in tsv[1:]}
    assert ("RG202", "tinyproj/test.py", "12", "1", "yes") in rows
    assert ("RG302", "tinyproj/tests/unit/test_alpha.py", "10", "1", "no") in rows

    assert run.main(["--suite", "tinyproj", "--wheel", str(wheel), "--out", str(out), "--rules",
                     "--sample", "1", "--seed", "7"]) == 0

    printed = capsys.readouterr().out
    assert "pytest alone" not in printed
    assert "## RG202: 1 of 1 sites (seed 7)" in printed
    assert "tinyproj/test.py:12 (outside the reviewed module, reported for 1 review(s))" in printed
    assert re.search(r"^  >    12          patcher = mock.patch\(\"time.monotonic\"\)$", printed, re.M)
    assert re.search(r"^        9          super\(\).setUp\(\)$", printed, re.M)
