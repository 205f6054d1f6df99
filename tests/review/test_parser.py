"""Review text -> findings: starts, bodies, titles, ids, CWE ids, opaque regions, encodings, limits."""

from __future__ import annotations

import re
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from pytest_reviewgate.analysis.index import Definition
from pytest_reviewgate.engine.anchors import pair
from pytest_reviewgate.model import Finding, Review
from pytest_reviewgate.review.parser import parse_review


def parse(text: str, path: str = "test_inventory.review.txt", **kw: Any) -> Review:
    return parse_review(textwrap.dedent(text).encode("utf-8"), path, **kw)


def keys(review: Review) -> list[str]:
    return [f.key for f in review.findings]


def ranges(finding: Finding) -> list[tuple[int, int]]:
    return [(a.start, a.end) for a in finding.line_anchors]


def names(finding: Finding) -> list[str]:
    return [s.name for s in finding.symbol_anchors]


# -- where findings start ---------------------------------------------------------------------


def test_numbered_items_at_the_smallest_list_indent_start_findings() -> None:
    review = parse("""\
        Intro text.

        1. **Config leak**: lines 10-12
           - nested bullet
           1. nested numbered item is body
        2) Second finding, numbered with a parenthesis.
        """)
    assert [(f.key, f.number, f.first_line, f.last_line) for f in review.findings] == [
        ("1", 1, 3, 5),
        ("2", 2, 6, 6),
    ]


def test_numbered_findings_under_a_heading_carry_its_slug() -> None:
    review = parse("""\
        ### Key Observations:
        1. **First**: line 3
        2. **Second**: line 4
        """)
    assert keys(review) == ["1", "2"]
    assert {f.heading for f in review.findings} == {"key-observations"}


def test_a_bold_start_bullet_at_the_list_indent_is_a_finding_and_a_plain_one_is_not() -> None:
    review = parse("""\
        Summary:

        - **Audit Logging**: nothing is logged (line 5).
          - **Nested bold** is body
        - a plain bullet is body of the finding above
        - **Mock leak**: the patcher is never stopped.
        """)
    assert [(f.key, f.first_line, f.last_line) for f in review.findings] == [
        ("audit-logging", 3, 5),
        ("mock-leak", 6, 6),
    ]


def test_findings_start_at_the_smallest_list_indent_in_use() -> None:
    review = parse("""\
          1. **Indented two**: line 3
             - detail
          2. **Also two**: line 4
        """)
    assert keys(review) == ["1", "2"]


def test_headings_starting_with_a_number_or_wholly_bold_are_findings() -> None:
    review = parse("""\
        ## 1. Config leak
        The override persists (line 40).
        ## **Mock leak**
        The patcher runs on.
        ## **2. Numbered in bold:**
        Text.
        ## Conclusion:
        Nothing else.
        """)
    assert [(f.key, f.number, f.title, f.first_line, f.last_line) for f in review.findings] == [
        ("1", 1, "Config leak", 1, 2),
        ("mock-leak", None, "Mock leak", 3, 4),
        ("2", 2, "Numbered in bold", 5, 6),
    ]


def test_other_headings_only_delimit_and_their_text_is_module_level() -> None:
    review = parse("""\
        1. **Leak**: line 3
           - detail

        ### Conclusion:
        No security defects are detected.
        1.5 seconds is not a list item
        """)
    assert [(f.first_line, f.last_line) for f in review.findings] == [(1, 2)]
    assert review.verdict == "clean"


def test_a_heading_finding_owns_its_paragraphs_bullets_and_sub_headings() -> None:
    review = parse("""\
        ### 1. Config leak

        `_switch_region` changes `CONF.region` (lines 41-47).

        - **Why**: the value leaks
        #### Evidence
        line 45 assigns it.

        ### 2. Mock leak
        - **Where**: line 20
        """)
    first, second = review.findings
    assert (first.key, first.first_line, first.last_line) == ("1", 1, 7)
    assert ranges(first) == [(41, 47), (45, 45)]
    assert (second.key, second.first_line, second.last_line) == ("2", 9, 10)
    assert len(review.findings) == 2


# -- bodies -----------------------------------------------------------------------------------


def test_after_the_last_finding_the_first_unindented_paragraph_after_a_blank_line_ends_it() -> None:
    review = parse("""\
        The code does not exhibit explicit security defects.

        1. **Leak**:
           - detail (line 4)
        continuation without a blank line stays

        The closing paragraph (line 99) is module-level.
        expect: mocks-undone
        """)
    (finding,) = review.findings
    assert (finding.first_line, finding.last_line) == (3, 5)
    assert ranges(finding) == [(4, 4)]
    assert review.verdict == "clean"
    assert [e.rule for e in review.expectations] == ["mocks-undone"]
    assert review.expectations[0].source == "module"


