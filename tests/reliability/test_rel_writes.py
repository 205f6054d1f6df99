"""What reviewgate writes (SPEC 7, 8): never input the next run rejects, hard links kept, no temporary file left.

A write that fails or is refused fails the session (exit code 1 where it would pass) with a message
naming the path; a write killed half-way leaves the file as it was, and its temporary file is
removed by the next run that sees it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from pytest_reviewgate import files
from pytest_reviewgate.review import frontmatter

if TYPE_CHECKING:
    from conftest import Tree

TIMEOUT = 60
MODULE = "# one\n# two\n# three\n# four\n# five\n\n\ndef helper():\n    return 1\n"
STALE = "1. **Helper**: `helper` line 1\n"  # helper is at lines 8-9
FIXED = "1. **Helper**: `helper` line 8\n"
PASSING = "1. **Helper**: `helper` lines 8-9\n"


def _many_anchors(findings: int, per_finding: int) -> tuple[str, str]:
    """A module of one line per anchor and a review whose findings cite every line."""
    lines = findings * per_finding
    module = "".join(f"x_{n} = {n}\n" for n in range(1, lines + 1))
    review = "".join(
        f"{k + 1}. **Finding {k + 1}**: "
        + ", ".join(f"line {n}" for n in range(k * per_finding + 1, (k + 1) * per_finding + 1))
        + "\n\n"
        for k in range(findings)
    )
    return module, review


FILLER = "x" * (frontmatter.MAX_BYTES - 30)  # the pins entry takes 37 bytes more
NEAR_THE_LIMIT = f"---\nmodule: helper.py\n# {FILLER}\n---\n1. **Helper**: `helper` lines 8-9\n"
TOO_LARGE = f"front matter is larger than {frontmatter.MAX_BYTES} bytes"
PIN_REFUSALS = {
    "thousands-of-anchors": (*_many_anchors(25, 100), "", TOO_LARGE),  # 2,500 pins: about 80 KB of front matter
    "front-matter-near-its-limit": (MODULE, NEAR_THE_LIMIT, "", TOO_LARGE),
    "review-near-max-review-bytes": (
        MODULE,
        "1. **Helper**: `helper` lines 8-9\n" + "Some prose. " * 44 + "\n",
        "[tool.reviewgate]\nmax-review-bytes = 600\n",
        "* bytes, more than max-review-bytes (600)",
    ),
}


@pytest.mark.parametrize(("module", "review", "settings", "reason"), PIN_REFUSALS.values(), ids=PIN_REFUSALS.keys())
def test_pin_refuses_to_write_a_review_the_next_run_would_reject(
    tree: Tree, module: str, review: str, settings: str, reason: str
) -> None:
    tree.write("helper.py", module)
    tree.write("helper.review.txt", review)
    if settings:
        tree.write("pyproject.toml", settings)
    before = tree.run()
    tree.survived(before, pytest.ExitCode.OK)
    result = tree.run("--reviewgate-pin")
    tree.survived(result)  # the items pass; the refused write fails the session
    result.stdout.fnmatch_lines(
        [
            f"*helper.review.txt: not rewritten: the next run would reject the result: {reason}",
            "reviewgate: 1 file not written; the session fails",
        ]
    )
    after = tree.run()
    tree.survived(after, pytest.ExitCode.OK)


def test_pin_writes_when_the_result_stays_within_the_limits(tree: Tree) -> None:
    """The other side of the refusal: 1,000 pins fit, and the next run reads them."""
    module, review = _many_anchors(10, 100)
    tree.write("helper.py", module)
    tree.write("helper.review.txt", review)
    result = tree.run("--reviewgate-pin")
    tree.survived(result, pytest.ExitCode.OK, changed=("helper.review.txt",))
    result.stdout.fnmatch_lines(["*helper.review.txt written"])
    assert (tree.path / "helper.review.txt").read_text().count('": "') == 1000
    tree.survived(tree.run(), pytest.ExitCode.OK)


# -- a failed write fails the session ----------------------------------------------------------------


def _read_only(tree: Tree, name: str) -> None:
    tree.write(name, "{}\n").chmod(0o444)


def _under_a_file(tree: Tree, name: str) -> None:
    tree.write(name.split("/")[0], "a file, not a directory\n")


def _dangling_link(tree: Tree, name: str) -> None:
    (tree.path / name).symlink_to(tree.path / "missing" / "target.json")


FAILED_WRITES = {
    "read-only": ("out.json", _read_only, "cannot write *out.json: the file is read-only"),
    "below-a-file": ("plain.txt/out.json", _under_a_file, "cannot write *plain.txt/out.json: *"),
    "link-into-a-missing-directory": ("out.json", _dangling_link, "cannot write *out.json: No such file or directory"),
}


@pytest.mark.parametrize("option", ["--reviewgate-sarif", "--reviewgate-baseline"])
@pytest.mark.parametrize(("name", "make", "message"), FAILED_WRITES.values(), ids=FAILED_WRITES.keys())
def test_a_report_that_cannot_be_written_fails_a_passing_session(
    tree: Tree, option: str, name: str, make: object, message: str
) -> None:
    tree.write("helper.py", MODULE)
    tree.write("helper.review.txt", PASSING)
    make(tree, name)  # type: ignore[operator]
    extra = ["--reviewgate-update-baseline"] if option == "--reviewgate-baseline" else []
    try:
        result = tree.run(option, name, *extra)
    finally:
        if (tree.path / name).is_file():
            (tree.path / name).chmod(0o644)
    tree.survived(result)
    result.stdout.fnmatch_lines([message, "reviewgate: 1 file not written; the session fails"])


def test_a_report_that_can_be_written_leaves_a_passing_session_passing(tree: Tree) -> None:
    tree.write("helper.py", MODULE)
    tree.write("helper.review.txt", PASSING)
    result = tree.run("--reviewgate-sarif", "out.json")
    tree.survived(result, pytest.ExitCode.OK, changed=("out.json",))
    result.stdout.no_fnmatch_line("*not written*")


def test_a_failed_write_fails_the_session_under_xdist_too(tree: Tree) -> None:
    tree.write("helper.py", MODULE)
    tree.write("helper.review.txt", PASSING)
    _read_only(tree, "out.json")
    try:
        result = tree.run("-n", "2", "--reviewgate-sarif", "out.json", subprocess=True, timeout=TIMEOUT)
    finally:
        (tree.path / "out.json").chmod(0o644)
    tree.survived(result)
    result.stdout.fnmatch_lines(["cannot write out.json: the file is read-only", "reviewgate: 1 file not written; *"])


# -- hard links ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "name", "other"),
    [
        ("--reviewgate-fix", "helper.review.txt", "copy.review.bak"),
        ("--reviewgate-pin", "helper.review.txt", "copy.review.bak"),
        ("--reviewgate-sarif=out.sarif", "out.sarif", "kept.sarif"),
        ("--reviewgate-update-baseline", "baseline.json", "kept.json"),
    ],
    ids=["fix", "pin", "sarif", "baseline"],
)
def test_a_file_with_several_hard_links_is_written_in_place_and_stays_one_file(
    tree: Tree, option: str, name: str, other: str
) -> None:
    tree.write("helper.py", MODULE)
    tree.write("helper.review.txt", STALE if option == "--reviewgate-fix" else PASSING)
    path = tree.path / name
    if not path.exists():
        path.write_text("{}\n")
    os.link(path, tree.path / other)
    inode = path.stat().st_ino
    args = [option] + (["--reviewgate-baseline", "baseline.json"] if "baseline" in option else [])
    result = tree.run(*args)
    tree.survived(result, pytest.ExitCode.TESTS_FAILED if "fix" in option else pytest.ExitCode.OK,
                  changed=(name, other))
    assert any(name in line and "written" in line for line in result.stdout.lines)
    assert path.stat().st_ino == (tree.path / other).stat().st_ino == inode
    assert path.stat().st_nlink == 2
    if option == "--reviewgate-fix":
        assert path.read_text() == FIXED
    assert [p.name for p in tree.path.iterdir() if p.name.endswith(files.TEMP_SUFFIX)] == []


# -- a write killed half-way -------------------------------------------------------------------------

# Stops the process in the middle of the write: the temporary file is written, not yet renamed.
KILL = """
import os
import signal

