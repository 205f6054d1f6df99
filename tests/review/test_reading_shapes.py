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


# -- line citations as people wrap and join them ----------------------------------------------


def test_a_line_citation_wrapped_after_its_keyword_is_read_whole() -> None:
    review = parse("""\
        1. **Split target**: the patch target at lines
           119-120 and 132-133 is written as two strings.
        2. **Threads**: `t1` and `t2` start at line
           40; nothing joins them.
        3. **Count**: the helper has 3 lines
           5 of them are comments.
        """)
    assert lines_of(review) == [[(119, 120), (132, 133)], [(40, 40)], []]


def test_a_wrapped_keyword_does_not_reach_into_the_next_paragraph() -> None:
    review = parse("""\
        ### 1. Leak

        The helper is long, about 40 lines

        12 tests use it.
        """)
    assert lines_of(review) == [[]]


def test_a_singular_keyword_continues_with_and_or_or_and_a_higher_number() -> None:
    def cited(text: str) -> list[tuple[int, int]]:
        return [(a.start, a.end) for a in extract.line_anchors(text, 1, 0, 0, "test_store.py")]

    assert cited("`validate_common` (line 56 and 60) only asserts") == [(56, 56), (60, 60)]
    assert cited("an assertion failure at line 1628 or 1634 leaves both") == [(1628, 1628), (1634, 1634)]
    assert cited("lines 12 or 14-16") == [(12, 12), (14, 16)]
    assert cited("at line 85 and 3 other places") == [(85, 85)]
    assert cited("at line 85, 120 tests run") == [(85, 85)]
    assert cited("on line 44, 54 and 60") == [(44, 44), (54, 54), (60, 60)]


def test_a_line_keyword_as_a_field_label_or_with_an_approximate_number() -> None:
    def cited(text: str) -> list[tuple[int, int]]:
        return [(a.start, a.end) for a in extract.line_anchors(text, 1, 0, 0, "test_store.py")]

    assert cited("- **Lines:** 44-64") == [(44, 64)]
    assert cited("- **Line**: 85") == [(85, 85)]
    assert cited("Line: 44") == [(44, 44)]
    assert cited("somewhere near line ~44") == [(44, 44)]
    assert cited("Line numbers: 12, 14, 18") == [(12, 12), (14, 14), (18, 18)]
    assert cited("lines: none") == []
    assert cited("the outline 4") == []


# -- directives under a heading finding --------------------------------------------------------


def test_directives_after_the_body_of_the_last_heading_finding_are_its_own() -> None:
    review = parse("""\
        ### 1. Config leak

        `test_a` (lines 4-9) overrides the option and never clears it.

        expect: config-reverted-via-fixtures
        status: open

        ### 2. No error path

        `test_b` (lines 11-14) covers only the happy path.

        expect: error-paths-tested
        status: open

        Summary: one leak and one gap.
        expect: env-restored
        """)
    first, second = review.findings
    assert [(e.rule, e.status) for e in first.expectations] == [("config-reverted-via-fixtures", "open")]
    assert [(e.rule, e.status) for e in second.expectations] == [("error-paths-tested", "open")]
    assert second.status == "open"
    assert [e.rule for e in review.expectations] == ["env-restored"]
    assert review.expectations[0].status is None


# -- a number in bold leads the finding -------------------------------------------------------


def test_a_bold_number_leads_a_bullet_or_paragraph_and_the_words_after_it_title_it() -> None:
    review = parse("""\
        - **3.** Error path untested: `test_a` (L20-L23) covers only the happy path.
        - **4. Leak**: the patcher at line 31 is never stopped.
        - **Finding 5:** Mocks: `test_c` patches without autospec.
        """)
    assert [(f.key, f.number, f.title) for f in review.findings] == [
        ("3", 3, "Error path untested"), ("4", 4, "Leak"), ("5", 5, "Mocks")]
    assert review.findings[0].polarity == "defect"
    paragraphs = parse("**1.** The patch at line 4 is never stopped.\n\n**2.** Temp files: never removed.\n")
    assert [(f.key, f.title) for f in paragraphs.findings] == [
        ("1", "The patch at line 4 is never stopped"), ("2", "Temp files")]


