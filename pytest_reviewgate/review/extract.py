"""What one line of review prose cites: CWE ids, line anchors, symbol candidates, directives.

Every pattern is bounded (no nested quantifiers over the same characters), so a line is
scanned in time linear in its length.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass

from ..model import Expectation, LineAnchor, SymbolAnchor

MAX_DIGITS = 9

CWE = re.compile(r"\bCWE[- ]?(\d{1,12})(?!\d)")

_NUM = r"\d+"
_SEP = r"\s*(?:-|\u2013|\u2014|to)\s*"
_ITEM = rf"({_NUM})(?:{_SEP}({_NUM}))?"
# "lines 44, 55 and 65", "lines 175-186, and lines 239-263": one phrase, many items.
LINES = re.compile(rf"\b[Ll]ines?\s+{_ITEM}((?:\s*,\s*(?:and\s+)?(?:[Ll]ines?\s+)?{_NUM}(?:{_SEP}{_NUM})?|\s+and\s+(?:[Ll]ines?\s+)?{_NUM}(?:{_SEP}{_NUM})?)*)")
MORE = re.compile(rf"(?:[Ll]ines?\s+)?{_ITEM}")
GITHUB = re.compile(r"(?<![\w#])#?L(\d+)(?:-L?(\d+))?(?![\w])")
FILE_LINE = re.compile(r"([\w.\-/]+\.py):(\d+)(?:-(\d+))?(?!\d)")

BACKTICK = re.compile(r"`([^`\n]{1,200})`")
IDENT_CODE = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")
CODE_SNIPPET = re.compile(r"([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)(?:\(.*\))?")
CALL = re.compile(r"(?<![\w.`'\"])([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\(\)")
TOKEN = re.compile(r"(?<![\w.`'\"/])([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)")
QUOTED = re.compile(r"(?<!\w)'[^'\n]*'(?!\w)|(?<!\w)\"[^\"\n]*\"(?!\w)|\u2018[^\u2019\n]*\u2019|\u201c[^\u201d\n]*\u201d")
FILE_EXTENSIONS = frozenset({"py", "txt", "md", "cfg", "ini", "json", "yaml", "yml", "toml", "rst", "html", "conf"})
NOT_SYMBOLS = frozenset({"None", "True", "False", "e.g", "i.e", "etc", "vs", "cf"})

DIRECTIVE = re.compile(r"^\s*(?:[-*+]\s+)?(expect|status|id):")
RULE = r"[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*"
TARGET = r"(?:lines?\s+\d{1,9}(?:\s*(?:-|\u2013|to)\s*\d{1,9})?|[A-Za-z_*?\[][\w.*?\[\]!-]*)"
EXPECT = re.compile(rf"^({RULE}(?:\s*,\s*{RULE})*)(?:\s+on\s+({TARGET}(?:\s*,\s*{TARGET})*))?$")
STATUS = re.compile(r"^(open|closed)$")
ID = re.compile(r"^([a-z0-9]+(?:-[a-z0-9]+)*)$")


def cwes(line: str) -> list[int]:
    return [int(m.group(1)) for m in CWE.finditer(line) if len(m.group(1)) <= MAX_DIGITS]


def _number(digits: str) -> int | None:
    """``int()`` refuses strings over 4,300 digits; nobody cites line 10**9 anyway."""
    return int(digits) if len(digits) <= MAX_DIGITS else None


def _anchor(
    label: str, first: str, last: str | None, line: int, offset: int, bullet: int,
    spans: tuple[tuple[int, int], ...],
) -> LineAnchor:
    start = _number(first)
    end = start if last is None else _number(last)
    error = ""
    if start is None or end is None or start == 0 or end == 0:
        error = "line number out of range"
    elif end < start:
        error = "reversed range"
    return LineAnchor(text=label, start=start or 0, end=end or 0, line=line, offset=offset,
                      bullet=bullet, digits=spans, error=error)


def line_anchors(text: str, line: int, base: int, bullet: int, module_name: str) -> list[LineAnchor]:
    """Every line anchor in ``text`` (one physical line starting at review offset ``base``)."""
    found: list[tuple[int, LineAnchor]] = []
    for phrase in LINES.finditer(text):
        for item in MORE.finditer(text, phrase.start(), phrase.end()):
            a, b = item.group(1), item.group(2)
            spans = [(base + item.start(1), base + item.end(1))]
            if b is not None:
                spans.append((base + item.start(2), base + item.end(2)))
            label = f"lines {a}-{b}" if b is not None else f"line {a}"
            found.append((item.start(), _anchor(label, a, b, line, base + item.start(), bullet, tuple(spans))))
    for match in GITHUB.finditer(text):
        a, b = match.group(1), match.group(2)
        spans = [(base + match.start(1), base + match.end(1))]
        if b is not None:
            spans.append((base + match.start(2), base + match.end(2)))
        label = f"L{a}-L{b}" if b is not None else f"L{a}"
        found.append((match.start(), _anchor(label, a, b, line, base + match.start(), bullet, tuple(spans))))
    for match in FILE_LINE.finditer(text):
        if module_name and match.group(1).rsplit("/", 1)[-1] != module_name:
            continue
        a, b = match.group(2), match.group(3)
        spans = [(base + match.start(2), base + match.end(2))]
        if b is not None:
            spans.append((base + match.start(3), base + match.end(3)))
        label = match.group(0)
        found.append((match.start(), _anchor(label, a, b, line, base + match.start(), bullet, tuple(spans))))
    found.sort(key=lambda pair: pair[0])
    return [anchor for _, anchor in found]


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        for index in range(start, end):
            chars[index] = " "
    return "".join(chars)


def _is_file_name(name: str) -> bool:
    return "." in name and name.rsplit(".", 1)[1] in FILE_EXTENSIONS


def _emphasis(name: str) -> bool:
    """``_word_`` and ``__word__`` in prose are Markdown emphasis; ``__init__`` is code."""
    if not (name.startswith("_") and name.endswith("_")) or len(name) < 3:
        return False
    inner = name.strip("_")
    dunder = name.startswith("__") and name.endswith("__") and inner.islower() and inner.isidentifier()
    return not dunder and "_" not in inner


def _camel(name: str) -> bool:
    if "_" in name or "." in name or not name.isidentifier():
        return False
    upper = sum(1 for c in name if c.isupper())
    lower = any(c.islower() for c in name)
    if name[0].isupper():
        return upper >= 2 and lower
    return upper >= 1 and lower


def symbols(text: str, line: int, base: int, bullet: int) -> list[SymbolAnchor]:
    """Symbol candidates of one line; ``kind`` says how they qualify (see ``SymbolAnchor``)."""
    found: list[SymbolAnchor] = []
    ticked: list[tuple[int, int]] = []
    for match in BACKTICK.finditer(text):
        ticked.append((match.start(), match.end()))
        snippet = match.group(1).strip()
        code = CODE_SNIPPET.fullmatch(snippet)
        if code and code.group(1) not in NOT_SYMBOLS and not keyword.iskeyword(code.group(1)):
            if not _is_file_name(code.group(1)):
                found.append(SymbolAnchor(code.group(1), line, base + match.start(1), bullet, "backtick"))
    prose = _blank(text, ticked + [(m.start(), m.end()) for m in QUOTED.finditer(text)])
    taken: set[int] = set()
    for match in CALL.finditer(prose):
        taken.add(match.start(1))
        name = match.group(1)
        if name not in NOT_SYMBOLS and not _is_file_name(name) and not keyword.iskeyword(name):
            found.append(SymbolAnchor(name, line, base + match.start(1), bullet, "call"))
    for match in TOKEN.finditer(prose):
        if match.start(1) in taken:
            continue
        name = match.group(1)
        end = match.end(1)
        if end < len(prose) and prose[end] in "/\\":  # a path, not code
            continue
        if name in NOT_SYMBOLS or name.startswith(("e.g.", "i.e.")) or _is_file_name(name):
            continue
        if "." in name:
            first = name.split(".", 1)[0]
            kind = "dotted"
            if first in ("self", "cls") or "_" in name:
                kind = "underscore" if first not in ("self", "cls") else "dotted"
            found.append(SymbolAnchor(name, line, base + match.start(1), bullet, kind))
        elif "_" in name and not _emphasis(name) and not name.strip("_").isdigit():
            found.append(SymbolAnchor(name, line, base + match.start(1), bullet, "underscore"))
        elif _camel(name):
            found.append(SymbolAnchor(name, line, base + match.start(1), bullet, "camel"))
    found.sort(key=lambda s: s.offset)
    return found


@dataclass(frozen=True)
class Directive:
    keyword: str  # expect | status | id
    value: str
    line: int


def directive(text: str, line: int) -> Directive | None:
    """A line that starts with ``expect:``, ``status:`` or ``id:``, or None."""
    match = DIRECTIVE.match(text)
    if not match:
        return None
    return Directive(match.group(1), text[match.end() :].strip(), line)


def parse_expect(value: str, line: int) -> list[Expectation] | None:
    """``RULE[, RULE]* [on TARGET[, TARGET]*]`` -> one expectation per rule, or None."""
    match = EXPECT.match(value.strip())
    if not match:
        return None
    rules = [r.strip() for r in match.group(1).split(",")]
    targets: tuple[str, ...] = ()
    if match.group(2):
        targets = tuple(t.strip() for t in match.group(2).split(","))
    return [Expectation(rule=r, targets=targets, line=line) for r in rules]
