"""Review shapes of the eighth reading round: pull request comments (Conventional Comments and the
location line before each), severity headings under "## Findings", JSON and YAML lists of findings,
``Class::method`` citations, a praise section's heading and terse closing verdicts."""

from __future__ import annotations

import textwrap

from pytest_reviewgate.model import Review
from pytest_reviewgate.review.parser import parse_review


def parse(text: str, name: str = "test_store.review.txt") -> Review:
    return parse_review(textwrap.dedent(text).encode(), name)


def lines_of(review: Review) -> list[list[tuple[int, int]]]:
    return [[(a.start, a.end) for a in f.line_anchors] for f in review.findings]


# -- pull request comments ----------------------------------------------------------------------


PR_REVIEW = """\
    ## Review of `test_store.py`

    A few comments inline.

    ---

    **tests/unit/test_store.py** line 50

    **nit:** `test_open` patches `store.CONF` with a bare `mock.patch`; prefer `self.flags`.

    ```suggestion
        @mock.patch.object(store, 'CONF', autospec=True)
    ```

    ---

    `test_store.py:80-92`

    **issue (blocking):** `test_close` starts a patcher and never stops it.

    expect: mocks-undone on test_close

    ---

    test_store.py L120-L130

    **question:** does `test_reopen` need the sleep? It looks fine to me, no leak here.

    ---

    **praise:** `test_error` covers the failure path nicely.
    """


def test_each_conventional_comment_is_a_finding_titled_by_its_words() -> None:
    review = parse(PR_REVIEW)
    assert [f.title for f in review.findings] == [
        "test_open patches store.CONF with a bare mock.patch; prefer self.flags",
        "test_close starts a patcher and never stops it",
        "does test_reopen need the sleep",
        "test_error covers the failure path nicely",
    ]
    assert [f.polarity for f in review.findings][1:] == ["defect", "clean", "clean"]
    assert [e.rule for e in review.findings[1].expectations] == ["mocks-undone"]


def test_the_location_line_before_a_comment_anchors_that_comment() -> None:
    review = parse(PR_REVIEW)
    assert lines_of(review) == [[(50, 50)], [(80, 92)], [(120, 130)], []]
    # the comment's own names pair with the line the location paragraph gives
    assert all(a.bullet == 0 for f in review.findings for a in f.line_anchors)
    assert review.findings[0].first_line == 7  # the location line before the comment is its first line


def test_a_location_line_taken_by_a_finding_is_within_its_lines() -> None:
    # found by the parser's property test: the anchor on line 1 lay before the finding's first line
    [finding] = parse_review(b"test_x.py:7\n1. ", "tests/test_x.review.txt").findings
    assert finding.line_anchors
    assert all(finding.first_line <= a.line <= finding.last_line for a in finding.line_anchors)
    assert finding.first_line == 1


def test_a_suggestion_fence_stays_opaque() -> None:
    review = parse(PR_REVIEW)
    assert "CONF" not in [s.name for s in review.findings[0].symbol_anchors if s.line == 12]
    assert all(s.line != 12 for f in review.findings for s in f.symbol_anchors)


def test_undecorated_field_words_lead_no_comment_outside_a_run() -> None:
    review = parse("""\
        1. **Leak**: `test_a` never stops its patcher (line 4).

        **Suggestion:** register `addCleanup`.

        **Issue:** the same in `test_b`.
        """)
    assert [f.title for f in review.findings] == ["Leak"]  # both labels are fields of finding 1


def test_a_run_of_comments_takes_field_words_as_comments() -> None:
    review = parse("""\
        **nit:** `test_a` could use a shorter name.

        **suggestion:** `test_b` (line 9) should use `tmp_path`.

        **note:** `test_c` is fine.
        """)
    assert [f.title for f in review.findings] == [
        "test_a could use a shorter name", "test_b (line 9) should use tmp_path", "test_c is fine"]


def test_a_file_name_without_a_line_is_no_location() -> None:
    review = parse("""\
        **test_store.py**

        **nit:** `test_a` (line 3) is long.
        """)
    assert [f.first_line for f in review.findings] == [3]
    assert review.findings[0].text.count("\n") == 0


