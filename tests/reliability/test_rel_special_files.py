"""Devices, named pipes, directories and links to them where a file belongs (SPEC 8): refused by name, never opened.

Only regular files are read and written, and reads are bounded: each case runs a real session in
a subprocess with a timeout, since a named pipe would block it and ``/dev/zero`` would fill memory.
The reviewed module that cannot be read fails ``::review`` alone, saying why; the other items wait.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from pytest_reviewgate import files
from pytest_reviewgate.model import ReviewgateError
from pytest_reviewgate.report import baseline

if TYPE_CHECKING:
    from conftest import Tree

MODULE = "def helper():\n    return 1\n"
REVIEW = "1. **Helper**: `helper` line 1\n   expect: tests-assert on helper\n"
TIMEOUT = 60


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _link(target: str) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        path.symlink_to(target)

    return make


def _loop(path: Path) -> None:
    path.symlink_to(path.name)


def _directory(path: Path) -> None:
    path.mkdir()


def _sparse(size: int) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        with path.open("wb") as f:
            f.truncate(size)  # costs no disk

    return make


def _link_to_pipe(path: Path) -> None:
    os.mkfifo(path.with_name("pipe"))
    path.symlink_to("pipe")


# What can stand where a file is read, and what the refusal says.
NOT_REGULAR = {
    "named-pipe": (_fifo, "it is a named pipe, not a regular file"),
    "link-to-a-pipe": (_link_to_pipe, "it is a named pipe, not a regular file"),
    "directory": (_directory, "it is a directory, not a regular file"),
    "symlink-loop": (_loop, "Too many levels of symbolic links"),
}
# A module must lie inside the rootdir: a link to a device is refused as outside, and never opened.
MODULES = {
    **{name: (make, f"cannot read the reviewed module helper.py: {why}") for name, (make, why) in NOT_REGULAR.items()},
    "symlink-loop": (_loop, "module: 'helper.py' is not a usable path"),
    "dev-zero": (_link("/dev/zero"), "module: 'helper.py' lies outside the rootdir *"),
}
OVERSIZED_MODULE = (
    f"{files.MAX_MODULE_BYTES + 1} bytes, more than the limit for a module ({files.MAX_MODULE_BYTES})"
)


@pytest.fixture
def tree(tree: Tree) -> Tree:
    tree.write("helper.review.txt", REVIEW)
    return tree


# -- the reviewed module ---------------------------------------------------------------------------


@pytest.mark.parametrize(("make", "message"), MODULES.values(), ids=MODULES.keys())
def test_a_module_that_is_no_regular_file_fails_the_review_item_saying_what_it_is(
    tree: Tree, make: Callable[[Path], None], message: str
) -> None:
    make(tree.path / "helper.py")
    result = tree.run("-v", subprocess=True, timeout=TIMEOUT)
    tree.survived(result)
    result.stdout.fnmatch_lines([f"  helper.review.txt:1: RG003 review-valid: {message}"])
    result.assert_outcomes(passed=1, failed=1)


def test_a_module_over_the_limit_fails_the_review_item_only(tree: Tree) -> None:
    """It is there (its items are collected), so it is not "missing": ``::review`` says why, the rest wait."""
    _sparse(files.MAX_MODULE_BYTES + 1)(tree.path / "helper.py")
    result = tree.run("-v", subprocess=True, timeout=TIMEOUT)
    tree.survived(result)
    result.stdout.fnmatch_lines(
        [
            "helper.review.txt::review FAILED*",
            "helper.review.txt::finding-1::anchors SKIPPED*",
            "helper.review.txt::finding-1::tests-assert SKIPPED*",
            "  helper.review.txt:1: RG003 review-valid: cannot read the reviewed module helper.py: " + OVERSIZED_MODULE,
            "SKIPPED [[]2[]] helper.review.txt:1: helper.py cannot be read (see ::review)",
        ]
    )
    result.stdout.no_fnmatch_line("*does not exist*")
    result.assert_outcomes(passed=1, failed=1, skipped=2)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file of mode 000 (see the proc-self-mem case for root)")
def test_a_module_without_read_permission_says_so_on_the_review_item_only(tree: Tree) -> None:
    module = tree.write("helper.py", MODULE)
    module.chmod(0)
    try:
        result = tree.run("-v")
    finally:
        module.chmod(0o644)
    tree.survived(result)
    result.stdout.fnmatch_lines(
        ["  helper.review.txt:1: RG003 review-valid: cannot read the reviewed module helper.py: Permission denied"]
    )
    result.assert_outcomes(passed=1, failed=1, skipped=2)


# Runs after collection, before the first item: puts something else where a file was; puts it back at the end.
SWAP = """
import os
import pathlib

PATH = {name!r}
SAVED = {{}}


def pytest_collection_finish(session):
    path = pathlib.Path(session.config.rootpath, PATH)
    SAVED["bytes"] = path.read_bytes()
    path.unlink()
    {make}


def pytest_sessionfinish(session):
    path = pathlib.Path(session.config.rootpath, PATH)
    if path.is_dir() and not path.is_symlink():
        path.rmdir()
    else:
        path.unlink()
    path.write_bytes(SAVED["bytes"])
