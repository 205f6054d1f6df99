"""Anchor resolution (SPEC 3.3): what appears as code, what a line anchor pairs with, the messages."""

from __future__ import annotations

import textwrap

import pytest

from pytest_reviewgate.analysis.index import ModuleIndex, parse_module
from pytest_reviewgate.analysis.symbols import counts, definitions_of, resolves
from pytest_reviewgate.engine.anchors import AnchorResult, Fix, check, pair
from pytest_reviewgate.model import Finding, LineAnchor, SymbolAnchor
from pytest_reviewgate.review.parser import parse_review

MODULE = textwrap.dedent('''\
    """Inventory tests; the docstring names ghost_in_docstring."""

    import os
    from unittest import mock

    import fixtures as fx
    from oslo_config import cfg

    CONF = cfg.CONF
    LIMIT = 3


    def helper(amount, *, region_name="north"):
        # phantom_in_comment is only in a comment
        text = "stringy_name in a string"
        return os.environ.get("X", text), amount


    class BaseTests(object):
        def setUp(self):
            self.patcher = mock.patch("inventory.backend.Client")
            self.client = self.patcher.start()
            self._current_host = "h1"

        def _start_service(self):
            return helper(1, region_name="south")


    class InventoryTests(BaseTests):
        region = "north"

        @mock.patch.object(os, "getpid")
        def test_reserve(self, getpid):
            CONF.set_override("region", "south")
            self._start_service()

        def test_release(self):
            fx.MockPatch("inventory.backend.Other")
            return LIMIT


    class OtherTests(BaseTests):
        def setUp(self):
            super().setUp()''')


@pytest.fixture(scope="module")
def index() -> ModuleIndex:
    return parse_module(MODULE.encode(), "test_inv.py")


def line_of(text: str) -> int:
    return next(i for i, line in enumerate(MODULE.splitlines(), 1) if text in line)


def finding(text: str) -> Finding:
    review = parse_review(textwrap.dedent(text).encode(), "test_inv.review.txt")
    assert review.problems == ()
    return review.findings[0]


def run(text: str, index: ModuleIndex, tolerance: int = 2) -> AnchorResult:
    return check(finding(text), index, "tests/test_inv.review.txt", "test_inv.py", tolerance)


def messages(result: AnchorResult) -> list[str]:
    return [v.message for v in result.violations]


# -- what appears as code ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "helper", "amount", "region_name", "getpid", "fx", "fixtures", "cfg", "environ", "set_override",
        "InventoryTests", "LIMIT", "region", "_current_host", "mock", "os",
    ],
)
def test_simple_names_match_names_attributes_defs_params_kwargs_and_imports(name: str, index: ModuleIndex) -> None:
    assert resolves(name, index)


@pytest.mark.parametrize(
    "name",
    [
        "mock.patch", "mock.patch.object", "os.environ.get", "self.patcher.start", "self._current_host",
        "self.region", "cls.region", "CONF.set_override", "inventory.backend.Client", "inventory.backend",
        "inventory.backend.Other", "fx.MockPatch", "unittest.mock", "oslo_config.cfg", "InventoryTests.test_reserve",
        "InventoryTests._start_service", "InventoryTests.setUp", "OtherTests.setUp",
    ],
)
def test_dotted_names_match_chains_their_prefixes_and_members(name: str, index: ModuleIndex) -> None:
    assert resolves(name, index)


@pytest.mark.parametrize(
    "name",
    [
        "ghost_in_docstring", "phantom_in_comment", "stringy_name", "X", "nothing_here",
        "os.path", "self.current_host", "patch.object", "backend.Client", "mock.patch.dict",
        "InventoryTests.test_missing", "Helper", "helper.amount", "BaseTests.region",
    ],
)
def test_comments_docstrings_strings_and_near_misses_never_match(name: str, index: ModuleIndex) -> None:
    assert not resolves(name, index)


def test_matching_is_case_sensitive(index: ModuleIndex) -> None:
    assert resolves("LIMIT", index)
    assert not resolves("limit", index)


