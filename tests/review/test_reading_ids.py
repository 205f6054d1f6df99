"""A report's own ids lead its findings: "**W1 — Temp files leak (CWE-459), lines 55-56.**" under a
"## Weaknesses" heading is a finding's title, though it ends with a full stop."""

from __future__ import annotations

import textwrap

import pytest

from pytest_reviewgate.model import Review
from pytest_reviewgate.review.parser import parse_review
from pytest_reviewgate.review.starts import lead, sentence

REPORT = """\
    # Review: test_store.py

    **Verdict:** issues found.

    ## Strengths
    - Patches use `autospec=True` throughout.

    ## Weaknesses

    **W1 — Temporary files created in setUp (CWE-459), lines 8-9.**
    `setUp` makes two files that only `tearDown` removes; a failing `setUp` leaks them.
    expect: cleanup-registered on StoreTests.setUp

    **W2 — Real files in the temp directory (CWE-377), lines 14-18.**
    `test_save` writes into `tempfile.gettempdir()`; a failing assertion leaves the file behind.

    ## Recommendations
    1. Register `self.addCleanup(os.remove, path)` after each file is made.
    """


def parse(text: str) -> Review:
    return parse_review(textwrap.dedent(text).encode(), "test_store.review.txt")


def test_bold_titles_led_by_an_id_are_findings_with_their_own_lines_and_expectations() -> None:
    review = parse(REPORT)
    titled = [f for f in review.findings if f.polarity == "defect"]
    assert [f.title for f in titled] == [
        "Temporary files created in setUp (CWE-459), lines 8-9.",
        "Real files in the temp directory (CWE-377), lines 14-18.",
    ]
    assert [[(a.start, a.end) for a in f.line_anchors] for f in titled] == [[(8, 9)], [(14, 18)]]
    assert [[c for c, _ in f.cwes] for f in titled] == [[459], [377]]
    assert [(e.rule, e.targets) for e in titled[0].expectations] == [("cleanup-registered", ("StoreTests.setUp",))]
    assert review.expectations == ()  # not module-wide


@pytest.mark.parametrize(
    ("title", "rest"),
    [
        ("W1 — Temp files leak", "Temp files leak"),
        ("H-01: Config leaks", "Config leaks"),
        ("[M2] Mock never stopped", "Mock never stopped"),
        ("S3. Env var persists", "Env var persists"),
    ],
)
def test_an_id_of_capitals_and_a_number_then_a_mark_leads_a_finding(title: str, rest: str) -> None:
    assert lead(title) == (None, rest)


@pytest.mark.parametrize("title", ["MD5 is used for checksums", "Python 3 only", "IPv6: covered", "A1B2 value"])
def test_words_and_numbers_without_an_ids_shape_lead_nothing(title: str) -> None:
    assert lead(title) is None


def test_a_bold_sentence_is_still_no_title_unless_something_leads_it() -> None:
    assert sentence("No other defects were found.")
    assert not sentence("W1 — Temporary files leak (CWE-459), line 55.")
    assert not sentence("Finding 3: the mock leaks.")


def test_the_report_gates_its_findings_in_a_session(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_store='''\
        import os
        import tempfile
        import unittest


        class StoreTests(unittest.TestCase):
            def setUp(self):
                self.one = tempfile.mkstemp()[1]
                self.two = tempfile.mkstemp()[1]

            def tearDown(self):
                os.remove(self.one)
                os.remove(self.two)

            def test_save(self):
                path = os.path.join(tempfile.gettempdir(), "x")
                open(path, "w").close()
                self.assertTrue(os.path.exists(path))
                os.remove(path)
        ''')
    pytester.makefile(".review.txt", test_store=textwrap.dedent(REPORT))
    result = pytester.runpytest("-p", "no:cacheprovider", "--reviewgate-only", "-v")
    result.stdout.fnmatch_lines([
        "*test_store.review.txt::finding-temporary-files-created-in-setup-cwe-459-lines-8-9::anchors PASSED*",
        # the claim holds: each mkstemp() descriptor is dropped unclosed (tearDown removes only the files)
        "*test_store.review.txt::finding-temporary-files-created-in-setup-cwe-459-lines-8-9::cleanup-registered "
        "FAILED*",
        "*test_store.review.txt::finding-real-files-in-the-temp-directory-cwe-377-lines-14-18::anchors PASSED*",
    ])
    result.stdout.fnmatch_lines(["*test_store.py:8 in StoreTests.setUp: `tempfile.mkstemp()` makes a file that*"])
    assert "expect::cleanup-registered" not in result.stdout.str()