"""
SWAPS = {
    "named-pipe": ("os.mkfifo(path)", "it is a named pipe, not a regular file"),
    "link-to-a-pipe": ('os.mkfifo(path.with_name("pipe")) or path.symlink_to("pipe")', "it is a named pipe, *"),
    "directory": ("path.mkdir()", "it is a directory, not a regular file"),
    "oversized": (f"os.truncate(path.touch() or path, {files.MAX_MODULE_BYTES + 1})", OVERSIZED_MODULE),
}
REVIEW_SWAPS = {
    **{name: swap for name, swap in SWAPS.items() if name != "oversized"},
    "dev-zero": ('path.symlink_to("/dev/zero")', "it is a character device, not a regular file"),
    "proc-self-mem": ('path.symlink_to("/proc/self/mem")', "Input/output error"),  # a regular file no one can read
}


@pytest.mark.parametrize(("make", "reason"), SWAPS.values(), ids=SWAPS.keys())
def test_a_module_swapped_for_something_unreadable_during_the_run_fails_the_review_item_only(
    tree: Tree, make: str, reason: str
) -> None:
    tree.write("helper.py", MODULE)
    tree.write("conftest.py", SWAP.format(name="helper.py", make=make))
    result = tree.run("-v", subprocess=True, timeout=TIMEOUT)
    tree.survived(result)
    result.stdout.fnmatch_lines(
        [
            "helper.review.txt::review FAILED*",
            "helper.review.txt::finding-1::anchors SKIPPED*",
            "  helper.review.txt:1: RG003 review-valid: cannot read the reviewed module helper.py: " + reason,
        ]
    )
    result.assert_outcomes(passed=1, failed=1, skipped=2)


@pytest.mark.parametrize(("make", "reason"), REVIEW_SWAPS.values(), ids=REVIEW_SWAPS.keys())
def test_a_review_swapped_for_something_unreadable_during_the_run_fails_its_items(
    tree: Tree, make: str, reason: str
) -> None:
    tree.write("helper.py", MODULE)
    tree.write("conftest.py", SWAP.format(name="helper.review.txt", make=make))
    result = tree.run("-v", subprocess=True, timeout=TIMEOUT)
    tree.survived(result)
    message = "RG003 review-valid: cannot read the review: " + reason
    result.stdout.fnmatch_lines(["helper.review.txt::review FAILED*", f"  helper.review.txt: {message}"])
    result.assert_outcomes(passed=1, failed=3)


def test_a_review_grown_past_max_review_bytes_during_the_run_is_refused_unread(tree: Tree) -> None:
    tree.write("helper.py", MODULE)
    tree.write("pyproject.toml", "[tool.reviewgate]\nmax-review-bytes = 1000\n")
    tree.write("conftest.py", SWAP.format(name="helper.review.txt", make="os.truncate(path.touch() or path, 5000)"))
    result = tree.run("-v", subprocess=True, timeout=TIMEOUT)
    tree.survived(result)
    message = "5000 bytes, more than max-review-bytes (1000)"
    result.stdout.fnmatch_lines([f"  helper.review.txt:1: RG003 review-valid: {message}"])
    result.assert_outcomes(passed=1, failed=3)


CONFTEST_SWAPS = {
    "proc-self-mem": ('path.symlink_to("/proc/self/mem")', "Input/output error"),
    "oversized": (
        f"os.truncate(path.touch() or path, {files.MAX_MODULE_BYTES + 1})",
        f"{files.MAX_MODULE_BYTES + 1} bytes, more than the limit for a module ({files.MAX_MODULE_BYTES})",
    ),
}


@pytest.mark.parametrize(("make", "reason"), CONFTEST_SWAPS.values(), ids=CONFTEST_SWAPS.keys())
def test_a_conftest_that_cannot_be_read_fails_the_review_item_naming_it(tree: Tree, make: str, reason: str) -> None:
    """pytest imported it; the analysis cannot read it: its fixtures would be missed without a word."""
    tree.write("sub/helper.py", MODULE)
    tree.write("sub/helper.review.txt", REVIEW)
    tree.write("sub/conftest.py", "")
    tree.write("conftest.py", SWAP.format(name="sub/conftest.py", make=make))
    result = tree.run("-v", subprocess=True, timeout=TIMEOUT)
    tree.survived(result)
    result.stdout.fnmatch_lines(
        [
            "sub/helper.review.txt::review FAILED*",
            "  sub/helper.review.txt:1: RG003 review-valid: cannot read sub/conftest.py, whose fixtures the targets "
            "may use: " + reason,
        ]
    )


# -- report paths: SARIF and the baseline ------------------------------------------------------------


WRITE_TARGETS = {
    "dev-full": ("/dev/full", None, "it is a character device, not a regular file"),
    "dev-null": ("/dev/null", None, "it is a character device, not a regular file"),
    "named-pipe": ("out.json", _fifo, "it is a named pipe, not a regular file"),
    "link-to-dev-full": ("out.json", _link("/dev/full"), "it is a character device, not a regular file"),
    "directory": ("out.json", _directory, "it is a directory, not a regular file"),
}


@pytest.mark.parametrize("option", ["--reviewgate-sarif", "--reviewgate-baseline"])
@pytest.mark.parametrize(("path", "make", "reason"), WRITE_TARGETS.values(), ids=WRITE_TARGETS.keys())
def test_a_report_path_that_is_no_regular_file_is_refused_and_fails_the_session(
    tree: Tree, option: str, path: str, make: Callable[[Path], None] | None, reason: str
) -> None:
    """Writing SARIF to ``/dev/full`` once read it first, without end, until the kernel killed the process."""
    tree.write("helper.py", MODULE)
    tree.write("helper.review.txt", "1. **Helper**: `helper` line 1\n")
    if make is not None:
        make(tree.path / path)
    args = [option, path] if option == "--reviewgate-sarif" else [option, path, "--reviewgate-update-baseline"]
    # pytest takes an argument that names an existing path for a place to find the rootdir, option values too
    result = tree.run(*args, "--rootdir", str(tree.path), subprocess=True, timeout=TIMEOUT)
    shown = path if option == "--reviewgate-sarif" or path.startswith("/") else str(tree.path / path)
    result.stdout.fnmatch_lines([f"cannot write {shown}: {reason}", "reviewgate: 1 file not written; *"])
    tree.survived(result)


BASELINES = {
    **{name: ("baseline.json", make, reason) for name, (make, reason) in NOT_REGULAR.items()},
    "dev-zero": ("/dev/zero", None, "it is a character device, not a regular file"),
    "proc-self-mem": ("/proc/self/mem", None, "Input/output error"),  # a regular file no one can read
}


@pytest.mark.parametrize(("path", "make", "reason"), BASELINES.values(), ids=BASELINES.keys())
def test_a_baseline_that_cannot_be_read_is_a_usage_error_naming_it(
    tree: Tree, path: str, make: Callable[[Path], None] | None, reason: str
) -> None:
    tree.write("helper.py", MODULE)
    if make is not None:
        make(tree.path / path)
    result = tree.run("--reviewgate-baseline", path, "--rootdir", str(tree.path), subprocess=True, timeout=TIMEOUT)
    output = result.stdout.str() + result.stderr.str()
    assert "INTERNALERROR" not in output
    assert result.ret == pytest.ExitCode.USAGE_ERROR, output[-2000:]
    result.stderr.fnmatch_lines([f"ERROR: reviewgate: {tree.path / path}: cannot read baseline: {reason}"])


def test_a_baseline_over_its_limit_is_refused_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(baseline, "MAX_BYTES", 100)
    path = tmp_path / "baseline.json"
    path.write_text('{"version": 1, "violations": []}' + " " * 100)
    with pytest.raises(ReviewgateError, match=r"baseline: 132 bytes, more than the limit for a baseline \(100\)"):
        baseline.load(path)
    path.write_text('{"version": 1, "violations": []}')
    assert baseline.load(path) == {}


# -- files.read_regular, unit by unit ----------------------------------------------------------------------


@pytest.mark.parametrize(("make", "reason"), NOT_REGULAR.values(), ids=NOT_REGULAR.keys())
def test_read_regular_refuses_what_is_no_regular_file(
    tmp_path: Path, make: Callable[[Path], None], reason: str
) -> None:
    make(tmp_path / "f")
    with pytest.raises(files.FileProblem) as info:
        files.read_regular(tmp_path / "f", 100)
    assert info.value.reason == reason
    assert not info.value.missing


def test_read_regular_refuses_a_pipe_swapped_in_between_its_check_and_its_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opened non-blocking, the pipe does not hang the open; the check after the open refuses it."""
    path = tmp_path / "f"
    path.write_bytes(b"x = 1\n")
    real_open = os.open

    def swapping(name: str, flags: int, *args: int) -> int:
        os.unlink(name)
        os.mkfifo(name)
        return real_open(name, flags, *args)

    monkeypatch.setattr(os, "open", swapping)
    with pytest.raises(files.FileProblem, match="it is a named pipe, not a regular file"):
        files.read_regular(path, 100)


@pytest.mark.parametrize("size", [0, 1, 99, 100])
def test_read_regular_reads_a_file_up_to_its_limit(tmp_path: Path, size: int) -> None:
    (tmp_path / "f").write_bytes(b"a" * size)
    assert files.read_regular(tmp_path / "f", 100) == b"a" * size


@pytest.mark.parametrize("size", [101, 10**12])
def test_read_regular_refuses_a_file_over_its_limit_unread(tmp_path: Path, size: int) -> None:
    _sparse(size)(tmp_path / "f")
    with pytest.raises(files.FileProblem, match=f"{size} bytes, more than max-x \\(100\\)") as info:
        files.read_regular(tmp_path / "f", 100, "max-x")
    assert info.value.too_large


@pytest.mark.parametrize("path", ["missing.py", "dangling", "file/below"])
def test_read_regular_tells_a_missing_file(tmp_path: Path, path: str) -> None:
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    (tmp_path / "file").write_text("")
    with pytest.raises(files.FileProblem) as info:
        files.read_regular(tmp_path / path, 100)
    assert info.value.missing