@pytest.mark.parametrize(
    "findings",
    [
        "- **Patch leak**: `setUp` never stops the patcher (line 20).\n- **Clock**: frozen and unfrozen.\n",
        "### **Patch leak**\n`setUp` never stops the patcher (line 20).\n\n### **Clock**\nFrozen and unfrozen.\n",
        "## 1. Patch leak\n\n`setUp` never stops the patcher (line 20).\n\n## 2. Clock\n\n- frozen\n- unfrozen\n",
    ],
    ids=["bold bullets", "bold headings", "numbered headings"],
)
def test_a_closing_paragraph_after_the_last_finding_is_module_level_in_every_style(findings: str) -> None:
    review = parse(f"Review.\n\n{findings}\nI did not identify any security defects.\n")
    last = review.findings[-1]
    assert "identify" not in last.text
    assert review.verdict == "clean"
    qualified = parse(f"{findings}\nNo critical vulnerabilities were found, but the defects above should be fixed.\n")
    assert "critical" not in qualified.findings[-1].text
    assert qualified.verdict == "defects"


def test_a_heading_findings_own_paragraphs_stay_with_it_until_the_closing_one() -> None:
    review = parse("""\
        ### 1. Leak

        The patcher runs on (line 20).
        #### Evidence

        Line 24 starts it.

        Overall the module is fine.
        """)
    (finding,) = review.findings
    assert (finding.first_line, finding.last_line) == (1, 6)
    assert ranges(finding) == [(20, 20), (24, 24)]


def test_an_unindented_paragraph_between_findings_stays_with_the_earlier_finding() -> None:
    review = parse("""\
        1. **First**:

        Its body, unindented (line 10).

        2. **Second**: line 20
        """)
    first, second = review.findings
    assert (first.last_line, ranges(first)) == (3, [(10, 10)])
    assert second.first_line == 5


def test_whitespace_only_lines_are_blank() -> None:
    review = parse("1. **Leak**:\n   - detail\n   \t \nClosing words.\n")
    (finding,) = review.findings
    assert (finding.first_line, finding.last_line) == (1, 2)


def test_trailing_blank_lines_are_not_part_of_a_finding() -> None:
    review = parse("1. **A**\n\n\n2. **B**\n   - b\n\n\n")
    assert [(f.first_line, f.last_line) for f in review.findings] == [(1, 1), (4, 5)]


def test_a_review_without_findings_is_all_module_level() -> None:
    review = parse("There isn't anything to report.\n")
    assert review.findings == ()
    assert parse("").findings == ()


# -- titles -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "title"),
    [
        ("1. **Global State Manipulation (CWE-664)**: lines 41-47", "Global State Manipulation (CWE-664)"),
        ("1. __Underscored bold__ rest", "Underscored bold"),
        ("1. The `_create_mdev` helper leaks. It also does more.", "The _create_mdev helper leaks"),
        ("1. Mocks (e.g. `patch`) are never stopped! Then more.", "Mocks (e.g. patch) are never stopped"),
        ("1. See [the docs](https://example.com/x) for *why*.", "See the docs for why"),
        ("1. A `**kwargs` code span keeps its stars.", "A **kwargs code span keeps its stars"),
        ("- **Audit Logging**: nothing is logged", "Audit Logging"),
        ("### 1. **Bold after the number**", "Bold after the number"),
    ],
)
def test_titles_are_the_bold_text_else_the_first_sentence_without_markdown(line: str, title: str) -> None:
    (finding,) = parse(line + "\n").findings
    assert finding.title == title


def test_a_long_first_sentence_is_cut_at_a_word_within_80_characters() -> None:
    words = " ".join(f"word{i}" for i in range(40))
    (finding,) = parse(f"1. {words}\n").findings
    assert len(finding.title) <= 80
    assert words.startswith(finding.title)
    assert not finding.title.endswith(" ")
    assert words[len(finding.title)] == " "


def test_an_empty_title_line_takes_the_title_from_the_next_line() -> None:
    (finding,) = parse("1.\n   The fixture is never cleaned up. More.\n").findings
    assert finding.title == "The fixture is never cleaned up"
    assert finding.key == "1"


