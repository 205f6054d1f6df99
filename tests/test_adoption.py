"""SARIF, baseline, fix, pin, suggest and the cache, end to end on real files."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import jsonschema  # type: ignore[import-untyped]
import pytest

SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"

MODULE = """\
from oslo_config import cfg

CONF = cfg.CONF


class TestRegion:
    def _switch_region(self, region):
        CONF.set_override("region", region)

    def test_region(self):
        switch = False  # statically a call; never run, so this process's CONF stays clean
        if switch:
            self._switch_region("north")
        assert True
"""

REVIEW = """\
Review of test_region.py

1. **Global State Manipulation (CWE-664)**: lines 7-8
   - `_switch_region` calls `CONF.set_override` and nothing reverts it.
   expect: config-reverted-via-fixtures

2. **Stale (CWE-703)**: line 40
   - `test_region` asserts a constant.
"""


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makepyfile(test_region=MODULE)
    pytester.makefile(".review.txt", test_region=REVIEW)
    return pytester


def _validate(log: dict[str, object]) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    # the published schema keeps the log's root under definitions/Root
    schema = dict(schema, allOf=[{"$ref": "#/definitions/Root"}]) if "Root" in schema.get("definitions", {}) else schema
    jsonschema.Draft7Validator(schema).validate(log)


def test_sarif_has_one_result_per_violation_located_in_module_and_review(project: pytest.Pytester) -> None:
    result = project.runpytest("--reviewgate-sarif", "out/report.sarif")
    # passed: the test, ::review, ::cwe-known, finding-1::anchors; failed: RG101 and finding-2's stale line
    result.assert_outcomes(passed=4, failed=2)
    log = json.loads((project.path / "out" / "report.sarif").read_text(encoding="utf-8"))
    _validate(log)
    results = log["runs"][0]["results"]
    by_rule = {r["ruleId"]: r for r in results}
    assert sorted(by_rule) == ["RG001", "RG101"]
    static = by_rule["RG101"]["locations"][0]["physicalLocation"]
    assert static["artifactLocation"]["uri"] == "test_region.py"
    assert static["region"]["startLine"] == 8
    review = by_rule["RG001"]["locations"][0]["physicalLocation"]
    assert review["artifactLocation"]["uri"] == "test_region.review.txt"
    related = by_rule["RG101"]["relatedLocations"][0]["physicalLocation"]
    assert related["artifactLocation"]["uri"] == "test_region.review.txt"
    assert related["region"]["startLine"] == 3
    rules = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    assert "external/cwe/cwe-664" in rules["RG101"]["properties"]["tags"]
    terminal = f"test_region.py:8 in TestRegion._switch_region: {by_rule['RG101']['message']['text']}"
    result.stdout.fnmatch_lines([f"*{terminal}"])


def test_sarif_is_complete_under_xdist(project: pytest.Pytester) -> None:
    project.runpytest("-n", "2", "--reviewgate-sarif", "report.sarif").assert_outcomes(passed=4, failed=2)
    log = json.loads((project.path / "report.sarif").read_text(encoding="utf-8"))
    assert sorted(r["ruleId"] for r in log["runs"][0]["results"]) == ["RG001", "RG101"]


def test_sarif_fingerprints_survive_unrelated_lines_moving(project: pytest.Pytester) -> None:
    project.runpytest("--reviewgate-sarif", "a.sarif")
    project.makepyfile(test_region="# a comment\n" + MODULE)
    project.runpytest("--reviewgate-sarif", "b.sarif")

    def prints(name: str) -> list[object]:
        log = json.loads((project.path / name).read_text(encoding="utf-8"))
        return [r["partialFingerprints"] for r in log["runs"][0]["results"] if r["ruleId"] == "RG101"]

    assert prints("a.sarif") == prints("b.sarif")


def test_baseline_suppresses_known_violations_and_fails_only_new_ones(project: pytest.Pytester) -> None:
    project.runpytest("--reviewgate-baseline", "baseline.json", "--reviewgate-update-baseline")
    assert json.loads((project.path / "baseline.json").read_text(encoding="utf-8"))["violations"]
    result = project.runpytest("--reviewgate-baseline", "baseline.json", "-k", "config-reverted")
    result.assert_outcomes(passed=1, deselected=5)
    result.stdout.fnmatch_lines(["*suppressed: 0 ignored, 1 baseline"])
    project.makepyfile(test_region=MODULE.replace('region)\n', 'region)\n        CONF.set_override("zone", region)\n'))
    result = project.runpytest("--reviewgate-baseline", "baseline.json", "-k", "config-reverted")
    result.assert_outcomes(failed=1, deselected=5)
    result.stdout.fnmatch_lines(["*CONF.set_override*zone*"])


def test_fix_changes_only_the_digits_and_keeps_crlf_and_mode(project: pytest.Pytester) -> None:
    path = project.path / "test_region.review.txt"
    path.write_bytes(b"\xef\xbb\xbf" + REVIEW.replace("\n", "\r\n").encode())
    path.chmod(0o640)
    project.makepyfile(test_region="# one\n# two\n# three\n# four\n# five\n" + MODULE)
    result = project.runpytest("--reviewgate-fix")
    result.stdout.fnmatch_lines(["*test_region.review.txt written*"])
    expected = REVIEW.replace("lines 7-8", "lines 12-13").replace("line 40", "line 15").replace("\n", "\r\n").encode()
    assert path.read_bytes() == b"\xef\xbb\xbf" + expected
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    project.runpytest("-k", "finding-1 and anchors").assert_outcomes(passed=1, deselected=5)


def test_fix_follows_a_symlink_and_keeps_the_link(project: pytest.Pytester) -> None:
    real = project.path / "reviews" / "real.txt"
    real.parent.mkdir()
    (project.path / "test_region.review.txt").rename(real)
    os.symlink(real, project.path / "test_region.review.txt")
    project.makepyfile(test_region="# one\n# two\n# three\n# four\n" + MODULE)
    project.runpytest("--reviewgate-fix")
    assert (project.path / "test_region.review.txt").is_symlink()
    assert "lines 11-12" in real.read_text(encoding="utf-8")


def test_pin_writes_front_matter_and_a_changed_pinned_line_fails(project: pytest.Pytester) -> None:
    project.runpytest("--reviewgate-pin")
    text = (project.path / "test_region.review.txt").read_text(encoding="utf-8")
    assert text.startswith('---\npins:\n  "1/lines 7-8": "')
    assert text.endswith(REVIEW.strip())
    project.runpytest("-k", "finding-1 and anchors").assert_outcomes(passed=1, deselected=5)
    project.makepyfile(test_region="# moved\n" + MODULE)
    result = project.runpytest("-k", "finding-1 and anchors")
    result.assert_outcomes(failed=1, deselected=5)
    result.stdout.fnmatch_lines(["*the code pinned at lines 7-8 moved to lines 8-9 -> *"])


def test_suggest_prints_expect_lines_and_writes_nothing(project: pytest.Pytester) -> None:
    before = (project.path / "test_region.review.txt").read_bytes()
    project.makefile(".review.txt", test_region=REVIEW.replace("   expect: config-reverted-via-fixtures\n", ""))
    result = project.runpytest("--reviewgate-suggest")
    result.stdout.fnmatch_lines(
        [
            "test_region.review.txt:4: finding 1 (Global State Manipulation (CWE-664)) is confirmed; add after line 4:",
            "    expect: config-reverted-via-fixtures",
            "    # fails today: RG101 config-reverted-via-fixtures: `CONF.set_override('region', ...)` is never*",
        ]
    )
    assert (project.path / "test_region.review.txt").read_bytes() != before  # our own edit only


def test_warm_cache_gives_the_same_outcomes_and_clears(project: pytest.Pytester) -> None:
    project.runpytest().assert_outcomes(passed=4, failed=2)
    assert list((project.path / ".pytest_cache" / "d" / "reviewgate" / "v2" / "analysis").iterdir())
    project.runpytest().assert_outcomes(passed=4, failed=2)
    reverted = 'CONF.set_override("region", region)\n        self.addCleanup(CONF.clear_override, "region")'
    project.makepyfile(test_region=MODULE.replace('CONF.set_override("region", region)', reverted))
    project.runpytest().assert_outcomes(passed=5, failed=1)
    project.runpytest("--cache-clear").assert_outcomes(passed=5, failed=1)
    project.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=5, failed=1)


def test_a_review_parse_is_kept_between_sessions_while_its_bytes_are_unchanged(project: pytest.Pytester) -> None:
    stored = project.path / ".pytest_cache" / "d" / "reviewgate" / "v2" / "review"
    project.runpytest("--collect-only").assert_outcomes()
    entries = list(stored.iterdir())
    assert len(entries) == 1
    for entry in entries:  # a damaged entry is parsed afresh, never trusted
        entry.write_text('"{\\"path\\": 1}"')
    project.runpytest().assert_outcomes(passed=4, failed=2)
    project.makefile(".review.txt", test_region=REVIEW + "\n2. **More**: line 7\n")
    project.runpytest().assert_outcomes(passed=5, failed=2)
    assert len(list(stored.iterdir())) == 2  # one entry per version of the review


def test_a_changed_conftest_invalidates_the_cache(project: pytest.Pytester) -> None:
    project.makefile(".review.txt", test_region=REVIEW.replace("expect: config-reverted-via-fixtures",
                                                               "expect: config-reverted-via-fixtures on test_region"))
    project.makepyfile(test_region=MODULE.replace("def test_region(self):", "def test_region(self, cfg_fix):"))
    project.makeconftest("import pytest\n\n@pytest.fixture\ndef cfg_fix():\n    yield\n")
    first = project.runpytest("-k", "config-reverted")
    first.assert_outcomes(failed=1, deselected=5)
    project.makeconftest(
        "import pytest\nfrom oslo_config import cfg\n\n@pytest.fixture\ndef cfg_fix():\n"
        "    yield\n    cfg.CONF.clear_override('region')\n"
    )
    project.runpytest("-k", "config-reverted").assert_outcomes(passed=1, deselected=5)
