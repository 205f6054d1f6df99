"""analysis/strings.py: a module's string literals, gathered once, without its documentation."""

from __future__ import annotations

import textwrap

from pytest_reviewgate.analysis.index import parse_module
from pytest_reviewgate.analysis.strings import Literal, literals

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
