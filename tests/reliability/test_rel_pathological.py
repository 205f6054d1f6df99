"""Input built to make scanners backtrack or blow up (SPEC 3.2 "parsing is linear", 8): every session finishes.

No timing assertions: a regression shows as a test that does not finish. Where the work itself can be
counted, the count must grow linearly with the input.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Tree

ANCHORED = "1. **X**: `test_plain` line 1 "
PATHOLOGICAL = {
    "lines-comma": "1. **X**: `test_plain` " + "lines 1, " * 200000 + "\n",
    "backticks": ANCHORED + "`" * 100000 + "\n",
    "backtick-pairs": ANCHORED + "`a ``b " * 25000 + "\n",
    "underscores": ANCHORED + "_" * 100000 + "\n",
    "bold-markers": "1. " + "**" * 50000 + " `test_plain` line 1\n",
    "comment-openers": ANCHORED + "<!--" * 50000 + "\n",
    "comment-lines": ANCHORED + "\n" + "<!--\n" * 50000,
    "github-anchors": "1. **X**: `test_plain` " + "L1-L" * 50000 + "\n",
    "file-anchors": "1. **X**: " + "test_plain.py:1-" * 25000 + "\n",
    "urls": ANCHORED + "http://" * 50000 + "\n",
    "dotted-call": ANCHORED + "a." * 50000 + "()\n",
    "quotes": ANCHORED + "'a" * 50000 + "\n",
    "cwe-prefixes": "1. **X (CWE-664)**: `test_plain` line 1 " + "CWE-" * 50000 + "\n",
    "headings": "#" * 50000 + "\n" + "## **" * 10000 + "\n" + ANCHORED + "\n",
    "nested-bullets": ANCHORED + "\n" + "".join(" " * n + "- **x**\n" for n in range(1, 3000)),
    "long-title": "1. **" + "word " * 50000 + "**: `test_plain` line 1\n",
    "expect-rules": ANCHORED + "\n   expect: " + "tests-assert, " * 10000 + "tests-assert\n",
    "expect-targets": ANCHORED + "\n   expect: tests-assert on " + "test_plain, " * 10000 + "test_plain\n",
}
GATED = {"expect-rules", "expect-targets"}  # one more item: the expectation (all of them merge into one)
CITES_CWE = {"cwe-prefixes"}  # one more item: ``::cwe-known``, and only CWE-664 is an id among the prefixes


@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_pathological_review_text_finishes_and_anchors_still_resolve(tree: Tree, name: str) -> None:
    tree.write("test_plain.review.txt", PATHOLOGICAL[name])
    result = tree.run("-v")
    tree.survived(result, pytest.ExitCode.OK)
    result.stdout.fnmatch_lines(
        ["test_plain.review.txt::review PASSED*", "test_plain.review.txt::finding-1::anchors PASSED*"]
    )
    if name in CITES_CWE:
        result.stdout.fnmatch_lines(["test_plain.review.txt::cwe-known PASSED*"])
    result.assert_outcomes(passed=3 + (name in GATED) + (name in CITES_CWE))


def test_a_run_of_underscored_words_is_one_stale_symbol_reported_once(tree: Tree) -> None:
    tree.write("test_plain.review.txt", ANCHORED + "a_ " * 20000 + "\n")
    result = tree.run()
    tree.survived(result)
    result.stdout.fnmatch_lines(["  test_plain.review.txt:1: `a_` does not occur in the code of test_plain.py -> *"])
    assert tree.failures(result).count(": `a_` does not occur") == 1  # the first line says it without a place


@pytest.mark.parametrize(
    "text",
    ["- " + "**a" * 100000 + "\n", "```\n" * 100001 + ANCHORED + "\n"],
    ids=["bold-run-bullet-without-anchors", "unclosed-fence"],
)
def test_pathological_text_that_holds_no_gated_finding_makes_only_the_review_item(tree: Tree, text: str) -> None:
    tree.write("test_plain.review.txt", text)
    result = tree.run("-v")
    tree.survived(result, pytest.ExitCode.OK)
    result.stdout.fnmatch_lines(["test_plain.review.txt::review PASSED*"])
    result.stdout.no_fnmatch_line("*finding-*")
    result.assert_outcomes(passed=2)


def test_an_anchor_repeated_thousands_of_times_is_reported_once(tree: Tree) -> None:
    tree.write("test_plain.review.txt", "1. **X**: `test_plain` " + "lines 40, " * 2000 + "\n")
    result = tree.run()
    tree.survived(result)
    result.stdout.fnmatch_lines(["  test_plain.review.txt:1: `test_plain` is at lines 1-2, the review says 40 -> *"])
    assert tree.failures(result).count(": `test_plain` is at lines 1-2, the review says 40") == 1


def findings(count: int, body: str = "") -> str:
    return "".join(f"{n}. **Finding {n}**: `test_plain` line 1\n{body}" for n in range(1, count + 1))


def test_the_work_per_item_does_not_grow_with_the_number_of_findings(
    tree: Tree, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counted, not timed: how often a finding is asked whether it is gated, for 300 findings (301 items)."""
    from pytest_reviewgate.model import Finding

    asked = [0]
    gated = Finding.gated

    def counting(self: Finding) -> bool:
        asked[0] += 1
        return gated.fget(self)  # type: ignore[attr-defined, no-any-return]

    monkeypatch.setattr(Finding, "gated", property(counting))
    tree.write("test_plain.review.txt", findings(300))
    result = tree.run()
    tree.survived(result, pytest.ExitCode.OK)
    result.assert_outcomes(passed=302)
    assert asked[0] <= 10 * 300


def test_the_review_is_parsed_the_same_number_of_times_however_many_runtime_expectations_it_has(
    tree: Tree, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counted, not timed: parses of the review for 2 and for 40 runtime expectations."""
    import pytest_reviewgate.engine.analyse as engine

    parses = [0]
    parse_review = engine.parse_review

    def counting(*args: object, **kwargs: object) -> object:
        parses[0] += 1
        return parse_review(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "parse_review", counting)
    counted = []
    for count in (2, 40):
        tree.write("test_plain.review.txt", findings(count, "   expect: env-restored\n"))
        parses[0] = 0
        result = tree.run()
        tree.survived(result, pytest.ExitCode.OK)
        result.assert_outcomes(passed=1 + 1 + 2 * count)
        counted.append(parses[0])
    assert counted[0] == counted[1]
