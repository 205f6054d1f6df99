"""YAML front matter: what it sets, and every way it can be wrong without crashing anything."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from pytest_reviewgate.review import frontmatter
from pytest_reviewgate.review.frontmatter import MAX_ALIASES, MAX_BYTES, MAX_DEPTH, FrontMatter, find
from pytest_reviewgate.review.parser import parse_review


def load(source: str, first_line: int = 2) -> FrontMatter:
    return frontmatter.parse(textwrap.dedent(source), first_line)


def problems(result: FrontMatter) -> list[tuple[int, str]]:
    return [(p.line, p.message) for p in result.problems]


def test_a_valid_front_matter_sets_module_requires_expectations_and_pins() -> None:
    result = load("""\
        module: test_vgpu.py
        requires: ">=0.2"
        expect:
          - rule: config-reverted-via-fixtures
            on: ["VGPUTests.*", "VGPUMultipleTypesTests.setUp"]
          - rule: no-hardcoded-uuids
            severity: warning
            when: "oslo.config>=9"
          - rule: mocks-undone
            status: open
          - env-restored
          - rule: cwe-known
            on: VGPUTests
        pins: {"1/line 85": "abc123"}
        """)
    assert result.problems == []
    assert (result.module, result.requires, result.pins) == ("test_vgpu.py", ">=0.2", {"1/line 85": "abc123"})
    assert [(e.rule, e.targets, e.severity, e.when, e.status, e.line, e.source) for e in result.expectations] == [
        ("config-reverted-via-fixtures", ("VGPUTests.*", "VGPUMultipleTypesTests.setUp"), None, None, None, 5,
         "front-matter"),
        ("no-hardcoded-uuids", (), "warning", "oslo.config>=9", None, 7, "front-matter"),
        ("mocks-undone", (), None, None, "open", 10, "front-matter"),
        ("env-restored", (), None, None, None, 12, "front-matter"),
        ("cwe-known", ("VGPUTests",), None, None, None, 13, "front-matter"),
    ]


def test_on_off_yes_and_no_stay_strings_yaml_1_2_style() -> None:
    result = load("""\
        expect:
          - rule: mocks-undone
            on: [yes, no, On]
            severity: off
        """)
    assert result.problems == []
    assert [(e.targets, e.severity) for e in result.expectations] == [(("yes", "no", "On"), "off")]


def test_an_empty_front_matter_is_fine() -> None:
    assert load("").problems == []
    assert load("# only a comment\n").problems == []
    assert load("pins:\nexpect:\n").problems == []


@pytest.mark.parametrize(
    ("source", "line", "message"),
    [
        ("module: [unclosed\n", 3, "front matter is not valid YAML"),
        ("a: b\n  c: d\n", 3, "front matter is not valid YAML"),
        ("- just\n- a list\n", 2, "front matter must be a mapping"),
        ("just text\n", 2, "front matter must be a mapping"),
        ("module: a.py\nmodule: b.py\n", 3, "front matter: duplicate key 'module'"),
        ("expect:\n  - rule: a\n    rule: b\n", 4, "front matter: duplicate key 'rule'"),
        ("? [a, b]\n: c\n", 2, "front matter: a mapping key must be a plain value"),
        ("x: \x00\n", 2, "front matter is not valid YAML: unacceptable character"),
    ],
)
def test_malformed_yaml_is_a_problem_on_its_review_line(source: str, line: int, message: str) -> None:
    result = frontmatter.parse(source, 2)
    assert len(result.problems) == 1
    assert result.problems[0].line == line
    assert result.problems[0].message.startswith(message)


def test_lines_count_only_line_feeds_as_the_review_does() -> None:
    result = frontmatter.parse("a: b\u2028c: d\x85e: f\nmodule: [\n", 10)
    assert [p.line for p in result.problems] == [12]


@pytest.mark.parametrize(
    "source",
    [
        "x: !!python/object/apply:os.system ['touch {marker}']\n",
        "x: !!python/object/new:pathlib.Path ['{marker}']\n",
        "x: !!python/name:os.system\n",
        "x: !!binary aGVsbG8=\n",
    ],
)
def test_python_tags_are_refused_and_never_run(source: str, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    result = frontmatter.parse(source.format(marker=marker), 2)
    assert not marker.exists()
    if "python" in source:
        assert "could not determine a constructor" in result.problems[0].message
    else:  # binary is a safe type, but no value the front matter accepts
        assert "unknown key 'x'" in result.problems[0].message


def test_an_alias_bomb_is_refused_quickly() -> None:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in "bcdefghi":
        prev = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [{', '.join(['*' + prev] * 9)}]")
    result = frontmatter.parse("\n".join(lines), 2)
    assert problems(result)[0][1] == f"front matter: more than {MAX_ALIASES} aliases"


def test_an_expansion_within_the_alias_limit_is_never_printed_or_walked() -> None:
    lines = ["l0: &l0 [x, x, x]"] + [f"l{i}: &l{i} [*l{i-1}, *l{i-1}, *l{i-1}]" for i in range(1, 21)]
    for tail in ("expect: [*l20]", "expect:\n  - rule: a\n    on: *l20", "module: *l20", "pins: {a: *l20}"):
        result = frontmatter.parse("\n".join([*lines, tail]), 2)  # 3**20 leaves if expanded
        assert all(len(p.message) < 200 for p in result.problems)
        assert result.expectations == []


@pytest.mark.parametrize(
    "source",
    [
        "[" * 100_000,
        "{a: " * 10_000,
        "- " * 20_000,
        "".join(" " * i + "k:\n" for i in range(200)),
        "x: " + "[" * 40 + "]" * 40,
    ],
    ids=["flow sequences", "flow mappings", "block sequences", "block mappings", "just too deep"],
)
def test_deep_nesting_is_refused_without_crashing_the_interpreter(source: str) -> None:
    result = frontmatter.parse(source, 2)
    assert len(result.problems) == 1
    message = result.problems[0].message
    assert f"nested deeper than {MAX_DEPTH} levels" in message or "front matter is larger" in message


def test_an_oversized_front_matter_is_refused_before_parsing() -> None:
    result = frontmatter.parse("x: " + "y" * MAX_BYTES, 2)
    assert problems(result) == [(2, f"front matter is larger than {MAX_BYTES} bytes")]


def test_unknown_keys_suggest_the_nearest_known_one_with_their_line() -> None:
    result = load("""\
        modul: test_x.py
        colour: blue
        expect:
          - rule: mocks-undone
            severty: warning
          - rul: a
        """)
    assert problems(result) == [
        (2, "front matter: unknown key 'modul'; did you mean 'module'?"),
        (3, "front matter: unknown key 'colour'"),
        (6, "front matter: unknown key 'severty' in expect; did you mean 'severity'?"),
        (7, "front matter: unknown key 'rul' in expect; did you mean 'rule'?"),
    ]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("module: 3", "front matter: module must be a string"),
        ("requires: 0.2", "front matter: requires must be a string"),
        ("pins: [a]", "front matter: pins must map strings to strings"),
        ("pins: {a: 1}", "front matter: pins must map strings to strings"),
        ("expect: mocks-undone", "front matter: expect must be a list of {rule: ...} entries"),
        ("expect: [[a]]", "front matter: expect entry a list is not a mapping"),
        ("expect: [3]", "front matter: expect entry 3 is not a mapping"),
        ("expect: [{on: [X]}]", "front matter: expect entry without a rule"),
        ("expect: [{rule: a, on: [1]}]", "front matter: on of a must be a list of targets"),
        ("expect: [{rule: a, severity: fatal}]", "front matter: severity of a must be error, warning or off"),
        ("expect: [{rule: a, status: done}]", "front matter: status of a must be open or closed"),
        ("expect: [{rule: a, when: 9}]", "front matter: when of a must be a string"),
    ],
)
def test_wrong_types_are_problems(source: str, message: str) -> None:
    assert problems(frontmatter.parse(source, 5)) == [(5, message)]


def test_merge_keys_work_and_may_override() -> None:
    result = load("""\
        base: &base {rule: mocks-undone, severity: warning}
        """)
    assert [m for _, m in problems(result)] == ["front matter: unknown key 'base'"]
    result = load("""\
        expect:
          - &first {rule: mocks-undone, severity: warning}
          - <<: *first
            rule: env-restored
        """)
    assert result.problems == []
    assert [(e.rule, e.severity) for e in result.expectations] == [
        ("mocks-undone", "warning"), ("env-restored", "warning")
    ]


def test_find_needs_dashes_on_the_first_line_and_a_closing_line() -> None:
    assert find(("---", "a: b", "---", "text")) == (0, 2)
    assert find(("---  ", "a: b", "...", "text")) == (0, 2)
    assert find(("text", "---", "a: b", "---")) is None
    assert find(("---", "a: b")) is None
    assert find(()) is None


@pytest.mark.parametrize("eol", ["\n", "\r\n", "\r"])
def test_front_matter_in_a_review_with_any_line_end_and_a_bom(eol: str) -> None:
    text = eol.join(["---", "module: other.py", "expect:", "  - rule: mocks-undone", "modul: x", "---", "1. **A**"])
    review = parse_review(b"\xef\xbb\xbf" + text.encode(), "test_x.review.txt")
    assert review.module == "other.py"
    assert [(e.rule, e.line) for e in review.expectations] == [("mocks-undone", 4)]
    assert [(p.line, p.message) for p in review.problems] == [
        (5, "front matter: unknown key 'modul'; did you mean 'module'?")
    ]
    assert [(f.key, f.first_line) for f in review.findings] == [("1", 7)]
