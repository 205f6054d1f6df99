"""Hostile YAML front matter (SPEC 3.4, 8): bounded, never executed, one ``::review`` failure naming the line."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Tree

MODULE = "def helper():\n    return 1\n\n\ndef test_helper():\n    assert helper() == 1\n"
FINDING = "1. **Helper**: `helper` line 1\n"


@pytest.fixture
def tree(tree: Tree) -> Tree:
    tree.write("test_helper.py", MODULE)
    return tree


def review(tree: Tree, front_matter: str) -> None:
    tree.write("test_helper.review.txt", f"---\n{front_matter}---\n{FINDING}")


def fails_review_and_keeps_findings(tree: Tree, message: str) -> pytest.RunResult:
    """``::review`` fails with ``message``; the prose finding still yields its passing anchors item."""
    result = tree.run("-v")
    tree.survived(result)
    result.stdout.fnmatch_lines(
        [
            "test_helper.review.txt::review FAILED*",
            "test_helper.review.txt::finding-1::anchors PASSED*",
            f"  test_helper.review.txt:{message}",
        ]
    )
    result.assert_outcomes(passed=3, failed=1)
    return result


def test_malformed_yaml_names_the_line_of_the_error(tree: Tree) -> None:
    review(tree, "module: test_helper.py\nexpect: [mocks-undone\nrequires: : :\n")
    fails_review_and_keeps_findings(
        tree, "4: RG003 review-valid: front matter is not valid YAML: while parsing a flow sequence*"
    )


def test_front_matter_without_its_closing_line_is_reported_at_line_one(tree: Tree) -> None:
    tree.write("test_helper.review.txt", "---\nmodule: test_helper.py\n\n" + FINDING)
    fails_review_and_keeps_findings(tree, "1: RG003 review-valid: front matter has no closing '---' line")


def test_oversized_front_matter_is_refused_before_parsing(tree: Tree) -> None:
    review(tree, "requires: '>=0.1'\n" + "# padding\n" * 7000)
    fails_review_and_keeps_findings(tree, "2: RG003 review-valid: front matter is larger than 65536 bytes")


@pytest.mark.parametrize(
    ("nesting", "message"),
    [
        ("x: " + "[" * 100000 + "\n", "2: RG003 review-valid: front matter is larger than 65536 bytes"),
        ("x: " + "[" * 60000 + "\n", "2: RG003 review-valid: front matter: nested deeper than 32 levels"),
        ("x: " + "{a: " * 15000 + "\n", "2: RG003 review-valid: front matter: nested deeper than 32 levels"),
        (
            "".join(" " * n + "a:\n" for n in range(40)),
            "*: RG003 review-valid: front matter: nested deeper than 32 levels",
        ),
    ],
    ids=["brackets-100k", "brackets-60k", "flow-mappings", "block-mappings"],
)
def test_deeply_nested_front_matter_fails_cleanly(tree: Tree, nesting: str, message: str) -> None:
    """PyYAML's C loader overflows the C stack here and kills the interpreter; the pure loader is bounded."""
    review(tree, nesting)
    fails_review_and_keeps_findings(tree, message)


def test_an_alias_bomb_is_cut_off_at_the_alias_limit(tree: Tree) -> None:
    lols = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for n, name in enumerate("bcdefghi"):
        previous = "abcdefghi"[n]
        lols += f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]\n"
    review(tree, lols)
    fails_review_and_keeps_findings(tree, "10: RG003 review-valid: front matter: more than 64 aliases")


@pytest.mark.parametrize(
    "tagged",
    [
        'module: !!python/object/apply:os.system ["touch PWNED"]\n',
        'expect:\n  - rule: !!python/object/new:os.system ["touch PWNED"]\n',
        "requires: !!python/name:os.system\n",
        'module: !!python/object/apply:builtins.open ["PWNED", "w"]\n',
    ],
    ids=["apply", "new", "name", "open"],
)
def test_python_tags_are_refused_and_never_constructed(tree: Tree, tagged: str) -> None:
    review(tree, tagged)
    result = tree.run("-v")
    tree.survived(result)
    result.stdout.fnmatch_lines(
        [
            "  test_helper.review.txt:*: RG003 review-valid: front matter is not valid YAML: *could not determine a "
            "constructor for the tag 'tag:yaml.org,2002:python/*"
        ]
    )
    assert not (tree.path / "PWNED").exists()


@pytest.mark.parametrize(
    ("front_matter", "message"),
    [
        ("module: test_helper.py\nmodule: other.py\n", "3: RG003 review-valid: front matter: duplicate key 'module'"),
        (
            "expect:\n  - rule: tests-assert\n    rule: mocks-undone\n",
            "4: RG003 review-valid: front matter: duplicate key 'rule'",
        ),
    ],
    ids=["top-level", "in-expect"],
)
def test_duplicate_keys_are_an_error_naming_the_second(tree: Tree, front_matter: str, message: str) -> None:
    review(tree, front_matter)
    fails_review_and_keeps_findings(tree, message)


@pytest.mark.parametrize(
    ("front_matter", "message"),
    [
        ("modul: test_helper.py\n", "2: RG003 review-valid: front matter: unknown key 'modul'; did you mean 'module'?"),
        (
            "expect:\n  - rule: tests-assert\n    severty: warning\n",
            "4: RG003 review-valid: front matter: unknown key 'severty' in expect; did you mean 'severity'?",
        ),
    ],
    ids=["top-level", "in-expect"],
)
def test_unknown_keys_suggest_the_closest_known_one(tree: Tree, front_matter: str, message: str) -> None:
    review(tree, front_matter)
    fails_review_and_keeps_findings(tree, message)


def test_an_integer_of_thousands_of_digits_is_a_yaml_error_not_a_crash(tree: Tree) -> None:
    """``int()`` refuses strings over 4,300 digits with a ValueError from inside the YAML constructor."""
    review(tree, "module: test_helper.py\nrequires: " + "9" * 5000 + "\n")
    fails_review_and_keeps_findings(tree, "*: RG003 review-valid: front matter is not valid YAML: *4300*")


def test_an_integer_of_thousands_of_digits_is_reported_at_its_own_line(tree: Tree) -> None:
    review(tree, "module: test_helper.py\nrequires: " + "9" * 5000 + "\n")
    fails_review_and_keeps_findings(tree, "3: RG003 review-valid: front matter is not valid YAML: *4300*")


@pytest.mark.parametrize(
    ("module", "message"),
    [
        ('"a\\0b"', "module: 'a\\x00b' is not a usable path"),
        ("/etc/hostname", "module: '/etc/hostname' must be a path relative to the review file"),
        ("../../../../../../../../etc/hostname", "module: '*' lies outside the rootdir *"),
    ],
    ids=["null-byte", "absolute", "outside"],
)
def test_a_module_key_that_is_no_usable_path_fails_the_review_item(tree: Tree, module: str, message: str) -> None:
    review(tree, f"module: {module}\n")
    result = tree.run("-v")
    tree.survived(result)
    result.stdout.fnmatch_lines(["test_helper.review.txt::review FAILED*", f"  test_helper.review.txt:1: *{message}*"])
    result.assert_outcomes(passed=2, failed=1)
