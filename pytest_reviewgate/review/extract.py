"""What one line of review prose cites: CWE ids, line anchors, symbol candidates, directives.

Small scanners over patterns with no two quantifiers competing for the same characters,
and every match resumes where the last one ended: a line is scanned in linear time.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import replace

from ..model import Expectation, LineAnchor, SymbolAnchor
from .directives import ID, STATUS, Directive, directive
from .mentions import Carry, noanchor, roles
from .text import code_spans, unitalic

__all__ = [
    "ID", "STATUS", "Carry", "Directive", "cell_lines", "cwes", "directive", "line_anchors", "parse_expect", "symbols",
    "wrapped",
]

MAX_DIGITS = 9  # ``int()`` refuses strings over 4,300 digits; nobody cites line 10**9

CWE = re.compile(r"\bCWE[-\u2010\u2011\u2013 ]?([0-9]+)")

_DASH = r"(?:-|\u2010|\u2011|\u2012|\u2013|\u2014|\u2212|to\b|through\b)"
_ITEM = re.compile(rf"([0-9]+)(?:\s*{_DASH}\s*([0-9]+))?")
# "line 85", "Lines: 44-64", "**Line:** 85", "line ~88", "Line numbers: 12, 14": the keyword, then the first number
# also "line #120", "line no. 120", "lines nos. 12, 14"
_KEYWORD = re.compile(
    r"\b([Ll]ines?)(?=[\s:*_~#])(?:\s+(?:[Nn]umbers?|[Nn]os?\.))?(?:\*\*|__)?\s*(?::\s*)?(?:\*\*|__)?\s*~?\s*#?(?=[0-9])"
)
# ", 55", ", and 65", " and lines 239-263": the items after the first of one phrase
_MORE = re.compile(r"(?:\s*,\s*(?:(?:and|&|or)\s+)?|\s+(?:and|&|or)\s+)(?:([Ll]ines?)\s+)?(?=[0-9])")
# "... at lines" closing a line whose next line opens "119-120 and ..."; "has 3 lines" counts, it cites nothing
_LISTED = re.compile(r"[ \t]*(?:[,;.)]|and\b|or\b|&|$)")
_WRAPPED = re.compile(r"(?<![0-9][ \t])(?<![0-9])\b[Ll]ines?[ \t]*$")
_GITHUB = re.compile(r"(?<![\w#\-\u2013])#?L([0-9]+)(?:\s*[-\u2013]\s*L?([0-9]+))?(?!\w)")
_FILE = re.compile(r"\.py(?::|#L)([0-9]+)(?:\s*[-\u2013]\s*L?([0-9]+))?(?![0-9])")
_FILE_CHAR = re.compile(r"[\w.\-/\\]")

_IDENT = r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*"
_SNIPPET = re.compile(rf"({_IDENT})(?:\(.*\))?", re.DOTALL)
_TOKEN = re.compile(rf"(?<![\w.`'\"/\\-])({_IDENT})(\(\))?")
_QUOTED = re.compile(
    r"(?<!\w)'[^'\n]*'(?!\w)|(?<!\w)\"[^\"\n]*\"(?!\w)|\u2018[^\u2019\n]*\u2019|\u201c[^\u201d\n]*\u201d"
)
# not ``cfg``, ``conf``, ``json``: ``oslo_config.cfg``, ``nova.conf``, ``response.json`` are code
FILE_EXTENSIONS = frozenset({"py", "pyi", "txt", "md", "rst", "ini", "yaml", "yml", "toml", "sh", "log"})
NOT_SYMBOLS = frozenset({"None", "True", "False", "e.g", "E.g", "i.e", "I.e", "etc", "vs", "cf"})

_RULE = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*")
_TARGET = re.compile(r"lines?\s+[0-9]{1,9}(?:\s*(?:-|\u2013|to)\s*[0-9]{1,9})?|[A-Za-z_*?\[][\w.*?\[\]!-]*")
_ON = re.compile(r"\son\s")


def cwes(line: str) -> list[int]:
    if "CWE" not in line:
        return []
    return [int(m.group(1)) for m in CWE.finditer(line) if len(m.group(1)) <= MAX_DIGITS]


def _number(digits: str) -> int | None:
    return int(digits) if len(digits) <= MAX_DIGITS else None


def _shown(digits: str) -> str:
    return digits if len(digits) <= 12 else digits[:12] + "\u2026"


def _anchor(
    label: str, first: tuple[str, int], last: tuple[str, int] | None, line: int, offset: int, bullet: int
) -> LineAnchor:
    start = _number(first[0])
    end = start if last is None else _number(last[0])
    spans = [(first[1], first[1] + len(first[0]))]
    if last is not None:
        spans.append((last[1], last[1] + len(last[0])))
    error = ""
    if start is None or end is None or start == 0 or end == 0:
        error = "line number out of range"
    elif end < start:
        error = "reversed range"
    return LineAnchor(
        text=label,
        start=start or 0,
        end=end or 0,
        line=line,
        offset=offset,
        bullet=bullet,
        digits=tuple(spans),
        error=error,
    )


def _item(m: re.Match[str], start: int, line: int, base: int, bullet: int) -> LineAnchor:
    a, b = m.group(1), m.group(2)
    label = f"lines {_shown(a)}-{_shown(b)}" if b is not None else f"line {_shown(a)}"
    last = None if b is None else (b, base + m.start(2))
    return _anchor(label, (a, base + m.start(1)), last, line, base + start, bullet)


def wrapped(text: str) -> str:
    """The keyword a line ends with when a line citation wraps ("... at lines" / "119-120"), else ""."""
    end = _WRAPPED.search(text) if "ine" in text else None
    return end.group().strip() if end else ""


def line_anchors(text: str, line: int, base: int, bullet: int, module_name: str, led: str = "") -> list[LineAnchor]:
    """Every line anchor in ``text`` (one physical line starting at review offset ``base``).

    An anchor's offset is where its phrase starts (``lines`` of ``lines 85-101``, or the
    number of a later item of a list); its last ``digits`` span ends it. ``led`` is the keyword
    the previous line of the same paragraph ended with (``wrapped``): the numbers this line opens
    with are its.
    """
    found: list[LineAnchor] = []
    lead = len(text) - len(text.lstrip())
    text, base = text[lead:], base + lead
    pos = 0 if "ine" in text else len(text)
    if led and (item := _ITEM.match(text)) is not None:
        found.append(_item(item, 0, line, base, bullet))
        found += _more(text, item, led.endswith("s"), line, base, bullet)
        pos = found[-1].digits[-1][1] - base
    while (key := _KEYWORD.search(text, pos)) is not None:
        item = _ITEM.match(text, key.end())
        assert item is not None  # the keyword pattern looks ahead at a digit
        found.append(_item(item, key.start(), line, base, bullet))
        found += _more(text, item, key.group(1).endswith("s"), line, base, bullet)
        pos = found[-1].digits[-1][1] - base
    for m in _GITHUB.finditer(text) if "L" in text else ():
        a, b = m.group(1), m.group(2)
        label = f"L{_shown(a)}-L{_shown(b)}" if b is not None else f"L{_shown(a)}"
        last = None if b is None else (b, base + m.start(2))
        found.append(_anchor(label, (a, base + m.start(1)), last, line, base + m.start(), bullet))
    floor = 0
    for m in _FILE.finditer(text) if ".py" in text else ():
        start = m.start()
        while start > floor and _FILE_CHAR.match(text, start - 1):
            start -= 1
        floor = m.end()
        name = re.split(r"[/\\]", text[start : m.start()])[-1] + ".py"
        if name == ".py" or (module_name and name != module_name):
            continue
        a, b = m.group(1), m.group(2)
        label = f"{text[start : m.start(1)]}{_shown(a)}" + (f"-{_shown(b)}" if b is not None else "")
        last = None if b is None else (b, base + m.start(2))
        found.append(_anchor(label, (a, base + m.start(1)), last, line, base + start, bullet))
    found.sort(key=lambda anchor: anchor.offset)
    return found


_CELL_ITEM = re.compile(rf"~?L?([0-9]+)(?:\s*{_DASH}\s*L?([0-9]+))?")
_CELL_SEPARATOR = re.compile(r"\s*(?:,|;|&|\band\b|\bor\b)\s*(?:and\s+)?")


def cell_lines(text: str, line: int, base: int, bullet: int) -> list[LineAnchor]:
    """The line anchors of a table cell under a ``Line`` column: ``28``, ``48-59``, ``44, 54``, ``L44``.

    Only a cell that is nothing but such numbers counts; "2 tests" or "n/a" gives none."""
    found: list[LineAnchor] = []
    lead = len(text) - len(text.lstrip())
    pos, end = lead, len(text.rstrip())
    while pos < end:
        item = _CELL_ITEM.match(text, pos)
        if item is None:
            return []
        a, b = item.group(1), item.group(2)
        label = f"lines {_shown(a)}-{_shown(b)}" if b is not None else f"line {_shown(a)}"
        last = None if b is None else (b, base + item.start(2))
        found.append(_anchor(label, (a, base + item.start(1)), last, line, base + item.start(), bullet))
        pos = item.end()
        if pos < end:
            separator = _CELL_SEPARATOR.match(text, pos)
            if separator is None or separator.end() == pos:
                return []
            pos = separator.end()
    return found


def _more(text: str, first: re.Match[str], plural: bool, line: int, base: int, bullet: int) -> list[LineAnchor]:
    """The items after the first of one phrase: "lines 44, 55, 65", "line 56 and 60", "lines 12 or 14".

    "line 85, 3 mocks": after a singular keyword, a comma continues only with a repeated keyword, and
    "and"/"or" only with a higher number ("line 44 and 54", not "line 85 and 3 other places").
    """
    found: list[LineAnchor] = []
    digits = first.group(2) or first.group(1)
    pos, last = first.end(), int(digits) if len(digits) < 10 else 0
    while (more := _MORE.match(text, pos)) is not None:
        item = _ITEM.match(text, more.end())
        assert item is not None
        higher = len(item.group(1)) < 10 and int(item.group(1)) > last
        # "line 44, 54 and 60": a comma continues a singular keyword with a higher number that no word follows
        listed = higher and ("," not in more.group() or _LISTED.match(text, item.end()) is not None)
        if not (plural or more.group(1) or (not more.group(1) and listed)):
            break
        start = more.start(1) if more.group(1) else item.start()
        found.append(_item(item, start, line, base, bullet))
        plural = plural or bool(more.group(1) and more.group(1).endswith("s"))
        digits = item.group(2) or item.group(1)
        last, pos = int(digits) if len(digits) < 10 else last, item.end()
    return found


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    if not spans:
        return text
    pieces, last = [], 0
    for start, end in sorted(spans):
        if start >= last:
            pieces += [text[last:start], " " * (end - start)]
            last = end
        elif end > last:
            pieces.append(" " * (end - last))
            last = end
    pieces.append(text[last:])
    return "".join(pieces)


def _urls(text: str) -> list[tuple[int, int]]:
    """Spans of ``scheme://...`` up to whitespace, found from each ``://`` (no backtracking)."""
    spans: list[tuple[int, int]] = []
    floor, pos = 0, text.find("://")
    while pos >= 0:
        start = pos
        while start > floor and (text[start - 1].isalnum() or text[start - 1] in "+.-"):
            start -= 1
        end = pos + 3
        while end < len(text) and not text[end].isspace():
            end += 1
        spans.append((start, end))
        floor = end
        pos = text.find("://", end)
    return spans


