"""The CI recipes of docs/ci/ and the pre-commit hook parse, name what they must, and run as documented."""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SARIF = re.compile(r"--reviewgate-sarif[= ](\S+)")


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def hook() -> dict[str, Any]:
    hooks = load(ROOT / ".pre-commit-hooks.yaml")
    assert isinstance(hooks, list)
    (found,) = [h for h in hooks if h["id"] == "reviewgate"]
    return dict(found)


def test_the_github_workflow_runs_the_suite_and_uploads_its_sarif_to_code_scanning() -> None:
    workflow = load(ROOT / "docs" / "ci" / "github-actions.yml")
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads the key `on` as true
    assert "pull_request" in triggers
    assert "push" in triggers
    (job,) = workflow["jobs"].values()
    assert job["permissions"]["security-events"] == "write"
    steps = job["steps"]
    runs = [s for s in steps if "pytest -p reviewgate" in s.get("run", "")]
    assert len(runs) == 1
    sarif = SARIF.search(runs[0]["run"])
    assert sarif is not None
    (upload,) = [s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@")]
    assert steps.index(upload) > steps.index(runs[0])
    assert upload["with"]["sarif_file"] == sarif.group(1)
    assert upload["with"]["category"]
    assert "!cancelled()" in upload["if"]  # a failing run is when the results matter


def test_the_gitlab_job_runs_the_suite_and_keeps_its_reports() -> None:
    config = load(ROOT / "docs" / "ci" / "gitlab-ci.yml")
    (job,) = config.values()
    (command,) = [line for line in job["script"] if "pytest -p reviewgate" in line]
    sarif = SARIF.search(command)
    junit = re.search(r"--junitxml[= ](\S+)", command)
    assert sarif is not None
    assert junit is not None
    assert job["artifacts"]["when"] == "always"
    assert sarif.group(1) in job["artifacts"]["paths"]
    assert job["artifacts"]["reports"]["junit"] == junit.group(1)
    quality = re.search(r"--reviewgate-codequality[= ](\S+)", command)
    assert quality is not None
    assert job["artifacts"]["reports"]["codequality"] == quality.group(1)


def test_the_pre_commit_hook_declares_what_pre_commit_needs() -> None:
    found = hook()
    for key in ("id", "name", "entry", "language"):
        assert isinstance(found[key], str), key
    assert found["entry"].startswith("pytest -p reviewgate --reviewgate-only")
    assert found["pass_filenames"] is False
    files = re.compile(found["files"])
    for path in ("tests/test_api.review.txt", "docs/test_x.review.md", "tests/unit/test_api.py", "tests/conftest.py"):
        assert files.search(path), path
    for path in ("src/app/models.py", "README.md", "tests/data/sample.txt"):
        assert not files.search(path), path


def test_the_local_hook_of_the_ci_page_runs_the_same_command() -> None:
    page = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    local = [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", page, re.S) if "repo: local" in block]
    assert len(local) == 1
    (entry,) = local[0]["repos"][0]["hooks"]
    found = hook()
    for key in ("id", "entry", "files", "pass_filenames"):
        assert entry[key] == found[key], key


REVIEW = "1. **Leak (CWE-664)**: `test_writes` (lines {lines}) leaves a file behind.\n"
MODULE = """
def test_writes(tmp_path):
    (tmp_path / "x").write_text("x")
    assert (tmp_path / "x").exists()
"""


def _run_hook(pytester: pytest.Pytester, *extra: str) -> pytest.RunResult:
    """The hook's entry as pre-commit runs it, from the project root, through this Python."""
    command = shlex.split(hook()["entry"])
    assert command[0] == "pytest"
    return pytester.run(sys.executable, "-m", *command, *extra)


def test_the_hook_command_passes_a_true_review_and_fails_a_stale_one(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_files=MODULE)
    pytester.makefile(".review.txt", test_files=REVIEW.format(lines="1-3"))
    assert _run_hook(pytester).ret == pytest.ExitCode.OK
    pytester.makefile(".review.txt", test_files=REVIEW.format(lines="30-33"))
    result = _run_hook(pytester)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*`test_writes` is at lines 1-3, the review says 30-33*"])


def test_file_names_would_not_work_a_test_module_alone_collects_nothing(pytester: pytest.Pytester) -> None:
    # why the hook has pass_filenames: false (docs/ci.md)
    pytester.makepyfile(test_files=MODULE)
    pytester.makefile(".review.txt", test_files=REVIEW.format(lines="30-33"))
    result = _run_hook(pytester, "test_files.py")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: not found: *test_files.py"])