# -- ids --------------------------------------------------------------------------------------


def test_ids_are_numbers_else_slugs_and_repeats_get_the_heading_then_a_counter() -> None:
    review = parse("""\
        ### High
        1. **A**
        2. **B**
        ### Low severity
        1. **C**
        ### Low severity
        1. **D**
        - **Same title**
        - **Same title**
        - **Same title**
        """)
    assert keys(review) == [
        "1", "2", "low-severity-1", "low-severity-1-2", "same-title", "low-severity-same-title",
        "low-severity-same-title-2",
    ]


def test_a_repeated_id_without_a_heading_gets_a_counter() -> None:
    review = parse("1. **A**\n1. **B**\n1. **C**\n")
    assert keys(review) == ["1", "1-2", "1-3"]


def test_an_explicit_id_wins_over_the_number() -> None:
    review = parse("""\
        1. **Leak**
           id: config-leak
        2. **Other**
        """)
    assert keys(review) == ["config-leak", "2"]
    assert review.findings[0].number == 1
    assert review.findings[0].explicit_id == "config-leak"
    assert review.problems == ()


def test_a_duplicate_explicit_id_is_a_problem_and_the_keys_stay_distinct() -> None:
    review = parse("1. **A**\n   id: same\n2. **B**\n   id: same\n")
    assert keys(review) == ["same", "same-2"]
    assert [(p.line, p.message) for p in review.problems] == [(3, "id: same is not unique")]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("1. **A**\n   id: Bad_Id\n", 2, "cannot parse 'id: Bad_Id'"),
        ("1. **A**\n   id: a\n   id: b\n", 3, "second id"),
        ("id: stray\n\n1. **A**\n", 1, "id: stands outside any finding"),
    ],
)
def test_bad_ids_are_problems_with_their_line(text: str, line: int, message: str) -> None:
    review = parse(text)
    assert [p.line for p in review.problems] == [line]
    assert message in review.problems[0].message


def test_slugs_fold_accents_and_never_use_line_numbers() -> None:
    review = parse("- **Überprüfung der Konfiguration**\n- **日本語**\n")
    assert keys(review) == ["uberprufung-der-konfiguration", "finding"]


# -- CWE ids ----------------------------------------------------------------------------------


def test_cwe_ids_in_every_form_with_their_lines() -> None:
    review = parse("""\
        Findings refer to CWE categories.
        1. **Leak (CWE-664)**: and CWE 703
           - also (CWE-691), CWE-1234567890 is too long, cwe-1 is lowercase
        """)
    (finding,) = review.findings
    assert finding.cwes == ((664, 2), (703, 2), (691, 3))
    assert review.cwes == ((664, 2), (703, 2), (691, 3))
    assert finding.polarity == "note"  # CWE ids decide nothing (SPEC 3.2); "too long" is a mild remark


def test_module_level_cwe_ids_count_for_the_review() -> None:
    assert parse("Intro (CWE-710).\n\n1. **A**\n").cwes == ((710, 1),)


# -- opaque regions ---------------------------------------------------------------------------


def test_fenced_code_is_opaque_even_indented_in_a_list_item() -> None:
    review = parse("""\
        1. **Leak**: line 3
           ```python
           expect: no-such-rule
           self._helper()  # line 77
           2. not a finding
           ```
           ~~~~
           CWE-79 in tildes
           ~~~~
           after the fence `_real` (line 4)
        """)
    (finding,) = review.findings
    assert ranges(finding) == [(3, 3), (4, 4)]
    assert names(finding) == ["_real"]
    assert finding.expectations == ()
    assert review.problems == ()
    assert review.cwes == ()
    assert finding.last_line == 10


def test_an_unclosed_fence_runs_to_the_end() -> None:
    review = parse("1. **A**\n```\n2. **B** line 4\n")
    assert keys(review) == ["1"]
    assert review.findings[0].line_anchors == ()


def test_a_backtick_line_with_backticks_in_its_info_is_no_fence() -> None:
    review = parse("1. **A**\n   ```x``` line 5\n")
    assert ranges(review.findings[0]) == [(5, 5)]


def test_block_quotes_and_their_lazy_continuation_are_opaque() -> None:
    review = parse("""\
        1. **Leak**: line 3
           > quoted `_quoted` line 90
           lazily continued line 91
           expect: mocks-undone
           - `_after` line 4
        """)
    (finding,) = review.findings
    assert ranges(finding) == [(3, 3), (4, 4)]
    assert names(finding) == ["_after"]
    assert [e.rule for e in finding.expectations] == ["mocks-undone"]


