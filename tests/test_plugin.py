"""End-to-end: review files collected as items, with the outcomes and output a user sees."""

from __future__ import annotations

import textwrap

import pytest

MODULE = textwrap.dedent(
    """
    import os


    class TestInventory:
        def setup_method(self):
            self.items = {}

        def _switch_region(self, region):
            os.environ["REGION"] = region

        def test_reserve_item(self):
            self.items["a"] = 1
            assert self.items["a"] == 1
"""
).lstrip()

REVIEW = textwrap.dedent(
    """
    Review of test_inventory.py.

    1. **Global state (CWE-664)**: lines 9-10
       - `_switch_region` changes the environment.

    2. **Happy path only (CWE-703)**: line 12
       - `test_reserve_item` covers the happy path only.

    3. **Style**:
       - nothing specific.
"""
).lstrip()


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makepyfile(test_inventory=MODULE)
    pytester.makefile(".review.txt", test_inventory=REVIEW)
    return pytester


def test_findings_with_anchors_become_items_with_stable_ids(project: pytest.Pytester) -> None:
    result = project.runpytest("--collect-only", "-q")
    result.stdout.fnmatch_lines(
        [
            "test_inventory.py::TestInventory::test_reserve_item",
            "test_inventory.review.txt::review",
            "test_inventory.review.txt::finding-1::anchors",
            "test_inventory.review.txt::finding-2::anchors",
        ]
    )
    result.stdout.no_fnmatch_line("*finding-3*")


def test_anchors_that_resolve_pass_and_the_summary_counts_the_review(project: pytest.Pytester) -> None:
    result = project.runpytest()
    result.assert_outcomes(passed=5)  # the test, ::review, ::cwe-known and two ::anchors
    result.stdout.fnmatch_lines(
        [
            "*= reviewgate =*",
            "reviews: 1 (0 clean, 1 with defects)",
            "findings: 3 (2 gated, 1 not gated;*",
            "items: 4 passed",
            "stale anchors: 0",
        ]
    )


def test_a_moved_function_fails_its_anchor_and_says_where_it_is_now(project: pytest.Pytester) -> None:
    project.makepyfile(test_inventory="# one\n# two\n# three\n# four\n# five\n" + MODULE)
    result = project.runpytest()
    result.assert_outcomes(passed=3, failed=2)
    result.stdout.fnmatch_lines(
        [
            "*RG001 finding-1::anchors*",
            "test_inventory.review.txt:3: finding 1: Global state (CWE-664)",
            "*RG001 anchors-resolve*",
            "*test_inventory.review.txt:3: `_switch_region` is at lines 13-14, the review says 9-10 -> *",
            "stale anchors: 2",
        ]
    )


def test_failures_are_shown_without_keeping_the_review_items_silent_phase_reports(
    project: pytest.Pytester,
) -> None:
    # pytest scans its uncategorised reports once per failure shown (for teardown output): the
    # plugin takes its own items' empty setup/teardown reports off that list, the rest stays
    project.makepyfile(test_inventory="# one\n# two\n# three\n# four\n# five\n" + MODULE)
    project.makeconftest(
        """
        import pytest

        @pytest.hookimpl(wrapper=True)
        def pytest_terminal_summary(terminalreporter):
            quiet = terminalreporter.stats.get("", [])
            ours = sum("reviewgate" in r.keywords for r in quiet)
            print(f"uncategorised: {len(quiet)} total, {ours} of review items")
            return (yield)
        """
    )
    result = project.runpytest("-rA")
    result.assert_outcomes(passed=3, failed=2)
    result.stdout.fnmatch_lines(["uncategorised: 2 total, 0 of review items"])  # the plain test's two
    result.stdout.fnmatch_lines(["*RG001 finding-1::anchors*", "*RG001 finding-2::anchors*"])


def test_durations_still_list_the_review_items_phases(project: pytest.Pytester) -> None:
    result = project.runpytest("--durations=0", "-vv")
    result.assert_outcomes(passed=5)
    result.stdout.fnmatch_lines(["*s setup    test_inventory.review.txt::review"])
    result.stdout.fnmatch_lines(["*s teardown test_inventory.review.txt::review"])


