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
    assert review.findings[0].first_line == 9  # the comment's start; its location line is part of it


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
