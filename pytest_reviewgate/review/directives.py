"""Which lines are directives (``expect:``, ``status:``, ``id:``, ``anchors:``), and how each was spelled.

A line is a directive *attempt* when, after its indentation and an optional ``-``/``*``/``+``
bullet, its first word, with Markdown emphasis (``*``, ``_``) or backticks around it stripped, is
in any case ``expect``, ``status``, ``id`` or ``anchors`` (or ``expects``, ``statuses``, ``ids``,
``anchor``), and:

- a colon follows it, inside or outside the emphasis (``Expect:``, ``**expect:**``, `` `id`: ``); or
- the word is ``expect``/``expects``: every line that starts with it is an attempt, so prose such as
  "Expect the tests to fail when ..." is shown to the reviewer instead of being read as text; or
- the rest of the line is exactly a value of that keyword (``status open``, ``anchors none``,
  ``id config-leak``; an id without a colon needs a digit or a hyphen).

Anything else is prose: "Status of the mock is unclear", "ID values are hard-coded", "Expected:".
An attempt is *exact* when the keyword is singular (``anchors`` plural) and the colon touches it;
case and emphasis do not matter. The parser reads exact attempts and fails ``::review`` on every
other attempt, naming the spelling that would have worked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# matched after the indentation: optional bullet, emphasis, the word, emphasis, colon, emphasis
_LEAD = re.compile(r"(?:[-*+][ \t]+)?([*_`]{0,3})([A-Za-z]+)([*_`]{0,3})(:?)([*_`]{0,3})")
KEYWORDS = {
    "expect": "expect", "expects": "expect", "status": "status", "statuses": "status",
    "id": "id", "ids": "id", "anchors": "anchors", "anchor": "anchors",
}
FORMS = {
    "expect": "expect: RULE[, RULE] [on TARGET[, TARGET]]",
    "status": "status: open",
    "id": "id: <lowercase letters, digits and '-'>",
    "anchors": "anchors: none",
}
STATUS = re.compile(r"(open|closed)")
ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_LOOSE_ID = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+|[A-Za-z]*[0-9][A-Za-z0-9]*")


@dataclass(frozen=True)
class Directive:
    keyword: str  # expect | status | id | anchors
    value: str
    line: int
    written: str = ""  # the line as written, stripped: for messages
    exact: bool = True  # spelled as documented (any case, emphasis tolerated)
    colon: bool = True


def _value_fits(keyword: str, value: str) -> bool:
    bare = value.rstrip(".").strip().lower()
    if keyword == "status":
        return STATUS.fullmatch(bare) is not None
    if keyword == "anchors":
        return bare == "none"
    return keyword == "id" and _LOOSE_ID.fullmatch(value.rstrip(".")) is not None


def directive(text: str, line: int) -> Directive | None:
    """The directive attempt a line makes, or None for prose (see the module docstring)."""
    stripped = text.strip()
    match = _LEAD.match(stripped) if stripped else None
    if match is None:
        return None
    keyword = KEYWORDS.get(match.group(2).lower())
    if keyword is None:
        return None
    rest = stripped[match.end() :]
    colon = bool(match.group(4))
    spaced = not colon and rest.lstrip(" \t").startswith(":")  # "expect : x"
    if spaced:
        rest = rest.lstrip(" \t")[1:]
    elif not colon and rest and not rest[0].isspace():
        return None  # "id-based", "status.", "Expect," are words of a sentence
    value = rest.strip()
    opener = match.group(1)
    if opener and not match.group(3) and not match.group(5) and value.endswith(opener):
        value = value[: -len(opener)].rstrip()  # "**expect: mocks-undone**"
    if not (colon or spaced or keyword == "expect" or _value_fits(keyword, value)):
        return None
    exact = colon and match.group(2).lower() == keyword
    return Directive(keyword, value, line, stripped, exact, colon or spaced)


