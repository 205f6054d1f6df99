"""One line of prose -> CWE ids, line anchors, symbol candidates and directives."""

from __future__ import annotations

import pytest

from pytest_reviewgate.model import LineAnchor
from pytest_reviewgate.review.extract import Carry, cwes, directive, line_anchors, parse_expect, symbols
from pytest_reviewgate.review.text import code_spans


def anchors(text: str, module: str = "test_foo.py") -> list[LineAnchor]:
    return line_anchors(text, 7, 1000, 2, module)


def cited(text: str, module: str = "test_foo.py") -> list[tuple[int, int]]:
    return [(a.start, a.end) for a in anchors(text, module)]


def candidates(text: str) -> list[tuple[str, str]]:
    return [(s.name, s.kind) for s in symbols(text, 7, 0, 0)]


# -- line anchors -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("see line 85 here", [(85, 85)]),
        ("Line 100: the check", [(100, 100)]),
        ("lines 85-101", [(85, 101)]),
        ("lines 85\u2013101", [(85, 101)]),
        ("lines 85 \u2014 101", [(85, 101)]),
        ("lines 85 to 101", [(85, 101)]),
        ("lines 85 through 101", [(85, 101)]),
        ("(lines 58-69)", [(58, 69)]),
        ("lines 73-77, 213-216", [(73, 77), (213, 216)]),
        ("lines 44, 55, 65", [(44, 44), (55, 55), (65, 65)]),
        ("lines 44, 55 and 65", [(44, 44), (55, 55), (65, 65)]),
        ("(e.g., lines 175-186, and lines 239-263)", [(175, 186), (239, 263)]),
        ("line 5 and line 7", [(5, 5), (7, 7)]),
        ("L85-L101", [(85, 101)]),
        ("#L85-L101", [(85, 101)]),
        ("at L85.", [(85, 85)]),
        ("test_foo.py:85", [(85, 85)]),
        ("nova/tests/test_foo.py:85-90", [(85, 90)]),
        ("https://host/x/test_foo.py#L85-L101", [(85, 101)]),
        ("Lines 256-259: missing checks", [(256, 259)]),
    ],
)
def test_every_line_anchor_form_of_the_contract(text: str, expected: list[tuple[int, int]]) -> None:
    found = anchors(text)
    assert [(a.start, a.end) for a in found] == expected
    assert all(a.error == "" and a.line == 7 and a.bullet == 2 for a in found)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in line 85, 3 mocks are started", [(85, 85)]),  # a singular keyword takes no list
        ("Pipelines 3 and deadline 4 and online 5", []),
        ("other_file.py:85 and test_foo.pyc:85", []),
        ("line eighty and the linear 85", []),
        ("XL85 and L85x", []),
    ],
)
def test_what_is_not_a_line_anchor(text: str, expected: list[tuple[int, int]]) -> None:
    assert cited(text) == expected


def test_without_a_module_name_any_file_line_counts() -> None:
    assert cited("other.py:9", module="") == [(9, 9)]


def test_digit_spans_and_offsets_point_into_the_review_text() -> None:
    text = "x (lines 85\u2013101, and line 7) and test_foo.py#L3-L4 and L9"
    found = line_anchors(text, 1, 0, 0, "test_foo.py")
    assert [[text[s:e] for s, e in a.digits] for a in found] == [["85", "101"], ["7"], ["3", "4"], ["9"]]
    assert [text[a.offset : a.offset + 5] for a in found] == ["lines", "line ", "test_", "L9"]
    assert [a.text for a in found] == ["lines 85-101", "line 7", "test_foo.py#L3-4", "L9"]


def test_offsets_count_from_the_line_start_in_the_review() -> None:
    (anchor,) = line_anchors("   - line 5", 3, 40, 1, "")
    assert anchor.offset == 40 + 5
    assert anchor.digits == ((40 + 10, 40 + 11),)


