"""``--reviewgate-fix`` and ``--reviewgate-pin`` on awkward files (SPEC 7, 8): symlinks followed; read-only
files, files changed since they were read and hostile front matter left alone and reported."""

from __future__ import annotations

import os
import stat
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Tree

MODULE = "# one\n# two\n# three\n# four\n# five\n\n\ndef helper():\n    return 1\n"
REVIEW = "1. **Helper**: `helper` line 1\n"  # helper is at lines 8-9 now
FIXED = "1. **Helper**: `helper` line 8\n"


@pytest.fixture
def tree(tree: Tree) -> Tree:
    tree.write("helper.py", MODULE)
    return tree


def test_fix_follows_a_symlinked_review_to_its_target_and_keeps_the_link(tree: Tree) -> None:
    real = tree.write("reviews/real.txt", REVIEW)
    os.symlink(os.path.join("reviews", "real.txt"), tree.path / "helper.review.txt")
    result = tree.run("--reviewgate-fix")
    tree.survived(result, changed=("helper.review.txt", "reviews/real.txt"))  # one file, seen through the link
    result.stdout.fnmatch_lines(["*helper.review.txt written"])
    assert (tree.path / "helper.review.txt").is_symlink()
    assert real.read_text() == FIXED
    result = tree.run()
    tree.survived(result, pytest.ExitCode.OK)


def test_fix_refuses_a_read_only_review_even_as_root_and_says_so(tree: Tree) -> None:
    review = tree.write("helper.review.txt", REVIEW)
    review.chmod(0o444)
    try:
        result = tree.run("--reviewgate-fix")
        tree.survived(result)
        result.stdout.fnmatch_lines(
            [
                "*helper.review.txt:1: `helper` is at lines 8-9, the review says 1 -> *",
                "cannot write *helper.review.txt: the file is read-only",
            ]
        )
        assert review.read_text() == REVIEW
        assert stat.S_IMODE(review.stat().st_mode) == 0o444
    finally:
        review.chmod(0o644)


EDIT_AFTER_ANALYSIS = """
import pathlib


def test_edit_the_review():
    path = pathlib.Path(__file__).with_name("helper.review.txt")
    {action}
"""


@pytest.mark.parametrize(
    ("action", "changed", "message"),
    [
        (
            'path.write_text(path.read_text() + "\\n2. **Later**: edited by hand during the run\\n")',
            "*helper.review.txt*changed since it was read; not *",
            "changed",
        ),
        ("path.unlink()", "*helper.review.txt: cannot read *helper.review.txt: No such file or directory", "deleted"),
    ],
    ids=["edited", "deleted"],
)
def test_fix_leaves_a_review_alone_that_changed_after_its_analysis(
    tree: Tree, action: str, changed: str, message: str
) -> None:
    """The fix is written at session end from report data: a hand edit made meanwhile must win."""
    tree.write("helper.review.txt", REVIEW)
    tree.write("test_zz_edit.py", EDIT_AFTER_ANALYSIS.format(action=action))  # runs after the review's items
    result = tree.run("-v", "--reviewgate-fix")
    tree.survived(result, changed=("helper.review.txt",))
    result.stdout.fnmatch_lines(
        ["helper.review.txt::finding-1::anchors FAILED*", "test_zz_edit.py::test_edit_the_review PASSED*", changed]
    )
    result.stdout.no_fnmatch_line("*helper.review.txt written*")
    path = tree.path / "helper.review.txt"
    if message == "changed":
        assert path.read_text() == REVIEW + "\n2. **Later**: edited by hand during the run\n"
    else:
        assert not path.exists()


@pytest.mark.parametrize(
    ("front_matter", "message"),
    [
        ('x: !!python/object/apply:os.system ["touch PWNED"]\n', "could not determine a constructor for the tag *"),
        ("x: " + "[" * 5000 + "\n", "*"),
    ],
    ids=["python-tag", "deep-nesting"],
)
def test_pin_leaves_a_review_with_hostile_front_matter_alone_and_runs_nothing(
    tree: Tree, front_matter: str, message: str
) -> None:
    tree.write("helper.review.txt", f"---\n{front_matter}---\n1. **Helper**: `helper` lines 8-9\n")
    result = tree.run("--reviewgate-pin")
    tree.survived(result)
    result.stdout.fnmatch_lines([f"*helper.review.txt: not rewritten: the front matter is not valid YAML: {message}"])
    assert not (tree.path / "PWNED").exists()