def test_a_symbol_that_no_longer_exists_suggests_the_closest_name(project: pytest.Pytester) -> None:
    project.makepyfile(test_inventory=MODULE.replace("_switch_region", "_switch_regions"))
    result = project.runpytest("-k", "finding-1")
    result.assert_outcomes(failed=1, deselected=4)
    result.stdout.fnmatch_lines(["*`_switch_region` does not occur in the code*did you mean `_switch_regions`?*"])


def test_items_carry_the_marker_and_rule_keywords(project: pytest.Pytester) -> None:
    result = project.runpytest("-m", "not reviewgate")
    result.assert_outcomes(passed=1, deselected=4)
    result = project.runpytest("-k", "RG001")
    result.assert_outcomes(passed=2, deselected=3)
    result = project.runpytest("-k", "anchors-resolve")
    result.assert_outcomes(passed=2, deselected=3)


def test_doctest_never_runs_the_prose_of_a_review(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_x="def test_x():\n    assert True\n")
    pytester.makefile(".review.txt", test_x=">>> 1 / 0\n\n1. **X**: `test_x` line 1\n")
    result = pytester.runpytest("--doctest-glob=*.txt", "-v")
    result.assert_outcomes(passed=3)
    result.stdout.no_fnmatch_line("*[[]doctest[]]*")


def test_reviewgate_only_imports_no_test_module_and_no_package_init(pytester: pytest.Pytester) -> None:
    pkg = pytester.mkpydir("pkg")
    (pkg / "__init__.py").write_text("raise RuntimeError('package imported')\n")
    (pkg / "test_a.py").write_text("raise RuntimeError('module imported')\n\ndef test_a():\n    pass\n")
    (pkg / "test_a.review.txt").write_text("1. **Import**: `test_a` line 3\n")
    result = pytester.runpytest("--reviewgate-only")
    result.assert_outcomes(passed=2)
    assert "imported" not in result.stdout.str()


