"""Triage on the shapes an independent review found wrong: per-claim polarity, anchors that point at
nothing, violations inherited from a base class, a "clean" finding a rule contradicts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

BASE = '''\
"""A base whose setUp starts a patcher it never stops."""
import unittest
from unittest import mock


class Base(unittest.TestCase):
    def setUp(self):
        super().setUp()
        self.p = mock.patch("os.getpid")
        self.p.start()
'''

MODULE = '''\
"""Tests."""
import os
from unittest import mock

import leaky_base


class TestZ(leaky_base.Base):
    def test_one(self):
        self.assertTrue(os.getpid())


def test_nothing():
    x = 1 + 1


def test_leak():
    p = mock.patch("os.getcwd")
    p.start()
    assert os.getcwd()


def test_env():
    os.environ["HOME_X"] = "1"
    assert os.environ["HOME_X"]


CONFIG = {"region": "north"}


def test_region():
    CONFIG["region"] = "south"
    assert CONFIG["region"]
'''

REVIEW = """\
Review of test_z.py

1. **Two claims**: `test_nothing`
   - `test_nothing` asserts nothing, and the environment is restored properly.

2. **Gone**: `test_gone`
   - The patcher in `test_gone` is never stopped.

3. **Stale line**: line 400
   - The patch started here is never stopped.

4. **Reverse**: lines 20-10
   - The patch is never stopped.

5. **Inherited**: `TestZ`
   - `TestZ` inherits a setUp whose patcher is never stopped.

6. **No leak**: `test_leak`
   - The patcher in `test_leak` is stopped properly, so nothing leaks.

7. **Environment untouched**: `test_leak`
   - The environment is not modified in a way that persists.

8. **Contrast**: `test_env`
   - The test does not touch the config, but the environment variable persists into other tests.

9. **Verifies nothing**: `test_nothing`
   - The test verifies nothing.

10. **Module config dict**: `test_region`
   - `test_region` mutates the module-level CONFIG dict and the change persists into other tests.

11. **Remote configuration over TLS (CWE-664)**: `test_region`
   - The remote configuration is fetched over TLS without pinning the certificate.

12. **Base patch**: `Base.setUp`
   - The patcher started in `Base.setUp` is never stopped.
"""


def triage(folder: Path, files: dict[str, str], *args: str) -> dict[str, dict[str, Any]]:
    """One real session in a subprocess (shared by a module's tests: a session takes seconds)."""
    for name, text in files.items():
        folder.joinpath(name).write_text(text, encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pytest", "-p", "reviewgate", "-p", "no:cacheprovider", "-q",
                    "--reviewgate-triage-json", "t.json", *args], cwd=folder, capture_output=True, check=False,
                   timeout=300)
    data = json.loads(folder.joinpath("t.json").read_text(encoding="utf-8"))
    return {f["finding"]: f for f in data["findings"]}


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    files = {"leaky_base.py": BASE, "test_z.py": MODULE, "test_z.review.txt": REVIEW}
    return triage(tmp_path_factory.mktemp("fixes"), files)


def test_a_defect_claim_is_triaged_though_another_clause_is_clean(verdicts: dict[str, dict[str, Any]]) -> None:
    assert verdicts["1"]["verdict"] == "confirmed"
    assert verdicts["1"]["rules"] == ["tests-assert"]
    assert verdicts["9"]["verdict"] == "confirmed"


@pytest.mark.parametrize(("key", "shown"), [("2", "`test_gone`"), ("3", "line 400"), ("4", "lines 20-10")])
def test_anchors_that_point_at_nothing_are_not_checkable(
    verdicts: dict[str, dict[str, Any]], key: str, shown: str
) -> None:
    entry = verdicts[key]
    assert entry["verdict"] == "not-checkable"
    assert f"its anchors do not resolve ({shown})" in entry["reason"]
    assert entry["evidence"] == []


def test_a_violation_inherited_from_a_base_confirms(verdicts: dict[str, dict[str, Any]]) -> None:
    entry = verdicts["5"]
    assert entry["verdict"] == "confirmed"
    assert "inherited: in base class `Base.setUp`, leaky_base.py:10" in entry["evidence"][0]["text"]
    assert all("undone when the test ends" not in e["text"] for e in entry["evidence"])


def test_a_clean_finding_a_rule_contradicts_is_refuted_with_the_violation(
    verdicts: dict[str, dict[str, Any]]
) -> None:
    entry = verdicts["6"]
    assert entry["verdict"] == "refuted"
    assert entry["reason"].startswith("the finding says there is no problem")
    assert "yet RG201 mocks-undone finds one at test_z.py:19" in entry["reason"]


def test_negation_is_read_per_clause(verdicts: dict[str, dict[str, Any]]) -> None:
    assert verdicts["7"]["verdict"] == "clean"
    assert verdicts["8"]["subjects"] == ["env-leak"]
    assert verdicts["8"]["rules"] == ["env-reverted-via-fixtures"]


