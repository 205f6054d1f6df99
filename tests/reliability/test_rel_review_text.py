"""Bad review text (SPEC 8, 3.2, 3.3): one clear failing item naming file and line; the session goes on."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Tree

MODULE = """\
import os


def _switch_region(region):
    os.environ["REGION"] = region


def test_region():
    _switch_region("north")
    assert os.environ["REGION"] == "north"
"""


@pytest.fixture
def tree(tree: Tree) -> Tree:
    tree.write("test_region.py", MODULE)
    return tree


@pytest.mark.parametrize("text", [b"", b"   \n\n\t\n\r\n  \r\n"], ids=["empty", "blank-only"])
def test_an_empty_or_blank_review_passes_its_review_item_and_gates_nothing(tree: Tree, text: bytes) -> None:
    tree.write("test_region.review.txt", text)
    result = tree.run("-v")
    tree.survived(result, pytest.ExitCode.OK)
    result.stdout.fnmatch_lines(
        [
            "test_region.review.txt::review PASSED*",
            "findings: 0 (0 gated, 0 not gated; 0 defect, 0 clean, 0 note)",
            "items: 1 passed",
        ]
    )
    result.assert_outcomes(passed=3)


def test_a_binary_review_fails_its_review_item_naming_line_and_byte(tree: Tree) -> None:
    noise = bytes(random.Random(9).randrange(256) for _ in range(4096))
    tree.write("test_region.review.txt", b"1. **Env**: `_switch_region` line 4\n\x00\x00\x00\xff\xfe" + noise + b"\0\0")
    result = tree.run()
    tree.survived(result)
    result.stdout.fnmatch_lines(
        ["  test_region.review.txt:2: RG003 review-valid: not UTF-8: byte 0xff at line 2, column 4"]
    )
    result.assert_outcomes(passed=2, failed=1)  # ::review is the only item of an undecodable review


def test_invalid_utf8_names_the_line_and_the_byte(tree: Tree) -> None:
    tree.write(
        "test_region.review.txt",
        b"Review\r\n\r\n1. **Env**: `_switch_region` line 4\nsome text \xc3\x28 here\n",
    )
    result = tree.run()
    tree.survived(result)
    result.stdout.fnmatch_lines(
        ["  test_region.review.txt:4: RG003 review-valid: not UTF-8: byte 0xc3 at line 4, column 11"]
    )
    result.assert_outcomes(passed=2, failed=1)


def test_a_bom_and_crlf_review_works_like_any_other(tree: Tree) -> None:
    review = "Review\r\n\r\n1. **Env**: `_switch_region` line 4\r\n   expect: tests-assert on test_region\r\n\r\n"
    review += "2. **Stale**: `test_region` line 40\r\n"
    tree.write("test_region.review.txt", b"\xef\xbb\xbf" + review.encode())
    tree.write("cr.review.txt", "---\rmodule: test_region.py\r---\r1. **Env**: `_switch_region` line 4\r")
    result = tree.run("-v")
    tree.survived(result)
    result.stdout.fnmatch_lines(
        [
            "cr.review.txt::review PASSED*",
            "cr.review.txt::finding-1::anchors PASSED*",
            "test_region.review.txt::review PASSED*",
            "test_region.review.txt::finding-1::anchors PASSED*",
            "test_region.review.txt::finding-1::tests-assert PASSED*",
            "test_region.review.txt::finding-2::anchors FAILED*",
            "  test_region.review.txt:6: `test_region` is at lines 8-10, the review says 40 -> *",
        ]
    )
    result.assert_outcomes(passed=7, failed=1)


def test_line_separators_other_than_cr_and_lf_do_not_shift_lines(tree: Tree) -> None:
    """``str.splitlines`` also breaks at form feed, U+2028 and NEL; editors, ``ast`` and reviewers do not."""
    tree.write("sep.py", '# form\x0cfeed\nX = "a\u2028b\x85c"\n\n\ndef helper():\n    return X\n')
    tree.write("sep.review.txt", "Intro\u2028still line one\x0c and \x85 too\n1. **X**: `helper` line 40\n")
    result = tree.run()
    tree.survived(result)
    result.stdout.fnmatch_lines(["  sep.review.txt:2: `helper` is at lines 5-6, the review says 40 -> *"])


def test_a_review_just_over_max_review_bytes_fails_and_one_at_the_limit_passes(tree: Tree) -> None:
    tree.pytester.makepyprojecttoml("[tool.reviewgate]\nmax-review-bytes = 100\n")
    head = "---\nmodule: test_region.py\n---\n1. **Env**: `_switch_region` line 4\n"
    tree.write("at.review.txt", head + "x" * (100 - len(head) - 1) + "\n")
    tree.write("test_region.review.txt", "1. **Env**: `_switch_region` line 4\n" + "x" * 64 + "\n")
    assert (tree.path / "at.review.txt").stat().st_size == 100
    result = tree.run("-v")
    tree.survived(result)
    result.stdout.fnmatch_lines(
        [
            "at.review.txt::review PASSED*",
            "at.review.txt::finding-1::anchors PASSED*",
            "test_region.review.txt::review FAILED*",
            "  test_region.review.txt:1: RG003 review-valid: 101 bytes, more than max-review-bytes (100)",
        ]
    )
    result.assert_outcomes(passed=4, failed=1)


def test_a_ten_megabyte_review_at_the_default_limit_runs_to_the_end(tree: Tree) -> None:
    """Two hundred findings, a pasted log and a long conclusion: exactly ``max-review-bytes`` (10 MiB)."""
    findings = "".join(
        f"{n}. **Environment change {n} (CWE-664)**: lines 4-5\n"
        f"   - `_switch_region()` sets os.environ and nothing restores it; see also `test_region` and L8-L10.\n"
        f"   - This could lead to a situation where a later test sees 'REGION', e.g. test_region.py:8.\n\n"
        for n in range(1, 201)
    )
    log = "```\n" + "2020-05-01 12:00:00.000 DEBUG nova.virt req-1 lines 1, 2 `x` **y** <!-- _z_\n" * 60000 + "```\n\n"
    last = "201. **Stale (CWE-703)**: `test_region` line 90\n\n"
    conclusion = "In conclusion, the tests mostly restore what they change (lines 4-5 aside). " * 9 + "\n"
    body = "Review of test_region.py\n\n" + findings + log + last
    limit = 10 * 1024 * 1024
    count = (limit - len(body)) // len(conclusion)
    text = body + conclusion * count
    text += "." * (limit - len(text) - 1) + "\n"
    assert len(text.encode()) == limit
    review_line_of_last = body.count("\n", 0, body.index("201. ")) + 1
    tree.write("test_region.review.txt", text)
    result = tree.run()
    tree.survived(result)
    result.stdout.fnmatch_lines(
        [
            f"  test_region.review.txt:{review_line_of_last}: `test_region` is at lines 8-10, the review says 90 -> *",
            "findings: 201 (201 gated, 0 not gated;*",
        ]
    )
    result.stdout.fnmatch_lines(["PASSED test_region.review.txt::cwe-known"])
    result.assert_outcomes(passed=204, failed=1)  # the test, ::review, ::cwe-known, 200 ::anchors; 201's fails


def test_more_findings_than_max_findings_fail_the_review_item(tree: Tree) -> None:
    tree.pytester.makepyprojecttoml("[tool.reviewgate]\nmax-findings = 3\n")
    three = "".join(f"{n}. **Env {n}**: `_switch_region` line 4\n" for n in range(1, 4))
    tree.write("three.review.txt", "---\nmodule: test_region.py\n---\n" + three)
    tree.write("test_region.review.txt", three + "4. **Env 4**: `_switch_region` line 4\n")
    result = tree.run("-v")
    tree.survived(result)
    result.stdout.fnmatch_lines(
        [
            "test_region.review.txt::review FAILED*",
            "three.review.txt::finding-3::anchors PASSED*",
            "  test_region.review.txt:1: RG003 review-valid: 4 findings, more than max-findings (3)",
        ]
    )
    result.assert_outcomes(passed=6, failed=1)


ABSURD = [
    ("line " + "9" * 5000, "line 999999999999\u2026: line number out of range -> *"),
    ("L" + "7" * 5000, "L777777777777\u2026: line number out of range -> *"),
    ("line 1234567890", "line 1234567890: line number out of range -> *"),
    ("line 0", "line 0: line number out of range -> *"),
    ("lines 9-3", "lines 9-3 is a reversed range -> write the lower line first"),
    ("lines 0-4", "lines 0-4: line number out of range -> *"),
]


@pytest.mark.parametrize(
    ("anchor", "message"), ABSURD, ids=["5000-digits", "github-5000", "10-digits", "zero", "reversed", "from-zero"]
)
def test_absurd_line_anchors_fail_rg001_and_are_never_dropped_or_swapped(tree: Tree, anchor: str, message: str) -> None:
    tree.write("test_region.review.txt", f"Intro\n\n1. **Env**: `_switch_region` {anchor}\n")
    result = tree.run()
    tree.survived(result)
    result.stdout.fnmatch_lines(["*RG001 finding-1::anchors*", f"  test_region.review.txt:3: {message}"])
    result.assert_outcomes(passed=3, failed=1)


def test_fix_leaves_absurd_anchors_alone(tree: Tree) -> None:
    review = "1. **Env**: `_switch_region` line " + "9" * 5000 + "\n\n2. **Env**: `_switch_region` lines 9-3\n"
    tree.write("test_region.review.txt", review)
    result = tree.run("--reviewgate-fix")
    tree.survived(result)
    result.assert_outcomes(passed=3, failed=2)
    result.stdout.no_fnmatch_line("*written*")


def test_unknown_rules_fail_the_review_item_with_did_you_mean_and_findings_still_run(tree: Tree) -> None:
    tree.write(
        "test_region.review.txt",
        "---\nexpect:\n  - rule: mocks-undon\n---\n"
        "1. **Env**: `_switch_region` line 4\n   expect: env-reverted-via-fixture, RG1O2\n",
    )
    result = tree.run("-v")
    tree.survived(result)
    result.stdout.fnmatch_lines(
        [
            "test_region.review.txt::review FAILED*",
            "test_region.review.txt::finding-1::anchors PASSED*",
            "  test_region.review.txt:3: RG003 review-valid: unknown rule 'mocks-undon'; did you mean 'mocks-undone'?",
            "  test_region.review.txt:6: RG003 review-valid: unknown rule 'env-reverted-via-fixture';"
            " did you mean 'env-reverted-via-fixtures'?",
            "  test_region.review.txt:6: RG003 review-valid: unknown rule 'RG1O2'*",
        ]
    )


def test_an_inline_target_of_thousands_of_digits_is_reported_shortened(tree: Tree) -> None:
    tree.write(
        "test_region.review.txt",
        f"1. **Env**: `_switch_region` line 4\n   expect: tests-assert on lines {'9' * 5000}\n",
    )
    result = tree.run()
    tree.survived(result)
    result.stdout.fnmatch_lines(
        ["  test_region.review.txt:2: RG003 review-valid: cannot parse 'expect: tests-assert on lines 999*\u2026': *"]
    )
    assert "9" * 200 not in result.stdout.str()


def test_a_front_matter_target_of_thousands_of_digits_is_reported_shortened(tree: Tree) -> None:
    tree.write(
        "test_region.review.txt",
        '---\nexpect:\n  - rule: tests-assert\n    on: ["lines ' + "9" * 5000 + '"]\n---\n'
        "1. **Env**: `_switch_region` line 4\n",
    )
    result = tree.run()
    tree.survived(result)
    result.stdout.fnmatch_lines(["  test_region.review.txt:3: RG003 review-valid: target 'lines 999*"])
    assert "9" * 200 not in result.stdout.str()


def test_doctest_lines_and_code_in_a_review_are_never_run(tree: Tree) -> None:
    """pytest's doctest plugin would run ``>>>`` lines of any ``test*.txt``; review files reach reviewgate only."""
    tree.write(
        "test_region.review.txt",
        '>>> open("PWNED", "w").close()\n\n1. **Env**: `_switch_region` line 4\n'
        '   >>> __import__("os").system("touch PWNED")\n\n```python\nopen("PWNED", "w")\n```\n',
    )
    result = tree.run("-v", "--doctest-glob=*.txt", "--doctest-modules")
    tree.survived(result, pytest.ExitCode.OK)
    result.stdout.no_fnmatch_line("*[[]doctest[]]*")
    result.assert_outcomes(passed=4)
    assert not (tree.path / "PWNED").exists()


@pytest.mark.parametrize("target", ["lines 5-4", "lines 0-4"], ids=["reversed", "from-zero"])
def test_a_reversed_or_zero_target_range_fails_its_expectation_even_when_it_overlaps_code(
    tree: Tree, target: str
) -> None:
    tree.write("test_region.review.txt", f"1. **Env**: `_switch_region` line 4\n   expect: tests-assert on {target}\n")
    result = tree.run("-v")
    tree.survived(result)
    result.stdout.fnmatch_lines(
        ["test_region.review.txt::finding-1::tests-assert FAILED*", f"  test_region.review.txt:2: *{target}*"]
    )