@pytest.mark.parametrize(
    ("text", "error", "start", "end"),
    [
        ("line 0", "line number out of range", 0, 0),
        ("lines 0-5", "line number out of range", 0, 5),
        ("L0", "line number out of range", 0, 0),
        ("line 1234567890", "line number out of range", 0, 0),
        ("lines 5-1234567890", "line number out of range", 5, 0),
        ("line 123456789", "", 123456789, 123456789),
        ("lines 90-80", "reversed range", 90, 80),
        ("lines 90 to 80", "reversed range", 90, 80),
        ("test_foo.py:9-3", "reversed range", 9, 3),
    ],
)
def test_bad_numbers_are_errors_never_dropped_or_swapped(text: str, error: str, start: int, end: int) -> None:
    (anchor,) = anchors(text)
    assert (anchor.error, anchor.start, anchor.end) == (error, start, end)


def test_a_5000_digit_line_number_is_out_of_range_and_shown_short() -> None:
    (anchor,) = anchors("line " + "7" * 5000)
    assert anchor.error == "line number out of range"
    assert len(anchor.text) < 30
    assert anchor.digits[0][1] - anchor.digits[0][0] == 5000


def test_non_ascii_digits_are_no_line_numbers() -> None:
    assert cited("line \u0663\u0664 and line \uff18\uff15") == []


# -- CWE ids ----------------------------------------------------------------------------------


def test_cwe_forms() -> None:
    assert cwes("CWE-664, CWE 664, (CWE-703), CWE\u2011691 and CWE710") == [664, 664, 703, 691, 710]
    assert cwes("CWE categories, cwe-79, XCWE-1, CWE-") == []
    assert cwes("CWE-" + "1" * 5000) == []


# -- symbol candidates ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the `_create_mdev` helper", [("_create_mdev", "backtick")]),
        ("`f(args)` and `self.flags(host=host)`", [("f", "backtick"), ("self.flags", "backtick")]),
        ("`fixtures.MockPatch`", [("fixtures.MockPatch", "backtick")]),
        ("``CONF.region`` in double ticks", [("CONF.region", "backtick")]),
        ("`f(a) + g(b)`, `x = 1`, `None`, `for`, `test_foo.py`, `foo[0]`", []),
        ("calls _create_mdev() and VGPUTests.setUp() then", [("_create_mdev", "call"), ("VGPUTests.setUp", "call")]),
        ("the mdev_info dict and _private", [("mdev_info", "underscore"), ("_private", "underscore")]),
        ("self.current_host and cls.registry", [("self.current_host", "dotted"), ("cls.registry", "dotted")]),
        ("CONF.region and os.environ.", [("CONF.region", "dotted"), ("os.environ", "dotted")]),
        ("VGPUTests and setUp but not Mock, UUID, RP or CONF", [("VGPUTests", "camel"), ("setUp", "camel")]),
        ("oslo_config.cfg is imported", [("oslo_config.cfg", "underscore")]),
        ("dunder __init__ counts", [("__init__", "underscore")]),
        ("resp.json() is called, readme.md is not", [("resp.json", "call")]),
        ("the method's _helper", [("_helper", "underscore")]),
    ],
)
def test_symbol_candidates(text: str, expected: list[tuple[str, str]]) -> None:
    assert candidates(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "e.g. this, E.g. that, i.e. it, etc.",
        "in test_vgpu.py and nova/tests/test_vgpu.py and config.yaml",
        "a path a_dir/b_file and c_dir\\d",
        "quoted 'device_addresses' and \"double_quoted\" and \u2018curly_one\u2019 and \u201ccurly_two\u201d",
        "a link https://example.com/some_path/x_y.html and ftp://a_b",
        "_emphasis_ and _ and __ and _1_ and ___",
        "plain words: None True False lambda",
        "non-hardcoded -_x",
    ],
)
def test_what_is_never_a_symbol(text: str) -> None:
    assert candidates(text) == []


def test_symbol_offsets_point_at_the_name() -> None:
    text = "x `  self.flags(a)` and  helper_fn() and ``CONF.x``"
    found = symbols(text, 1, 100, 0)
    assert [text[s.offset - 100 : s.offset - 100 + len(s.name)] for s in found] == [
        "self.flags", "helper_fn", "CONF.x"
    ]


def test_code_spans_pair_runs_of_equal_length() -> None:
    line = "a ``x`` ` y ` ``` `lonely"
    assert [line[s:e] for s, e in code_spans(line)] == ["``x``", "` y `"]
    assert code_spans("`" * 10) == []