import pytest


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session):
    os.fsync = lambda fd: os.kill(os.getpid(), signal.{signal})
"""


def _temps(tree: Tree) -> list[str]:
    return sorted(p.name for p in tree.path.iterdir() if p.name.endswith(files.TEMP_SUFFIX))


@pytest.mark.parametrize("sig", ["SIGKILL", "SIGTERM"])
def test_a_write_killed_half_way_leaves_the_review_whole_and_the_next_run_removes_its_temporary_file(
    tree: Tree, sig: str
) -> None:
    tree.write("helper.py", MODULE)
    tree.write("helper.review.txt", STALE)
    tree.write("conftest.py", KILL.format(signal=sig))
    killed = tree.run("--reviewgate-fix", subprocess=True, timeout=TIMEOUT)
    assert killed.ret == -getattr(signal, sig)
    assert (tree.path / "helper.review.txt").read_text() == STALE
    left = _temps(tree)
    assert len(left) == 1
    assert left[0].startswith(".helper.review.txt.")
    (tree.path / "conftest.py").unlink()
    result = tree.run()  # a plain run: collection sees the file, and its process is gone
    tree.survived(result, changed=(left[0],))
    assert _temps(tree) == []
    assert (tree.path / "helper.review.txt").read_text() == STALE


def test_a_write_interrupted_by_ctrl_c_leaves_no_temporary_file(tree: Tree) -> None:
    tree.write("helper.py", MODULE)
    tree.write("helper.review.txt", STALE)
    tree.write("conftest.py", KILL.format(signal="SIGINT"))
    result = tree.run("--reviewgate-fix", subprocess=True, timeout=TIMEOUT)
    assert result.ret != pytest.ExitCode.OK
    assert _temps(tree) == []
    assert (tree.path / "helper.review.txt").read_text() == STALE


def _dead_pid() -> int:
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                           check=True)
    return int(child.stdout)


def test_only_temporary_files_of_processes_that_are_gone_are_removed(tree: Tree) -> None:
    tree.write("helper.py", MODULE)
    tree.write("helper.review.txt", STALE)
    stale = f".helper.review.txt.{_dead_pid()}-0123abcd{files.TEMP_SUFFIX}"
    kept = [
        f".helper.review.txt.{os.getpid()}-0123abcd{files.TEMP_SUFFIX}",  # this process: still running
        f".notes{files.TEMP_SUFFIX}",  # not a name of ours
        f"helper.review.txt.{_dead_pid()}-0123abcd{files.TEMP_SUFFIX}",  # not hidden: not ours either
    ]
    for name in [stale, *kept]:
        tree.write(name, "partial")
    result = tree.run("--reviewgate-fix")
    tree.survived(result, changed=("helper.review.txt", stale))
    assert _temps(tree) == sorted(kept)
    assert (tree.path / "helper.review.txt").read_text() == FIXED


def test_a_temporary_file_of_a_killed_write_beside_a_report_is_removed_by_the_next_write(tree: Tree) -> None:
    """A report may lie outside what pytest collects: the next write of the same file clears up."""
    tree.write("helper.py", MODULE)
    tree.write("helper.review.txt", PASSING)
    (tree.path / "reports").mkdir()
    stale = tree.path / "reports" / f".out.sarif.{_dead_pid()}-0123abcd{files.TEMP_SUFFIX}"
    stale.write_text("partial")
    result = tree.run("--reviewgate-sarif", "reports/out.sarif", "--ignore", "reports")
    tree.survived(result, pytest.ExitCode.OK, changed=("reports/out.sarif", f"reports/{stale.name}"))
    assert not stale.exists()


# -- files.write_regular and the temporary files, unit by unit ---------------------------------------


def test_write_regular_replaces_a_file_of_one_link_and_writes_one_of_several_in_place(tmp_path: Path) -> None:
    single, linked = tmp_path / "single", tmp_path / "linked"
    single.write_bytes(b"old")
    linked.write_bytes(b"old old old")
    os.link(linked, tmp_path / "other")
    before = single.stat().st_ino, linked.stat().st_ino
    files.write_regular(single, b"new")
    files.write_regular(linked, b"new")
    assert single.read_bytes() == linked.read_bytes() == (tmp_path / "other").read_bytes() == b"new"
    assert single.stat().st_ino != before[0]  # replaced in one step
    assert linked.stat().st_ino == before[1]  # the same file, under both names
    assert _leftovers(tmp_path) == []


def test_write_regular_refuses_a_pipe_swapped_in_before_an_in_place_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "linked"
    path.write_bytes(b"old")
    os.link(path, tmp_path / "other")
    real_open = os.open

    def swapping(name: str, flags: int, *args: int) -> int:
        os.unlink(name)
        os.mkfifo(name)
        return real_open(name, flags, *args)

    monkeypatch.setattr(os, "open", swapping)
    with pytest.raises(files.FileProblem):
        files.write_regular(path, b"new")  # no reader: a blocking open would wait forever
    assert (tmp_path / "other").read_bytes() == b"old"


@pytest.mark.parametrize(
    "make", [os.mkfifo, lambda p: p.symlink_to("/dev/full"), os.mkdir], ids=["pipe", "device", "directory"]
)
def test_write_regular_refuses_what_is_no_regular_file(tmp_path: Path, make: Callable[[Path], None]) -> None:
    make(tmp_path / "f")
    with pytest.raises(files.FileProblem, match="not a regular file"):
        files.write_regular(tmp_path / "f", b"x" * 1000)
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize(
    ("name", "stale"),
    [
        (f".r.txt.{{dead}}-0123abcd{files.TEMP_SUFFIX}", True),
        (f".r.txt.{{alive}}-0123abcd{files.TEMP_SUFFIX}", False),
        (f".r.txt.{{dead}}-0123abc{files.TEMP_SUFFIX}", False),
        (f".r.txt.x{{dead}}-0123abcd{files.TEMP_SUFFIX}", False),
        (f"r.txt.{{dead}}-0123abcd{files.TEMP_SUFFIX}", False),
        (f".r.txt.{{dead}}-0123abcd{files.TEMP_SUFFIX}.bak", False),
        (f".r.txt.0123abcd{files.TEMP_SUFFIX}", False),
    ],
)
def test_a_temporary_file_is_stale_only_when_ours_and_its_process_is_gone(name: str, stale: bool) -> None:
    assert files.stale_temp(name.format(dead=_dead_pid(), alive=os.getppid())) is stale


def _leftovers(directory: Path) -> list[str]:
    return [p.name for p in directory.iterdir() if p.name.endswith(files.TEMP_SUFFIX)]