def test_html_comments_are_opaque_and_keep_offsets() -> None:
    text = "1. **A** <!-- line 90 `_hidden` --> line 7\n   <!-- start\n   expect: x\n   CWE-1 --> `_shown`\n"
    review = parse(text)
    (finding,) = review.findings
    assert ranges(finding) == [(7, 7)]
    assert names(finding) == ["_shown"]
    assert finding.expectations == ()
    assert review.problems == ()
    assert review.cwes == ()
    (start, end), = finding.line_anchors[0].digits
    assert text[start:end] == "7"
    symbol = finding.symbol_anchors[0]
    assert text[symbol.offset : symbol.offset + len(symbol.name)] == "_shown"


def test_a_comment_opener_in_a_code_span_is_text() -> None:
    review = parse("1. **A** `<!--` then line 5\n2. **B**\n")
    assert keys(review) == ["1", "2"]
    assert ranges(review.findings[0]) == [(5, 5)]


# -- encodings and line ends ------------------------------------------------------------------


SAMPLE = "Intro.\n\n1. **Leak**: lines 10-12\n   - `_switch` line 11\n\n2. **Other**: line 20\n"


@pytest.mark.parametrize(("eol", "bom"), [("\r\n", False), ("\r", False), ("\n", True), ("\r\n", True)])
def test_crlf_cr_and_bom_reviews_parse_like_lf(eol: str, bom: bool) -> None:
    text = SAMPLE.replace("\n", eol)
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode()
    review = parse_review(data, "test_x.review.txt")
    plain = parse_review(SAMPLE.encode(), "test_x.review.txt")
    assert [(f.key, f.first_line, f.last_line, ranges(f), names(f)) for f in review.findings] == [
        (f.key, f.first_line, f.last_line, ranges(f), names(f)) for f in plain.findings
    ]
    for finding in review.findings:
        for anchor in finding.line_anchors:
            for start, end in anchor.digits:
                assert text[start:end].isdigit()  # offsets index the text without the BOM


@pytest.mark.parametrize("char", ["\f", "\u2028", "\u2029", "\x85", "\x0b", "\x1c"])
def test_form_feed_and_unicode_separators_do_not_split_lines(char: str) -> None:
    review = parse(f"1. **A** one{char}two\n2. **B**: line 7\n")
    assert [(f.key, f.first_line) for f in review.findings] == [("1", 1), ("2", 2)]
    assert review.findings[1].line_anchors[0].line == 2


def test_a_line_of_only_a_form_feed_is_blank() -> None:
    review = parse("1. **A**\n\f\nClosing paragraph.\n")
    assert review.findings[0].last_line == 1


@pytest.mark.parametrize(
    ("data", "line", "column"),
    [
        (b"ok\r\nstill ok\r\nbad \xff byte\r\n", 3, 5),
        (b"one\rtwo\r\xc3(", 3, 1),
        (b"\xef\xbb\xbfone\n\x80", 2, 1),
        (b"a\r\n\n\rb\xfe", 4, 2),
    ],
)
def test_invalid_utf8_fails_the_review_naming_line_and_byte(data: bytes, line: int, column: int) -> None:
    review = parse_review(data, "test_x.review.txt")
    assert review.fatal.startswith("not UTF-8: byte 0x")
    assert f"at line {line}, column {column}" in review.fatal
    assert [p.line for p in review.problems] == [line]
    assert review.findings == ()
    assert review.module == "test_x.py"


# -- directives -------------------------------------------------------------------------------


def test_directives_belong_to_their_finding_and_status_covers_its_expectations() -> None:
    review = parse("""\
        1. **Leak**: lines 41-47
           expect: config-reverted-via-fixtures, RG201 on Tests._switch, Y.z, lines 3-5
           - status: open
        2. **Other**
           * expect: mocks-undone
           status: closed
        """)
    first, second = review.findings
    assert [(e.rule, e.targets, e.status, e.line, e.source) for e in first.expectations] == [
        ("config-reverted-via-fixtures", ("Tests._switch", "Y.z", "lines 3-5"), "open", 2, "inline"),
        ("RG201", ("Tests._switch", "Y.z", "lines 3-5"), "open", 2, "inline"),
    ]
    assert first.status == "open"
    assert [(e.rule, e.status) for e in second.expectations] == [("mocks-undone", "closed")]
    assert review.problems == ()
    assert ranges(first) == [(41, 47)]  # the target "lines 3-5" is no anchor


