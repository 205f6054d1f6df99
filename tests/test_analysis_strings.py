"""analysis/strings.py: a module's string literals, gathered once, without its documentation; the
modules its code imports by name."""

from __future__ import annotations

import textwrap

from pytest_reviewgate.analysis.index import parse_module
from pytest_reviewgate.analysis.strings import Literal, imported_by_name, literals

SOURCE = textwrap.dedent(
    '''\
    """The module's docstring."""
    HOST = "compute1"


    class TestHosts:
        """A class docstring."""

        REGION = "north"

        @mark("slow")
        def test_host(self):
            "a bare string documents too"
            name = f"host-{HOST}-{'inner'}"
            data = b"bytes are no text"
            return ("é", "after")
    '''
)


def _values(found: list[Literal]) -> list[str]:
    return sorted(literal.value for literal in found)


def test_every_literal_but_documentation_is_gathered() -> None:
    found = literals(parse_module(SOURCE.encode(), "test_mod.py")).found
    assert _values(list(found)) == sorted(["compute1", "north", "slow", "host-\0-\0", "é", "after"])


def test_an_f_string_is_one_literal_with_its_span() -> None:
    found = literals(parse_module(SOURCE.encode(), "test_mod.py")).found
    [fstring] = [literal for literal in found if literal.value.startswith("host")]
    assert (fstring.line, fstring.column, fstring.end_line) == (13, 15, 13)
    assert fstring.end_column == len('        name = f"host-{HOST}-{\'inner\'}"')


def test_columns_count_utf8_bytes() -> None:
    found = literals(parse_module(SOURCE.encode(), "test_mod.py")).found
    [after] = [literal for literal in found if literal.value == "after"]
    assert after.column == len('        return ("é", '.encode())


def test_between_takes_the_literals_on_a_definitions_lines() -> None:
    strings = literals(parse_module(SOURCE.encode(), "test_mod.py"))
    assert _values(strings.between(10, 15)) == sorted(["slow", "host-\0-\0", "é", "after"])
    assert _values(strings.between(1, 2)) == ["compute1"]


def test_literals_are_read_once_per_module() -> None:
    index = parse_module(SOURCE.encode(), "test_mod.py")
    first = literals(index)
    index.tree = None  # the tree is gone once the module is analysed: the memo still answers
    assert literals(index) is first


def test_a_module_without_a_tree_has_no_literals() -> None:
    index = parse_module(b"X = 'a'\n", "test_mod.py")
    index.tree = None
    assert literals(index).found == ()

TRICKY = textwrap.dedent(
    '''\
    def f(x="default", *, y=("a" "b")) -> "annotation":
        """docstring"""
        f"bare {x!r:>{width}} statement"
        label = "-".join(parts)
        nested = f"outer {f'inner {x}'} end", f"{x:{'spec'}}"
        key = {"k": lambda v="lam": v}["k"]
        return [s for s in ("c", "d") if s != "e"], ("x" "y").upper()
    '''
)


def _every_string(source: str) -> list[tuple[str, int, int]]:
    """Every string literal by a plain recursive reading of the tree, this test's own."""
    import ast

    out: list[tuple[str, int, int]] = []

    def visit(node: ast.AST, quiet: bool) -> None:
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant | ast.JoinedStr):
            visit(node.value, True)  # a docstring or bare string documents
            return
        if isinstance(node, ast.JoinedStr):
            if not quiet:
                text = "".join(v.value if isinstance(v, ast.Constant) else "\0" for v in node.values)
                out.append((text, node.lineno, node.col_offset))
            for child in ast.iter_child_nodes(node):
                visit(child, True)
            return
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and not quiet:
            out.append((node.value, node.lineno, node.col_offset))
        for child in ast.iter_child_nodes(node):
            visit(child, quiet)

    visit(ast.parse(source), False)
    return sorted(out)


def test_the_index_walk_meets_every_literal_a_plain_reading_finds() -> None:
    found = literals(parse_module(TRICKY.encode(), "test_mod.py")).found
    assert sorted((lit.value, lit.line, lit.column) for lit in found) == _every_string(TRICKY)
    assert {lit.value for lit in found} >= {"default", "ab", "annotation", "-", "lam", "k", "xy", "e"}
    assert not {"docstring", "inner \0", "spec"} & {lit.value for lit in found}


def test_the_modules_a_module_imports_by_name_are_its_calls_not_its_text() -> None:
    source = textwrap.dedent(
        """\
        \"\"\"Use __import__("shop.docs") to load them.\"\"\"
        import importlib
        from importlib import import_module as load

        # importlib.import_module("shop.comment")
        HINT = "__import__('shop.hint')"
        importlib.import_module("shop.top")


        def register_all(name):
            __import__("shop.crate")
            load("shop.pallet")
            importlib.import_module(name)
            __import__("shop.crate")
        """
    )
    index = parse_module(source.encode(), "shop/__init__.py")
    assert imported_by_name(index) == ("shop.top", "shop.crate", "shop.pallet")
    index.tree = None  # a project module's: its functions are read again from its nodes
    index.memo.clear()
    assert imported_by_name(index) == ("shop.crate", "shop.pallet")