# -- severity headings under a heading of findings ----------------------------------------------


def test_severity_headings_under_findings_group_the_bold_bullets_below_them() -> None:
    review = parse("""\
        ## Findings

        ### \U0001f534 Critical

        - **Thread never joined**: `test_spawn` (test_store.py:132-142) never joins `_thread`.
        - **Leak**: see [test_store.py#L141](test_store.py#L141).

        ### \U0001f7e1 Minor

        - **Result discarded**: `test_pool` L152-L154 drops the result.

        ### Mocks never stopped

        `test_c` starts a patcher at line 200.
        """)
    assert [f.title for f in review.findings] == [
        "Thread never joined", "Leak", "Result discarded", "Mocks never stopped"]
    assert lines_of(review)[0] == [(132, 142)]
    assert lines_of(review)[3] == [(200, 200)]


# -- findings listed as data --------------------------------------------------------------------


def test_each_object_of_a_json_list_is_a_finding() -> None:
    review = parse("""\
        Here are the findings as JSON:

        [
          {
            "id": 1,
            "title": "SSHClient patched without autospec",
            "location": "test_remove, lines 77-92",
            "description": "`mock.patch('paramiko.SSHClient')` accepts any call, so a wrong signature goes unnoticed."
          },
          {
            "id": 2,
            "title": "Patch target set to None",
            "line": 409,
            "description": "The target exists and the decorator undoes the patch; no problem."
          }
        ]

        Overall: 1 issue.
        """)
    assert [(f.number, f.title, f.polarity) for f in review.findings] == [
        (1, "SSHClient patched without autospec", "defect"),
        (2, "Patch target set to None", "clean"),
    ]
    assert lines_of(review) == [[(77, 92)], [(409, 409)]]
    assert "test_remove" in [s.name for s in review.findings[0].symbol_anchors]  # quotes are JSON's, not prose's
    assert [f.key for f in review.findings] == ["1", "2"]
    assert review.problems == ()  # '"id": 1,' numbers the finding, it is no malformed id: directive


def test_json_lines_make_one_finding_per_line() -> None:
    review = parse("""\
        {"title": "Env leak", "line": 12, "detail": "`test_env` sets `os.environ['X']` and never restores it."}
        {"title": "Fine", "line": 30, "detail": "`test_ok` is isolated."}
        """)
    assert [(f.title, f.polarity) for f in review.findings] == [("Env leak", "defect"), ("Fine", "clean")]
    assert lines_of(review) == [[(12, 12)], [(30, 30)]]


def test_json_offsets_still_point_at_the_digits() -> None:
    text = '[{"title": "Leak", "line": 409}]\n'
    review = parse_review(text.encode(), "test_store.review.txt")
    (anchor,) = review.findings[0].line_anchors
    start, end = anchor.digits[0]
    assert text[start:end] == "409"


def test_each_item_of_a_yaml_list_is_a_finding_with_its_fields() -> None:
    review = parse("""\
        Findings as YAML:

        findings:
          - title: Patchers started in setUp without stop
            location: Lib_Test.setUp, lines 104-107
            severity: high
            detail: >
              `mock.patch('api_factory').start()` is never stopped.
          - title: Per-test patchers
            location: test_dump (line 471), test_dead (line 478)
            detail: "`run_ofctl` is patched with `.start()` and no cleanup."
          - severity: low
            issue: test_vifport asserts nothing about str()
            line: 126

        summary: 3 findings
        """)
    assert [f.title for f in review.findings] == [
        "Patchers started in setUp without stop", "Per-test patchers", "test_vifport asserts nothing about str()"]
    assert lines_of(review) == [[(104, 107)], [(471, 471), (478, 478)], [(126, 126)]]
    assert all(f.polarity == "defect" for f in review.findings)


def test_data_without_a_title_field_stays_module_level() -> None:
    review = parse("""\
        Settings used:

        - timeout: 30
        - retries: 2

        {"seed": 4}
        """)
    assert review.findings == ()


