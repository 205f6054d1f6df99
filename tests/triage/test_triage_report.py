"""The pure parts of triage's outputs: ordering, counts, terminal lines, JSON document, SARIF results."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pytest_reviewgate.integration.properties import is_triage
from pytest_reviewgate.report import triage
from pytest_reviewgate.rules.base import Context, Evidence, Rule


def entry(finding: str, line: int, verdict: str, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "review": "test_a.review.txt", "finding": finding, "line": line, "title": f"T{finding}",
        "verdict": verdict, "rules": [], "subjects": [], "runtime": [], "reason": "", "evidence": [],
    }
    data.update(extra)
    return data


def test_each_finding_once_in_review_order() -> None:
    entries = [entry("2", 9, "clean"), entry("1", 3, "refuted"), entry("2", 9, "clean")]
    assert [e["finding"] for e in triage.ordered(entries)] == ["1", "2"]


def test_lines_start_with_the_counts_and_show_the_evidence(tmp_path: Path) -> None:
    evidence = [{"file": str(tmp_path / "test_a.py"), "line": 17, "text": "changes go through `self.flags`"}]
    found = [entry("1", 3, "refuted", rules=["config-reverted-via-fixtures"], reason="passes", evidence=evidence),
             entry("2", 9, "not-checkable", reason="no rule covers access control")]
    assert triage.lines(found, tmp_path) == [
        "triage: 2 findings: 0 confirmed, 1 refuted, 1 not checkable, 0 clean",
        "test_a.review.txt:3: finding 1 (T1): refuted [config-reverted-via-fixtures]",
        "    passes",
        "    test_a.py:17: changes go through `self.flags`",
        "test_a.review.txt:9: finding 2 (T2): not checkable",
        "    no rule covers access control",
    ]


def test_the_document_counts_every_verdict(tmp_path: Path) -> None:
    document = triage.document([entry("1", 3, "confirmed")], tmp_path)
    assert document["counts"] == {"confirmed": 1, "refuted": 0, "not-checkable": 0, "clean": 0}
    assert document["findings"][0]["verdict"] == "confirmed"


def test_sarif_results_are_informational_at_the_finding(tmp_path: Path) -> None:
    (result,) = triage.sarif_results([entry("1", 3, "clean")], tmp_path, tmp_path)
    assert (result["kind"], result["level"]) == ("informational", "none")
    assert result["properties"]["reviewgate/triage"] == "clean"
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 3}


def test_the_property_check_takes_only_well_formed_verdicts() -> None:
    assert is_triage({"review": "r", "entries": [entry("1", 3, "clean")]})
    assert not is_triage({"review": "r", "entries": [{**entry("1", 3, "clean"), "line": "3"}]})
    assert not is_triage({"review": "r", "entries": [entry("1", 3, "clean", evidence=[{"file": 1}])]})
    assert not is_triage(["not", "a", "dict"])


def test_a_rule_without_evidence_gives_none() -> None:
    class Quiet(Rule):
        """Quiet."""

    assert list(Quiet().evidence(Context.__new__(Context))) == []
    assert Evidence("a.py", 1, "x").text == "x"