# -- mentions: what a name's own clause says of it ----------------------------------------------


def mentioned(text: str) -> list[tuple[str, str]]:
    return [(s.name, s.role) for s in extract.symbols(text, 1, 0, 0, extract.Carry())]


def test_a_name_followed_by_would_do_or_would_be_better_is_recommended() -> None:
    assert mentioned("`stub_share` hard-codes it; `uuids.share_network` would do.") == [
        ("stub_share", ""), ("uuids.share_network", "recommended")]
    assert mentioned("This is correct, although a `fixtures.MonkeyPatch` would be") == [
        ("fixtures.MonkeyPatch", "recommended")]
    assert mentioned("`tmp_path` is the usual way to get a directory") == [("tmp_path", "recommended")]
    assert mentioned("`_helper` would break if the order changed") == [("_helper", "")]
    assert mentioned("`_helper` is better tested than `_other`") == [("_helper", ""), ("_other", "")]


def test_a_verb_after_line_numbers_is_no_imperative() -> None:
    assert mentioned("Lines 47 and 67-68 call `importlib.reload` on `classes`.") == [
        ("importlib.reload", ""), ("classes", "")]
    assert mentioned("2) add `self.addCleanup` for it") == [("self.addCleanup", "recommended")]
    assert mentioned("Step 3 call `stop_all` at the end") == [("stop_all", "recommended")]


def test_a_pytest_node_id_of_the_module_anchors_its_dotted_name() -> None:
    review = parse("""\
        1. **Leak**: `test_store.py::StoreTests::test_put` (line 52) leaves the global set;
           `::test_get[ipv6]` too, unlike `other/test_x.py::XTests::test_y`.
        """)
    assert [s.name for s in review.findings[0].symbol_anchors] == ["StoreTests.test_put", "test_get"]
    assert mentioned("`tests/test_a.py::A::b`") == [("A.b", "")]  # without a module name, any file


def test_a_labelled_paragraph_after_heading_findings_is_a_finding_of_its_own() -> None:
    review = parse("""\
        #### [MEDIUM] Notifier patched without a spec

        `test_a` patches the notifier at line 18 with no autospec.

        #### [INFO] Fixture-based notifier

        `setUp` (lines 3-6) installs the fixture; correctly handled.

        Issue 3 - unused argument: `bad` takes `zoo` (line 25) and ignores it.

        Overall sound.
        """)
    assert [(f.key, f.title, f.polarity) for f in review.findings] == [
        ("notifier-patched-without-a-spec", "Notifier patched without a spec", "defect"),
        ("fixture-based-notifier", "Fixture-based notifier", "clean"),
        ("3", "unused argument", "note"),
    ]
    assert lines_of(review)[1] == [(3, 6)]
    numbered = parse("### 2. Leak\n\nSteps:\n\nFinding 2: the same leak, seen at line 4.\n")
    assert [f.key for f in numbered.findings] == ["2"]  # the heading's own number: part of its body


def test_parenthesised_numbers_lead_findings() -> None:
    review = parse("""\
        No hygiene issues found.

        (1) `_wrapper` (line 33-37) is a local decorator factory; it is fine.
        (2) `test_a` and `test_b` repeat the same assertions (lines 46-50, 60-64).

        LGTM.
        """)
    assert [(f.key, f.polarity) for f in review.findings] == [("1", "clean"), ("2", "note")]
    assert lines_of(review) == [[(33, 37)], [(46, 50), (60, 64)]]
    assert review.verdict == "clean"
    assert parse("(see line 4) for details\n").findings == ()