def _is_file_name(name: str) -> bool:
    return "." in name and name.rsplit(".", 1)[1] in FILE_EXTENSIONS


_OPERATORS = """add sub mul matmul truediv floordiv mod divmod pow lshift rshift and xor or""".split()
# the special names of Python's data model and the module attributes spelled like them: ``__init__`` is code,
# ``__config__`` in prose is Markdown's strong emphasis of "config"
DUNDERS = frozenset("""
    init new del repr str bytes format lt le eq ne gt ge hash bool getattr getattribute setattr delattr dir get
    set delete set_name init_subclass class_getitem call len length_hint getitem setitem delitem missing iter
    reversed contains neg pos abs invert complex int float index round trunc floor ceil enter exit aenter aexit
    await aiter anext next name qualname module doc dict slots all version file class mro bases subclasses
    post_init main builtins import spec loader path package annotations wrapped self func code globals closure
    defaults kwdefaults traceback cause context fspath sizeof reduce reduce_ex getstate setstate copy deepcopy
    getnewargs getnewargs_ex instancecheck subclasscheck prepare weakref cached debug test version_info
    tablename unicode nonzero cmp getslice setslice div rdiv idiv
""".split()) | frozenset(prefix + op for op in _OPERATORS for prefix in ("", "r", "i"))


