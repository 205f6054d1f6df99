"""Finding starts beyond lists and numbered headings: the other shapes LLM reviews take.

A wholly bold line, ``Finding 3:`` / ``Issue 3:`` labels, CWE ids and severity tags in titles, and
paragraphs led by a bold title start findings; field labels (``**Location:**``) and section labels
(``**Summary**``) do not.
"""

from __future__ import annotations

import textwrap

import pytest

from pytest_reviewgate.analysis.index import parse_module
from pytest_reviewgate.analysis.symbols import Elsewhere
from pytest_reviewgate.model import Review
from pytest_reviewgate.review import starts
from pytest_reviewgate.review.parser import parse_review


def parse(text: str) -> Review:
    return parse_review(textwrap.dedent(text).encode(), "test_store.review.txt")


def titles(review: Review) -> list[tuple[str, str]]:
    return [(f.key, f.title) for f in review.findings]


def test_wholly_bold_numbered_lines_start_findings_and_keep_their_bodies() -> None:
    review = parse("""\
        ### Findings

        **1. Overrides leak (CWE-664)**
        `test_rotate` (line 8) calls `CONF.set_override` and nothing clears it.

        **2. Temp files**
        `key_dir` (lines 2-4) writes under `tmp_path`, which pytest removes.

        ### Conclusion
        Fix finding 1.
        """)
    assert titles(review) == [("1", "Overrides leak (CWE-664)"), ("2", "Temp files")]
    first, second = review.findings
    assert (first.first_line, first.last_line, first.cwes) == (3, 4, ((664, 3),))
    assert [a.text for a in second.line_anchors] == ["lines 2-4"]
    assert (first.polarity, second.polarity) == ("defect", "clean")


def test_a_wholly_bold_section_label_or_sentence_ends_the_findings() -> None:
    review = parse("""\
        **Summary**
        The module is small.

        **1. Mocks are never stopped**
        `test_clock` starts a patcher at line 5 and never stops it.

        **No other security defects were identified.**
        """)
    assert titles(review) == [("1", "Mocks are never stopped")]
    assert review.findings[0].last_line == 5
    assert review.verdict == "defects"


def test_finding_and_issue_labels_number_headings_and_plain_lines() -> None:
    review = parse("""\
        ## Finding 1: Environment variable set without restore
        `test_host` assigns `os.environ` at line 12.

        ## Finding 2 - Hard-coded identifiers
        Lines 20 and 31 hold literal UUIDs.
        """)
    assert titles(review) == [("1", "Environment variable set without restore"), ("2", "Hard-coded identifiers")]
    plain = parse("""\
        My review.

        Issue 1: Configuration override in test_limits
        The test calls self.flags at line 16, which the fixture reverts.

        Issue 2: Database stubs
        _db_stubs() (lines 5-9) replaces the create call.
        """)
    assert [f.number for f in plain.findings] == [1, 2]
    assert plain.findings[0].title == "Configuration override in test_limits"
    assert [a.text for a in plain.findings[1].line_anchors] == ["lines 5-9"]


def test_field_bullets_are_parts_of_one_finding_not_findings() -> None:
    review = parse("""\
        1. Environment variable set without restore
        - **Location:** `test_host`, lines 52-60
        - **Severity:** Medium
        - **Suggested fix:** use `monkeypatch.setenv`.
        2. Mocks started in setUp
        - **Location:** `setUp`, lines 20-34
        """)
    assert titles(review) == [("1", "Environment variable set without restore"), ("2", "Mocks started in setUp")]
    assert [a.text for a in review.findings[0].line_anchors] == ["lines 52-60"]


def test_bold_bullets_that_are_titles_still_start_findings() -> None:
    review = parse("""\
        - **Test naming**: names such as `test_1` say nothing.
        - **Config issue**: `test_x` sets `CONF.debug` at line 3 and never resets it.
        """)
    assert titles(review) == [("test-naming", "Test naming"), ("config-issue", "Config issue")]


def test_cwe_and_severity_headings_start_findings() -> None:
    review = parse("""\
        # Review

        ## CWE-664: Improper Control of a Resource
        The patcher started at line 14 is never stopped.

        #### [HIGH] Threads are not joined
        `test_parallel` (lines 95-120) never joins its workers.

        ## Key Observations
        The rest is fine.
        """)
    assert [f.title for f in review.findings] == ["CWE-664: Improper Control of a Resource", "Threads are not joined"]
    assert review.findings[0].cwes == ((664, 3),)


def test_paragraphs_led_by_a_bold_title_start_findings_unless_a_field_or_section_leads_them() -> None:
    review = parse("""\
        Review of test_export.py

        **Scope:** fixtures, mocks and temporary files.

        **Temporary directories (CWE-377):** `export_dir` (lines 14-22) calls `tempfile.mkdtemp()` and
        never removes the directory.

        **Patching of the uploader:** `test_upload` restores the method when the block exits.
        **Error handling** - only the happy path of `export` is tested.

        **Note:** the module has no hard-coded secrets.
        """)
    assert [f.title for f in review.findings] == [
        "Temporary directories (CWE-377)",
        "Patching of the uploader",
        "Error handling",
    ]
    assert review.findings[0].last_line == 6
    assert review.findings[2].last_line == 9