# -- directives -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "keyword", "value"),
    [
        ("expect: mocks-undone", "expect", "mocks-undone"),
        ("   - expect:  RG101 ", "expect", "RG101"),
        ("* status: open", "status", "open"),
        ("+ id: x-1", "id", "x-1"),
        ("\tid:", "id", ""),
    ],
)
def test_directives_are_recognised_at_the_start_of_a_line(text: str, keyword: str, value: str) -> None:
    found = directive(text, 4)
    assert found is not None
    assert (found.keyword, found.value, found.line) == (keyword, value, 4)


@pytest.mark.parametrize(
    ("text", "keyword", "value"),
    [
        ("Expect: x", "expect", "x"),
        ("EXPECT: mocks-undone", "expect", "mocks-undone"),
        ("**expect:** mocks-undone", "expect", "mocks-undone"),
        ("- **Expect**: RG201", "expect", "RG201"),
        ("`expect:` mocks-undone", "expect", "mocks-undone"),
        ("_Status_: open", "status", "open"),
        ("**expect: mocks-undone**", "expect", "mocks-undone"),
        ("Anchors: none", "anchors", "none"),
    ],
)
def test_case_and_emphasis_around_the_keyword_are_tolerated(text: str, keyword: str, value: str) -> None:
    found = directive(text, 1)
    assert found is not None
    assert (found.keyword, found.value, found.exact) == (keyword, value, True)


@pytest.mark.parametrize(
    ("text", "keyword"),
    [
        ("expects: mocks-undone", "expect"),
        ("expect mocks-undone", "expect"),
        ("Expect the tests to fail when the fixture leaks", "expect"),
        ("expect : mocks-undone", "expect"),
        ("ids: 1", "id"),
        ("ID config-leak", "id"),
        ("status open", "status"),
        ("Statuses: closed", "status"),
        ("anchor: none", "anchors"),
        ("anchors none", "anchors"),
    ],
)
def test_misspelled_directives_are_attempts_that_are_not_exact(text: str, keyword: str) -> None:
    found = directive(text, 1)
    assert found is not None
    assert (found.keyword, found.exact, found.written) == (keyword, False, text)


@pytest.mark.parametrize(
    "text",
    [
        "we expect: x", "1. expect: x", "expectation: x", "Expected: a clean run", "status x",
        "Status of the mock is unclear.", "ID values are hard-coded in three tests.", "IDs are reused",
        "id-based lookups", "Anchors in this review are approximate", "Status, in short: open",
    ],
)
def test_prose_that_merely_starts_with_a_keyword_is_no_directive(text: str) -> None:
    assert directive(text, 1) is None


def test_parse_expect_splits_rules_and_targets() -> None:
    parsed = parse_expect("a, b on X, Y.z, lines 3-5", 9)
    assert parsed is not None
    assert [(e.rule, e.targets, e.line) for e in parsed] == [
        ("a", ("X", "Y.z", "lines 3-5"), 9),
        ("b", ("X", "Y.z", "lines 3-5"), 9),
    ]
    assert parse_expect("RG101", 1) is not None
    assert [e.targets for e in parse_expect("r on VGPUTests.test_*, test_[ab]?, line 4 to 6", 1) or []] == [
        ("VGPUTests.test_*", "test_[ab]?", "line 4 to 6")
    ]


@pytest.mark.parametrize(
    "value",
    ["", "the tests to pass", "a on", "a,", "a, on X", "a on X Y", "a on X,", "a on lines 3-", "rule!", "on on on on"],
)
def test_parse_expect_rejects_prose(value: str) -> None:
    assert parse_expect(value, 1) is None


# -- mentions: names the review recommends, says the code lacks, or marks ---------------------