def test_data_is_read_only_when_no_other_shape_holds_findings() -> None:
    review = parse("""\
        1. **Leak**: `test_a` never stops its patcher (line 4).
           - title: not a record here
        """)
    assert [f.title for f in review.findings] == ["Leak"]


# -- Class::method ------------------------------------------------------------------------------


def test_a_scoped_citation_names_the_method_of_the_class() -> None:
    review = parse("""\
        1. **StoreTests::test_open leaks a patch** (line 575)
           `utils.monkey_patch()` is never undone.

        2. **Fake stat** - `BlkdevTests::_stat_file` defines `fake_stat` at line 509.

        3. **Node id** - test_store.py::StoreTests::test_close() and other.py::OtherTests::test_x fail.
        """)
    names = [[s.name for s in f.symbol_anchors] for f in review.findings]
    assert names[0] == ["StoreTests.test_open", "utils.monkey_patch"]
    assert names[1] == ["BlkdevTests._stat_file", "fake_stat"]
    assert names[2] == ["StoreTests.test_close"]  # another module's node id names nothing here


def test_a_scoped_citation_pairs_its_line_with_that_method() -> None:
    review = parse("""\
        - **`Tests::test_a` at line 4** - leaks.
        """)
    (finding,) = review.findings
    assert [s.name for s in finding.symbol_anchors] == ["Tests.test_a"]
    assert [(a.start, a.bullet) for a in finding.line_anchors] == [(4, 0)]


# -- verdicts and closing words -----------------------------------------------------------------


def test_a_praise_heading_over_a_list_gives_no_clean_verdict() -> None:
    review = parse("""\
        ## Review

        ### Critical

        1. `_run` calls `set_override` (line 14) and never clears it.

        ### \u2705 Looks good

        - `test_workers` is clear and isolated.
        """)
    assert review.verdict == "defects"


def test_a_closing_verdict_heading_over_prose_still_counts() -> None:
    review = parse("""\
        1. `test_a` (line 4) stops its patcher. No issue.

        ## LGTM
        """)
    assert review.verdict == "clean"


def test_a_verdict_word_alone_closes_a_finding_clean() -> None:
    review = parse("""\
        - L60: config set via `self.flags`, reverted by the base class. ok
        - L76: cleanup registered for the fake image service. OK
        - L263: only the exception type is checked, not the message; acceptable.
        - L300: the patch leaks into later tests; not acceptable.
        """)
    assert [f.polarity for f in review.findings] == ["clean", "clean", "clean", "defect"]


def test_a_fix_that_is_none_needed_closes_a_finding_clean() -> None:
    review = parse("""\
        3. Temporary file created by hand
           - Location: line 36
           - Problem: `open(path, 'w').close()` creates a file that nothing deletes.
           - Fix: none needed, `get_temp_file_path` already puts it under a directory that is removed.

        4. Patcher never stopped
           - Location: line 38
           - Problem: the patcher is never stopped.
           - Fix: none of the tests stop it; add `addCleanup`.
        """)
    assert [f.polarity for f in review.findings] == ["clean", "defect"]


def test_strong_emphasis_with_underscores_names_no_symbol() -> None:
    review = parse("""\
        - L60: __config__ is set via `self.flags` in `__init__` and __str__ returns it.
        - L76: fine.
        """)
    assert [s.name for s in review.findings[0].symbol_anchors] == ["self.flags", "__init__", "__str__"]


# -- inline HTML and reStructuredText literals mixed into Markdown ------------------------------


def test_inline_html_reads_as_the_markdown_it_stands_for() -> None:
    text = textwrap.dedent("""\
        <h2>Review of test_store.py</h2>

        <ol>
        <li><b>Patchers started in setUp</b>: <code>StoreTests.setUp</code> (lines 33-42) starts
        patchers with <code>.start()</code> and never stops them.</li>
        <li><strong>Nested fake</strong>: ``test_open`` defines ``exists`` at line 54; fine.</li>
        </ol>
        """)
    review = parse_review(text.encode(), "test_store.review.txt")
    assert [(f.title, f.polarity) for f in review.findings] == [
        ("Patchers started in setUp", "defect"), ("Nested fake", "clean")]
    assert [[s.name for s in f.symbol_anchors] for f in review.findings] == [
        ["setUp", "StoreTests.setUp"], ["test_open", "exists"]]
    (anchor,) = review.findings[0].line_anchors
    assert text[anchor.offset : anchor.offset + len(anchor.text)] == "lines 33-42"  # offsets are the file's


