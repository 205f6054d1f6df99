"""``--reviewgate-triage`` in real sessions: each verdict with its evidence, JSON, SARIF, JUnit, xdist."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

SCHEMA = Path(__file__).resolve().parent.parent / "data" / "sarif-schema-2.1.0.json"

BASE = '''\
"""A base class whose setUp installs a config fixture and whose flags() overrides under it."""
import testtools
from oslo_config import cfg
from oslo_config import fixture as config_fixture

CONF = cfg.CONF


class Base(testtools.TestCase):
    def setUp(self):
        super().setUp()
        self.useFixture(config_fixture.Config(CONF))

    def flags(self, **values):
        for name, value in values.items():
            CONF.set_override(name, value)
'''

MODULE = '''\
"""Tests of a shop."""
import os
import tempfile
import uuid
from unittest import mock

import pytest
from oslo_config import cfg

import shop_base

CONF = cfg.CONF


class TestShop(shop_base.Base):
    def test_region(self):
        self.flags(region="south")
        self.assertEqual("south", CONF.region)

    def test_region_under_fixture(self):
        CONF.set_override("region", "south")
        self.assertEqual("south", CONF.region)

    def test_plain(self):
        self.assertEqual(4, 2 + 2)


def test_region_leaks():
    CONF.set_override("region", "south")
    assert CONF.region == "south"


def test_env(monkeypatch):
    monkeypatch.setenv("SHOP_HOME", "/srv")
    assert os.environ["SHOP_HOME"] == "/srv"


def test_fresh_id():
    order = str(uuid.uuid4())
    assert len(order) == 36


def test_fixed_id():
    order = "6f1c2a1e-8d4b-4f0e-9a7e-2b1d3c4e5f60"
    assert order


def test_parse():
    with pytest.raises(ValueError):
        int("x")


@mock.patch("os.getcwd", return_value="/srv")
def test_patched(getcwd):
    assert os.getcwd() == "/srv"


def test_tmp():
    with tempfile.TemporaryDirectory() as folder:
        assert os.path.isdir(folder)


def test_swap(monkeypatch):
    monkeypatch.setattr(os, "sep", "|")
    assert os.sep == "|"


def test_leaky_patch():
    mock.patch("os.getpid").start()
    os.getpid()
'''

REVIEW = """\
Review of test_shop.py

1. **Global State Manipulation**: `test_region`
   - `test_region` changes the configuration, and the change persists into other tests.

2. **Configuration leak**: `test_region_leaks`
   - The override set in `test_region_leaks` is never reverted and leaks into later tests.

3. **Environment**: `test_env`
   - `test_env` sets environment variables that leak into subsequent tests.

4. **Identifiers of orders**: `test_fresh_id`
   - The order UUID in `test_fresh_id` is hard-coded.

5. **Fixed identifiers**: `test_fixed_id`
   - The order UUID in `test_fixed_id` is hard-coded.

6. **Weak test**: `test_region`
   - `test_region` does not assert the result.

7. **Happy path only**: `test_parse`
   - Only the happy path is tested; error scenarios are untested.

8. **Mock hygiene**: `test_patched`
   - The patch in `test_patched` is never stopped and remains active in later tests.

9. **Temporary files**: `test_tmp`
   - The temporary directory of `test_tmp` is never cleaned up.

10. **Monkeypatching**: `test_swap`
   - `test_swap` monkeypatches `os.sep` and the attribute persists into other tests.

11. **Access control**: `test_plain`
   - There is no access control check, so an unauthorized user could run it.

12. **Configuration**: `test_plain`
   - The test does not leak configuration.

13. **Stray configuration**: `test_plain`
   - `test_plain` changes the configuration and the change persists into other tests.

14. **Leaky patch**: `test_leaky_patch`
   - The patcher of `test_leaky_patch` is never stopped, and the test does not assert the result.

15. **Override**: `test_region_under_fixture`
   - The override in `test_region_under_fixture` is never reverted and leaks into later tests.
