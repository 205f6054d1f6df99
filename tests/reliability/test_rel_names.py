"""Awkward names (SPEC 3.1, 8): ``::``, ``[``, ``]`` and backslashes in file and folder names, dotted names
longer than the file system allows, and reviews outside the rootdir.

A name is made from the path, never from a node id (which splits at any ``::``); a review pairs with
its own sibling; what the file system refuses is "not found", never an INTERNALERROR.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Tree

MODULE = "def test_one():\n    assert True\n"
# The anchor is stale on purpose: the failure names the review, so the name is seen whole.
REVIEW = "1. **One**: `test_one` line 9\n   expect: tests-assert\n"


@pytest.mark.parametrize(
    "folder",
    ["dir::x", "dir[1]", "a]b", "p[q", "x::y[z]", "::", "deep/er::/x"],
)
def test_a_folder_name_with_node_id_characters_keeps_every_item(tree: Tree, folder: str) -> None:
    """A ``::`` used to cut the review's name short: it paired with no module and made no finding items."""
    tree.write(f"{folder}/test_named.py", MODULE)
    tree.write(f"{folder}/test_named.review.txt", REVIEW)
    result = tree.run("-v")
    tree.survived(result)
    review = f"{folder}/test_named.review.txt"
    result.stdout.fnmatch_lines(
        [
            f"{_glob(review)}::review PASSED*",
            f"{_glob(review)}::finding-1::anchors FAILED*",
            f"{_glob(review)}::finding-1::tests-assert PASSED*",
        ]
    )
    result.stdout.fnmatch_lines(
        [f"{_glob(review)}:1: finding 1: One", f"  {_glob(review)}:1: `test_one` is at lines 1-2, the review says 9*"]
    )
    result.assert_outcomes(passed=4, failed=1)


@pytest.mark.parametrize("stem", ["test_e::y", "test_d[x]", "test_[", "test_]::[", "test_a::b::c"])
def test_a_review_name_with_node_id_characters_pairs_with_its_own_module(tree: Tree, stem: str) -> None:
    tree.write(f"{stem}.py", MODULE)
    tree.write(f"{stem}.review.txt", REVIEW)
    result = tree.run("-v")
    tree.survived(result)
    review = _glob(f"{stem}.review.txt")
    result.stdout.fnmatch_lines(
        [f"{review}::review PASSED*", f"{review}::finding-1::anchors FAILED*", f"{review}::finding-1::tests-assert *"]
    )
    result.stdout.fnmatch_lines([f"{review}:1: finding 1: One"])
    result.assert_outcomes(passed=4, failed=1)


BACKSLASH = pytest.mark.skipif(os.sep == "\\", reason="a backslash separates folders on Windows")


@BACKSLASH
@pytest.mark.parametrize("stem", ["test_a\\b", "test_f\\g\\h", "\\test_c", "test_d\\\\e"])
def test_a_backslash_in_a_review_name_is_part_of_the_name(tree: Tree, stem: str) -> None:
    """``test_a\\b.review.txt`` reviews ``test_a\\b.py``, not a ``b.py`` beside it."""
    tree.write(f"{stem}.py", MODULE)
    decoy = stem.replace("\\", "/").rpartition("/")[2]  # what a name split at the backslash pairs with
    tree.write(f"{decoy}.py", "def test_other():\n    assert True\n")
    tree.write(f"{stem}.review.txt", "1. **One**: `test_one` line 1\n   expect: tests-assert\n")
    result = tree.run("-v")
    tree.survived(result, pytest.ExitCode.OK)
    assert "does not occur" not in result.stdout.str()
    result.stdout.fnmatch_lines(["*::finding-1::anchors PASSED*", "*::finding-1::tests-assert PASSED*"])


LONG = "x" * 300  # longer than a file name may be (255 bytes on most file systems)
SITES = {  # module, review, the item that fails (rightly), pyproject.toml
    # watched by a runtime rule: the base class is resolved while pytest collects
    "base-class-at-collection": (
        f"import unittest\ntry:\n    import pkg.{LONG} as base\nexcept ImportError:\n    import unittest as base\n"
        "\n\nclass T(base.TestCase):\n    def test_one(self):\n        assert True\n",
        "1. **One**: `T.test_one` line 9\n   expect: env-restored, tests-assert\n",
        "",
        "",
    ),
    "patch-target": (
        f"from unittest import mock\n\n\ndef test_one():\n    assert mock.patch('pkg.{LONG}.attr', new=1)\n",
        "1. **One**: `test_one` line 4\n   expect: patch-targets-exist, mocks-autospecced, mocks-undone\n",
        "test_long.review.txt::finding-1::patch-targets-exist",
        "",
    ),
    "reverting-base": (
        "import unittest\n\n\nclass T(unittest.TestCase):\n    def test_one(self):\n        assert True\n",
        "1. **One**: `T.test_one` line 5\n   expect: config-reverted-via-fixtures, mocks-undone\n",
        "",
        f'[tool.reviewgate]\nreverting-bases = ["pkg.{LONG}.Base"]\nstopall-bases = ["pkg.{LONG}.B"]\n',
    ),
    "anchor": (
        MODULE,
        f"1. **One**: `pkg.{LONG}.attr` and `test_one` line 1\n   expect: tests-assert\n",
        "test_long.review.txt::finding-1::anchors",
        "",
    ),
    "module-key": (
        MODULE,
        f"---\nmodule: {LONG}.py\n---\n1. **One**: `test_one` line 1\n",
        "test_long.review.txt::review",
        "",
    ),
    "target": (
        MODULE,
        f'---\nexpect:\n  - rule: tests-assert\n    on: ["{LONG}.{LONG}"]\n---\n1. **One**: `test_one` line 1\n',
        "test_long.review.txt::expect::tests-assert",
        "",
    ),
}