def test_hash_numbers_severity_bullets_and_italic_titles_lead_findings() -> None:
    hashed = parse("#1 Mock leak: `test_a` starts a patcher at line 4.\n#2 Env leak: `test_b` (line 9).\n")
    assert [(f.key, f.polarity) for f in hashed.findings] == [("1", "defect"), ("2", "defect")]
    assert lines_of(hashed) == [[(4, 4)], [(9, 9)]]
    assert parse("# 1 Heading\n").findings == ()  # a heading (hashes and a space), as before
    severities = parse("""\
        - **High** \u2014 Mock leak: `test_a` starts a patcher at line 4 and never stops it.
        - **Low** - Style: `test_b` is long (lines 9-40).
        """)
    assert [(f.key, f.title) for f in severities.findings] == [("mock-leak", "Mock leak"), ("style", "Style")]
    italic = parse("1. *Mock leak* - `test_a` (line 4).\n2. _Env leak_: `test_b` sets it at line 9.\n")
    assert [f.title for f in italic.findings] == ["Mock leak", "Env leak"]
    assert [s.name for f in italic.findings for s in f.symbol_anchors] == ["test_a", "test_b"]
    assert [s.name for s in parse("1. `_a` calls _helper_x at line 4.\n").findings[0].symbol_anchors] == [
        "_a", "_helper_x"]


def test_blocks_led_by_a_label_that_names_a_finding_are_one_finding_each() -> None:
    review = parse("""\
        Review of test_store.py

        **Finding:** Mock leak in `test_a`
        **Location:** line 4
        **Severity:** High

        **Finding:** Environment leak in `test_b`
        **Location:** lines 9-12

        Overall two leaks.
        """)
    assert [(f.title, f.first_line, f.last_line) for f in review.findings] == [
        ("Mock leak in test_a", 3, 5), ("Environment leak in test_b", 7, 8)]
    assert lines_of(review) == [[(4, 4)], [(9, 12)]]
    bullets = parse("- **Issue:** `test_a` never stops its patcher.\n  **Fix:** stop it.\n"
                    "- **Issue:** `test_b` leaks.\n")
    assert [f.title for f in bullets.findings] == ["test_a never stops its patcher", "test_b leaks"]
    inside = parse("1. **Mock leak**\n   **Issue:** the patcher at line 4 is never stopped.\n")
    assert [(f.key, f.title) for f in inside.findings] == [("1", "Mock leak")]  # a field of the numbered finding


def test_names_where_advice_applies_or_what_it_replaces_stay_anchors() -> None:
    assert mentioned("Use `self.flags` instead of `CONF.set_override`.") == [
        ("self.flags", "recommended"), ("CONF.set_override", "")]
    assert mentioned("The test should use `useFixture` for the patch started in `setUp`.") == [
        ("useFixture", "recommended"), ("setUp", "")]
    assert mentioned("use `tmp_path` in `test_c` and `test_d`") == [
        ("tmp_path", "recommended"), ("test_c", ""), ("test_d", "")]
    assert mentioned("`test_a` uses `set_override` instead of `self.flags`.") == [
        ("test_a", ""), ("set_override", ""), ("self.flags", "recommended")]
    assert mentioned("Consider `fixtures.MonkeyPatch` or `monkeypatch.setattr`.") == [
        ("fixtures.MonkeyPatch", "recommended"), ("monkeypatch.setattr", "recommended")]


def test_pictographs_before_a_title_and_a_tag_after_a_label_number_are_no_obstacle() -> None:
    bullets = parse("- \u26a0\ufe0f **Mock leak**: `test_a` starts a patcher at line 4.\n"
                    "- \u2705 **Environment**: `test_b` restores 'X' (line 9).\n")
    assert [(f.title, f.polarity) for f in bullets.findings] == [("Mock leak", "defect"), ("Environment", "clean")]
    headings = parse("### \U0001f534 Critical: Mock leak\n`test_a` (line 4) never stops it.\n")
    assert [f.title for f in headings.findings] == ["Mock leak"]
    paragraph = parse("\u26a0\ufe0f **Temp files:** `test_c` (line 7) never removes them.\n")
    assert [f.title for f in paragraph.findings] == ["Temp files"]
    labelled = parse("Finding 1 (High): `test_a` never stops it (line 4).\nFinding 2 [Low] - `test_b` is fine.\n")
    assert [(f.key, f.polarity) for f in labelled.findings] == [("1", "defect"), ("2", "clean")]
