"""analysis/index.py: a module's physical lines, counted as ``ast`` counts them."""

from __future__ import annotations

import ast

import pytest

from pytest_reviewgate.analysis.index import parse_module, split_lines


@pytest.mark.parametrize(
    ("source", "lines"),
    [
        ("", ("",)),
        ("a\n", ("a",)),
        ("a\nb", ("a", "b")),
        ("a\r\nb\r\n", ("a", "b")),
        ("a\rb\r", ("a", "b")),
        ("a\r\n\rb\n\nc", ("a", "", "b", "", "c")),
        ("a\fb\x0bc\x1cd\u2028e\u2029f\x85g\n", ("a\fb\x0bc\x1cd\u2028e\u2029f\x85g",)),
        ("\n\n", ("", "")),
    ],
)
def test_only_cr_lf_and_crlf_end_a_line(source: str, lines: tuple[str, ...]) -> None:
    assert split_lines(source) == lines


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_the_index_lines_match_the_lines_ast_numbers(newline: str) -> None:
    source = newline.join(["x = 1", "s = 'a\fb'", "", "def f():", "    return x", ""])
    index = parse_module(source.encode(), "m.py")
    tree = ast.parse(source)
    function = tree.body[-1]
    assert isinstance(function, ast.FunctionDef)
    assert index.source_line(function.lineno) == "def f():"
    assert index.source_line(function.body[0].lineno) == "return x"
    assert index.line_count == 5


def test_names_bound_once_to_another_object_are_kept_by_the_index_without_its_tree() -> None:
    from pytest_reviewgate.analysis.index import parse_module
    from pytest_reviewgate.analysis.state import lasting_aliases

    source = (
        "import pecan\n"
        "from pecan import request\n"
        "from . import helpers\n"
        "response = pecan.response\n"
        "state = pecan.state\n"
        "if pecan:\n"
        "    state = None\n"
        "hooks = pecan.hooks\n"
        "x, y = pecan.a, pecan.b\n"
        "\n"
        "def reset():\n"
        "    global hooks\n"
        "    hooks = None\n"
    )
    index = parse_module(source.encode(), "pkg/api.py")
    index.tree = None  # as a project module keeps it
    assert lasting_aliases(index) == {
        "request": "pecan.request", "helpers": ".helpers", "response": "pecan.response",
    }
