"""Review text -> module-level text and an ordered list of findings (SPEC 3.2).

One pass classifies each physical line; a second groups lines into findings. Both are
linear in the input. After the last finding, the first unindented paragraph that follows a
blank line is module-level (for a heading finding: the first such paragraph after the block
under its heading), so a closing "No defects were found" reaches the verdict.

Directives (SPEC 3.4), each on its own line: ``expect:``, ``status:``, ``id:`` and ``anchors:``.
The keyword may be in any case and wrapped in emphasis or backticks (``**Expect:**``,
`` `status:` ``). A line is a directive *attempt* when its first word (after indentation and an
optional ``-``/``*``/``+``), emphasis and backticks stripped, is one of the keywords or its plural
or singular (``expects``, ``statuses``, ``ids``, ``anchor``) and either a colon follows it, or the
word is ``expect`` (every line that starts with "expect" is an attempt, so "Expect the tests to
fail when ..." is shown, not swallowed), or the rest of the line is exactly a value of that
keyword (``status open``, ``anchors none``, ``id config-leak``). Prose such as "Status of the
mock is unclear" or "ID values are hard-coded" is no attempt. The values of ``status:`` and
``anchors:`` are read in any case with a closing full stop ("Status: Open."); an id is lowercase.
An attempt with a misspelled
keyword (plural, no colon) or a value that does not parse fails ``::review`` with its line and
the spelling that works; a bold bullet that is a directive (``- **expect:** ...``) starts no
finding. See ``directives``.

Marking names as no anchors (SPEC 3.3):

- ``anchors: none`` inside a finding: the finding has no line or symbol anchors (it makes no
  ``::anchors`` item; its expectations without ``on`` target the whole module); the names it cites
  are kept as ``Finding.mentions`` with role ``marked``. Outside a finding it fails ``::review``.
- a code span followed at once by ``{.noanchor}`` (Pandoc attribute syntax:
  `` `tmp_path`{.noanchor} ``, other classes may sit beside it) is no anchor, only a mention.
- names the review recommends ("use `tmp_path`") or says the code lacks ("without `O_EXCL`")
  become mentions by themselves; ``mentions`` says how the clause of a cue is bounded.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import PurePath, PurePosixPath

from ..model import Expectation, Finding, LineAnchor, Problem, Review, ReviewgateError, Status, SymbolAnchor
from . import extract, frontmatter, starts
from .directives import FORMS
from .polarity import polarity, verdict
from .text import BOLD_START, Text, clean_title, decode, markdown, opaque, slug, title_of

# matched after the indentation, which is measured apart: no pattern rescans it
HEADING = re.compile(r"(#{1,6})(?:[ \t]+|$)")
# "3.", "3)", "(3)", "#3 ..." (no heading: a heading's hashes are followed by a space)
NUMBERED = re.compile(r"(?=[(#]?([0-9]{1,9}))(?:\([0-9]{1,9}\)|#[0-9]{1,9}[.:)]?|[0-9]{1,9}[.)])(?:[ \t]+|$)")
# "1.1 Configuration fixture.", "2.3) **Leak**": an item under the numbered section it extends; its title starts
# with a capital, bold or code ("1.5 seconds is too long" is prose)
SUBNUMBERED = re.compile(r"([0-9]{1,9})\.([0-9]{1,9})[.)]?[ \t]+(?=[A-Z*_`])")
BULLET = re.compile(r"[-*+](?:[ \t]+|$)")
BREAK = re.compile(r"([-*_])(?:[ \t]*\1){2,}[ \t]*$")
# a severity marker may close the line: "**1. Cleanup in tearDown** \u26a0\ufe0f", "**Leak** (High)" is not one
WHOLLY_BOLD = re.compile(r"(?:\*\*((?:(?!\*\*).)+)\*\*|__((?:(?!__).)+)__)[ \t]*:?(?:[ \t]*[^\w\s*`()\[\]]{1,4})?")
BOLD_LEVEL = 7  # a wholly bold line of its own stands for a heading below every ``#`` level


@dataclass
class Line:
    number: int  # 1-based
    text: str  # with opaque parts blanked
    indent: int
    kind: str  # blank | heading | numbered | bullet | text
    content: str = ""  # the text after the list marker or heading hashes
    value: int = 0  # the number of a numbered item, the level of a heading
    label: str = ""  # "1.2" for a sub-numbered item (its ``value`` is the section's number, 1)
    verdict_mark: bool = False  # a bullet led by a status pictograph: "- \u274c `test_a` leaks ..."


@dataclass
class _Open:
    start: Line
    number: int | None
    title: str
    heading: str  # slug of the enclosing delimiting heading
    level: int  # heading level of a heading finding, 0 for a list finding
    lines: list[Line] = field(default_factory=list)
    cut: int | None = None  # where its first unindented paragraph after a blank line began
    body_seen: bool = False  # a heading finding's first block (under it or a sub-heading) is its body
    label: str = ""  # "1.2": a sub-numbered finding, keyed ``1-2``
    naming: str = ""  # "issue" for a finding led by an "**Issue:** ..." label: the next such label starts the next
    cell: tuple[int, int] | None = None  # a table row's cell under a ``Line`` column: its span in the line
    data: bool = False  # a JSON object or YAML item: a field that is no valid directive ("id": 1) is a field


# "\u26a0\ufe0f **Mock leak**", "\U0001f534 Critical: ...": pictographs before a title mark it, they are not its words
MARKS = re.compile("(?:[\u2190-\u21ff\u2300-\u23ff\u25a0-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff]"
                   "[\ufe0e\ufe0f\u200d]*[ \t]*)+")


def _unmarked(content: str) -> str:
    marks = MARKS.match(content) if content and not content[0].isascii() else None
    return content[marks.end() :] if marks else content


# "- [ ] **Env leak** ...", "- [x] ...": a task list's box before an item's words
TASK_BOX = re.compile(r"\[[ xX]\][ \t]+")


# pictographs that give an item's verdict: a bullet they lead is a finding ("- \u274c `test_a` never stops ...")
VERDICT_MARKS = frozenset("\u274c\u2716\u2717\u26a0\u2705\u2714\u2713\u2757\u26d4\U0001f6ab\U0001f534\U0001f7e0"
                          "\U0001f7e1\U0001f7e2\U0001f535\U0001f41b")


def _classify(number: int, text: str) -> Line:
    line = _classify_marked(number, text)
    if line.kind in ("heading", "bullet", "numbered", "text"):
        marked = line.content[:1] in VERDICT_MARKS
        line.content = _unmarked(line.content)
        line.verdict_mark = marked and line.kind == "bullet" and line.content != ""
    if line.kind in ("bullet", "numbered") and line.content.startswith("["):
        box = TASK_BOX.match(line.content)
        line.content = line.content[box.end() :] if box else line.content
    return line


def _classify_marked(number: int, text: str) -> Line:
    if not text.strip():
        return Line(number, "", 0, "blank")
    rest = text.lstrip(" \t")
    indent = len(text[: len(text) - len(rest)].expandtabs(4))
    heading = HEADING.match(rest) if text.startswith(("#", " #", "  #", "   #")) else None
    if heading:
        content = rest[heading.end() :].strip()
        bare = content.rstrip("#")
        if bare != content and (not bare or bare[-1] in " \t"):
            content = bare.rstrip()  # an optional closing sequence of ``#``
        return Line(number, text, indent, "heading", content, len(heading.group(1)))
    sub = SUBNUMBERED.match(rest)
    if sub:
        return Line(number, text, indent, "numbered", rest[sub.end() :].strip(), int(sub.group(1)),
                    f"{int(sub.group(1))}.{int(sub.group(2))}")
    numbered = NUMBERED.match(rest) or starts.LABELLED.match(rest)  # "3. ..." or "Finding 3: ..."
    if numbered:
        return Line(number, text, indent, "numbered", rest[numbered.end() :].strip(), int(numbered.group(1)))
    bullet = BULLET.match(rest)
    if bullet and not BREAK.match(rest):
        return Line(number, text, indent, "bullet", rest[bullet.end() :].strip())
    bold = WHOLLY_BOLD.fullmatch(rest.rstrip())
    if bold:
        inner = bold.group(1) or bold.group(2)
        if not starts.is_field(inner) and not starts.sentence(inner):
            return Line(number, text, indent, "bold", rest.rstrip(), BOLD_LEVEL)  # a title on a line of its own
    return Line(number, text, indent, "text", text.strip())


def _heading_finding(content: str) -> tuple[int | None, str] | None:
    """A heading (or a wholly bold line) starts a finding when it starts with ``N.``, a label with a
    number (``Finding 3:``), a CWE id or a severity tag, or is wholly bold and names no section."""
    numbered = NUMBERED.match(content)
    if numbered:
        return int(numbered.group(1)), title_of(content[numbered.end() :])
    bold = WHOLLY_BOLD.fullmatch(content)
    inner = (bold.group(1) or bold.group(2)).strip() if bold else content
    numbered = NUMBERED.match(inner) if bold else None
    if numbered:
        return int(numbered.group(1)), clean_title(inner[numbered.end() :])
    led = starts.lead(inner)
    if led is not None:
        return led
    if bold and not starts.is_section(inner):
        return None, clean_title(inner)
    named = NAMED_HEADING.fullmatch(clean_title(content)) if not bold else None
    return (None, named.group(1)) if named else None


# "#### Issue: Mock leak in setUp", "### Finding - Env leak": a heading led by a label that names a finding
NAMED_HEADING = re.compile(
    r"(?:finding|issue|problem|observation|concern|defect|bug|vulnerability|weakness)[ \t]*"
    r"(?::|[-\u2013\u2014](?=[ \t]))[ \t]*(\S.*)",
    re.I,
)


LEAD_IN = re.compile(r"(?:\*\*((?:(?!\*\*).)+?)\*\*|__((?:(?!__).)+?)__)[ \t]*(?::|[-\u2013\u2014][ \t])?")


TITLE_WORDS = 8  # "**Duplicated assertion blocks.** The tests ...": a short bold phrase with a full stop is a title


def _numbered_lead(content: str) -> tuple[int | None, str] | None:
    """A bold lead that numbers a finding: ``**3.** Title: ...``, ``**4. Leak**: ...``, ``**Finding 5:** ...``
    -> (number, title); the title is the bold text after the number, else the text after the bold."""
    bold = LEAD_IN.match(content)
    if bold is None:
        return None
    inner = (bold.group(1) or bold.group(2)).strip()
    numbered = NUMBERED.match(inner + " ") or starts.LABELLED.match(inner)
    if numbered is None:
        return None
    title = clean_title(inner[numbered.end() :]).rstrip(":").strip() if numbered.end() < len(inner) else ""
    return int(numbered.group(1)), title or _named_title(content[bold.end() :]) or clean_title(inner)


_NAMED = re.compile(r"([^:`\n]{3,80}?):[ \t]")


def _named_title(text: str) -> str:
    """The title of text after a finding's number: the words before a colon ("Error path untested: `test_a`
    covers ..."), else its first sentence."""
    rest = text.strip().lstrip(":-\u2013\u2014 \t")
    named = _NAMED.match(rest)
    if named and len(named.group(1).split()) <= TITLE_WORDS:
        return clean_title(named.group(1))
    return title_of(rest)