def test_plugin_loads_by_name_without_autoload_and_turns_off(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    result = project.runpytest_subprocess("-p", "reviewgate")
    result.assert_outcomes(passed=5)
    monkeypatch.delenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD")
    result = project.runpytest("-p", "no:reviewgate")
    result.assert_outcomes(passed=1)


def test_a_missing_module_leaves_only_the_failing_review_item(pytester: pytest.Pytester) -> None:
    pytester.makefile(".review.txt", test_gone="1. **X**: line 3\n")
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*the reviewed module test_gone.py does not exist*"])


def test_front_matter_module_key_overrides_the_pairing(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_real="def test_real():\n    assert True\n")
    pytester.makefile(".review.txt", notes="---\nmodule: test_real.py\n---\n1. **X**: `test_real` line 1\n")
    result = pytester.runpytest("notes.review.txt")
    result.assert_outcomes(passed=2)


def test_a_module_that_does_not_parse_fails_review_and_skips_the_rest(pytester: pytest.Pytester) -> None:
    pytester.makefile(".py", test_bad="def test_bad(:\n    pass\n")
    pytester.makefile(".review.txt", test_bad="1. **X**: `test_bad` line 1\n")
    result = pytester.runpytest("test_bad.review.txt")
    result.assert_outcomes(failed=1, skipped=1)
    result.stdout.fnmatch_lines(["*test_bad.py:1: the module does not parse*"])


def test_unknown_rule_fails_review_with_did_you_mean_and_findings_still_run(project: pytest.Pytester) -> None:
    project.makefile(".review.txt", test_inventory=REVIEW + "\nexpect: config-reverted-via-fixture\n")
    result = project.runpytest("test_inventory.review.txt")
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(
        ["*:12: RG003 review-valid: unknown rule 'config-reverted-via-fixture'; did you mean*"]
    )


def test_prose_that_looks_like_a_directive_is_reported_with_its_line(project: pytest.Pytester) -> None:
    project.makefile(".review.txt", test_inventory=REVIEW + "   expect: the tests to pass\n")
    result = project.runpytest("test_inventory.review.txt")
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(["*:11: RG003 review-valid: cannot parse 'expect: the tests to pass'*"])


def test_requires_that_is_not_met_leaves_only_the_review_item(project: pytest.Pytester) -> None:
    project.makefile(".review.txt", test_inventory='---\nrequires: ">=99"\n---\n' + REVIEW)
    result = project.runpytest("test_inventory.review.txt")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*requires: pytest-reviewgate >=99, this is *"])


def test_cwe_outside_the_taxonomy_fails_the_cwe_known_item(project: pytest.Pytester) -> None:
    project.makefile(".review.txt", test_inventory=REVIEW.replace("CWE-703", "CWE-99999"))
    result = project.runpytest("test_inventory.review.txt")
    result.assert_outcomes(passed=3, failed=1)  # ::review and both ::anchors pass
    result.stdout.fnmatch_lines(
        [
            "*_ test_inventory.review.txt: RG002 cwe-known _*",
            "test_inventory.review.txt:3: cwe-known",
            "*:6: RG002 cwe-known: CWE-99999 is not in the CWE catalog",
            "FAILED test_inventory.review.txt::cwe-known*",
        ]
    )
    result.stdout.no_fnmatch_line("FAILED test_inventory.review.txt::review*")
    project.makepyprojecttoml('[tool.reviewgate]\ncwe-taxonomy = "any"\n')
    project.runpytest("test_inventory.review.txt").assert_outcomes(passed=4)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("colour = 1", "*unknown key 'colour'*"),
        ("line-tolerance = 'two'", "*line-tolerance: expected a non-negative integer*"),
        ("required-version = '>>1'", "*required-version: '>>1' is not a version specifier*"),
        ("severity = { RG101 = 'loud' }", "*severity.RG101: expected one of error, warning, off*"),
    ],
)
def test_bad_configuration_is_a_usage_error_naming_the_key(
    project: pytest.Pytester, table: str, message: str
) -> None:
    project.makepyprojecttoml(f"[tool.reviewgate]\n{table}\n")
    result = project.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([message])


def test_required_version_not_met_is_a_usage_error(project: pytest.Pytester) -> None:
    project.makepyprojecttoml("[tool.reviewgate]\nrequired-version = '>=99'\n")
    result = project.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*required-version >=99 is not met*"])


def test_unimplemented_or_unmet_expectations_are_skipped_with_the_reason(project: pytest.Pytester) -> None:
    project.makefile(
        ".review.txt",
        test_inventory='---\nexpect:\n  - rule: env-restored\n    when: "no-such-dist>=1"\n---\n' + REVIEW,
    )
    result = project.runpytest("test_inventory.review.txt", "-rs")
    result.assert_outcomes(passed=4, skipped=1)
    result.stdout.fnmatch_lines(["*no-such-dist is not installed*"])


def test_rules_are_listed_and_explained(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--reviewgate-rules")
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["RG001  anchors-resolve *", "RG101  config-reverted-via-fixtures *"])
    result = pytester.runpytest("--reviewgate-explain", "anchors-resolve")
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["RG001 anchors-resolve*", "## What it does", "## Why is this bad?"])
    result = pytester.runpytest("--reviewgate-explain", "anchors-resolv")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*unknown rule 'anchors-resolv'; did you mean 'anchors-resolve'?"])


def test_outcomes_are_the_same_under_xdist(project: pytest.Pytester) -> None:
    project.makepyfile(test_inventory="# one\n# two\n# three\n# four\n# five\n" + MODULE)
    serial = project.runpytest()
    serial.assert_outcomes(passed=3, failed=2)
    parallel = project.runpytest("-n", "2")
    parallel.assert_outcomes(passed=3, failed=2)
    parallel.stdout.fnmatch_lines(["reviews: 1 (0 clean, 1 with defects)", "stale anchors: 2"])