def _emphasis(name: str) -> bool:
    """``_word_`` and ``__word__`` in prose are Markdown emphasis; ``__init__`` (a name of Python's data model)
    is code."""
    if not (name.startswith("_") and name.endswith("_")) or len(name) < 3:
        return False
    inner = name.strip("_")
    dunder = name.startswith("__") and name.endswith("__") and inner in DUNDERS
    return not dunder and "_" not in inner


def _camel(name: str) -> bool:
    """``VGPUTests``, ``setUp``: a capital after the first character, and a lowercase letter."""
    return any(c.isupper() for c in name[1:]) and any(c.islower() for c in name)


def _kind(name: str, call: bool) -> str:
    """How an unbackticked token qualifies as a symbol candidate, or ``""``."""
    if name in NOT_SYMBOLS or keyword.iskeyword(name):
        return ""
    if call:
        return "call"  # a file name is never called
    if _is_file_name(name):
        return ""
    first = name.split(".", 1)[0]
    if "." in name and first in ("self", "cls"):
        return "dotted"
    if "_" in name and not _emphasis(name) and any(c.isalnum() for c in name):
        return "underscore"
    if "." in name:
        return "dotted"
    return "camel" if _camel(name) else ""


def _balanced(args: str) -> bool:
    """``(...)`` closes only at its end: ``f(a)`` is a call, ``f(a) + g(b)`` is not."""
    depth = 0
    for index, char in enumerate(args):
        depth += (char == "(") - (char == ")")
        if depth == 0 and index < len(args) - 1:
            return False
    return depth == 0


