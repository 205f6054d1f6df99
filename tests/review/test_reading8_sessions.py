"""Whole reviews in the shapes of the eighth reading round, read in real sessions: the items they make
and the summary's counts say the parser read each finding as the reviewer meant."""

from __future__ import annotations

import pytest

MODULE = """\
from unittest import mock


class StoreTests:
    def setup_method(self):
        patcher = mock.patch("os.getcwd")
        self.getcwd = patcher.start()

    def test_open(self):
        def fake_stat(path):
            raise OSError(path)

        with mock.patch("os.stat", side_effect=fake_stat):
            assert True
        assert fake_stat

    def test_uuid(self):
        assert "9552017f-c8b9-4e4e-a876-00000053349c"
"""


def run(pytester: pytest.Pytester, review: str, *args: str) -> pytest.RunResult:
    pytester.makepyfile(test_store=MODULE)
    (pytester.path / "test_store.review.txt").write_text(review)
    return pytester.runpytest("--reviewgate-only", "-v", "-p", "no:cacheprovider", *args)


def test_pull_request_comments_each_make_their_items(pytester: pytest.Pytester) -> None:
    result = run(pytester, """\
Comments on the pull request.

---

**tests/test_store.py** line 6

**issue (blocking):** `setup_method` starts a patcher and never stops it.

expect: mocks-undone
status: open

---

`test_store.py:9-15`

**question:** does `test_open` need `fake_stat`? It looks fine to me.

---

test_store.py L40-L41

**nit:** `test_uuid` has a long name.
""")
    result.stdout.fnmatch_lines_random([
        "*::finding-setup-method-starts-a-patcher-and-never-stops-it::anchors PASSED*",
        "*::finding-setup-method-starts-a-patcher-and-never-stops-it::mocks-undone XFAIL*",
        "*::finding-does-test-open-need-fake-stat::anchors PASSED*",
        "*::finding-test-uuid-has-a-long-name::anchors FAILED*",
        "*`test_uuid` is at lines 17-18, the review says 40-41*",
    ])
    result.assert_outcomes(passed=3, failed=1, xfailed=1)


def test_severity_headings_under_findings_leave_each_bullet_a_finding(pytester: pytest.Pytester) -> None:
    result = run(pytester, """\
## Findings

### \U0001f534 Critical

- **Patch never stopped**: `setup_method` (test_store.py:5-7) never stops its patcher.
  expect: mocks-undone
- **Fake raises**: see [test_store.py#L10](test_store.py#L10), `fake_stat`.

### \U0001f7e1 Minor

- **Hard-coded UUID**: `test_uuid` (L17-L18) spells a UUID out.
  expect: no-hardcoded-uuids
""")
    result.stdout.fnmatch_lines_random([
        "*::finding-patch-never-stopped::anchors PASSED*",
        "*::finding-patch-never-stopped::mocks-undone FAILED*",
        "*::finding-fake-raises::anchors PASSED*",
        "*::finding-hard-coded-uuid::anchors PASSED*",
        "*::finding-hard-coded-uuid::no-hardcoded-uuids FAILED*",
        "findings: 3 (3 gated*",
    ])
    result.assert_outcomes(passed=4, failed=2)


def test_a_json_list_of_findings_makes_one_finding_per_object(pytester: pytest.Pytester) -> None:
    result = run(pytester, """\
The findings, as JSON:

```json
{"note": "this block is code and opaque"}
```

[
  {
    "id": 1,
    "title": "Patcher never stopped",
    "location": "StoreTests.setup_method, lines 5-7",
    "description": "`patcher.start()` runs and nothing stops it."
  },
  {
    "id": 2,
    "title": "UUID literal",
    "line": 40,
    "description": "`test_uuid` spells a UUID out."
  }
]
""")
    result.stdout.fnmatch_lines_random([
        "*::finding-1::anchors PASSED*",
        "*::finding-2::anchors FAILED*",
        "*`test_uuid` is at lines 17-18, the review says 40*",
        "findings: 2 (2 gated, 0 not gated; 1 defect*",
    ])
    result.assert_outcomes(passed=2, failed=1)


def test_a_yaml_list_of_findings_makes_one_finding_per_item(pytester: pytest.Pytester) -> None:
    result = run(pytester, """\
findings:
  - title: Patcher never stopped
    location: StoreTests.setup_method, lines 5-7
    detail: "`getcwd` is patched with `.start()` and no cleanup."
  - title: Nested fake
    location: test_open, line 13
    detail: the nested `fake_stat` is only checked for truth.
""")
    result.stdout.fnmatch_lines_random([
        "*::finding-patcher-never-stopped::anchors PASSED*",
        "*::finding-nested-fake::anchors PASSED*",  # line 13 lies in test_open, outside fake_stat
    ])
    result.assert_outcomes(passed=3)