def test_angle_brackets_that_are_no_tags_stay_text() -> None:
    review = parse("""\
        1. **Typing**: `make` returns List<int> and Dict<str, int> (line 4); a <b> tag alone is harmless.
        """)
    assert review.findings[0].title == "Typing"
    assert "List<int>" in review.findings[0].text


# -- task lists ---------------------------------------------------------------------------------


def test_a_task_list_box_does_not_hide_a_bold_title() -> None:
    review = parse("""\
        ## Action items

        - [ ] **Env var leak** - `test_proxy` (line 243) writes `os.environ['http_proxy']`; nothing restores it.
        - [x] **UUID literal** - `test_container` line 231: fixed, no issue now.
        1. [ ] **Config** - `test_proxy` calls `set_override` at line 244 and never clears it.
        """)
    assert [(f.title, f.polarity) for f in review.findings] == [
        ("Env var leak", "defect"), ("UUID literal", "clean"), ("Config", "defect")]
    assert lines_of(review) == [[(243, 243)], [(231, 231)], [(244, 244)]]


def test_a_bracket_that_is_no_box_stays_the_title() -> None:
    review = parse("""\
        - **[HIGH] Leak**: `test_a` (line 4) leaks.
        - [link](https://example.com) is a note.
        """)
    assert [f.title for f in review.findings] == ["[HIGH] Leak"]


# -- line citations -----------------------------------------------------------------------------


def test_a_number_sign_or_no_after_the_line_keyword_is_read() -> None:
    review = parse("""\
        1. **Leak**: `test_a` at line #120 and lines #130-135; see also Line No. 12, 14.
        2. **Note**: this is the no. 1 priority; issue #7 tracks it.
        """)
    assert lines_of(review) == [[(120, 120), (130, 135), (12, 12), (14, 14)], []]


# -- headings and bullets that name or mark a finding -------------------------------------------


def test_a_heading_led_by_a_naming_label_is_a_finding() -> None:
    review = parse("""\
        # Review

        #### Issue: Mock leak in setUp
        `setup_method` (line 6) never stops its patcher.

        #### Finding - UUID literal
        `test_uuid` (line 17) spells a UUID out.

        #### Issues
        None beyond the above.
        """)
    assert [(f.title, [a.start for a in f.line_anchors]) for f in review.findings] == [
        ("Mock leak in setUp", [6]), ("UUID literal", [17])]


def test_a_bullet_led_by_a_verdict_mark_is_a_finding() -> None:
    review = parse("""\
        Checklist:

        - \u274c `setup_method` never stops its patcher (line 6).
          It runs before every test.
        - \u26a0\ufe0f `test_uuid` spells a UUID out (line 17).
        - \u2705 `test_open` restores its config (line 9).
        - \U0001f4c1 tests/unit is the folder.
        """)
    assert [(f.polarity, [a.start for a in f.line_anchors]) for f in review.findings] == [
        ("defect", [6]), ("note", [17]), ("clean", [9])]
    assert review.findings[0].last_line == 4  # its nested text is its own; the folder item is no finding


def test_a_list_whose_items_all_open_with_code_makes_one_finding_per_item() -> None:
    review = parse("""\
        Issues:
        * `setup_method` (line 6): patcher never stopped.
        * `test_uuid()` - UUID literal at line 17.
          Use `uuids` instead.
        """)
    assert [(f.title, [a.start for a in f.line_anchors]) for f in review.findings] == [
        ("setup_method (line 6): patcher never stopped", [6]), ("test_uuid() - UUID literal at line 17", [17])]


def test_a_list_with_one_item_not_led_by_code_is_no_list_of_findings() -> None:
    review = parse("""\
        Tests covered:
        * `test_a`: checks the happy path.
        * and a few more.
        """)
    assert review.findings == ()