def test_a_bold_line_inside_a_heading_finding_is_its_text() -> None:
    review = parse("""\
        ### 1. Config leak
        **Why it matters**
        Later tests see the override set at line 7.

        ### 2. Mocks
        Patched at line 9 and stopped at cleanup.
        """)
    assert titles(review) == [("1", "Config leak"), ("2", "Mocks")]
    assert review.findings[0].last_line == 3


@pytest.mark.parametrize(
    ("label", "field"),
    [("Location", True), ("Suggested fix", True), ("Affected lines", True), ("Severity:", True),
     ("Test naming", False), ("Config issue", False), ("Temporary directories (CWE-377)", False),
     ("Finding 2: Location", False)],
)
def test_field_labels(label: str, field: bool) -> None:
    assert starts.is_field(label) is field


@pytest.mark.parametrize(
    ("title", "section"),
    [("Summary", True), ("Key observations", True), ("Overall assessment", True), ("Conclusion:", True),
     ("Mocks never stopped", False), ("Finding 1: Summary of leaks", False), ("CWE-664 overview", False)],
)
def test_section_labels(title: str, section: bool) -> None:
    assert starts.is_section(title) is section


def test_a_dotted_name_that_ends_a_patch_target_string_is_in_the_module() -> None:
    index = parse_module(
        b"import mock\nfrom nova import quota\n\n"
        b"class T:\n"
        b"    def setUp(self):\n"
        b"        self.stub_out('nova.objects.KeyPair._create_in_db', None)\n\n"
        b"    @mock.patch.object(quota.QUOTAS, 'count_as_dict')\n"
        b"    def test_limit(self, m):\n"
        b"        pass\n",
        "test_keys.py",
    )
    elsewhere = Elsewhere(index)
    assert elsewhere("KeyPair._create_in_db") == "a string of test_keys.py"
    assert elsewhere("quota.QUOTAS.count_as_dict") == "`quota.QUOTAS` and the string 'count_as_dict' of test_keys.py"
    assert elsewhere("KeyPair._destroy_in_db") == ""
    assert elsewhere("quota.QUOTAS.limit_check") == ""


def test_a_review_in_bold_paragraph_shape_gates_its_findings(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_store="""
        import os

        def test_host():
            os.environ["STORE_HOST"] = "x"
            assert os.environ["STORE_HOST"] == "x"
        """)
    pytester.path.joinpath("test_store.review.txt").write_text(textwrap.dedent("""\
        ## Review of test_store.py

        **1. Environment variable leaks (CWE-664)**
        `test_host` (line 5) sets `STORE_HOST` in `os.environ` and never removes it.
        expect: env-reverted-via-fixtures

        **2. Naming**
        `test_host` says little about what it checks.
        """))
    result = pytester.runpytest("--reviewgate-only", "-rf")
    result.assert_outcomes(passed=4, failed=1)  # review, cwe-known and both findings' anchors pass
    result.stdout.fnmatch_lines(["FAILED test_store.review.txt::finding-1::env-reverted-via-fixtures*"])


def test_plain_headings_under_a_findings_heading_are_findings() -> None:
    review = parse("""\
        # Review of test_store.py

        ## Findings

        ### Mock patches are never stopped
        `test_clock` starts a patcher at line 5.

        ### Configuration leaks
        `CONF.debug` is set at line 9.

        ## Conclusion
        ### Next steps
        Fix both.
        """)
    assert [f.title for f in review.findings] == ["Mock patches are never stopped", "Configuration leaks"]
    assert review.findings[1].last_line == 9


def test_a_review_that_is_one_table_of_findings_has_a_finding_per_row() -> None:
    review = parse("""\
        ## Findings

        | # | Issue | Location | CWE |
        |---|-------|----------|-----|
        | 1 | Config changes persist via `self.flags` | lines 167-170 | CWE-664 |
        | 2 | Stubs are never restored | `_db_stubs` | CWE-665 |

        | Metric | Value |
        |---|---|
        | tests | 12 |

        No other defects.
        """)
    assert titles(review) == [("1", "Config changes persist via self.flags"), ("2", "Stubs are never restored")]
    first, second = review.findings
    assert [a.text for a in first.line_anchors] == ["lines 167-170"]
    assert first.cwes == ((664, 5),)
    assert [s.name for s in second.symbol_anchors] == ["_db_stubs"]


def test_a_summary_table_beside_findings_adds_none() -> None:
    review = parse("""\
        | # | Issue |
        |---|---|
        | 1 | Mocks leak |

        1. **Mocks leak**: the patcher started at line 4 is never stopped.
        """)
    assert titles(review) == [("1", "Mocks leak")]


def test_an_attribute_patched_on_a_module_name_is_in_the_module() -> None:
    index = parse_module(
        b"import mock\nfrom nova import service_auth\n\n"
        b"def test_user():\n    with mock.patch.object(service_auth, 'CONF', None):\n        pass\n",
        "test_auth.py",
    )
    assert Elsewhere(index)("service_auth.CONF") == "`service_auth` and the string 'CONF' of test_auth.py"
    assert Elsewhere(index)("service_auth.LOG") == ""