def test_module_level_directives_apply_to_the_module() -> None:
    review = parse("""\
        expect: env-restored
        status: open

        1. **A**
        """)
    assert [(e.rule, e.status, e.source, e.line) for e in review.expectations] == [
        ("env-restored", "open", "module", 1)
    ]
    assert review.findings[0].expectations == ()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("expect: the tests to pass", "cannot parse 'expect: the tests to pass'"),
        ("expect:", "cannot parse 'expect: '"),
        ("expect: mocks-undone on", "cannot parse"),
        ("status: maybe", "cannot parse 'status: maybe'"),
        ("- id: not an id", "cannot parse 'id: not an id'"),
    ],
)
def test_malformed_directives_are_problems_with_their_line(line: str, message: str) -> None:
    review = parse(f"1. **A**\n   text\n   {line}\n")
    assert [p.line for p in review.problems] == [3]
    assert message in review.problems[0].message
    assert review.findings[0].expectations == ()


def test_a_long_malformed_directive_is_quoted_short() -> None:
    review = parse("expect: " + "x " * 5000 + "\n")
    assert len(review.problems[0].message) < 200


def test_contradicting_statuses_are_a_problem() -> None:
    review = parse("1. **A**\n   status: open\n   status: closed\n")
    assert [(p.line, p.message) for p in review.problems] == [(3, "status: closed contradicts status: open")]


def test_directive_keywords_count_in_any_case_at_the_start_of_a_line_only() -> None:
    review = parse("1. **A**\n   Expect: the worst\n   We expect: nothing\n   1. expect: x\n")
    assert [p.line for p in review.problems] == [2]
    assert review.findings[0].expectations == ()


@pytest.mark.parametrize(
    "line", ["Expect: mocks-undone", "EXPECT: mocks-undone", "**expect:** mocks-undone", "`expect:` mocks-undone",
             "- **Expect**: mocks-undone", "*expect*: mocks-undone"],
)
def test_a_directive_in_any_case_or_emphasis_makes_its_item(line: str) -> None:
    review = parse(f"1. **Leak**: line 3\n   {line}\n   Status: Open\n")
    assert review.problems == ()
    assert [(e.rule, e.status, e.line) for e in review.findings[0].expectations] == [("mocks-undone", "open", 2)]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("expects: mocks-undone", "cannot parse 'expects: mocks-undone': write 'expect: mocks-undone'"),
        ("expect mocks-undone", "cannot parse 'expect mocks-undone': write 'expect: mocks-undone', or reword the "
                                "line so it does not start with 'expect'"),
        ("Expect the tests to fail when the patch leaks.", "cannot parse 'Expect the tests to fail when the patch "
         "leaks.': write 'expect: RULE[, RULE] [on TARGET[, TARGET]]', or reword the line"),
        ("- IDs: config-leak", "cannot parse '- IDs: config-leak': write 'id: config-leak'"),
        ("Status closed", "cannot parse 'Status closed': write 'status: closed'"),
        ("anchor: none", "cannot parse 'anchor: none': write 'anchors: none'"),
        ("anchors: some", "cannot parse 'anchors: some': write 'anchors: none'"),
        ("`status:` maybe", "cannot parse 'status: maybe': write 'status: open' or 'status: closed'"),
    ],
)
def test_a_misspelled_directive_fails_the_review_naming_the_spelling_that_works(line: str, message: str) -> None:
    review = parse(f"1. **Leak**: line 3\n   text\n   {line}\n")
    assert [p.line for p in review.problems] == [3]
    assert review.problems[0].message.startswith(message)
    assert review.findings[0].expectations == ()
    assert review.findings[0].explicit_id is None


def test_misspelled_directives_in_module_text_fail_the_review_too() -> None:
    review = parse("Expect some noise below.\nexpects: env-restored\n\n1. **A**\n")
    assert [p.line for p in review.problems] == [1, 2]
    assert review.expectations == ()


def test_prose_that_starts_with_status_or_id_stays_prose() -> None:
    review = parse("""\
        Status of the review: draft only.

        1. **Hard-coded ids**: line 4
           ID values are reused across tests, and status codes are never checked.
           Status of the patcher is unclear.
        """)
    assert review.problems == ()
    assert "ID values" in review.findings[0].text


def test_a_bold_directive_bullet_is_a_directive_not_a_finding() -> None:
    review = parse("""\
        - **Patch leak**: `_helper` never stops the patcher (line 5).
        - **expect:** mocks-undone
        - **Clock**: frozen and unfrozen (line 9).
        """)
    assert keys(review) == ["patch-leak", "clock"]
    assert [e.rule for e in review.findings[0].expectations] == ["mocks-undone"]