# "test_notifier.py::TestNotifier::test_format", "::test_format[ipv6]": a pytest node id names
# ``TestNotifier.test_format``
_NODE_ID = re.compile(r"(?:([\w.\-/\\]*\.py))?::([A-Za-z_]\w*(?:::[A-Za-z_]\w*)*)(?:\[[^\]]*\])?(?:\(\))?")


# "MonkeyPatchTests::test_patch", "Tests::test_a()": a method cited with the scope operator of C++, Rust
# and PHP, as LLMs often do; it names ``MonkeyPatchTests.test_patch``
_SCOPED = re.compile(r"([A-Za-z_]\w*(?:::[A-Za-z_]\w*)+)(?:\[[^\]]*\])?(?:\(\))?")
# the same, or a node id, in prose: "MonkeyPatchTests::test_patch leaks", "test_x.py::Tests::test_a fails"
_SCOPED_PROSE = re.compile(r"(?<![\w.:/\\-])(?:([\w.\-/\\]*\.py)::)?([A-Za-z_]\w*(?:::[A-Za-z_]\w*)*)(\(\))?")


def _node_id(inner: str, module_name: str) -> str | None:
    """The dotted name a pytest node id of the reviewed module, or a ``Class::method`` citation, names, else None."""
    scoped = _SCOPED.fullmatch(inner)
    if scoped is not None:
        return scoped.group(1).replace("::", ".")
    node = _NODE_ID.fullmatch(inner)
    if node is None:
        return None
    path = node.group(1) or ""
    if path and module_name and re.split(r"[/\\]", path)[-1] != module_name:
        return None  # another module's test
    return node.group(2).replace("::", ".")


