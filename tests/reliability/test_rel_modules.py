"""Bad reviewed modules (SPEC 8): read as source, never imported; what ``ast`` cannot use fails ``::review``.

The reviewed module is ``helper.py``: pytest itself does not collect it, so a module pytest cannot
import shows what reviewgate does with it, apart from pytest's own collection error.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Tree

EVERY_STATIC_RULE = (
    "tests-assert, no-hardcoded-uuids, mocks-undone, mocks-autospecced, config-reverted-via-fixtures, "
    "env-reverted-via-fixtures, no-unreverted-monkeypatch, cleanup-registered, error-paths-tested, "
    "patch-targets-exist"
)
REVIEW = f"1. **Helper**: `helper` line 1\n   expect: {EVERY_STATIC_RULE}\n"


def unusable(tree: Tree, module: bytes, message: str) -> pytest.RunResult:
    """``::review`` fails naming the module's file and line; the other items point at it, skipped."""
    tree.write("helper.py", module)
    tree.write("helper.review.txt", REVIEW)
    result = tree.run("-v")
    tree.survived(result)
    result.stdout.fnmatch_lines(
        [
            "helper.review.txt::review FAILED*",
            "helper.review.txt::finding-1::anchors SKIPPED*",
            f"  helper.review.txt:1: RG003 review-valid: {message}",
            "SKIPPED [[]11[]] helper.review.txt:1: helper.py does not parse (see ::review)",
        ]
    )
    result.assert_outcomes(passed=1, failed=1, skipped=11)
    return result


def test_a_module_with_a_syntax_error_fails_the_review_item_at_its_line(tree: Tree) -> None:
    unusable(tree, b"import os\n\n\ndef helper(:\n    pass\n", "helper.py:4: the module does not parse: invalid syntax")


def test_a_module_with_a_null_byte_names_its_line(tree: Tree) -> None:
    """``ast.parse`` reports no usable line for a null byte."""
    module = b'import os\n\n\ndef helper():\n    return "a\x00b"\n'
    unusable(tree, module, "helper.py:5: the module contains a null byte")


def test_a_module_with_an_unknown_coding_cookie_fails_the_review_item(tree: Tree) -> None:
    module = b"# -*- coding: nope -*-\ndef helper():\n    pass\n"
    unusable(tree, module, "helper.py:1: cannot decode the module: unknown encoding: nope")


def test_an_unknown_coding_cookie_after_a_shebang_is_reported_at_its_line(tree: Tree) -> None:
    """``ast.parse`` gives no usable line for a bad coding cookie (SPEC 8): the plugin must find it."""
    module = b"#!/usr/bin/env python\n# -*- coding: nope -*-\ndef helper():\n    pass\n"
    unusable(tree, module, "helper.py:2: cannot decode the module: unknown encoding: nope")


def test_a_module_that_is_not_utf8_names_its_line(tree: Tree) -> None:
    module = b"import os\n\n\ndef helper():\n    return '\xff'\n"
    unusable(tree, module, "helper.py:5: cannot decode the module: *")


def test_an_expression_nested_5000_deep_does_not_parse_and_fails_cleanly(tree: Tree) -> None:
    module = ("def helper():\n    return 1" + " + 1" * 5000 + "\n").encode()
    unusable(tree, module, "helper.py:1: the module does not parse: *")


DEEP = {
    "binop": "1" + " + 1" * 2500,
    "call": "f" + "()" * 2500,
    "subscript": "a" + "[0]" * 2500,
    "unary": "-" * 2500 + "1",
    "not": "not " * 2500 + "1",
    "ifexp": "1 if a else " * 2000 + "1",
    "lambda": "lambda: " * 2000 + "1",
    "compare": "1" + " < 1" * 5000,
}


@pytest.mark.parametrize("shape", DEEP)
def test_deeply_nested_code_that_parses_is_checked_by_every_rule_without_overflowing(tree: Tree, shape: str) -> None:
    """Deeper than the recursion limit: a recursive visitor would overflow; the plugin's walks iterate."""
    expression = DEEP[shape]
    tree.write(
        "helper.py",
        f"import os\nfrom unittest import mock\n\n\ndef helper(a, f):\n    x = {expression}\n"
        f'    os.environ["X"] = str({expression})\n    mock.patch("os.getcwd", {expression}).start()\n'
        f"    return x\n\n\ndef test_helper():\n    assert helper(1, 2) == ({expression})\n",
    )
    tree.write("helper.review.txt", f"1. **Helper**: `helper` line 5\n   expect: {EVERY_STATIC_RULE}\n")
    assert sys.getrecursionlimit() < 2500
    result = tree.run("-v")
    tree.survived(result)
    output = result.stdout.str()
    assert "RecursionError" not in output
    assert " raised:" not in output
    result.stdout.fnmatch_lines(
        [
            "helper.review.txt::review PASSED*",
            "helper.review.txt::finding-1::anchors PASSED*",
            "helper.review.txt::finding-1::env-reverted-via-fixtures FAILED*",
            "helper.review.txt::finding-1::cleanup-registered FAILED*",
            "  helper.py:7 in helper: *",
        ]
    )


