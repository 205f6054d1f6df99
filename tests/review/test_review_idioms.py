"""Shapes measured on LLM reviews of real suites: CWE-led bold bullets, titled review headers,
full-stop bold lead-ins, bold leads under a Findings heading, and sub-numbered items ("1.1")."""

from __future__ import annotations

import textwrap

from pytest_reviewgate.model import Review
from pytest_reviewgate.review.parser import parse_review


def parse(text: str) -> Review:
    return parse_review(textwrap.dedent(text).encode(), "test_pool.review.txt")


def keys(review: Review) -> list[str]:
    return [f.key for f in review.findings]


def test_a_bold_cwe_label_then_a_dash_leads_a_bullet_finding() -> None:
    review = parse("""\
        Findings against the CWE list:

        * **CWE-362 (Race Condition)** - `reset_pool` swaps the shared pool while workers run.
        * **CWE-404 (Improper Resource Shutdown)** - `close_all` is registered with `addCleanup`.
        """)
    assert [f.cwes[0][0] for f in review.findings] == [362, 404]
    assert [f.title for f in review.findings] == ["CWE-362 (Race Condition)", "CWE-404 (Improper Resource Shutdown)"]


def test_a_bold_cwe_field_label_stays_a_field() -> None:
    review = parse("""\
        1. **Pool leak**: `reset_pool` never closes connections.
           - **CWE:** 404
           - **Severity:** high
        """)
    assert keys(review) == ["1"]


def test_a_bold_review_header_with_a_subject_is_no_finding() -> None:
    for header in ("**Review: tests/unit/test_pool.py**", "**Code review \u2014 tests/unit/test_pool.py**"):
        review = parse(f"""\
            {header}

            **Pool swapped under workers:** `reset_pool` swaps the shared pool.

            **Cleanup registered:** `close_all` is registered with `addCleanup`.
            """)
        assert keys(review) == ["pool-swapped-under-workers", "cleanup-registered"], header


def test_a_short_bold_phrase_closed_by_a_full_stop_leads_a_finding() -> None:
    review = parse("""\
        ## Findings

        **Duplicated assertions.** Four tests repeat the same checks on `co_varnames`.

        **Order is never checked.** `assertIn` passes whatever the order of the names.
        """)
    assert [f.title for f in review.findings] == ["Duplicated assertions", "Order is never checked"]


def test_a_bold_sentence_of_its_own_or_a_long_bold_sentence_leads_nothing() -> None:
    review = parse("""\
        The pool tests look fine.

        **No other defects were found.**

        **The reviewer read every test of the module with care and found them all sound.** Done.
        """)
    assert review.findings == ()


def test_any_bold_lead_starts_a_finding_under_a_findings_heading_only() -> None:
    held = parse("""\
        ## Findings

        **`make_pool` is a module helper** (line 21) used only by `test_pool`. Fine.
        """)
    loose = parse("""\
        Intro.

        **`make_pool` is a module helper** (line 21) used only by `test_pool`. Fine.
        """)
    assert len(held.findings) == 1
    assert loose.findings == ()


def test_sub_numbered_items_are_the_findings_and_their_sections_delimit() -> None:
    review = parse("""\
        Review of test_pool.py.

        1. Isolation

        1.1 Config fixture. `setUp` installs a `Config` fixture; nothing leaks.

        1.2 Patched clients. The decorators undo every patch.

        2. Correctness

        2.1 Dead helper. `_make_fake` calls `self.FakeProject`, which the class lacks.

        That is all.
        """)
    assert keys(review) == ["1-1", "1-2", "2-1"]
    assert review.findings[0].title == "Config fixture"
    assert all(f.number is None for f in review.findings)