def _lead_in(content: str, held: bool = False) -> tuple[int | None, str] | None:
    """A paragraph led by a bold title and a colon or dash (``**Temp files (CWE-377):** ...``), or by a
    short bold phrase closed by a full stop and followed by text (``**Dead code.** Line 55 ...``).
    Under a heading that holds findings (``held``), any bold lead does."""
    bold = LEAD_IN.match(content)
    if bold is None:
        return None
    numbered = _numbered_lead(content)
    if numbered is not None and content[bold.end() :].strip():
        return numbered  # "**3.** Error path: ..."
    inner = (bold.group(1) or bold.group(2)).strip()
    marked = inner.endswith(":") or bold.group(0).rstrip().endswith((":", "-", "\u2013", "\u2014"))
    stopped = (inner.endswith(".") and not inner.endswith("..") and content[bold.end() :].strip() != ""
               and len(clean_title(inner).split()) <= TITLE_WORDS)
    if not (marked or stopped or (held and content[bold.end() :].strip())):
        return None
    if starts.is_field(inner) or starts.is_section(inner.rstrip(".")):
        return None
    if marked and starts.sentence(inner.rstrip(":")):
        return None
    led = starts.lead(inner)
    return led if led is not None else (None, clean_title(inner).rstrip("."))


# field labels that name a finding: "**Finding:** Mock leak", "- **Issue:** `test_a` never stops ..."
NAMING = frozenset("finding issue problem observation concern defect vulnerability weakness".split())