def test_a_long_attribute_chain_is_indexed_in_linear_time(tree: Tree) -> None:
    chain = "a" + ".b" * 2500
    tree.write("helper.py", f"def helper(a):\n    return {chain}\n")
    tree.write("helper.review.txt", "1. **Helper**: `helper` line 1\n   expect: tests-assert\n")
    # A bound for "it finishes", far above the linear cost (well under a second of analysis).
    result = tree.run("-v", subprocess=True, timeout=8)
    tree.survived(result, pytest.ExitCode.OK)
    result.stdout.fnmatch_lines(["helper.review.txt::finding-1::anchors PASSED*"])


def test_a_one_megabyte_module_is_analysed_and_anchors_deep_in_it_resolve(tree: Tree) -> None:
    parts = ["import os\nfrom unittest import mock\n\n"]
    n = 0
    while sum(map(len, parts)) < 1024 * 1024:
        parts.append(
            f"\n\nclass TestThing{n}:\n"
            f"    def setup_method(self):\n"
            f'        self.patcher = mock.patch("os.getcwd", return_value="/tmp")\n'
            f"        self.patcher.start()\n"
            f'        self.value = {{"id": "{n}", "name": "thing-{n}"}}\n\n'
            f"    def teardown_method(self):\n        self.patcher.stop()\n\n"
            f"    def _helper_{n}(self, x):\n"
            f'        return [x, self.value["name"], os.path.join("a", str(x))]\n\n'
            f"    def test_thing_{n}(self):\n"
            f"        result = self._helper_{n}({n})\n"
            f"        assert result[0] == {n}\n"
        )
        n += 1
    module = "".join(parts)
    assert len(module) > 1024 * 1024
    last = n - 1
    line = module[: module.index(f"def _helper_{last}(")].count("\n") + 1
    tree.write("helper.py", module)
    tree.write(
        "helper.review.txt",
        f"1. **Helper (CWE-664)**: `TestThing{last}._helper_{last}` line {line}\n"
        f"   expect: tests-assert, mocks-undone, cleanup-registered on TestThing{last}\n\n"
        f"2. **Stale**: `TestThing{last // 2}.test_thing_{last // 2}` line 3\n",
    )
    result = tree.run("-v")
    tree.survived(result)
    middle = module[: module.index(f"def test_thing_{last // 2}(")].count("\n") + 1
    result.stdout.fnmatch_lines(
        [
            "helper.review.txt::finding-1::anchors PASSED*",
            "helper.review.txt::finding-1::tests-assert PASSED*",
            "helper.review.txt::finding-1::mocks-undone PASSED*",
            "helper.review.txt::finding-1::cleanup-registered PASSED*",
            "helper.review.txt::finding-2::anchors FAILED*",
            f"  helper.review.txt:4: `TestThing{last // 2}.test_thing_{last // 2}` is at lines "
            f"{middle}-{middle + 2}, the review says 3 -> *",
        ]
    )


def test_the_reviewed_module_is_never_imported(tree: Tree) -> None:
    tree.write(
        "helper.py",
        'open("PWNED", "w").close()\nraise SystemExit("imported")\n\n\ndef helper():\n    return 1\n',
    )
    tree.write("helper.review.txt", "1. **Helper**: `helper` line 5\n   expect: tests-assert\n")
    result = tree.run("-v")
    tree.survived(result, pytest.ExitCode.OK)
    result.assert_outcomes(passed=4)
    assert not (tree.path / "PWNED").exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_module_that_is_a_named_pipe_is_refused_without_opening_it(tree: Tree) -> None:
    os.mkfifo(tree.path / "helper.py")
    tree.write("helper.review.txt", "1. **Helper**: `helper` line 1\n")
    opened = threading.Event()
    done = threading.Event()

    def writer() -> None:
        """Stands in for whatever might write the pipe: tells whether anyone opened it to read, and unblocks them."""
        while not done.is_set():
            try:
                fd = os.open(tree.path / "helper.py", os.O_WRONLY | os.O_NONBLOCK)
            except OSError:  # ENXIO: nobody has it open for reading
                time.sleep(0.01)
                continue
            opened.set()
            os.close(fd)  # the reader sees an empty file and goes on

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    try:
        result = tree.run("-v")
    finally:
        done.set()
        thread.join()
    assert not opened.is_set(), "the plugin opened a named pipe to read it as a module"
    tree.survived(result)
    result.stdout.fnmatch_lines(["helper.review.txt::review FAILED*", "  helper.review.txt:1: *helper.py*"])