@pytest.mark.parametrize("site", sorted(SITES))
def test_a_dotted_name_with_a_segment_too_long_for_the_file_system_is_no_module(tree: Tree, site: str) -> None:
    """``stat()`` raises ``ENAMETOOLONG`` where a missing file gives ``False``: it used to be an
    INTERNALERROR when pytest collected, and a traceback on every item afterwards."""
    module, review, failing, pyproject = SITES[site]
    (tree.path / "pkg").mkdir()
    tree.write("pkg/__init__.py", "")
    tree.write("test_long.py", module)
    tree.write("test_long.review.txt", review)
    if pyproject:
        tree.pytester.makepyprojecttoml(pyproject)
    result = tree.run("-v")
    tree.survived(result, pytest.ExitCode.TESTS_FAILED if failing else pytest.ExitCode.OK)
    if failing:
        result.stdout.fnmatch_lines([f"{failing} FAILED*"])
        assert result.parseoutcomes()["failed"] == 1
    if site == "module-key":
        result.stdout.fnmatch_lines([f"  test_long.review.txt:1: RG003 review-valid: *reviewed module {LONG[:40]}*"])


CONFIGS = {
    "-c configs/pytest.ini": (("-c", "configs/pytest.ini", "."), {"configs/pytest.ini": "[pytest]\n"}),
    "--rootdir=configs": (("--rootdir=configs", "."), {"configs/placeholder.txt": ""}),
    "review named as argument": (("--rootdir=configs", "test_plain.review.txt", "test_plain.py"), {}),
}


@pytest.mark.parametrize("case", sorted(CONFIGS))
def test_a_review_outside_the_rootdir_reviews_its_sibling(tree: Tree, case: str) -> None:
    """It used to fail ``::review`` with "module lies outside the rootdir"."""
    args, files = CONFIGS[case]
    for name, content in files.items():
        tree.write(name, content)
    tree.write("test_plain.review.txt", "1. **Plain**: `test_plain` line 1\n   expect: tests-assert\n")
    (tree.path / "configs").mkdir(exist_ok=True)
    result = tree.run("-v", *args)
    output = result.stdout.str() + result.stderr.str()
    assert "INTERNALERROR" not in output
    assert result.ret == pytest.ExitCode.OK, output
    assert tree.changed == []
    result.stdout.fnmatch_lines(["*::finding-1::tests-assert PASSED*"])  # pytest names files outside oddly
    result.assert_outcomes(passed=4)


def test_a_module_key_leaving_the_review_folder_outside_the_rootdir_is_still_refused(tree: Tree) -> None:
    (tree.path / "configs").mkdir()
    tree.write("test_plain.review.txt", "---\nmodule: ../../../../../../etc/hostname\n---\n1. **Plain**: line 1\n")
    result = tree.run("-v", "--rootdir=configs", ".")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    assert "INTERNALERROR" not in result.stdout.str() + result.stderr.str()
    result.stdout.fnmatch_lines(["*RG003 review-valid: module: '*' lies outside the rootdir * and the review's folder"])
    result.assert_outcomes(passed=1, failed=1)


LEAKING = """
import os

import pytest


@pytest.mark.parametrize("value", ["a::b", "c[d]", "e]f::g["])
def test_leaks(value):
    os.environ["RG_NAMED_" + str(len(value))] = value
"""


@pytest.mark.parametrize("folder", ["plain", "dir::x", "dir[y]"])
def test_a_runtime_rule_watches_tests_whose_ids_or_folders_hold_node_id_characters(tree: Tree, folder: str) -> None:
    """The watched test's name comes from its nodes, not from splitting its node id at ``::``."""
    tree.write(f"{folder}/test_leaking.py", LEAKING)
    tree.write(f"{folder}/test_leaking.review.txt", "1. **Env**: `test_leaks` line 7\n   expect: env-restored\n")
    result = tree.run("-v", subprocess=True)  # the leaks are real
    tree.survived(result)
    result.stdout.fnmatch_lines(["*ERROR at teardown of test_leaks[[]a::b[]]*", "  - RG_NAMED_4: set to 'a::b'"])
    result.stdout.fnmatch_lines(["*ERROR at teardown of test_leaks[[]c[[]d[]][]]*"])
    result.stdout.fnmatch_lines(["*ERROR at teardown of test_leaks[[]e[]]f::g[[][]]*"])
    result.assert_outcomes(passed=7, errors=3)


def _glob(text: str) -> str:
    """``text`` as an fnmatch pattern that matches it literally."""
    return "".join(f"[{ch}]" if ch in "[]*?" else ch for ch in text)
