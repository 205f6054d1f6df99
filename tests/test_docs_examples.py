"""The docs' examples run as documented: files marked ``<!-- docs-test: NAME -->`` are run in real sessions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pytest_reviewgate.review.parser import parse_review

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
BLOCK = re.compile(r"<!-- docs-test: (\S+) -->\n(`{3,}|~{3,})[\w-]*\n(.*?\n)\2\n", re.S)


def blocks(page: str) -> dict[str, str]:
    """The marked blocks of a docs page: ``name -> content``."""
    found = {name: body for name, _, body in BLOCK.findall((DOCS / page).read_text(encoding="utf-8"))}
    assert found, f"no docs-test blocks in {page}"
    return found


def fenced_after(page: Path, heading: str, kind: str = "text") -> str:
    """The first fenced block of ``kind`` after the line ``heading``."""
    text = page.read_text(encoding="utf-8").split(heading, 1)[1]
    return text.split(f"```{kind}\n", 1)[1].split("\n```", 1)[0] + "\n"


def patterns(output: str) -> list[str]:
    """fnmatch patterns for documented terminal output: timings and separator widths may differ."""
    out = []
    for line in output.splitlines():
        if not line.strip():
            continue
        if line.startswith(("===", "___")):
            out.append("*" + line.strip("=_ ") + "*")
            continue
        line = re.sub(r"[\[*?]", lambda m: f"[{m.group(0)}]", line)
        out.append(re.sub(r"[0-9]+\.[0-9]+s\b", "*", line))
    return out


def write(pytester: pytest.Pytester, files: dict[str, str], prefix: str) -> None:
    for name, body in files.items():
        if name.startswith(prefix) and not name.endswith("/output"):
            (pytester.path / name.removeprefix(prefix)).write_text(body, encoding="utf-8")


# ---------------------------------------------------------------- custom rules and probes


@pytest.fixture
def custom(pytester: pytest.Pytester) -> pytest.Pytester:
    write(pytester, blocks("custom-rules.md"), "custom/")
    return pytester


def test_the_documented_custom_rule_gates_a_review_with_the_plugin(custom: pytest.Pytester) -> None:
    result = custom.runpytest("-p", "reviewgate", "test_timing.py", "test_timing.review.txt")
    result.assert_outcomes(passed=5, failed=1)
    documented = fenced_after(DOCS / "custom-rules.md", "expect: no-sleep\n```")
    command, shown = documented.split("...\n", 1)
    assert command == "$ pytest -p reviewgate\n"
    result.stdout.fnmatch_lines(patterns(shown))


def test_the_documented_custom_rule_conftest_works_without_the_plugin(custom: pytest.Pytester) -> None:
    result = custom.runpytest("-p", "no:reviewgate", "test_timing.py", "test_timing.review.txt")
    assert result.ret == pytest.ExitCode.OK
    result.assert_outcomes(passed=2)
    result.stdout.no_fnmatch_line("*INTERNALERROR*")


def test_without_optionalhook_the_conftest_breaks_a_run_without_the_plugin(
    custom: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PYTEST_ADDOPTS")  # nothing asks for the plugin here
    conftest = custom.path / "conftest.py"
    conftest.write_text(conftest.read_text().replace("@pytest.hookimpl(optionalhook=True)\n", ""))
    result = custom.runpytest("-p", "no:reviewgate", "test_timing.py")
    assert result.ret == pytest.ExitCode.INTERNAL_ERROR


def test_the_documented_way_to_test_a_custom_rule_passes(custom: pytest.Pytester) -> None:
    result = custom.runpytest_subprocess("-p", "pytester", "-p", "reviewgate", "test_no_sleep_rule.py")
    result.assert_outcomes(passed=3)


def test_the_documented_check_rule_tests_pass(custom: pytest.Pytester) -> None:
    result = custom.runpytest_subprocess("-p", "reviewgate", "test_no_sleep_unit.py")
    result.assert_outcomes(passed=3)


def test_the_documented_probe_fails_the_teardown_of_a_leaking_test(pytester: pytest.Pytester) -> None:
    write(pytester, blocks("custom-rules.md"), "probe/")
    result = pytester.runpytest_subprocess("-p", "reviewgate")
    result.assert_outcomes(passed=5, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_build*",
            'XY901 cwd-restored: the test left state changed (review test_build.review.txt:1, finding-1'
            ' "Working directory (CWE-664)")',
            "  - working directory: '*' -> '*test_build0'",
        ]
    )
    result = pytester.runpytest_subprocess("-p", "no:reviewgate")
    result.assert_outcomes(passed=1)


# ---------------------------------------------------------------- getting started


def test_getting_started_runs_as_documented(pytester: pytest.Pytester) -> None:
    files = blocks("getting-started.md")
    write(pytester, files, "before/")
    result = pytester.runpytest_subprocess("-p", "reviewgate")  # the tests leak on purpose: not in this process
    result.assert_outcomes(passed=7, failed=2, errors=1)
    result.stdout.fnmatch_lines(patterns(files["before/output"]))

    (pytester.path / "test_export.py").write_text(files["after/test_export.py"])
    result = pytester.runpytest_subprocess("-p", "reviewgate")
    result.assert_outcomes(passed=7, failed=2)
    stale = fenced_after(DOCS / "getting-started.md", "the rot reviewgate is there to catch:")
    result.stdout.fnmatch_lines(patterns(stale))

    (pytester.path / "test_export.review.txt").write_text(files["after/test_export.review.txt"])
    result = pytester.runpytest_subprocess("-p", "reviewgate")
    result.assert_outcomes(passed=9)
    result.stdout.fnmatch_lines(patterns(files["after/output"]))


# ---------------------------------------------------------------- writing reviews and the format


def test_the_guide_review_gates_its_module_as_the_guide_says(pytester: pytest.Pytester) -> None:
    write(pytester, blocks("writing-reviews.md"), "guide/")
    result = pytester.runpytest("-p", "reviewgate", "--reviewgate-only", "-rsx", "test_quota.review.txt")
    # anchors, ::review and ::cwe-known pass; three static rules confirm open findings;
    # two runtime rules wait for a test run
    result.assert_outcomes(passed=5, skipped=2, xfailed=3)
    result.stdout.fnmatch_lines(
        [
            "XFAIL test_quota.review.txt::finding-1::mocks-undone*",
            "XFAIL test_quota.review.txt::finding-2::env-reverted-via-fixtures*",
            "XFAIL test_quota.review.txt::finding-3::no-hardcoded-uuids*",
        ]
    )


def test_the_format_reference_example_parses_into_what_the_page_says() -> None:
    text = fenced_after(DOCS / "review-format.md", "A complete example, with every construct this page explains:")
    review = parse_review(text.encode(), "test_inventory.review.txt")
    assert review.problems == ()
    assert [f.key for f in review.findings] == ["1", "2"]
    first, second = review.findings
    assert [(e.rule, e.targets) for e in first.expectations] == [
        ("config-reverted-via-fixtures", ("InventoryTests._switch_region",))
    ]
    assert [(a.start, a.end) for a in first.line_anchors] == [(41, 47)]
    assert second.status == "open"
    assert [e.status for e in second.expectations] == ["open"]
    assert [(e.rule, e.targets, e.severity) for e in review.expectations] == [
        ("mocks-undone", (), None),
        ("no-hardcoded-uuids", ("InventoryTests.test_*",), "warning"),
        ("env-reverted-via-fixtures", (), None),
        ("env-restored", (), None),
    ]
    assert review.requires == ">=0.2"


def test_the_front_matter_reference_example_is_valid() -> None:
    text = fenced_after(DOCS / "review-format.md", "YAML between `---` lines at the very top of the file:", "yaml")
    review = parse_review((text + "1. **Leak**: line 3\n").encode(), "test_vgpu.review.txt")
    assert review.problems == ()
    assert review.module == "test_vgpu.py"
    assert [e.rule for e in review.expectations] == [
        "config-reverted-via-fixtures", "no-hardcoded-uuids", "mocks-undone", "env-restored",
    ]
    assert review.expectations[1].when == "oslo.config>=9"


def test_the_readme_review_example_parses_without_problems() -> None:
    text = fenced_after(ROOT / "README.md", "## A review file")
    review = parse_review(text.encode(), "test_inventory.review.txt")
    assert review.problems == ()
    assert [len(f.expectations) for f in review.findings] == [1, 1]
    assert review.findings[0].status == "open"


def test_the_configuration_example_is_accepted(pytester: pytest.Pytester) -> None:
    example = fenced_after(DOCS / "configuration.md", "without the table the defaults below apply.", "toml")
    pytester.makepyprojecttoml(example)
    result = pytester.runpytest("-p", "reviewgate", "--reviewgate-rules")
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["RG302  no-hardcoded-uuids *"])
    pytester.makepyprojecttoml(example.replace("RG302 = ", "RG399 = "))
    assert pytester.runpytest("-p", "reviewgate", "--reviewgate-rules").ret == pytest.ExitCode.USAGE_ERROR