def test_config_the_rule_does_not_model_is_not_refuted(verdicts: dict[str, dict[str, Any]]) -> None:
    entry = verdicts["10"]
    assert entry["verdict"] == "not-checkable"
    assert "the finding speaks of `CONFIG` (line 32), which the rule does not model" in entry["reason"]


def test_a_topic_with_a_cwe_is_no_claim(verdicts: dict[str, dict[str, Any]]) -> None:
    assert verdicts["11"]["verdict"] == "not-checkable"
    assert "config-leak" not in verdicts["11"]["subjects"]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("selected")
    for name, text in {"leaky_base.py": BASE, "test_z.py": MODULE, "test_z.review.txt": REVIEW}.items():
        folder.joinpath(name).write_text(text, encoding="utf-8")
    return folder


def session(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "reviewgate", "-p", "no:cacheprovider", *args],
                          cwd=folder, capture_output=True, text=True, check=False, timeout=300)


@pytest.mark.parametrize("selection", [["-k", "finding"], ["test_z.review.txt::finding-1"], ["test_z.py"]])
def test_triage_holds_whatever_items_of_the_review_are_selected(project: Path, selection: list[str]) -> None:
    # ``::review`` unselected (-k, a node id) or the test module named: the review is still triaged
    json_path = project / f"t{abs(hash(tuple(selection)))}.json"
    result = session(project, "--reviewgate-triage", "--reviewgate-triage-json", str(json_path), *selection)
    assert "triage: 12 findings" in result.stdout, result.stdout + result.stderr
    assert len(json.loads(json_path.read_text(encoding="utf-8"))["findings"]) == 12


def test_a_module_without_a_review_is_a_usage_error_naming_it(project: Path) -> None:
    result = session(project, "--reviewgate-triage", "leaky_base.py")
    assert result.returncode == 4
    assert "no review beside leaky_base.py" in result.stderr


def test_the_sarif_message_counts_the_triage_verdicts(project: Path) -> None:
    result = session(project, "--reviewgate-triage", "--reviewgate-sarif", "s.sarif")
    log = json.loads((project / "s.sarif").read_text(encoding="utf-8"))
    verdicts = [r for r in log["runs"][0]["results"] if r["ruleId"] == "triage"]
    assert len(verdicts) == 12
    assert "SARIF written to s.sarif (4 results and 12 triage verdicts)" in result.stdout


@pytest.mark.parametrize(("option", "findings", "evidence"), [
    ([], True, True), (["-q"], True, False), (["-qq"], False, False), (["--no-summary"], False, False),
])
def test_quiet_options_shorten_the_triage(project: Path, option: list[str], findings: bool, evidence: bool) -> None:
    out = session(project, "--reviewgate-triage", *option).stdout
    assert "triage: 12 findings" in out
    assert ("test_z.review.txt:3: finding 1 (Two claims): confirmed [tests-assert]" in out) is findings
    assert ("RG303 tests-assert: test `test_nothing` asserts nothing" in out) is evidence


PASTED_MODULE = '''\
"""Tests."""
import os
from unittest import mock


def test_leak():
    p = mock.patch("os.getcwd")
    p.start()
    assert os.getcwd()


def test_nothing():
    x = 1 + 1
'''

PASTED_REVIEW = """\
Review of test_p.py

1. **Patcher**: `test_leak`
   - The patcher in `test_leak` is never stopped.

2. **Weak**: `test_nothing`
   - The test asserts nothing.
"""


def test_pasting_the_suggestions_keeps_the_gate_green(tmp_path: Path) -> None:
    # confirmed findings get ``status: open``: their items expect the failure until it is fixed
    tmp_path.joinpath("test_p.py").write_text(PASTED_MODULE, encoding="utf-8")
    review = tmp_path / "test_p.review.txt"
    review.write_text(PASTED_REVIEW, encoding="utf-8")
    out = session(tmp_path, "--reviewgate-suggest").stdout.splitlines()
    heads = [i for i, line in enumerate(out) if line.startswith("test_p.review.txt:") and "add after line" in line]
    assert len(heads) == 2
    lines = review.read_text(encoding="utf-8").splitlines()
    for head in reversed(heads):  # bottom-up, so the line numbers hold
        after = int(out[head].rsplit("add after line ", 1)[1].rstrip(":"))
        block = []
        for line in out[head + 1 :]:
            if not line.startswith("    "):
                break
            if not line.strip().startswith("#"):
                block.append("   " + line.strip())
        assert "   status: open" in block
        lines[after:after] = block
    review.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = session(tmp_path, "--reviewgate-only")
    assert result.returncode == 0, result.stdout
    assert "xfailed" in result.stdout


def test_an_anchor_on_a_base_in_another_file_targets_the_classes_deriving_from_it(
    verdicts: dict[str, dict[str, Any]]
) -> None:
    entry = verdicts["12"]
    assert entry["verdict"] == "confirmed"
    assert "inherited: in base class `Base.setUp`" in entry["evidence"][0]["text"]