def roles(text: str) -> list[tuple[str, str]]:
    return [(s.name, s.role) for s in symbols(text, 7, 0, 0)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Use `tmp_path` for the directory.", [("tmp_path", "recommended")]),
        ("consider `self.addCleanup` here", [("self.addCleanup", "recommended")]),
        ("prefer `monkeypatch.setenv`", [("monkeypatch.setenv", "recommended")]),
        ("Use a fixture such as `fixtures.EnvironmentVariable`.", [("fixtures.EnvironmentVariable", "recommended")]),
        ("A fixture such as `fixtures.EnvironmentVariable` would restore it.",
         [("fixtures.EnvironmentVariable", "recommended")]),
        ("It patches `os.environ` instead of `monkeypatch`.", [("os.environ", ""), ("monkeypatch", "recommended")]),
        ("replace `time.sleep` with `fake_sleep`", [("time.sleep", "recommended"), ("fake_sleep", "recommended")]),
        ("The test should use `tmp_path`.", [("tmp_path", "recommended")]),
        ("The patcher should be stopped via `self.addCleanup`.", [("self.addCleanup", "recommended")]),
        ("- **Fix**: register `patcher.stop` with `addCleanup`.",
         [("patcher.stop", "recommended"), ("addCleanup", "recommended")]),
        ("It is better to use `tmp_path`.", [("tmp_path", "recommended")]),
    ],
)
def test_names_the_review_recommends_are_mentions(text: str, expected: list[tuple[str, str]]) -> None:
    assert roles(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("`os.open` is called without `O_EXCL`.", [("os.open", ""), ("O_EXCL", "absent")]),
        ("there is no `tearDown` in `BillingTests`", [("tearDown", "absent"), ("BillingTests", "")]),
        ("`_helper` does not call `stop` or `stopall`", [("_helper", ""), ("stop", "absent"), ("stopall", "absent")]),
        ("`setUp` is missing `addCleanup`", [("setUp", ""), ("addCleanup", "absent")]),
        ("it lacks a call to `patcher.stop()`", [("patcher.stop", "absent")]),
        ("`addCleanup` is never called", [("addCleanup", "absent")]),
        ("nothing calls `reset_registry`", [("reset_registry", "absent")]),
        ("does not call `stop` on the patcher `_helper` starts", [("stop", "absent"), ("_helper", "")]),
    ],
)
def test_names_the_review_says_the_code_lacks_are_mentions(text: str, expected: list[tuple[str, str]]) -> None:
    assert roles(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("`_helper` leaks the patch; use `addCleanup`", [("_helper", ""), ("addCleanup", "recommended")]),
        ("Consider `self.addCleanup`, since `_helper` starts the patcher",
         [("self.addCleanup", "recommended"), ("_helper", "")]),
        ("Use `tmp_path`. `_make_dir` writes to /tmp.", [("tmp_path", "recommended"), ("_make_dir", "")]),
        ("The use of `mock.patch` in `_helper` is fine.", [("mock.patch", ""), ("_helper", "")]),
        ("`setUp` registers `addCleanup(patcher.stop)`.", [("setUp", ""), ("addCleanup", "")]),
        ("The patcher is stopped via `self.addCleanup`.", [("self.addCleanup", "")]),
        ("Helpers such as `_create_mdev` and `_start` patch globals.", [("_create_mdev", ""), ("_start", "")]),
        ("(e.g., `VGPUTestBase` and `VGPUTests`)", [("VGPUTestBase", ""), ("VGPUTests", "")]),
        ("without error handling in `_create_mdev`", [("_create_mdev", "")]),
    ],
)
def test_names_outside_a_cue_s_clause_stay_anchors(text: str, expected: list[tuple[str, str]]) -> None:
    assert roles(text) == expected


def test_a_noanchor_attribute_marks_one_code_span() -> None:
    assert roles("`tmp_path`{.noanchor} and `_x`{.py .noanchor} beside `_y` {.noanchor} and `_z`{.other}") == [
        ("tmp_path", "marked"), ("_x", "marked"), ("_y", ""), ("_z", ""),
    ]
    assert roles("`_a`{.noanchor}") == [("_a", "marked")]


def test_a_cue_runs_on_into_the_next_line_until_its_clause_ends() -> None:
    carry = Carry()
    first = symbols("the fix is to use", 1, 0, 0, carry)
    second = symbols("`tmp_path` here. `_make_dir` leaks.", 2, 20, 0, carry)
    assert first == []
    assert [(s.name, s.role) for s in second] == [("tmp_path", "recommended"), ("_make_dir", "")]
    assert carry.role == ""
    carry = Carry()
    symbols("it is created without", 1, 0, 0, carry)
    assert [(s.name, s.role) for s in symbols("`O_EXCL` by `_open`", 2, 30, 0, carry)] == [
        ("O_EXCL", "absent"), ("_open", ""),
    ]
