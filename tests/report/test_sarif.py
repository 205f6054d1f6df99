"""SARIF 2.1.0 output: schema-valid, stable fingerprints, suppressions, CWE tags."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest

from pytest_reviewgate.model import Violation
from pytest_reviewgate.report.sarif import (
    FINGERPRINT,
    ResultInfo,
    RuleInfo,
    build_sarif,
    write_sarif,
)

SCHEMA = json.loads((Path(__file__).parent.parent / "data" / "sarif-schema-2.1.0.json").read_text())
# This copy keeps the log's own schema in definitions/Root and leaves the top
# level empty, which would accept anything: validate against Root explicitly.
if "Root" in SCHEMA["definitions"]:
    SCHEMA["allOf"] = [{"$ref": "#/definitions/Root"}]

DOCS = """Check that config changes are undone.

## What it does
Reports configuration   changes
that nothing reverts.

## Why is this bad?
They leak into later tests.
"""

RULES = [
    RuleInfo("RG001", "anchors-resolve", "Anchors point at real code", "", None, "error"),
    RuleInfo(
        "RG101", "config-reverted-via-fixtures", "Config changes are reverted", DOCS, 664, "error"
    ),
]
MESSAGE = "assigning `CONF.host` persists -> use `self.flags(host=...)`"


def _result(line: int = 186, **kw: Any) -> ResultInfo:
    v = Violation(
        rule=kw.pop("rule", "RG101"),
        message=kw.pop("message", MESSAGE),
        path=kw.pop("path", "tests/test_vgpu.py"),
        line=line,
        definition=kw.pop("definition", "VGPUTests._confirm_resize"),
        source=kw.pop("source", "CONF.host = 'x'"),
        suppressed=kw.pop("suppressed", ""),
    )
    fields: dict[str, Any] = {
        "review_path": "tests/test_vgpu.review.txt",
        "finding_line": 12,
        "finding_title": "Config leak",
        "finding_key": "3",
        "level": "error",
    }
    fields.update(kw)
    return ResultInfo(violation=v, **fields)


def _build(*results: ResultInfo, root: str = "/src/project") -> dict[str, Any]:
    return build_sarif(RULES, list(results), tool_version="0.2.0", root=root)


def _validate(log: dict[str, Any]) -> None:
    validator_class = jsonschema.validators.validator_for(SCHEMA)
    assert validator_class is jsonschema.Draft7Validator
    validator_class.check_schema(SCHEMA)
    validator_class(SCHEMA).validate(log)


def _prints(log: dict[str, Any]) -> list[str]:
    return [r["partialFingerprints"][FINGERPRINT] for r in log["runs"][0]["results"]]


def test_a_log_with_every_kind_of_result_is_valid_sarif() -> None:
    log = _build(
        _result(),
        _result(suppressed="ignore"),
        _result(suppressed="baseline", level="warning"),
        _result(suppressed="open", level="note"),
        _result(line=0, rule="RG999", definition="", source=""),
        _result(line=40, rule="RG001", path="tests/test_vgpu.review.txt", source="lines 85-101"),
        _result(path="/elsewhere/test_x.py"),
    )
    _validate(log)
    _validate(_build())
    assert log["version"] == "2.1.0"
    assert "sarif-schema-2.1.0.json" in log["$schema"]
    assert len(log["runs"]) == 1


def test_the_schema_check_catches_an_invalid_log() -> None:
    log = _build(_result())
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    with pytest.raises(jsonschema.ValidationError, match="less than the minimum"):
        _validate(log)
    with pytest.raises(jsonschema.ValidationError, match="'runs' is a required property"):
        _validate({"version": "2.1.0"})


def test_a_result_carries_message_location_and_the_finding_as_related_location() -> None:
    result = _build(_result())["runs"][0]["results"][0]
    assert result["ruleId"] == "RG101"
    assert result["ruleIndex"] == 1
    assert result["level"] == "error"
    assert result["message"] == {"text": MESSAGE}
    physical = result["locations"][0]["physicalLocation"]
    assert physical == {
        "artifactLocation": {"uri": "tests/test_vgpu.py", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 186},
    }
    assert result["locations"][0]["logicalLocations"] == [
        {"fullyQualifiedName": "VGPUTests._confirm_resize"}
    ]
    related = result["relatedLocations"][0]
    assert related["physicalLocation"]["artifactLocation"]["uri"] == "tests/test_vgpu.review.txt"
    assert related["physicalLocation"]["region"] == {"startLine": 12}
    assert related["message"] == {"text": "review finding 3: Config leak"}
    assert "suppressions" not in result


def test_review_integrity_results_are_located_in_the_review() -> None:
    res = _result(line=40, rule="RG001", path="tests/test_vgpu.review.txt")
    loc = _build(res)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "tests/test_vgpu.review.txt"
    assert loc["region"] == {"startLine": 40}


def test_paths_become_forward_slash_uris_relative_to_the_root(tmp_path: Path) -> None:
    root = tmp_path / "my project"
    log = _build(
        _result(path=str(root / "tests" / "test a.py")),
        _result(path=str(tmp_path / "outside.py")),
        root=str(root),
    )
    first, second = (r["locations"][0]["physicalLocation"] for r in log["runs"][0]["results"])
    assert first["artifactLocation"] == {"uri": "tests/test%20a.py", "uriBaseId": "%SRCROOT%"}
    assert second["artifactLocation"] == {"uri": "../outside.py", "uriBaseId": "%SRCROOT%"}
    assert str(tmp_path) not in json.dumps(log)  # no absolute path of the machine, anywhere
    _validate(log)


def test_rules_carry_what_github_code_scanning_reads() -> None:
    log = _build(_result())
    run = log["runs"][0]
    assert run["automationDetails"] == {"id": "reviewgate/"}
    for rule in run["tool"]["driver"]["rules"]:
        properties = rule["properties"]
        assert "security" in properties["tags"]
        assert properties["precision"] in ("very-high", "high", "medium", "low")
        assert 0.1 <= float(properties["security-severity"]) <= 10.0
        assert rule["helpUri"].endswith("#" + rule["id"].lower())
    cwe_tags = [t for r in run["tool"]["driver"]["rules"] for t in r["properties"]["tags"] if t.startswith("external/")]
    assert "external/cwe/cwe-664" in cwe_tags
    _validate(log)


def test_open_findings_are_notes_marked_as_such_or_left_out() -> None:
    results = (_result(suppressed="open"), _result(line=200, source="other()"))
    noted = build_sarif(RULES, list(results), tool_version="0.2.0", root="/src/project")["runs"][0]["results"]
    assert [r["level"] for r in noted] == ["note", "error"]
    assert noted[0]["properties"] == {"reviewgate/suppressed": "open"}
    omitted = build_sarif(RULES, list(results), tool_version="0.2.0", root="/src/project", open_findings="omit")
    assert [r["level"] for r in omitted["runs"][0]["results"]] == ["error"]


def test_review_rule_results_name_no_logical_location() -> None:
    log = _build(_result(rule="RG001", definition="3", path="tests/test_vgpu.review.txt"))
    assert "logicalLocations" not in log["runs"][0]["results"][0]["locations"][0]


def test_fingerprints_do_not_change_when_the_violation_moves_lines() -> None:
    before = _prints(_build(_result(line=186), _result(line=300, source="other()")))
    after = _prints(_build(_result(line=190), _result(line=410, source="other()")))
    assert before == after
    assert before[0] != before[1]


def test_fingerprints_ignore_whitespace_but_not_the_code_rule_or_definition() -> None:
    [base] = _prints(_build(_result()))
    assert _prints(_build(_result(source="CONF.host   = 'x'"))) == [base]
    assert _prints(_build(_result(source="CONF.host = 'y'"))) != [base]
    assert _prints(_build(_result(rule="RG103"))) != [base]
    assert _prints(_build(_result(definition="VGPUTests.setUp"))) != [base]
    assert _prints(_build(_result(finding_key="4"))) != [base]


def test_repeated_lines_in_one_definition_get_distinct_stable_fingerprints() -> None:
    prints = _prints(_build(_result(line=10), _result(line=20)))
    assert len(set(prints)) == 2
    # The order of the results does not matter, the order of the lines does.
    assert _prints(_build(_result(line=25), _result(line=12))) == prints[::-1]


def test_without_a_source_line_numbers_in_the_message_do_not_move_the_fingerprint() -> None:
    def rg001(msg: str, line: int) -> ResultInfo:
        return _result(line=line, rule="RG001", source="", message=msg)

    a = _prints(_build(rg001("`_create_mdev` is at lines 98-113, the review says 85-101", 40)))
    b = _prints(_build(rg001("`_create_mdev` is at lines 99-114, the review says 85-101", 40)))
    c = _prints(_build(rg001("`_start` no longer exists", 40)))
    assert a == b != c


@pytest.mark.parametrize(
    ("suppressed", "kind", "justification"),
    [
        ("ignore", "inSource", "reviewgate: ignore"),
        ("baseline", "external", "baseline"),
        ("open", "external", "open in review finding 3"),
    ],
)
def test_suppressed_results_carry_their_suppression(
    suppressed: str, kind: str, justification: str
) -> None:
    result = _build(_result(suppressed=suppressed))["runs"][0]["results"][0]
    [suppression] = result["suppressions"]
    assert suppression["kind"] == kind
    assert suppression["status"] == "accepted"
    assert justification in suppression["justification"]


def test_rules_come_from_their_docs_with_cwe_tags() -> None:
    driver = _build()["runs"][0]["tool"]["driver"]
    assert driver["name"] == "pytest-reviewgate"
    assert driver["version"] == "0.2.0"
    rg001, rg101 = driver["rules"]
    assert rg101["id"] == "RG101"
    assert rg101["name"] == "config-reverted-via-fixtures"
    assert rg101["shortDescription"] == {"text": "Config changes are reverted"}
    what = "Reports configuration changes that nothing reverts."
    assert rg101["fullDescription"] == {"text": what}
    assert rg101["help"]["markdown"] == DOCS
    assert rg101["defaultConfiguration"] == {"level": "error"}
    assert "external/cwe/cwe-664" in rg101["properties"]["tags"]
    assert not any(t.startswith("external/cwe") for t in rg001["properties"]["tags"])
    assert rg001["fullDescription"] == {"text": "Anchors point at real code"}
    assert "help" not in rg001


def test_a_result_of_an_unlisted_rule_has_no_rule_index() -> None:
    result = _build(_result(rule="RG999"))["runs"][0]["results"][0]
    assert result["ruleId"] == "RG999"
    assert "ruleIndex" not in result


def test_write_sarif_writes_utf8_json_creating_directories(tmp_path: Path) -> None:
    log = _build(_result(message="naïve `CONF` -> fix"))
    out = tmp_path / "reports" / "reviewgate.sarif"
    assert write_sarif(out, log).status == "written"
    assert json.loads(out.read_text(encoding="utf-8")) == log
    assert "naïve" in out.read_text(encoding="utf-8")
    stray = replace(_result(), finding_key="x")
    assert write_sarif(out, _build(stray)).status == "written"
    assert [p.name for p in out.parent.iterdir()] == ["reviewgate.sarif"]