def _naming(line: Line, top: int, paragraph: bool) -> tuple[str, str] | None:
    """(label, title) of a paragraph or top-level bullet led by a label that names a finding (``**Issue:**``).

    Inside a numbered finding such a label is a field; a review that is a run of such blocks has one
    finding per block, so the parser starts one only outside a finding or after another block of the same label.
    """
    if line.indent > top or not (line.kind == "bullet" or (line.kind == "text" and paragraph)):
        return None
    bold = LEAD_IN.match(line.content)
    if bold is None:
        return None
    inner = (bold.group(1) or bold.group(2)).strip()
    named = starts.words(starts.PARENTHESES.sub("", inner))
    rest = line.content[bold.end() :].strip()
    if len(named) != 1 or named[0] not in NAMING or not rest or not (inner.endswith(":") or ":" in bold.group(0)):
        return None
    return named[0], _named_title(rest)


def _conventional(line: Line, top: int, paragraph: bool) -> tuple[bool, str] | None:
    """(leads on its own, title) of a paragraph or top-level bullet that is a Conventional Comment:
    ``**nit:** rename ...``, ``**issue (blocking):** ...``; the title is the comment's first words."""
    if line.indent > top or not (line.kind == "bullet" or (line.kind == "text" and paragraph)):
        return None
    bold = LEAD_IN.match(line.content)
    if bold is None or not (bold.group(0).rstrip().endswith(":") or (bold.group(1) or bold.group(2)).endswith(":")):
        return None
    rest = line.content[bold.end() :].strip()
    leads = starts.conventional((bold.group(1) or bold.group(2)).strip()) if rest else None
    return None if leads is None else (leads, _named_title(rest))


# a paragraph that only says where the next comment is: "**tests/test_x.py** line 50", "`test_x.py:50`",
# "test_x.py (L237-L247):" (a pull request review's comments each open with one)
LOCATION = re.compile(
    r"(?:[\w.\-]+[/\\])*\w[\w.\-]*\.py[ \t]*(?:[:#][ \t]*L?[0-9]{1,9}(?:[ \t]*[-\u2013][ \t]*L?[0-9]{1,9})?"
    r"|,?[ \t]*\(?(?:lines?[ \t]+[0-9]{1,9}(?:[ \t]*[-\u2013][ \t]*[0-9]{1,9})?"
    r"|L[0-9]{1,9}(?:[ \t]*[-\u2013][ \t]*L?[0-9]{1,9})?)\)?)[ \t]*:?",
    re.I,
)


def _located(line: Line) -> bool:
    bare = line.content.replace("**", "").replace("`", "").strip()
    return line.kind == "text" and LOCATION.fullmatch(bare) is not None


def _take_locations(lines: list[Line], groups: list[_Open], module_lines: list[Line]) -> None:
    """A one-line paragraph that only names the module and a line, right before a finding's start (blank lines
    and a ``---`` rule between), is that finding's first line: its anchor belongs to the comment after it."""
    position = {id(line): i for i, line in enumerate(lines)}
    for k, group in enumerate(groups):
        i = position.get(id(group.start), 0) - 1
        while i >= 0 and (lines[i].kind == "blank" or BREAK.match(lines[i].text.strip())):
            i -= 1
        if i < 0 or not _located(lines[i]) or (i and lines[i - 1].kind not in ("blank", "heading")):
            continue
        place = groups[k - 1].lines if k else module_lines
        held = next((j for j, line in enumerate(place) if line is lines[i]), None)
        if held is None and place is not module_lines:
            place = module_lines
            held = next((j for j, line in enumerate(place) if line is lines[i]), None)
        if held is not None:
            group.lines.insert(0, place.pop(held))


TABLE_ROW = re.compile(r"\|.*\|[ \t]*$")
TABLE_RULE = re.compile(r"\|?(?:[ \t]*:?-{3,}:?[ \t]*\|)+[ \t]*(?::?-{3,}:?[ \t]*)?$")


def _cells(line: Line) -> list[str]:
    return [cell.strip() for cell in line.text.strip().strip("|").split("|")]