"""

PYPROJECT = "[tool.reviewgate]\n"


@pytest.fixture
def shop(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makepyfile(shop_base=BASE, test_shop=MODULE)
    pytester.makefile(".review.txt", test_shop=REVIEW)
    pytester.makepyprojecttoml(PYPROJECT)
    return pytester


def verdicts(pytester: pytest.Pytester, name: str = "triage.json") -> dict[str, dict[str, Any]]:
    document = json.loads((pytester.path / name).read_text(encoding="utf-8"))
    return {entry["finding"]: entry for entry in document["findings"]}


def texts(entry: dict[str, Any]) -> str:
    return "\n".join(e["text"] for e in entry["evidence"])


def test_each_verdict_with_its_evidence(shop: pytest.Pytester) -> None:
    result = shop.runpytest("--reviewgate-triage", "--reviewgate-triage-json", "triage.json")
    found = verdicts(shop)
    assert {k: v["verdict"] for k, v in found.items()} == {
        "1": "refuted", "2": "confirmed", "3": "refuted", "4": "refuted", "5": "confirmed", "6": "refuted",
        "7": "refuted", "8": "refuted", "9": "refuted", "10": "refuted", "11": "not-checkable", "12": "clean",
        "13": "refuted", "14": "confirmed", "15": "refuted",
    }
    fixture = "the config fixture `config_fixture.Config` that `Base.setUp` installs (shop_base.py:12)"
    assert f"changes go through `self.flags` (line 17), reverted by {fixture}" in texts(found["1"])
    assert found["2"]["evidence"][0]["line"] == 29
    assert "RG101 config-reverted-via-fixtures" in texts(found["2"])
    assert "`monkeypatch.setenv` (line 34), a fixture undone" in texts(found["3"])
    assert "generated by `uuid.uuid4()` (line 39)" in texts(found["4"])
    assert "RG302" in texts(found["5"])
    assert "`test_region` asserts with `self.assertEqual(...)` (line 18)" in texts(found["6"])
    assert "`test_parse` expects a failure with `pytest.raises(...)` (line 49)" in texts(found["7"])
    assert "`mock.patch` (line 53) is a decorator, undone when the test ends" in texts(found["8"])
    assert "released by its `with` block (line 59)" in texts(found["9"])
    assert "`monkeypatch.setattr` (line 64) is a fixture" in texts(found["10"])
    assert found["11"]["subjects"] == ["access-control"]
    assert "access control" in found["11"]["reason"]
    assert "no configuration change in `TestShop.test_plain` (lines 24-25)" in texts(found["13"])
    assert found["14"]["rules"] == ["mocks-undone", "tests-assert"]
    assert "RG201 mocks-undone" in texts(found["14"])
    assert "RG303 tests-assert" in texts(found["14"])
    assert found["1"]["runtime"] == ["config-restored: checkable when the tests run"]
    assert f"`CONF.set_override(...)` (line 21) is reverted by {fixture}" in texts(found["15"])
    result.stdout.fnmatch_lines([
        "triage: 15 findings: 3 confirmed, 10 refuted, 1 not checkable, 1 clean",
        "test_shop.review.txt:3: finding 1 (Global State Manipulation): refuted [[]config-reverted-via-fixtures[]]",
        "    config-reverted-via-fixtures passes on `TestShop.test_region` (lines 16-18)",
        "    test_shop.py:17: changes go through `self.flags` (line 17), reverted by the config fixture*",
        "    config-restored: checkable when the tests run",
    ])
    result.stdout.fnmatch_lines(["test_shop.review.txt:33: finding 11 (Access control): not checkable"])


def test_triage_runs_the_review_items_only(shop: pytest.Pytester) -> None:
    result = shop.runpytest("--reviewgate-triage")
    outcomes = result.parseoutcomes()
    assert "test_shop.py" not in result.stdout.str().split("reviewgate ===")[0]
    assert outcomes.get("passed", 0) + outcomes.get("failed", 0) == len(shop.runpytest(
        "--reviewgate-only", "--collect-only", "-q").stdout.lines) - 2


def test_json_shape(shop: pytest.Pytester) -> None:
    shop.runpytest("--reviewgate-triage-json", "out/triage.json")  # the JSON alone also triages
    document = json.loads((shop.path / "out" / "triage.json").read_text(encoding="utf-8"))
    assert document["version"] == 1
    assert document["counts"] == {"confirmed": 3, "refuted": 10, "not-checkable": 1, "clean": 1}
    entry = document["findings"][0]
    assert set(entry) == {"review", "finding", "line", "title", "verdict", "rules", "subjects", "runtime", "reason",
                          "evidence"}
    assert entry["review"] == "test_shop.review.txt"
    assert entry["line"] == 3
    assert all(set(e) == {"file", "line", "text"} for e in entry["evidence"])
    assert entry["evidence"][0]["file"] == "test_shop.py"


def test_sarif_results_validate_and_carry_the_verdict(shop: pytest.Pytester) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    shop.runpytest("--reviewgate-triage", "--reviewgate-sarif", "out.sarif")
    log = json.loads((shop.path / "out.sarif").read_text(encoding="utf-8"))
    jsonschema.validate(log, json.loads(SCHEMA.read_text(encoding="utf-8")))
    run = log["runs"][0]
    triaged = [r for r in run["results"] if r["ruleId"] == "triage"]
    assert len(triaged) == 15
    first = triaged[0]
    assert first["kind"] == "informational"
    assert first["level"] == "none"
    assert first["properties"]["reviewgate/triage"] == "refuted"
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "test_shop.review.txt"
    assert location["region"]["startLine"] == 3
    assert run["tool"]["driver"]["rules"][first["ruleIndex"]]["id"] == "triage"


def test_junit_carries_the_verdicts(shop: pytest.Pytester) -> None:
    shop.runpytest("--reviewgate-triage", "--junitxml", "junit.xml")
    tree = ET.parse(shop.path / "junit.xml")
    values = [p.get("value") or "" for p in tree.iter("property") if p.get("name") == "reviewgate:triage"]
    assert len(values) == 1
    data = json.loads(values[0])  # JSON, not a Python repr; paths relative to the rootdir
    assert data["review"] == "test_shop.review.txt"
    assert "confirmed" in {e["verdict"] for e in data["entries"]}
    files = {e["file"] for entry in data["entries"] for e in entry["evidence"]}
    assert files
    assert all(not Path(f).is_absolute() for f in files)


def test_xdist_gives_the_same_triage(shop: pytest.Pytester) -> None:
    pytest.importorskip("xdist")
    shop.makefile(".review.txt", test_other=REVIEW.replace("test_shop.py", "test_other.py"))
    shop.makepyfile(test_other=MODULE)
    single = shop.runpytest("--reviewgate-triage", "--reviewgate-triage-json", "one.json")
    double = shop.runpytest("--reviewgate-triage", "--reviewgate-triage-json", "two.json", "-n", "2")

    def section(result: pytest.RunResult) -> list[str]:
        lines = result.stdout.lines
        start = next(i for i, line in enumerate(lines) if line.startswith("triage: "))
        return [line for line in lines[start:] if not line.startswith(("triage written", "=", "SARIF"))]

    assert section(single) == section(double)
    assert section(single)[0] == "triage: 30 findings: 6 confirmed, 20 refuted, 2 not checkable, 2 clean"
    assert verdicts(shop, "one.json") == verdicts(shop, "two.json") or (
        json.loads((shop.path / "one.json").read_text()) == json.loads((shop.path / "two.json").read_text())
    )


def test_suggest_proposes_expect_for_confirmed_and_closed_for_refuted(shop: pytest.Pytester) -> None:
    result = shop.runpytest("--reviewgate-suggest")
    result.stdout.fnmatch_lines([
        "test_shop.review.txt:4: finding 1 (Global State Manipulation) is refuted; add after line 4:",
        "    status: closed",
        "    expect: config-reverted-via-fixtures",
        "    # refuted: changes go through `self.flags` (line 17)*",
    ])
    result.stdout.fnmatch_lines([
        "test_shop.review.txt:7: finding 2 (Configuration leak) is confirmed; add after line 7:",
        "    status: open",
        "    expect: config-reverted-via-fixtures",
        "    # fails today: RG101 config-reverted-via-fixtures: `CONF.set_override('region', ...)`*",
    ])
    assert "finding 11" not in result.stdout.str()  # not checkable: nothing to suggest
    assert "finding 12" not in result.stdout.str()  # clean


def test_a_missing_module_leaves_the_text_to_decide(pytester: pytest.Pytester) -> None:
    pytester.makefile(".review.txt", test_gone="Review\n\n1. **Leak**: `test_a`\n"
                      "   - Configuration changes persist into other tests.\n\n"
                      "2. **Fine**: `test_a`\n   - The test does not leak configuration.\n")
    pytester.makepyprojecttoml(PYPROJECT)
    result = pytester.runpytest("--reviewgate-triage")
    result.stdout.fnmatch_lines([
        "triage: 2 findings: 0 confirmed, 0 refuted, 1 not checkable, 1 clean",
        "test_gone.review.txt:3: finding 1 (Leak): not checkable",
        "    the reviewed module test_gone.py does not exist",
        "    config-restored: checkable when the tests run",
    ])
