"""A tree full of bad input gives the same outcomes serially and under ``-n 2`` (SPEC 8, 9).

Collection must be deterministic across workers (else xdist refuses: "Different tests were
collected") and what travels to the controller must be plain data.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Tree

LEAKY = """\
import os


def test_leaks_env():
    os.environ["RG_XDIST_LEAK"] = "1"


def test_clean(monkeypatch):
    monkeypatch.setenv("RG_XDIST_CLEAN", "1")
"""

BAD_TREE: dict[str, bytes] = {
    "binary.review.txt": b"1. **X**: line 1\n\x00\x00\xff\xfe\x80" + bytes(range(256)),
    "latin1.review.txt": "1. **Caf\u00e9**: `helper` line 1\n".encode("latin-1"),
    "bomb.review.txt": (
        b"---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        b"e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n---\n1. **X**: `helper` line 1\n"
    ),
    "tagged.review.txt": b"---\nmodule: !!python/object/apply:os.system ['touch PWNED']\n---\n1. **X**: line 1\n",
    "deep.review.txt": b"---\nmodule: helper.py\nx: " + b"[" * 60000 + b"\n---\n1. **X**: `helper` line 1\n",
    "ranges.review.txt": (
        b"---\nmodule: helper.py\n---\n1. **X**: `helper` line " + b"9" * 5000 + b"\n\n2. **Y**: `helper` lines 9-3\n\n"
        b"3. **Z**: `helper` line 0\n\n4. **W**: `helper` line 1\n   expect: tests-assert, mocks-undon\n"
    ),
    "helper.py": b"def helper():\n    return 1\n",
    "syntax.py": b"def helper(:\n",
    "syntax.review.txt": b"1. **X**: `helper` line 1\n   expect: tests-assert\n",
    "nul.py": b"def helper():\n    return '\x00'\n",
    "nul.review.txt": b"1. **X**: `helper` line 1\n",
    "cookie.py": b"# -*- coding: nope -*-\ndef helper():\n    pass\n",
    "cookie.review.txt": b"1. **X**: `helper` line 1\n",
    "test_leaky.py": LEAKY.encode(),
    "test_leaky.review.txt": b"\xef\xbb\xbf1. **Env**: `test_leaks_env` line 4\r\n   expect: env-restored\r\n",
    "regex.review.txt": (
        b"---\nmodule: helper.py\n---\n1. **X**: `helper` line 1 " + b"`a ``b <!--" * 5000 + b"\n"
        b"2. **Y**: `helper` " + b"lines 1, " * 5000 + b"\n"
    ),
}

SUMMARY = re.compile(r"^(PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS) (\S+)")


def outcomes_by_item(result: pytest.RunResult) -> list[tuple[str, str]]:
    """(outcome, node id) from ``-rA``'s short summary; skips are counted by reason, not node id."""
    return sorted(m.groups() for line in result.stdout.lines if (m := SUMMARY.match(line)))


def test_a_bad_input_tree_gives_the_same_outcomes_serially_and_under_xdist(tree: Tree) -> None:
    for name, data in BAD_TREE.items():
        tree.write(name, data)
    serial = tree.run(subprocess=True)
    tree.survived(serial)
    parallel = tree.run("-n", "2", subprocess=True)
    tree.survived(parallel)
    assert serial.parseoutcomes() == parallel.parseoutcomes()
    assert outcomes_by_item(serial) == outcomes_by_item(parallel)
    serial.assert_outcomes(passed=10, failed=12, errors=1, skipped=4)
    assert not (tree.path / "PWNED").exists()
    for output in (serial, parallel):
        output.stdout.fnmatch_lines(["*_ ERROR at teardown of test_leaks_env _*", "RG902 env-restored: *"])
        output.stdout.no_fnmatch_line("*Different tests were collected*")
