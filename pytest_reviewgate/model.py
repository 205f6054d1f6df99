"""Frozen dataclasses shared by every layer: what a review says and what a check found.

Lines are 1-based everywhere. Nothing here imports pytest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Polarity = Literal["defect", "clean", "note"]
Verdict = Literal["clean", "defects"]
Status = Literal["open", "closed"]
Severity = Literal["error", "warning", "off"]


class ReviewgateError(Exception):
    """The plugin's own error type: a problem in user input, with a place to point at."""

    def __init__(self, message: str, path: str = "", line: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}: " if self.path and self.line else (f"{self.path}: " if self.path else "")
        return f"{where}{self.message}"


@dataclass(frozen=True)
class LineAnchor:
    """A line or range a reviewer cited, e.g. ``lines 85-101``."""

    text: str  # as written in the review, e.g. "lines 85-101"
    start: int  # 0 when the number is unusable (see ``error``)
    end: int
    line: int  # line in the review
    offset: int  # character offset of ``text`` in the review text
    bullet: int  # index of the bullet (paragraph) of the finding it stands in
    digits: tuple[tuple[int, int], ...] = ()  # review offsets of the start/end numbers
    error: str = ""  # "line number out of range", "reversed range"


@dataclass(frozen=True)
class SymbolAnchor:
    """A name a reviewer cited: backticked, call-style, dotted or a bare candidate."""

    name: str  # spelling with a trailing ``()`` stripped
    line: int
    offset: int
    bullet: int
    # backtick | call | underscore | dotted | camel: dotted and camel count only
    # when the module binds the first segment or defines the name.
    kind: str = "backtick"
    # "" for an anchor; for a mention (``Finding.mentions``), why it is none: "recommended" (the
    # review advises it), "absent" (the review says the code lacks it), "marked" (``{.noanchor}``
    # or ``anchors: none``)
    role: str = ""


@dataclass(frozen=True)
class Expectation:
    """One ``expect:`` directive or front matter entry, for one rule."""

    rule: str  # code or name as written
    targets: tuple[str, ...] = ()
    line: int = 0  # line in the review
    status: Status | None = None
    severity: Severity | None = None
    when: str | None = None
    source: Literal["inline", "front-matter", "module", "default"] = "inline"


@dataclass(frozen=True)
class Problem:
    """Something wrong with the review itself; fails ``::review`` (RG003)."""

    line: int
    message: str
    code: str = "RG003"


@dataclass(frozen=True)
class Finding:
    """One finding of a review, in file order."""

    key: str  # the item id: reviewer's number, slug of the title, or ``id:``
    title: str
    first_line: int
    last_line: int
    number: int | None = None
    heading: str = ""  # slug of the enclosing delimiting heading, if any
    cwes: tuple[tuple[int, int], ...] = ()  # (cwe id, review line)
    line_anchors: tuple[LineAnchor, ...] = ()
    symbol_anchors: tuple[SymbolAnchor, ...] = ()
    expectations: tuple[Expectation, ...] = ()
    status: Status | None = None
    explicit_id: str | None = None
    polarity: Polarity = "note"
    text: str = ""
    # names the finding cites that are no anchors (see ``SymbolAnchor.role``): suggestions and triage
    mentions: tuple[SymbolAnchor, ...] = ()
    unanchored: bool = False  # the reviewer wrote ``anchors: none``: no line or symbol anchors

    @property
    def has_anchors(self) -> bool:
        return bool(self.line_anchors or self.symbol_anchors)

    @property
    def gated(self) -> bool:
        return self.has_anchors or bool(self.expectations)


@dataclass(frozen=True)
class Review:
    """A parsed review file."""

    path: str
    module: str  # path of the reviewed module, relative to the review's directory
    findings: tuple[Finding, ...] = ()
    expectations: tuple[Expectation, ...] = ()  # front matter and module-level
    cwes: tuple[tuple[int, int], ...] = ()  # every CWE id of the review, with its line
    verdict: Verdict = "defects"
    requires: str | None = None
    pins: dict[str, str] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    fatal: str = ""  # a reason that leaves ``::review`` as the only item
    front_matter_lines: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class Violation:
    """One thing a check found. ``message`` is ``<what> -> <how to fix>``, the same everywhere."""

    rule: str  # code, e.g. "RG101"
    message: str
    path: str  # file the violation is located in (module or review), as given
    line: int
    definition: str = ""  # qualified name of the enclosing definition, "" for module level
    source: str = ""  # the offending source line, stripped
    suppressed: str = ""  # "", "ignore", "baseline", "open"

    def to_data(self) -> dict[str, Any]:
        """Plain data that travels from xdist workers to the controller."""
        return {
            "rule": self.rule,
            "message": self.message,
            "path": self.path,
            "line": self.line,
            "definition": self.definition,
            "source": self.source,
            "suppressed": self.suppressed,
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Violation:
        return cls(
            rule=str(data["rule"]),
            message=str(data["message"]),
            path=str(data["path"]),
            line=int(data["line"]),
            definition=str(data.get("definition", "")),
            source=str(data.get("source", "")),
            suppressed=str(data.get("suppressed", "")),
        )
