"""Shapes of real reviews the parser must read as their writers meant: CWE lists, tables with a
line column, wrapped and loose line citations, directives after a heading finding's body."""

from __future__ import annotations

import textwrap

from pytest_reviewgate.model import Review
from pytest_reviewgate.review import extract
from pytest_reviewgate.review.parser import parse_review


def parse(text: str) -> Review:
    return parse_review(textwrap.dedent(text).encode(), "test_store.review.txt")


def lines_of(review: Review) -> list[list[tuple[int, int]]]:
    return [[(a.start, a.end) for a in f.line_anchors] for f in review.findings]


# -- a list of CWE categories, one item each --------------------------------------------------


def test_each_item_of_a_cwe_list_is_a_finding_with_its_polarity() -> None:
    review = parse("""\
        Review by CWE category:

        - CWE-798 (Use of Hard-coded Credentials): Not applicable. No credentials here.
        - CWE-459 (Incomplete Cleanup): `make_files` (lines 7-9) never deletes the files it writes.
          expect: cleanup-registered
        - CWE-20 - not relevant to this module.
        - CWE-664: the flags at line 12 are undone by the base fixture. No issue.

        Overall: one cleanup defect.
        """)
    assert [(f.title, f.polarity) for f in review.findings] == [
        ("CWE-798 (Use of Hard-coded Credentials)", "clean"),
        ("CWE-459 (Incomplete Cleanup)", "defect"),
        ("CWE-20", "clean"),
        ("CWE-664", "clean"),
    ]
    assert [f.key for f in review.findings][1] == "cwe-459-incomplete-cleanup"
    assert [e.rule for e in review.findings[1].expectations] == ["cleanup-registered"]
    assert lines_of(review) == [[], [(7, 9)], [], [(12, 12)]]
    assert review.verdict == "defects"


def test_a_bullet_that_only_mentions_a_cwe_id_starts_no_finding() -> None:
    review = parse("""\
        1. **Leak**: the patch at line 4 is never stopped.
        - CWE-664 is the closest category for this.
        """)
    assert [f.title for f in review.findings] == ["Leak"]
    assert review.findings[0].last_line == 2


# -- tables whose rows are findings ------------------------------------------------------------


TABLE = """\
    | # | CWE | Line | Finding |
    |---|-----|------|---------|
    | 1 | CWE-664 | 28 | `setUp` registers `reset` with `addCleanup`. No problem. |
    | 2 | CWE-710 | 48-59 | `test_b` patches without autospec. |
    | 3 | CWE-710 | L44, 54 | `test_c` never stops its patcher. |
    | 4 | CWE-710 | n/a | `test_d` is fine. |
    """


def test_a_line_column_of_bare_numbers_gives_line_anchors() -> None:
    review = parse(TABLE)
    assert lines_of(review) == [[(28, 28)], [(48, 59)], [(44, 44), (54, 54)], []]
    text = textwrap.dedent(TABLE)
    first, last = review.findings[1].line_anchors[0].digits
    assert (text[first[0] : first[1]], text[last[0] : last[1]]) == ("48", "59")  # --reviewgate-fix rewrites these


def test_cell_lines_reads_only_cells_of_line_numbers() -> None:
    assert [(a.start, a.end) for a in extract.cell_lines("12 and 14", 1, 0, 0)] == [(12, 12), (14, 14)]
    assert [(a.start, a.end) for a in extract.cell_lines("~30-L34", 1, 0, 0)] == [(30, 34)]
    assert extract.cell_lines("2 tests", 1, 0, 0) == []
    assert extract.cell_lines("setUp", 1, 0, 0) == []