def symbols(text: str, line: int, base: int, bullet: int, carry: Carry | None = None,
            module_name: str = "") -> list[SymbolAnchor]:
    """Symbol candidates of one line; ``kind`` says how they qualify (see ``SymbolAnchor``), ``role``
    whether the review recommends them, says the code lacks them or marks them (see ``mentions``).
    ``carry`` holds a recommendation or absence cue open at the end of the previous line."""
    found: list[tuple[SymbolAnchor, int, int]] = []  # with the extent it is cited by
    lead = len(text) - len(text.lstrip())
    text, base = text[lead:], base + lead
    spans = code_spans(text) if "`" in text else []
    for start, end in spans:
        span = text[start:end]
        ticks = len(span) - len(span.lstrip("`"))
        inner = span[ticks:-ticks]
        code = _SNIPPET.fullmatch(inner.strip())
        node = _node_id(inner.strip(), module_name) if code is None and "::" in inner else None
        if node is not None:
            offset = base + start + ticks + len(inner) - len(inner.lstrip())
            found.append((SymbolAnchor(node, line, offset, bullet, "backtick"), start, end))
            continue
        if code is None or not _balanced(inner.strip()[code.end(1) :]):
            continue
        name = code.group(1)
        if name not in NOT_SYMBOLS and not keyword.iskeyword(name) and not _is_file_name(name):
            offset = base + start + ticks + len(inner) - len(inner.lstrip())
            found.append((SymbolAnchor(name, line, offset, bullet, "backtick"), start, end))
    prose = _blank(text, spans)
    hidden = [(end, block) for _, end in spans if (block := noanchor(text, end))]
    if "'" in prose or '"' in prose or "\u2018" in prose or "\u201c" in prose:
        hidden += [(m.start(), m.end()) for m in _QUOTED.finditer(prose)]
    if "://" in prose:
        hidden += _urls(prose)
    prose = unitalic(_blank(prose, hidden))  # "_Env leak_" is emphasis, no names "_Env" and "leak_"
    if "::" in prose:
        scoped = []
        for m in _SCOPED_PROSE.finditer(prose):
            path, name = m.group(1), m.group(2)
            if (path or "::" in name) and not (path and module_name and re.split(r"[/\\]", path)[-1] != module_name):
                dotted = name.replace("::", ".")
                kind = _kind(dotted, m.group(3) is not None) or "dotted"
                found.append((SymbolAnchor(dotted, line, base + m.start(2), bullet, kind), m.start(2), m.end()))
            if path or "::" in name:
                scoped.append((m.start(), m.end()))
        prose = _blank(prose, scoped)
    for m in _TOKEN.finditer(prose):
        name = m.group(1)
        call = m.group(2) is not None
        if not call and name.islower() and "_" not in name and "." not in name:
            continue  # a plain word: the common case, decided cheaply
        if m.end() < len(prose) and prose[m.end()] in "/\\":
            continue  # a path, not code
        kind = _kind(name, call)
        if kind:
            found.append((SymbolAnchor(name, line, base + m.start(1), bullet, kind), m.start(1), m.end()))
    found.sort(key=lambda f: f[0].offset)
    given = roles(text, prose, [(start, end) for _, start, end in found], spans, carry)
    return [replace(s, role=role) if role else s for (s, _, _), role in zip(found, given, strict=True)]


def parse_expect(value: str, line: int) -> list[Expectation] | None:
    """``RULE[, RULE]* [on TARGET[, TARGET]*]`` -> one expectation per rule, or None."""
    value = value.strip()
    on = _ON.search(value)
    head, tail = (value[: on.start()], value[on.end() :]) if on else (value, None)
    rules = [r.strip() for r in head.split(",")]
    if not all(_RULE.fullmatch(r) for r in rules):
        return None
    targets: tuple[str, ...] = ()
    if tail is not None:
        # reviewers write names call-style: ``on test_resize()`` targets ``test_resize``
        targets = tuple(t.strip().removesuffix("()") for t in tail.split(","))
        if not all(_TARGET.fullmatch(t) for t in targets):
            return None
    return [Expectation(rule=r, targets=targets, line=line) for r in rules]