# -- front matter, module and limits ----------------------------------------------------------


def test_the_module_is_the_sibling_unless_front_matter_names_one() -> None:
    assert parse("1. **A**\n", "tests/test_vgpu.review.txt").module == "test_vgpu.py"
    # a backslash separates folders on Windows only: elsewhere it is part of the file's name
    sibling = "test_vgpu.py" if sys.platform == "win32" else "tests\\test_vgpu.py"
    assert parse("1. **A**\n", "tests\\test_vgpu.review.md", suffix=".review.md").module == sibling
    assert parse("1. **A**\n", "tests/test_vgpu.review.md").module == ""


def test_front_matter_is_read_and_its_lines_are_not_body() -> None:
    review = parse("""\
        ---
        module: ../src/test_other.py
        expect:
          - rule: mocks-undone
        ---
        1. **A**: line 3
        """)
    assert review.module == "../src/test_other.py"
    assert review.front_matter_lines == (1, 5)
    assert [(e.rule, e.source, e.line) for e in review.expectations] == [("mocks-undone", "front-matter", 4)]
    assert [(f.key, f.first_line) for f in review.findings] == [("1", 6)]


def test_front_matter_without_a_closing_line_is_a_problem() -> None:
    review = parse("---\nmodule: x.py\n1. **A**\n")
    assert [(p.line, p.message) for p in review.problems] == [(1, "front matter has no closing '---' line")]
    assert keys(review) == ["1"]


def test_more_findings_than_max_findings_fail_the_review() -> None:
    review = parse("1. **A**\n2. **B**\n3. **C**\n", max_findings=2)
    assert review.fatal == "3 findings, more than max-findings (2)"
    assert review.findings == ()
    assert parse("1. **A**\n2. **B**\n", max_findings=2).fatal == ""


# -- linear time on pathological input --------------------------------------------------------


PATHOLOGICAL = {
    "line list": "lines 1, " * 100_000,
    "backticks": "`" * 10**6,
    "underscores": "_" * 10**6,
    "dotted": "a." * 10**6,
    "bold": "**" * 10**5,
    "comments": "<!--" * 10**5,
    "cwe": "CWE-" * 10**5,
    "digits": "line " + "9" * 100_000,
    "file name": "x" * 100_000 + ".py:",
    "paths": "a.py" * 100_000,
    "github": "L1-" * 100_000,
    "quotes": "'a " * 100_000,
    "calls": "a(" * 100_000,
    "spaces in a heading": "# a" + " " * 100_000 + "b",
    "expect list": "expect: " + "a, " * 100_000 + "!",
    "code spans": "`a" * 100_000,
    "urls": "x://" * 100_000,
    "links": "[" * 100_000 + "](" * 100_000,
    "recommendations": "use `a` " * 50_000,
    "absences": "without `a` nor " * 50_000,
    "nors": "nor " * 100_000 + "`a`",
    "imperatives": "add. " * 100_000,
    "noanchors": "`a`{.noanchor}" * 50_000 + "{" * 100_000,
    "negations": "not no nothing never " * 50_000 + "leak",
    "onlies": "only closed when " * 50_000,
    "backs": "flips " * 100_000 + "back",
    "stays": "stays " * 100_000 + "from keeps " * 50_000,
    "clauses": "but not, so if " * 50_000,
    "expect prose": "Expect " * 100_000,
    "verdicts": "no critical defects were found " * 50_000,
    "scopes": "scoped " * 100_000 + "to the test",
}