def _cell_span(line: Line, index: int) -> tuple[int, int] | None:
    """Where the ``index``-th cell of a table row is in the line, without its padding."""
    bars = [i for i, c in enumerate(line.text) if c == "|"]
    first = line.text.lstrip()
    bars = bars if first.startswith("|") else [len(line.text) - len(first) - 1, *bars]
    if index + 1 >= len(bars):
        return None
    start, end = bars[index] + 1, bars[index + 1]
    cell = line.text[start:end]
    lead = len(cell) - len(cell.lstrip())
    return start + lead, start + len(cell.rstrip())


# the header of a table column that holds each finding's lines: "Line", "Lines", "Line(s)", "Line no."
LINE_COLUMN = re.compile(r"(?:lines?|line\(s\)|line ?(?:no\.?|nos?\.?|numbers?|#)|location|loc)", re.I)


def _table_rows(lines: list[Line]) -> tuple[list[_Open], list[Line]]:
    """The rows of tables whose header names a finding's title column (``Issue``, ``Finding``,
    ``Description``) become findings; every other line stays module-level."""
    groups: list[_Open] = []
    rest: list[Line] = []
    title_at = number_at = line_at = -1
    for i, line in enumerate(lines):
        row = line.kind == "text" and TABLE_ROW.match(line.text.strip()) is not None
        if not row:
            title_at = -1
        elif TABLE_RULE.match(line.text.strip()) and i and title_at < 0:
            header = [starts.words(cell) for cell in _cells(lines[i - 1])]
            title_at = next((k for k, w in enumerate(header) if w and w[0] in starts.TITLE_COLUMNS), -1)
            number_at = next((k for k, w in enumerate(header) if w in ([], ["no"], ["id"]) and k < title_at), -1)
            line_at = next((k for k, cell in enumerate(_cells(lines[i - 1]))
                            if LINE_COLUMN.fullmatch(clean_title(cell))), -1)
        elif title_at >= 0:
            cells = _cells(line)
            if title_at < len(cells) and cells[title_at]:
                number = cells[number_at].strip("#. ") if 0 <= number_at < len(cells) else ""
                groups.append(_Open(line, int(number) if number.isdigit() else None, title_of(cells[title_at]), "",
                                    0, [line], cell=_cell_span(line, line_at) if line_at >= 0 else None))
                continue
        rest.append(line)
    return groups, rest


# "Line 43:", "Lines 48-49 and 77-78:", "L55-L58:", "Line ~88 -": an item that opens with the lines it is about
CITED = re.compile(
    r"(?:\*\*)?(?:lines?[ \t]+~?[0-9]|L[0-9])[^:\n]{0,40}?(?:\*\*)?[ \t]*(?::|[-\u2013\u2014][ \t])", re.I
)


# "`setup_method` (line 6): ...", "`test_a` - ...": an item that opens with the code it is about
CODE_LED = re.compile(r"`[^`\n]+`(?:\(\))?[ \t]*(?:\([^()\n]{0,40}\))?[ \t]*(?::|[-\u2013\u2014][ \t])")


def _cited_items(lines: list[Line]) -> tuple[list[_Open], list[Line]]:
    """The top-level bullets of a review whose items all open with a line citation (or all with the code they
    are about) become findings, each with its nested lines; needs two such items, so that a lone
    "- Line 4: ..." note stays module-level."""
    top = min((line.indent for line in lines if line.kind == "bullet"), default=0)
    items = [i for i, line in enumerate(lines) if line.kind == "bullet" and line.indent == top]
    if len(items) < 2:
        return [], lines
    if not all(CITED.match(lines[i].content) for i in items):
        if all(CODE_LED.match(lines[i].content) for i in items):  # each item is a finding, titled by its words
            return _items(lines, top, set(items), lambda line: _Open(line, None, title_of(line.content), "", 0, [line]))
        return [], lines
    return _items(lines, top, set(items), _cited_item)


def _cited_item(line: Line) -> _Open:
    """A finding opened by "- Line 43: ...": titled by what it says, labelled by the lines it cites."""
    cited = CITED.match(line.content)
    said = line.content[cited.end() :] if cited else line.content
    where = slug(clean_title(cited.group(0).replace("\u2013", "-"))) if cited else ""
    return _Open(line, None, title_of(said) or title_of(line.content), "", 0, [line], label=where)


def _items(
    lines: list[Line], top: int, items: set[int], opened: Callable[[Line], _Open]
) -> tuple[list[_Open], list[Line]]:
    """Each of the top-level list items ``items`` (indexes into ``lines``) opens a finding (``opened``) that
    holds its nested and blank lines; the other lines are the module's."""
    groups: list[_Open] = []
    rest: list[Line] = []
    current: _Open | None = None
    for i, line in enumerate(lines):
        if i in items:
            current = opened(line)
            groups.append(current)
        elif current is not None and (line.indent > top or line.kind == "blank") and line.kind != "heading":
            current.lines.append(line)
        else:
            current = None
            rest.append(line)
    return groups, rest


# a field of a finding written as data: '"title": "..."' (JSON) or 'title: ...' (YAML), after a "- " in a list
FIELD = re.compile(r"""(?:[-*][ \t]+)?(["']?)([A-Za-z_][\w \-]{0,30}?)\1[ \t]*:(?:[ \t]|$)""")
# the keys whose value is the finding's title, best first; a number names it
RECORD_TITLES = (
    "title", "name", "summary", "finding", "issue", "problem", "message", "description", "detail", "details",
)
RECORD_NUMBERS = frozenset({"id", "number", "no", "#"})


def _depth(text: str, depth: int) -> tuple[int, int]:
    """(depth after, least depth within) of JSON braces over one line; braces inside strings do not count."""
    least, quoted, escaped = depth, False, False
    for char in text:
        if quoted:
            quoted = char != '"' or escaped
            escaped = char == "\\" and not escaped
        elif char == '"':
            quoted = True
        elif char in "{}":
            depth += 1 if char == "{" else -1
            least = min(least, depth)
    return depth, least


