"""Files that change or vanish between collection and run (SPEC 8): analysed as they are at run time."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Tree

MODULE = "def helper():\n    return 1\n\n\ndef other():\n    return 2\n"
REVIEW = "1. **Helper**: `helper` line 1\n   expect: tests-assert on helper\n"

# Runs after collection, before the first item: deletes or rewrites files as a parallel job might.
CONFTEST = """
import pathlib

CHANGES = {changes!r}


def pytest_collection_finish(session):
    for name, text in CHANGES.items():
        path = pathlib.Path(session.config.rootpath, name)
        if text is None:
            path.unlink()
        else:
            path.write_text(text)
"""


@pytest.fixture
def tree(tree: Tree) -> Tree:
    tree.write("helper.py", MODULE)
    tree.write("helper.review.txt", REVIEW)
    return tree


def change(tree: Tree, **changes: str | None) -> None:
    tree.write("conftest.py", CONFTEST.format(changes={k.replace("_", "."): v for k, v in changes.items()}))


def test_a_module_deleted_after_collection_fails_its_items(tree: Tree) -> None:
    change(tree, helper_py=None)
    result = tree.run("-v")
    tree.survived(result, changed=("helper.py",))
    result.stdout.fnmatch_lines(
        [
            "helper.review.txt::review FAILED*",
            "helper.review.txt::finding-1::anchors FAILED*",
            "helper.review.txt::finding-1::tests-assert FAILED*",
            "  helper.review.txt:1: RG003 review-valid: the reviewed module helper.py does not exist",
        ]
    )
    result.assert_outcomes(passed=1, failed=3)


def test_a_review_deleted_after_collection_fails_its_items(tree: Tree) -> None:
    tree.write("helper.review.txt", REVIEW)
    change(tree, helper_review_txt=None)
    result = tree.run("-v")
    tree.survived(result, changed=("helper.review.txt",))
    result.stdout.fnmatch_lines(
        [
            "helper.review.txt::review FAILED*",
            "helper.review.txt::finding-1::anchors FAILED*",
            "helper.review.txt::finding-1::tests-assert FAILED*",
            "  helper.review.txt: RG003 review-valid: cannot read the review: No such file or directory",
        ]
    )
    result.assert_outcomes(passed=1, failed=3)


def test_a_module_rewritten_after_collection_is_analysed_as_it_is_at_run_time(tree: Tree) -> None:
    moved = "# one\n# two\n# three\n" + MODULE
    change(tree, helper_py=moved)
    result = tree.run("-v")
    tree.survived(result, changed=("helper.py",))
    result.stdout.fnmatch_lines(
        [
            "helper.review.txt::finding-1::anchors FAILED*",
            "  helper.review.txt:1: `helper` is at lines 4-5, the review says 1 -> *",
        ]
    )
    result.assert_outcomes(passed=3, failed=1)


def test_a_review_rewritten_after_collection_is_analysed_as_it_is_at_run_time(tree: Tree) -> None:
    change(tree, helper_review_txt="Intro\n\n1. **Helper**: `other` line 40\n   expect: tests-assert on helper\n")
    result = tree.run("-v")
    tree.survived(result, changed=("helper.review.txt",))
    result.stdout.fnmatch_lines(
        [
            "helper.review.txt::finding-1::anchors FAILED*",
            "  helper.review.txt:3: `other` is at lines 5-6, the review says 40 -> *",
        ]
    )
    result.assert_outcomes(passed=3, failed=1)


def test_an_item_whose_finding_vanished_from_the_rewritten_review_fails_saying_so(tree: Tree) -> None:
    change(tree, helper_review_txt="1. **Helper**: `helper` line 1\n")
    result = tree.run("-v")
    tree.survived(result, changed=("helper.review.txt",))
    result.stdout.fnmatch_lines(
        ["helper.review.txt::finding-1::tests-assert FAILED*",
         "RG303 finding-1::tests-assert is no longer in the review"]
    )
    result.assert_outcomes(passed=3, failed=1)