@pytest.mark.parametrize("body", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_lines_parse_in_and_out_of_findings(body: str) -> None:
    for text in (body, "1. " + body):  # module-level text; a finding's title line and body
        review = parse_review(text.encode(), "test_x.review.txt")
        assert not review.fatal


def test_deeply_nested_bullets_and_many_findings_parse() -> None:
    nested = "".join(" " * i + "- `_x` line 1\n" for i in range(2000))
    assert len(parse_review(("1. **A**\n" + nested).encode(), "t.review.txt").findings) == 1
    many = "".join(f"{i}. **F{i}** line {i}\n" for i in range(1, 20_001))
    assert len(parse_review(many.encode(), "t.review.txt", max_findings=20_000).findings) == 20_000


def test_ten_thousand_findings_with_one_title_get_distinct_keys() -> None:
    review = parse_review(b"- **Same title**\n" * 10_000, "t.review.txt")
    assert [f.key for f in review.findings[:3]] == ["same-title", "same-title-2", "same-title-3"]
    assert review.findings[-1].key == "same-title-10000"


def test_int_is_never_called_on_a_huge_number() -> None:
    if not hasattr(sys, "set_int_max_str_digits"):  # pragma: no cover - Python < 3.10.7
        pytest.skip("no int digit limit")
    old = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(640)
    try:
        review = parse(f"1. **A (CWE-{'7' * 5000})**: line {'8' * 5000}, lines 1-{'9' * 5000}\n")
    finally:
        sys.set_int_max_str_digits(old)
    (finding,) = review.findings
    assert [a.error for a in finding.line_anchors] == ["line number out of range"] * 2
    assert finding.cwes == ()


# -- the shared samples, against EXPECTED.md --------------------------------------------------


# the shared samples sit beside the checkout (``/work/shared`` for ``/work/main`` and ``/work/wt/<name>``)
SAMPLES = next((p / "shared" / "review-samples" for p in Path(__file__).resolve().parents
                if (p / "shared" / "review-samples").is_dir()), Path("shared") / "review-samples")


def _tables(expected: str) -> dict[str, list[dict[str, str]]]:
    """``## <sample>`` -> rows of its table, keyed by column header."""
    out: dict[str, list[dict[str, str]]] = {}
    for section in re.split(r"^## ", expected, flags=re.M)[1:]:
        name, _, body = section.partition("\n")
        rows = [line for line in body.splitlines() if line.startswith("| ")]
        head = [c.strip() for c in rows[0].strip("|").split("|")]
        out[name.strip()] = [dict(zip(head, (c.strip() for c in row.strip("|").split("|")), strict=True))
                             for row in rows[1:]]
    return out


def _anchor_cells(cell: str) -> list[tuple[tuple[int, int], str]]:
    """``85-101 (`_create_mdev`), 242 (module)`` -> [((85, 101), '_create_mdev'), ((242, 242), '')]."""
    found = []
    for m in re.finditer(r"(\d+)(?:-(\d+))?(?: \((`([^`]+)`|module)[^)]*\))?", cell.split(" (module:")[0]):
        found.append(((int(m.group(1)), int(m.group(2) or m.group(1))), m.group(4) or ""))
    return found


@pytest.mark.skipif(not (SAMPLES / "EXPECTED.md").exists(), reason="shared review samples not present")
def test_the_shared_samples_parse_as_expected_md_says() -> None:
    tables = _tables((SAMPLES / "EXPECTED.md").read_text())
    assert len(tables) == 4
    for sample, rows in tables.items():
        review = parse_review((SAMPLES / sample).read_bytes(), sample)
        assert [f"finding-{f.key}" for f in review.findings] == [r["id"] for r in rows], sample
        for finding, row in zip(review.findings, rows, strict=True):
            first, _, last = row["lines"].partition("-")
            assert (finding.first_line, finding.last_line) == (int(first), int(last)), (sample, row["id"])
            if "title" in row:
                assert finding.title == row["title"]
            if "CWE" in row:
                assert [c for c, _ in finding.cwes] == ([] if row["CWE"] == "none" else [int(row["CWE"])])
            listed = re.findall(r"`([^`]+)`", re.sub(r" \([^)]*\)", "", row["symbol anchors"]))
            if row["symbol anchors"].startswith("none"):
                listed = []
                excluded = re.findall(r"`'?([^`']+)'?`", row["symbol anchors"])
                assert not set(excluded) & set(names(finding)), (sample, row["id"])
                assert all(s.kind in ("camel", "dotted") for s in finding.symbol_anchors), (sample, row["id"])
            assert set(listed) <= set(names(finding)), (sample, row["id"])
            expected = _anchor_cells(row["line anchors" if "line anchors" in row else "line anchors (pairs with)"])
            assert ranges(finding) == [r for r, _ in expected], (sample, row["id"])
            # definitions: the partners this row names, and the classes it lists
            defined = {p for _, p in expected} | {n for n in listed if n[:1].isupper() and "." not in n}
            defining = [(s, [Definition(s.name, s.name, "function", 1, 1, 1)])
                        for s in finding.symbol_anchors if s.name in defined]
            for anchor, (_, partner) in zip(finding.line_anchors, expected, strict=True):
                paired = pair(anchor, defining)
                assert (paired[0].name if paired else "") == partner, (sample, row["id"], anchor.text)
            if "expectations" in row and row["expectations"].startswith("none"):
                assert finding.expectations == ()
            if "not gated" in row.get("symbol anchors", "") + row.get("expectations", ""):
                assert not finding.gated
    verdicts = {s: parse_review((SAMPLES / s).read_bytes(), s).verdict for s in tables}
    assert verdicts == {
        "real-observations-vgpu.review.txt": "clean",
        "real-cwe-list-vgpu.review.txt": "defects",
        "real-observations-vpmem.review.txt": "clean",
        "gated-example.review.txt": "defects",
    }
    gated = parse_review((SAMPLES / "gated-example.review.txt").read_bytes(), "gated-example.review.txt")
    assert gated.front_matter_lines == (1, 8)
    assert gated.requires == ">=0.1"
    assert [(e.rule, e.targets, e.severity, e.line) for e in gated.expectations] == [
        ("mocks-undone", (), None, 4),
        ("no-hardcoded-uuids", ("InventoryTests.test_*",), "warning", 5),
        ("env-reverted-via-fixtures", (), None, 33),
        ("env-restored", (), None, 33),
    ]
    switch, reserve = gated.findings[:2]
    assert [(e.rule, e.targets, e.status) for e in switch.expectations + reserve.expectations] == [
        ("config-reverted-via-fixtures", ("InventoryTests._switch_region",), None),
        ("error-paths-tested", ("InventoryTests",), "open"),
    ]


# -- mentions and anchors: none ---------------------------------------------------------------


def test_recommended_and_absent_names_are_mentions_not_anchors() -> None:
    review = parse("""\
        1. **Patch leak**: line 12
           - `_helper` starts a patcher and there is no `tearDown`; use
             `self.addCleanup` instead. `_helper` is the only caller.
        """)
    (finding,) = review.findings
    assert names(finding) == ["_helper", "_helper"]
    assert [(s.name, s.role, s.line) for s in finding.mentions] == [
        ("tearDown", "absent", 2), ("self.addCleanup", "recommended", 3),
    ]
    assert finding.gated


def test_a_cue_does_not_run_on_into_the_next_bullet() -> None:
    (finding,) = parse("1. **A**\n   - the fix is to use\n   - `_helper` then leaks\n").findings
    assert names(finding) == ["_helper"]


def test_a_finding_whose_names_are_all_mentions_has_no_symbol_anchors() -> None:
    (finding,) = parse("- **Temp dirs**: use `tmp_path` or `tmp_path_factory` instead.\n").findings
    assert finding.symbol_anchors == ()
    assert [s.name for s in finding.mentions] == ["tmp_path", "tmp_path_factory"]
    assert not finding.gated


def test_anchors_none_drops_every_anchor_of_its_finding_only() -> None:
    review = parse("""\
        1. **Style**: `_build_order` (lines 61-90) is long.
           anchors: none
        2. **Leak**: `_helper` (line 5) never stops the patcher.
        """)
    first, second = review.findings
    assert (first.line_anchors, first.symbol_anchors, first.unanchored) == ((), (), True)
    assert [(s.name, s.role) for s in first.mentions] == [("_build_order", "marked")]
    assert not first.gated
    assert (names(second), ranges(second), second.unanchored) == (["_helper"], [(5, 5)], False)
    assert review.problems == ()


def test_anchors_none_with_an_expectation_keeps_the_expectation() -> None:
    (finding,) = parse("1. **A**: `_x` line 4\n   **Anchors**: None\n   expect: mocks-undone\n").findings
    assert finding.unanchored
    assert finding.gated
    assert [e.rule for e in finding.expectations] == ["mocks-undone"]


def test_anchors_none_outside_a_finding_is_a_problem() -> None:
    review = parse("anchors: none\n\n1. **A**: `_x`\n")
    assert [(p.line, p.message) for p in review.problems] == [
        (1, "anchors: stands outside any finding -> write it inside the finding it is about")
    ]
    assert names(review.findings[0]) == ["_x"]


def test_a_noanchor_span_is_a_mention_and_reads_plainly_in_the_title() -> None:
    (finding,) = parse("- **Prefer `tmp_path`{.noanchor}**: `_mkdir`{.noanchor} and `_rmdir` (line 3)\n").findings
    assert finding.title == "Prefer tmp_path"
    assert names(finding) == ["_rmdir"]
    assert [(s.name, s.role) for s in finding.mentions] == [("tmp_path", "marked"), ("_mkdir", "marked")]