def test_scoped_citations_and_inline_html_anchor_their_methods(pytester: pytest.Pytester) -> None:
    result = run(pytester, """\
<ol>
<li><b>Leak</b>: StoreTests::setup_method (line 6) never stops its patcher.</li>
<li><b>Stale</b>: <code>StoreTests::test_gone</code> no longer exists.</li>
</ol>
""")
    result.stdout.fnmatch_lines_random([
        "*::finding-leak::anchors PASSED*",
        "*::finding-stale::anchors FAILED*",
        "*`StoreTests.test_gone` does not occur in the code of test_store.py*",
    ])
    result.assert_outcomes(passed=2, failed=1)


def test_praise_headings_and_closing_words_give_the_counts_meant(pytester: pytest.Pytester) -> None:
    result = run(pytester, """\
### Critical

1. `setup_method` (line 6) starts a patcher and never stops it.
2. `test_uuid` (line 18) spells a UUID out; acceptable.
3. `test_open` (line 9) - __nested__ fake at line 10. ok

### \u2705 Looks good

- `test_open` is isolated.
""")
    result.stdout.fnmatch_lines_random([
        "reviews: 1 (0 clean, 1 with defects)",
        "findings: 3 (3 gated, 0 not gated; 1 defect, 2 clean, 0 note)",
    ])
    result.assert_outcomes(passed=4)


def test_task_lists_named_headings_and_number_signs(pytester: pytest.Pytester) -> None:
    result = run(pytester, """\
# Review

#### Issue: Patcher never stopped
- [ ] `setup_method` starts a patcher at line #6 and never stops it.
  expect: mocks-undone

#### Issue: UUID literal
- [x] `test_uuid` (Line No. 18) spells a UUID out.
  expect: no-hardcoded-uuids
  status: open
""")
    result.stdout.fnmatch_lines_random([
        "*::finding-patcher-never-stopped::anchors PASSED*",
        "*::finding-patcher-never-stopped::mocks-undone FAILED*",
        "*::finding-uuid-literal::anchors PASSED*",
        "*::finding-uuid-literal::no-hardcoded-uuids XFAIL*",
    ])
    result.assert_outcomes(passed=3, failed=1, xfailed=1)


def test_verdict_marks_and_code_led_items_make_findings(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_other=MODULE)
    (pytester.path / "test_other.review.txt").write_text("""\
Issues:
* `setup_method` (line 6): patcher never stopped.
* `test_uuid` - UUID literal at line 40.
""")
    result = run(pytester, """\
Checklist:

- \u274c `setup_method` never stops its patcher (line 6).
- \u2705 `test_open` nests `fake_stat` and restores everything (line 9).
""")
    result.stdout.fnmatch_lines_random([
        "test_store.review.txt::finding-setup-method-never-stops-its-patcher-line-6::anchors PASSED*",
        "test_store.review.txt::finding-test-open-nests-fake-stat-and-restores-everything-line-9::anchors PASSED*",
        "test_other.review.txt::finding-setup-method-line-6-patcher-never-stopped::anchors PASSED*",
        "test_other.review.txt::finding-test-uuid-uuid-literal-at-line-40::anchors FAILED*",
    ])
    result.assert_outcomes(passed=5, failed=1)


def test_a_line_of_a_named_test_outside_its_nested_helper_holds(pytester: pytest.Pytester) -> None:
    result = run(pytester, """\
1. **Fake stat raises**: `StoreTests.test_open` patches `os.stat`.
   - line 13: the nested `fake_stat` is only checked for truth.
2. **Elsewhere**: `StoreTests.test_uuid` spells a UUID.
   - line 13: `fake_stat` is never called.
""")
    result.stdout.fnmatch_lines_random([
        "*::finding-1::anchors PASSED*",
        "*::finding-2::anchors FAILED*",
        "*`StoreTests.test_uuid` is at lines 17-18, the review says 13*",
    ])
    result.assert_outcomes(passed=2, failed=1)


def test_triage_maps_a_repeated_uuid_and_a_missing_autospec(pytester: pytest.Pytester) -> None:
    result = run(pytester, """\
1. **UUIDs**: `test_uuid` repeats the UUID 9552017f... across tests (line 18).
2. **Fidelity**: `setup_method` patches `os.getcwd` without `autospec=True` (line 6).
""", "--reviewgate-triage")
    result.stdout.fnmatch_lines_random([
        "*finding 1 (UUIDs): confirmed [[]no-hardcoded-uuids[]]*",
        "*finding 2 (Fidelity): confirmed [[]mocks-autospecced[]]*",
    ])