@pytest.mark.parametrize(
    ("name", "kind", "expected"),
    [
        ("CONF.region", "dotted", True),
        ("self.whatever", "dotted", True),
        ("cls.whatever", "dotted", True),
        ("flask.g", "dotted", False),
        ("InventoryTests", "camel", True),
        ("VGPUTests", "camel", False),
        ("whatever_name", "underscore", True),
        ("missing", "call", True),
        ("Anything", "backtick", True),
    ],
)
def test_dotted_and_camel_candidates_count_only_when_the_module_backs_them(
    name: str, kind: str, expected: bool, index: ModuleIndex
) -> None:
    assert counts(SymbolAnchor(name, 1, 0, 0, kind), index) is expected


def test_definitions_of_names_methods_and_inherited_members(index: ModuleIndex) -> None:
    def qualnames(name: str) -> list[str]:
        return [d.qualname for d in definitions_of(name, index)]

    assert qualnames("helper") == ["helper"]
    assert qualnames("setUp") == ["BaseTests.setUp", "OtherTests.setUp"]
    assert qualnames("InventoryTests.test_reserve") == ["InventoryTests.test_reserve"]
    assert qualnames("InventoryTests.setUp") == ["BaseTests.setUp"]
    assert qualnames("self._start_service") == ["BaseTests._start_service"]
    assert qualnames("CONF.region") == []
    assert qualnames("self.current_host") == []
    assert qualnames("InventoryTests") == ["InventoryTests"]


# -- symbol anchors in a finding --------------------------------------------------------------


def test_a_symbol_that_does_not_occur_says_so_with_a_suggestion(index: ModuleIndex) -> None:
    result = run("""\
        1. **Host juggling**:
           - `self.current_host` changes; `self.current_host` again; `helper` is fine.
           - VGPUTests is not defined here, so it is no anchor; flask.g neither.
        """, index)
    assert messages(result) == [
        "`self.current_host` does not occur in the code of test_inv.py; did you mean `self._current_host`?"
        " -> update or close the finding"
    ]
    violation = result.violations[0]
    assert (violation.rule, violation.path, violation.line, violation.definition) == (
        "RG001", "tests/test_inv.review.txt", 2, "1"
    )
    assert result.stale == 1


def test_a_stale_call_style_name_fails(index: ModuleIndex) -> None:
    result = run("1. **A**: _start_compute_service() and `nothing_like_it` mock everything.\n", index)
    assert messages(result) == [
        "`_start_compute_service` does not occur in the code of test_inv.py; did you mean `_start_service`?"
        " -> update or close the finding",
        "`nothing_like_it` does not occur in the code of test_inv.py -> update or close the finding",
    ]


def test_a_backticked_name_always_counts_even_camel_case(index: ModuleIndex) -> None:
    assert messages(run("1. **A**: `VGPUTests`\n", index)) == [
        "`VGPUTests` does not occur in the code of test_inv.py -> update or close the finding"
    ]


# -- line anchors -----------------------------------------------------------------------------


def test_a_line_anchor_within_tolerance_of_its_definition_passes(index: ModuleIndex) -> None:
    start, end = line_of("def helper"), line_of("return os.environ")
    result = run(f"1. **A**: `helper` (lines {start - 2}-{end + 2}) and `helper` at line {start + 1}\n", index)
    assert result.violations == []
    assert result.fixes == []


def test_a_moved_range_says_where_the_code_is_now_and_offers_a_fix(index: ModuleIndex) -> None:
    start, end = line_of("def helper"), line_of("return os.environ")
    result = run(f"1. **A**: `helper` (lines {start - 3}-{end})\n", index)
    assert messages(result) == [
        f"`helper` is at lines {start}-{end}, the review says {start - 3}-{end}"
        " -> update the line anchor (--reviewgate-fix does it)"
    ]
    (fix,) = result.fixes
    assert (fix.start, fix.end) == (start, end)
    assert fix.anchor.text == f"lines {start - 3}-{end}"


def test_a_moved_single_line_is_fixed_to_the_first_line(index: ModuleIndex) -> None:
    result = run("1. **A**: `_start_service()` at line 3\n", index)
    assert result.fixes == [Fix(result.fixes[0].anchor, line_of("def _start_service"), line_of("def _start_service"))]


def test_the_tolerance_is_a_setting(index: ModuleIndex) -> None:
    start = line_of("def helper")
    text = f"1. **A**: `helper` (line {start - 1})\n"
    assert run(text, index, tolerance=1).violations == []
    assert len(run(text, index, tolerance=0).violations) == 1