def test_sub_numbered_items_under_numbered_headings() -> None:
    review = parse("""\
        ## 1. Isolation
        1.1 **Config fixture**: `setUp` installs a `Config` fixture.
        1.2 **Patched clients**: the decorators undo every patch.
        ## 2. Coverage
        2.1 **Delete path**: `test_delete` covers only success.
        """)
    assert keys(review) == ["1-1", "1-2", "2-1"]


def test_a_decimal_in_prose_is_no_sub_item() -> None:
    review = parse("""\
        1. **Slow test**: `test_wait` sleeps.
        1.5 seconds pass before the assertion.
        2. **Fine**: nothing else.
        """)
    assert keys(review) == ["1", "2"]


def test_a_closing_no_problem_sentence_resolves_the_complaint_before_it() -> None:
    from pytest_reviewgate.review.polarity import polarity

    assert polarity("`setUp` starts patchers without `addCleanup`; no leak occurs in practice.") == "clean"
    assert polarity("`_pool` is never closed. The base class closes every pool, so there is no leak.") == "clean"


def test_a_closing_sentence_about_other_things_leaves_the_defect_standing() -> None:
    from pytest_reviewgate.review.polarity import polarity

    assert polarity("`_helper` starts a patcher and never stops it. Nothing else leaks.") == "defect"
    assert polarity("`_helper` starts a patcher and never stops it, so it leaks. No other issue.") == "defect"
    assert polarity("No leak occurs in `test_a`. `_helper` never stops its patcher, so it leaks.") == "defect"


def test_a_wholly_bold_numbered_line_may_close_with_a_severity_emoji() -> None:
    review = parse("""\
        Review of the pool tests.

        **1. Cleanup in `tearDown`** \u26a0\ufe0f

        `tearDown` destroys the pool.

        **2. Cache never reset** \U0001f534

        `reset_cache` is never called.
        """)
    assert keys(review) == ["1", "2"]
    assert review.findings[0].title == "Cleanup in tearDown"


def test_a_bold_line_followed_by_words_is_no_title_line() -> None:
    review = parse("""\
        Intro.

        **Cleanup in tearDown** looks fine to me.
        """)
    assert review.findings == ()


def test_an_emphatic_adverb_does_not_hide_a_no_problem_phrase() -> None:
    from pytest_reviewgate.review.polarity import polarity

    assert polarity("`tearDown` closes the ledger; nothing is actually left behind.") == "clean"
    assert polarity("`tearDown` never closes the ledger, so the file is actually left open.") == "defect"


def test_no_weakness_beyond_a_named_one_is_no_clean_verdict() -> None:
    from pytest_reviewgate.review.polarity import verdict

    assert verdict("No exploitable weakness was identified beyond the logged password.") == "defects"
    assert verdict("No exploitable weakness was identified.") == "clean"


def test_a_list_of_items_opening_with_their_lines_is_a_list_of_findings() -> None:
    review = parse("""\
        Review of test_pool.py

        Problems found:

        - Line 43: `reset_pool` overrides `pool_size` and never clears it.
          It leaks into later tests.
        - Lines 48\u201349 and 77\u201378: the temporary file is removed in `finally`. Fine.
        - L92-L101: the unknown-value branch of `required_by` is untested.

        No other issues.
        """)
    assert keys(review) == ["line-43", "lines-48-49-and-77-78", "l92-l101"]
    assert review.findings[0].title == "reset_pool overrides pool_size and never clears it"
    assert review.findings[0].last_line == 6  # its continuation line belongs to it
    assert [a.start for a in review.findings[1].line_anchors] == [48, 77]


def test_cited_sub_bullets_of_a_finding_and_a_lone_cited_bullet_stay_where_they_are() -> None:
    nested = parse("""\
        1. **Defensive checks (CWE-710)**:
           - Line 24: no check for `None`.
           - Lines 25-28: `pool_size` is used unchecked.
        """)
    assert keys(nested) == ["1"]
    lone = parse("""\
        The module is fine.

        - Line 4: a long import line, nothing more.
        """)
    assert lone.findings == ()