def _unquoted(line: Line) -> Line:
    """A JSON line as prose: string delimiters blanked and a key's colon moved onto its closing quote
    (``"line": 409`` reads ``line:  409``), every offset kept."""
    chars, quoted, escaped = list(line.text), False, False
    for i, char in enumerate(chars):
        if quoted and not escaped and char == '"':
            quoted = False
            chars[i] = " "
            if line.text[i + 1 : i + 2] == ":":
                chars[i], chars[i + 1] = ":", " "
        elif not quoted and char == '"':
            quoted = True
            chars[i] = " "
        else:
            escaped = quoted and char == "\\" and not escaped
    text = "".join(chars)
    return replace(line, text=text, content=text.strip())


# '"key": "value"' or '"key": 12' anywhere in a JSON line: one object may stand on one line
JSON_FIELD = re.compile(r'"([A-Za-z_#][\w \-]{0,30})"[ \t]*:[ \t]*("(?:[^"\\]|\\.)*"|[^,{}\[\]"]*)')


def _fields(record: list[Line], json: bool) -> dict[str, str]:
    """The record's fields: key -> value (a field of a nested object counts after its parent's)."""
    out: dict[str, str] = {}
    for line in record:
        if json:
            pairs = [(m.group(1), m.group(2)) for m in JSON_FIELD.finditer(line.text)]
        else:
            found = FIELD.match(line.text.strip())
            pairs = [(found.group(2), line.text.strip()[found.end() :])] if found is not None else []
        for key, value in pairs:
            out.setdefault(key.strip().lower(), value.strip().strip('",\'').strip())
    return out


def _record(lines: list[Line], json: bool) -> _Open | None:
    fields = _fields(lines, json)
    key = next((k for k in RECORD_TITLES if fields.get(k, "") not in ("", ">", "|", ">-", "|-")), None)
    if key is None:
        return None
    number = next((fields[k] for k in RECORD_NUMBERS if fields.get(k, "").isdigit()), "")
    start = next(line for line in lines if line.kind != "blank")
    if json:
        lines = [_unquoted(line) for line in lines]
    return _Open(start, int(number) if number else None, title_of(fields[key]), "", 0, lines, data=True)


def _records(lines: list[Line]) -> tuple[list[_Open], list[Line]]:
    """A review that lists its findings as data: JSON objects (``{"title": ..., "line": 12}``), or YAML items
    (``- title: ...`` with their fields below). Each object or item with a title field is a finding."""
    groups: list[_Open] = []
    rest: list[Line] = []
    record: list[Line] = []
    depth, indent, json = 0, -1, False
    for line in lines:
        if json:  # inside a JSON object: to the brace that closes it
            record.append(line)
            depth, _ = _depth(line.text, depth)
            if depth <= 0:
                group = _record(record, True)
                groups += [group] if group is not None else []
                rest += record if group is None else []
                record, json, depth = [], False, 0
            continue
        if record and (line.kind == "blank" or line.indent > indent):
            record.append(line)  # a YAML item's fields and folded text
            continue
        if record:
            group = _record(record, False)
            groups += [group] if group is not None else []
            rest += record if group is None else []
            record = []
        after, least = _depth(line.text, 0) if "{" in line.text else (0, -1)
        if line.kind == "text" and least >= 0 and (after > 0 or JSON_FIELD.search(line.text)):
            record, depth = [line], after
            json = after > 0
            if not json:  # one object on one line (JSON Lines)
                group = _record(record, True)
                groups += [group] if group is not None else []
                rest += record if group is None else []
                record = []
            continue
        if line.kind == "bullet" and FIELD.match(line.text.strip()):
            record, indent = [line], line.indent
            continue
        rest.append(line)
    if record:
        group = _record(record, json)
        groups += [group] if group is not None else []
        rest += record if group is None else []
    while any(group.lines and group.lines[-1].kind == "blank" for group in groups):
        for group in groups:
            while group.lines and group.lines[-1].kind == "blank":
                rest.append(group.lines.pop())
    rest.sort(key=lambda line: line.number)
    return groups, rest


def _over_lists(lines: list[Line]) -> set[int]:
    """The headings (and bold title lines) whose next line of text opens a list: "### \u2705 Looks good" over
    "- `test_a` is isolated" praises the items listed, it is no verdict on the module."""
    out: set[int] = set()
    pending: Line | None = None
    for line in lines:
        if line.kind == "blank":
            continue
        if pending is not None and line.kind in ("bullet", "numbered"):
            out.add(pending.number)
        pending = line if line.kind in ("heading", "bold", "section") else None
    return out


def _without_title(line: Line) -> str:
    """A finding's first line as polarity reads it: a heading, or a leading bold title, is only a title."""
    if line.kind in ("heading", "bold"):
        return ""
    bold = BOLD_START.match(line.content)
    return line.content[bold.end() :].lstrip(" \t:") if bold else line.content


def _fits(found: extract.Directive) -> bool:
    """Whether a directive's value parses."""
    value = found.value
    if found.keyword == "expect":
        return extract.parse_expect(value, 0) is not None
    if found.keyword == "status":
        return extract.STATUS.fullmatch(_bare(value)) is not None
    if found.keyword == "id":
        return extract.ID.fullmatch(value) is not None
    return _bare(value) == "none"


def _bare(value: str) -> str:
    """``Open.`` -> ``open``: the case and a closing full stop of a one-word value do not matter."""
    return value.strip().rstrip(".").strip().lower()


def _cap(value: str) -> str:
    return value if len(value) <= 60 else value[:60] + "\u2026"