def test_a_decorated_definition_starts_at_its_first_decorator(index: ModuleIndex) -> None:
    decorator = line_of("@mock.patch.object")
    assert run(f"1. **A**: `test_reserve` (line {decorator})\n", index, tolerance=0).violations == []
    result = run(f"1. **A**: `test_reserve` (line {decorator - 1})\n", index, tolerance=0)
    end = line_of("self._start_service()")
    assert messages(result)[0].startswith(f"`test_reserve` is at lines {decorator}-{end}, the review says")


def test_a_name_with_several_definitions_passes_inside_any_and_gets_no_fix(index: ModuleIndex) -> None:
    base, other = line_of("def setUp(self):"), line_of("super().setUp()")
    assert run(f"1. **A**: `setUp` (line {other})\n", index).violations == []
    result = run("1. **A**: `setUp` (line 2)\n", index)
    assert messages(result) == [
        f"`setUp` is at lines {base}-{base + 3}, {other - 1}-{other}, the review says 2"
        " -> update the line anchor (--reviewgate-fix leaves it: `setUp` has 2 definitions)"
    ]
    assert result.fixes == []


def test_a_line_anchor_without_a_definition_symbol_only_has_to_lie_in_the_module(index: ModuleIndex) -> None:
    lines = len(MODULE.splitlines())
    assert run(f"1. **A**: `self.current_host` moves (lines 1-{lines})\n", index).violations[1:] == []
    result = run(f"1. **A**: something at lines {lines}-{lines + 1}\n", index)
    assert messages(result) == [
        f"lines {lines}-{lines + 1} lies outside test_inv.py, which has {lines} lines -> update or close the finding"
    ]


@pytest.mark.parametrize(
    ("anchor", "message"),
    [
        ("lines 30-20", "lines 30-20 is a reversed range -> write the lower line first"),
        ("line 0", "line 0: line number out of range -> cite a line of test_inv.py"),
        ("line 12345678901", "line 12345678901: line number out of range -> cite a line of test_inv.py"),
    ],
)
def test_bad_numbers_fail_with_their_reason(anchor: str, message: str, index: ModuleIndex) -> None:
    result = run(f"1. **A**: `helper` at {anchor}\n", index)
    assert messages(result) == [message]
    assert result.fixes == []
    assert result.stale == 1


def test_a_line_anchor_pairs_with_a_definition_in_its_own_bullet_first(index: ModuleIndex) -> None:
    helper = line_of("def helper")
    text = f"""\
        1. **A**: `helper` is fine.
           - `_start_service` is cited with the wrong lines (line {helper})
        """
    result = run(text, index)
    assert messages(result)[0].startswith("`_start_service` is at")


def test_without_one_in_its_bullet_the_nearest_in_the_finding_wins(index: ModuleIndex) -> None:
    helper = line_of("def helper")
    text = f"""\
        1. **A**: line {helper}
           - `helper` and then, much later in the bullet, `_start_service`
        """
    assert run(text, index).violations == []
    text = f"""\
        1. **A**: `_start_service` and `helper` (line {helper}) then `setUp`
        """
    assert run(text, index).violations == []


def test_pair_measures_the_gap_between_the_texts_and_ties_go_to_the_earlier() -> None:
    anchor = LineAnchor("lines 16-18", 16, 18, 1, offset=20, bullet=0, digits=((26, 28), (29, 31)))
    before = SymbolAnchor("_before", 1, 10, 0)  # ends at 17: 3 characters before the anchor
    after = SymbolAnchor("after", 1, 34, 0)  # starts 3 characters after it
    assert pair(anchor, [(before, []), (after, [])]) == (before, [])
    farther = SymbolAnchor("after", 1, 35, 0)
    assert pair(anchor, [(farther, []), (before, [])]) == (before, [])
    assert pair(anchor, []) is None


def test_the_line_after_the_last_line_is_outside_the_module() -> None:
    index = parse_module(b"x = 1\ny = 2\n", "test_two.py")
    result = check(finding("1. **A**: line 3\n"), index, "r", "test_two.py", 2)
    assert messages(result) == ["line 3 lies outside test_two.py, which has 2 lines -> update or close the finding"]
