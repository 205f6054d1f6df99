"""Properties over arbitrary input: the parser never raises, and what it returns is consistent."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_reviewgate.analysis.index import parse_module
from pytest_reviewgate.engine.anchors import Pairing, _Pairer, pair
from pytest_reviewgate.model import LineAnchor, Review, ReviewgateError, SymbolAnchor
from pytest_reviewgate.review import frontmatter
from pytest_reviewgate.review.parser import parse_review
from pytest_reviewgate.review.text import code_spans, decode, opaque, split

FAST = settings(max_examples=200, deadline=None)

REVIEW_PIECES = [
    "\n", "\n", "\n", "\r\n", "\r", " ", "   ", "\t", "1. ", "2) ", "10. ", "- ", "* ", "   - ", "**", "__", "`",
    "``", "```", "~~~", "<!--", "-->", "> ", "# ", "### ", "## 1. ", "#### **", "lines 5-9", "line 0", "Lines 3, 4",
    "lines 9-2", "L3-L4", "#L7", "test_x.py:7", "CWE-664", "(CWE 703)", "expect: mocks-undone on X, lines 2-3",
    "expect: the tests", "status: open", "status: shut", "id: a-1", "id: A", "---", "...", "module: y.py",
    "on: [a]", "_helper()", "self.x", "CONF.region", "VGPUTests", "\f", "\u2028", "\x85", "\ufeff", "e.g.", "'q_x'",
    "__init__", "[a](b)", "://", "9" * 12, "\u2013", "no apparent issue", "no security defects are detected",
    "use ", "without ", "{.noanchor}", "anchors: none", "Expect ", "**expect:** ", "Status ", "; ", "nothing ",
    " but not ", "only closed when ",
]
markdownish = st.lists(st.sampled_from(REVIEW_PIECES) | st.text(max_size=8), max_size=60).map("".join)


def check_review(data: bytes, review: Review) -> None:
    """What every parse must satisfy, whatever the input."""
    assert review.path == "tests/test_x.review.txt"
    if review.fatal:
        assert review.findings == ()
        assert review.problems
        return
    text = decode(data).text
    count = len(split(text).lines)
    previous = 0
    for finding in review.findings:
        assert previous < finding.first_line <= finding.last_line <= count
        previous = finding.last_line
        assert finding.title
        within = range(finding.first_line, finding.last_line + 1)
        for anchor in finding.line_anchors:
            assert anchor.line in within
            assert anchor.digits
            assert all(text[s:e].isdigit() and text[s:e].isascii() for s, e in anchor.digits)
            assert 0 <= anchor.offset <= anchor.digits[0][0]
            if anchor.error:
                assert anchor.error in ("line number out of range", "reversed range")
            else:
                assert 1 <= anchor.start <= anchor.end <= 999_999_999
        for symbol in finding.symbol_anchors + finding.mentions:
            assert symbol.line in within
            assert text[symbol.offset : symbol.offset + len(symbol.name)] == symbol.name
        assert all(not s.role for s in finding.symbol_anchors)
        assert all(s.role in ("recommended", "absent", "marked") for s in finding.mentions)
        assert not (finding.unanchored and (finding.line_anchors or finding.symbol_anchors))
        assert finding.polarity in ("defect", "clean", "note")
        assert all(e.line in within for e in finding.expectations)
        assert all(line in within for _, line in finding.cwes)
    keys = [f.key for f in review.findings]
    assert len(set(keys)) == len(keys)
    assert all(keys)
    assert all(1 <= line <= count for _, line in review.cwes)
    assert all(1 <= p.line <= count for p in review.problems)
    assert review.verdict in ("clean", "defects")


@FAST
@given(st.text())
def test_arbitrary_text_never_raises(text: str) -> None:
    data = text.encode("utf-8")
    check_review(data, parse_review(data, "tests/test_x.review.txt"))


@FAST
@given(markdownish)
def test_markdown_shaped_text_gives_consistent_findings(text: str) -> None:
    data = text.encode("utf-8")
    review = parse_review(data, "tests/test_x.review.txt")
    check_review(data, review)
    assert parse_review(data, "tests/test_x.review.txt") == review  # deterministic


@FAST
@given(st.binary())
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    check_review(data, parse_review(data, "tests/test_x.review.txt", max_findings=5))


@FAST
@given(st.lists(st.sampled_from(REVIEW_PIECES) | st.text(max_size=8), max_size=40).map("".join))
def test_opaque_blanking_keeps_every_offset(text: str) -> None:
    lines = split(text).lines
    out = opaque(lines)
    assert len(out) == len(lines)
    for raw, blanked in zip(lines, out, strict=True):
        assert blanked == "" or (
            len(blanked) == len(raw) and all(b in (r, " ") for r, b in zip(raw, blanked, strict=True))
        )


@FAST
@given(st.text(alphabet="`ab ", max_size=60))
def test_code_spans_are_ordered_disjoint_and_balanced(line: str) -> None:
    end = 0
    for start, stop in code_spans(line):
        assert end <= start < stop
        run = len(line[start:stop]) - len(line[start:stop].lstrip("`"))
        assert line[start : start + run] == line[stop - run : stop] == "`" * run
        assert start == 0 or line[start - 1] != "`"
        end = stop


@FAST
@given(st.text(max_size=300))
def test_front_matter_never_raises(source: str) -> None:
    result = frontmatter.parse(source, 2)
    assert all(p.line >= 2 for p in result.problems)


PYTHON_PIECES = [
    "\n", "\n", "    ", "\t", "def f(x, *a, k=1, **kw):\n", "    return x\n", "class A(B, metaclass=M):\n",
    "import os\n", "import a.b as c\n", "from . import x\n", "from .. import *\n", "# coding: latin-1\n",
    "# -*- coding: utf-8 -*-\n", "# coding: nonsense\n", "\x00", "(", ")", "[", "]", "lambda: ", "@d(1)\n",
    "mock.patch('a.b.C')\n", '"""doc"""\n', "'", "\r", "\r\n", "\f", "\u2028", "\ufeff", "if x:\n", "    pass\n",
    "async def g():\n", "    await x\n", "x = y = 1\n", "self.a.b = 2\n", "global q\n", "\\\n", "f'{x!r}'\n",
    "match x:\n    case [a, *b]: pass\n", "x: int = 3\n", "del x\n", "with a as (b, c): pass\n",
]
pythonish = st.lists(st.sampled_from(PYTHON_PIECES) | st.text(max_size=6), max_size=50).map("".join)


@pytest.mark.filterwarnings("ignore::SyntaxWarning")  # ast.parse warns about odd literals
@FAST
@given(pythonish.map(lambda s: s.encode("utf-8")) | st.binary(max_size=200))
def test_arbitrary_modules_raise_only_reviewgate_errors(data: bytes) -> None:
    try:
        index = parse_module(data, "test_mod.py")
    except ReviewgateError as exc:
        error: ReviewgateError | None = exc
    else:
        error = None
        assert all(1 <= d.first_line <= d.line <= d.end_line for d in index.definitions)
    assert error is None or error.line >= 1


@st.composite
def pairing_cases(draw: st.DrawFn) -> tuple[LineAnchor, list[Pairing]]:
    offset, symbols = 0, list[Pairing]()
    for _ in range(draw(st.integers(0, 8))):
        offset += draw(st.integers(1, 30))
        name = draw(st.sampled_from(["a", "_bc", "helper_fn", "Klass"]))
        symbols.append((SymbolAnchor(name, 1, offset, draw(st.integers(0, 2))), []))
        offset += len(name)
    start = draw(st.integers(0, offset + 30))
    width = draw(st.integers(1, 12))
    anchor = LineAnchor("line 1", 1, 1, 1, start, draw(st.integers(0, 2)), ((start + width - 1, start + width),))
    return anchor, symbols


@FAST
@given(pairing_cases())
def test_the_fast_pairing_agrees_with_pair(case: tuple[LineAnchor, list[Pairing]]) -> None:
    anchor, defining = case
    assert _Pairer(defining).pair(anchor) == pair(anchor, defining)


@pytest.mark.parametrize("cookie", [b"undefined", b"punycode"])
def test_a_coding_cookie_whose_codec_fails_is_a_reviewgate_error(cookie: bytes) -> None:
    with pytest.raises(ReviewgateError):
        parse_module(b"# coding: " + cookie + b"\nx = 1\n", "test_mod.py")