def parse_review(data: bytes, path: str, *, suffix: str = ".review.txt", max_findings: int = 10000) -> Review:
    """Parse a review; problems are collected in ``Review.problems``, never raised."""
    name = PurePath(path).name  # the platform's own separators: a backslash is part of a POSIX name
    default_module = name[: -len(suffix)] + ".py" if suffix and name.endswith(suffix) else ""
    try:
        text = decode(data, path)
    except ReviewgateError as exc:
        return Review(path=path, module=default_module, fatal=exc.message, problems=(Problem(exc.line, exc.message),))
    return _Parser(text, path, default_module, max_findings).run()


class _Parser:
    def __init__(self, text: Text, path: str, module: str, max_findings: int) -> None:
        self.text = text
        self.path = path
        self.module = module
        self.max_findings = max_findings
        self.problems: list[Problem] = []

    def run(self) -> Review:
        lines = self.text.lines
        body_start, fm, fm_lines = 0, frontmatter.FrontMatter(), (0, 0)
        bounds = frontmatter.find(lines)
        if bounds is not None:
            opening, closing = bounds
            fm = frontmatter.parse("\n".join(lines[opening + 1 : closing]), opening + 2)
            body_start, fm_lines = closing + 1, (opening + 1, closing + 1)
        elif lines[0].rstrip() == "---":
            self.problems.append(Problem(1, "front matter has no closing '---' line"))
        self.problems.extend(fm.problems)
        module = fm.module or self.module
        body = [markdown(line) for line in opaque(lines, body_start)]
        classified = [_classify(i + 1, body[i]) for i in range(body_start, len(lines))]
        groups, module_lines = self._group(classified)
        if not groups:  # a review that is one table of findings: each row is one
            groups, module_lines = _table_rows(module_lines)
        if not groups:  # a review that is one list of "- Line 43: ..." items: each item is one
            groups, module_lines = _cited_items(module_lines)
        if not groups:  # a review that lists its findings as JSON or YAML: each object or item is one
            groups, module_lines = _records(module_lines)
        if len(groups) > self.max_findings:
            reason = f"{len(groups)} findings, more than max-findings ({self.max_findings})"
            return Review(path=self.path, module=module, fatal=reason, problems=(Problem(1, reason),))
        findings = self._findings(groups, PurePosixPath(module).name)
        module_expectations = list(fm.expectations)
        module_text: list[str] = []
        module_status = None
        listed = _over_lists(module_lines)
        for line in module_lines:
            found = extract.directive(line.text, line.number)
            if found is None:
                if line.number not in listed:
                    module_text.append(line.text)
            elif not self._spelled(found):
                continue
            elif found.keyword == "expect":
                parsed = self._expect(found)
                module_expectations += [Expectation(e.rule, e.targets, e.line, source="module") for e in parsed]
            elif found.keyword == "status":
                module_status = self._status(found, module_status) or module_status
            else:
                where = "the finding it is about" if found.keyword == "anchors" else "a finding"
                self.problems.append(Problem(found.line, f"{found.keyword}: stands outside any finding -> "
                                                         f"write it inside {where}"))
        if module_status is not None:
            module_expectations = [
                replace(e, status=module_status) if e.source == "module" else e for e in module_expectations
            ]
        return Review(
            path=self.path,
            module=module,
            findings=tuple(findings),
            expectations=tuple(module_expectations),
            cwes=tuple((c, line.number) for line in classified for c in extract.cwes(line.text)),
            verdict=verdict("\n".join(module_text)),
            requires=fm.requires,
            pins=fm.pins,
            problems=tuple(sorted(self.problems, key=lambda p: p.line)),
            front_matter_lines=fm_lines,
        )

    def _group(self, lines: list[Line]) -> tuple[list[_Open], list[Line]]:
        top = min((line.indent for line in lines if line.kind in ("numbered", "bullet")), default=0)
        # "1. Test isolation" over "1.1 ...", "1.2 ...": the sub-items are the findings, their section a heading
        sections = {line.value for line in lines if line.label and line.indent == top}
        groups: list[_Open] = []
        module_lines: list[Line] = []
        current: _Open | None = None
        context: list[tuple[int, str]] = []  # enclosing delimiting headings: (level, slug)
        holder = 0  # the level of an enclosing heading that holds findings ("## Findings"), 0 for none
        after_blank = False
        paragraph = True  # the line starts a paragraph: first, after a blank line, a title or a finding's start
        for line in lines:
            starting, paragraph = paragraph, line.kind in ("blank", "heading", "bold", "section")
            if line.kind == "bold" and not self._bold_title(line, current):
                line.kind = "text"
            if line.kind == "numbered" and not line.label and line.value in sections and line.indent == top:
                line.kind, line.value = "section", BOLD_LEVEL + 1  # below every heading and bold title
            if line.kind == "section":
                while context and context[-1][0] >= line.value:
                    context.pop()
                context.append((line.value, slug(clean_title(line.content))))
                current, after_blank = None, False
                module_lines.append(line)
                continue
            if line.kind in ("heading", "bold"):
                found = _heading_finding(line.content)
                if found is not None and found[0] in sections and NUMBERED.match(clean_title(line.content)):
                    found = None  # "## 1. Test isolation" over "1.1 ...": a section
                if found is None and current is not None and 0 < current.level < line.value:
                    current.lines.append(line)  # a sub-heading of a heading finding is its body
                    after_blank = current.body_seen = False
                    continue
                while context and context[-1][0] >= line.value:
                    context.pop()
                enclosing = context[-1][1] if context else ""
                if holder >= line.value:
                    holder = 0
                if found is None and line.kind == "heading" and holder and not starts.is_section(line.content) \
                        and not starts.is_severity(line.content):
                    # "### Mocks never stopped" under "## Findings"; "### \U0001f534 Critical" only groups findings
                    found = (None, clean_title(line.content))
                if found is None and line.kind == "heading" and starts.holds_findings(line.content):
                    holder = line.value
                if found is None:
                    if line.kind == "heading":
                        context.append((line.value, slug(clean_title(line.content))))
                    current = None
                    module_lines.append(line)
                else:
                    current = _Open(line, found[0], found[1], enclosing, line.value, [line])
                    groups.append(current)
                after_blank = False
                continue
            listed = current is None or not current.level
            comment = _conventional(line, top, starting) if listed else None
            start: tuple[int | None, str] | None = None
            if comment is not None and (comment[0] or (current is not None and current.naming == "conventional")):
                start, naming = (None, comment[1]), ("conventional", comment[1])  # "**nit:** ...", one per comment
            else:
                start, naming = self._list_start(line, top, starting, holder > 0) if listed else None, None
            if start is None and (current is None or current.naming):
                naming = _naming(line, top, starting)
            if naming is not None and (current is None or current.naming == naming[0]):
                start = None, naming[1]  # "**Finding:** Mock leak" blocks, one after another
            # "Issue 4 - ..." after "#### [INFO] ...": a finding of its own
            if start is None and current is not None and current.level and starting and line.kind == "numbered" \
                    and not line.label and line.value != current.number and starts.LABELLED.match(line.text.lstrip()):
                start = line.value, _named_title(line.content)
            if start is not None:
                current = _Open(line, start[0], start[1], context[-1][1] if context else "", 0, [line],
                                label=line.label if line.kind == "numbered" else "",
                                naming=naming[0] if naming is not None else "")
                groups.append(current)
                after_blank, paragraph = False, line.kind == "text"  # one-line lead-ins may follow each other
            elif current is None:
                module_lines.append(line)
            else:
                if line.kind == "blank":
                    after_blank = True
                else:
                    unindented = line.kind == "text" and line.indent <= top
                    first_block = current.level and not current.body_seen
                    # under a heading, directives are unindented: "expect:" after the body's paragraph is still its own
                    said = current.level and current.cut is None and extract.directive(line.text, 0) is not None
                    if after_blank and unindented and not first_block and current.cut is None and not said:
                        current.cut = len(current.lines)
                    after_blank, current.body_seen = False, True
                current.lines.append(line)
        if current is not None and current.cut is not None:
            # The last finding runs to the end: its first unindented paragraph after a blank line ends it
            # (for a heading finding, the first such paragraph after the block that follows its heading).
            module_lines.extend(current.lines[current.cut :])
            del current.lines[current.cut :]
        _take_locations(lines, groups, module_lines)
        return groups, module_lines

    @staticmethod
    def _bold_title(line: Line, current: _Open | None) -> bool:
        """Whether a wholly bold line is a title (of a finding or a section) rather than a finding's text.

        Inside a heading finding it is text; inside a list finding only a numbered title ends it.
        """
        if current is None or current.level == BOLD_LEVEL:
            return True
        if current.level:
            return False
        found = _heading_finding(line.content)
        return found is not None and found[0] is not None

    @staticmethod
    def _list_start(line: Line, top: int, paragraph: bool, held: bool = False) -> tuple[int | None, str] | None:
        if line.kind == "text" and paragraph and line.indent <= top:
            return _lead_in(line.content, held)
        if line.indent != top:
            return None
        if line.kind == "numbered":
            return None if line.label else line.value, title_of(line.content)
        bold = BOLD_START.match(line.content) if line.kind == "bullet" else None
        numbered = _numbered_lead(line.content) if bold else None
        if numbered is not None:
            return numbered  # "- **3.** Error path: ...", "- **Finding 5:** ..."
        if bold and starts.is_severity(bold.group(1) or bold.group(2)):  # "- **High** - Leak: ...": the words after
            return None, _named_title(line.content[bold.end() :]) or clean_title(bold.group(0))
        if bold and not starts.is_field(bold.group(1) or bold.group(2)) and extract.directive(line.text, 0) is None:
            return None, title_of(line.content)  # "- **expect:** ..." is a directive, "- **Location:**" a field
        label = starts.cwe_label(line.content) if line.kind == "bullet" else None
        if label is not None:
            return None, clean_title(label)  # "- CWE-459 (Incomplete Cleanup): ...": one item of a CWE list
        if line.verdict_mark and extract.directive(line.text, 0) is None:
            return None, title_of(line.content)  # "- \u274c `test_a` never stops its patcher (line 6)."
        return None

    def _findings(self, groups: list[_Open], module_name: str) -> list[Finding]:
        findings = [self._finding(group, module_name) for group in groups]
        reserved = {f.explicit_id for f in findings if f.explicit_id}  # an ``id:`` wins wherever it is
        used: set[str] = set()
        counters: dict[str, int] = {}  # next ``-N`` per repeated id: linear however many repeat
        keyed: list[Finding] = []
        for finding, group in zip(findings, groups, strict=True):
            key = finding.explicit_id or ""
            if key in used:
                self.problems.append(Problem(finding.first_line, f"id: {key} is not unique"))
            elif key:
                used.add(key)
                keyed.append(replace(finding, key=key))
                continue
            if not key and group.label:
                key = group.label.replace(".", "-")  # "1.2" -> finding-1-2
            key = key or (str(finding.number) if finding.number is not None else slug(finding.title)) or "finding"
            if (key in used or key in reserved) and finding.heading:
                key = f"{finding.heading}-{key}"
            base, counter = key, counters.get(key, 2)
            while key in used or key in reserved:
                key, counter = f"{base}-{counter}", counter + 1
            counters[base] = counter
            used.add(key)
            keyed.append(replace(finding, key=key))
        return keyed

    def _finding(self, group: _Open, module_name: str) -> Finding:
        while group.lines and group.lines[-1].kind == "blank":
            group.lines.pop()
        line_anchors: list[LineAnchor] = []
        symbols: list[SymbolAnchor] = []
        expectations: list[Expectation] = []
        cwes: list[tuple[int, int]] = []
        status: Status | None = None
        explicit_id: str | None = None
        unanchored = False
        title, bullet, after_blank, previous = group.title, 0, False, ""
        prose: list[str] = []
        said: list[str] = []  # what polarity reads: the prose without the title
        carry = extract.Carry()  # a recommendation or absence cue that runs on into the next line
        led = ""  # "... at lines" ending the previous line: the numbers opening this one are its
        for index, line in enumerate(group.lines):
            if line.kind == "blank":
                after_blank = True
                continue
            if index and (after_blank or previous in ("heading", "bold")
                          or line.kind in ("bullet", "numbered", "heading", "bold")):
                bullet += 1  # each list item, paragraph and heading is a bullet of its own
                carry, led = extract.Carry(), ""
            after_blank, previous = False, line.kind
            found = extract.directive(line.text, line.number)
            if found is not None and group.data and not (found.exact and _fits(found)):
                found = None  # '"id": 1,' in a JSON finding is its number, no directive
            if found is not None:
                if not self._spelled(found):
                    pass
                elif found.keyword == "expect":
                    expectations.extend(self._expect(found))
                elif found.keyword == "status":
                    status = self._status(found, status) or status
                elif found.keyword == "anchors":
                    unanchored = self._anchors(found) or unanchored
                else:
                    explicit_id = self._id(found, explicit_id) or explicit_id
                continue
            title = title or title_of(line.content)
            base = self.text.starts[line.number - 1]
            prose.append(line.text)
            said.append(_without_title(line) if index == 0 else line.text)
            cwes.extend((c, line.number) for c in extract.cwes(line.text))
            line_anchors.extend(extract.line_anchors(line.text, line.number, base, bullet, module_name, led))
            led = extract.wrapped(line.text)
            if group.cell is not None and index == 0:  # "| 3 | 48-59 | ... |": the row's Line column
                start, end = group.cell
                seen = {a.digits[0] for a in line_anchors if a.digits}
                cell = extract.cell_lines(line.text[start:end], line.number, base + start, bullet)
                line_anchors.extend(a for a in cell if a.digits[0] not in seen)  # "L44" is read already
            symbols.extend(extract.symbols(line.text, line.number, base, bullet, carry, module_name))
        if status is not None:
            expectations = [replace(e, status=status) for e in expectations]
        if unanchored:  # ``anchors: none``: the finding cites no code, whatever its words look like
            symbols = [replace(s, role=s.role or "marked") for s in symbols]
            line_anchors = []
        mentions = tuple(s for s in symbols if s.role)
        body = "\n".join(prose)
        return Finding(
            key="",
            title=title or "untitled finding",
            # a location line taken before the start (``_take_locations``) is the finding's too
            first_line=min(group.start.number, group.lines[0].number),
            last_line=group.lines[-1].number,
            number=group.number,
            heading=group.heading,
            cwes=tuple(cwes),
            line_anchors=tuple(line_anchors),
            symbol_anchors=tuple(s for s in symbols if not s.role),
            mentions=mentions,
            unanchored=unanchored,
            expectations=tuple(expectations),
            status=status,
            explicit_id=explicit_id,
            # SPEC 3.4: `status: open` marks an acknowledged defect, whatever the prose's wording
            polarity="defect" if status == "open" else polarity("\n".join(said), title),
            text=body,
        )

    def _bad(self, found: extract.Directive, hint: str) -> None:
        self.problems.append(Problem(found.line, f"cannot parse '{found.keyword}: {_cap(found.value)}': {hint}"))

    def _spelled(self, found: extract.Directive) -> bool:
        """An attempt spelled as documented; any other fails ``::review`` naming the spelling that works."""
        if found.exact:
            return True
        fits = _fits(found)
        right = f"{found.keyword}: {_bare(found.value) if found.keyword != 'expect' else found.value}"
        right = right if fits else FORMS[found.keyword]
        reword = "" if found.colon else f", or reword the line so it does not start with '{found.keyword}'"
        self.problems.append(Problem(found.line, f"cannot parse '{_cap(found.written)}': write '{right}'{reword}"))
        return False

    def _anchors(self, found: extract.Directive) -> bool:
        if _bare(found.value) != "none":
            self._bad(found, "write 'anchors: none' to mark a finding that cites no code")
            return False
        return True

    def _expect(self, found: extract.Directive) -> list[Expectation]:
        parsed = extract.parse_expect(found.value, found.line)
        if parsed is None:
            self._bad(found, "write 'expect: RULE[, RULE] [on TARGET[, TARGET]]'")
        return parsed or []

    def _status(self, found: extract.Directive, previous: Status | None) -> Status | None:
        value = _bare(found.value)
        if not extract.STATUS.fullmatch(value):
            self._bad(found, "write 'status: open' or 'status: closed'")
            return None
        if previous is not None and previous != value:
            self.problems.append(Problem(found.line, f"status: {value} contradicts status: {previous}"))
        return "open" if value == "open" else "closed"

    def _id(self, found: extract.Directive, previous: str | None) -> str | None:
        if not extract.ID.fullmatch(found.value):
            self._bad(found, "an id is lowercase letters, digits and '-'")
            return None
        if previous is not None:
            self.problems.append(Problem(found.line, f"id: {found.value} is a second id for this finding"))
        return found.value
