"""A parsed review as plain JSON data and back, so an unchanged review is not parsed again.

Pure; nothing here imports pytest. ``load`` raises ``ValueError`` on data it did not write
(a damaged cache entry is parsed afresh, never trusted).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ..model import Expectation, Finding, LineAnchor, Problem, Review, SymbolAnchor

# Part of every cache key: bump it when the parser or these dataclasses change what they hold.
# 8: a location line before a comment starts its finding; 7: "`x` would pin ...", ", which is fine",
# "passes silently"; 6: line pairing, mentions, polarity; 5: bold titles led by a finding id; 4: PR comments
VERSION = 8


def dump(review: Review) -> dict[str, Any]:
    """JSON-ready data (tuples become lists)."""
    return dataclasses.asdict(review)


def load(data: Any) -> Review:
    """The review ``dump`` gave; ``ValueError`` for anything else, wrong types included."""
    try:
        review = Review(
            path=data["path"],
            module=data["module"],
            findings=tuple(_finding(f) for f in data["findings"]),
            expectations=tuple(_expectation(e) for e in data["expectations"]),
            cwes=_pairs(data["cwes"]),
            verdict=data["verdict"],
            requires=data["requires"],
            pins=dict(data["pins"]),
            problems=tuple(Problem(**p) for p in data["problems"]),
            fatal=data["fatal"],
            front_matter_lines=_pairs([data["front_matter_lines"]])[0],
        )
        _check(review)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError, OverflowError, RecursionError) as exc:
        raise ValueError(f"not a dumped review: {exc!r}") from None
    return review


def _check(review: Review) -> None:
    """Every field has the type the parser gives it (a cache entry is data, never trusted)."""
    _typed(review, path=str, module=str, verdict=str, fatal=str, requires=(str, type(None)))
    if not all(isinstance(key, str) and isinstance(value, str) for key, value in review.pins.items()):
        raise TypeError("pins are not strings")
    for finding in review.findings:
        _typed(finding, key=str, title=str, first_line=int, last_line=int, heading=str, polarity=str, text=str,
               number=(int, type(None)), status=(str, type(None)), explicit_id=(str, type(None)))
        for anchor in finding.line_anchors:
            _typed(anchor, text=str, start=int, end=int, line=int, offset=int, bullet=int, error=str)
        _typed(finding, unanchored=bool)
        for symbol in finding.symbol_anchors + finding.mentions:
            _typed(symbol, name=str, line=int, offset=int, bullet=int, kind=str, role=str)
        for expectation in finding.expectations:
            _check_expectation(expectation)
    for expectation in review.expectations:
        _check_expectation(expectation)
    for problem in review.problems:
        _typed(problem, line=int, message=str, code=str)


def _check_expectation(expectation: Expectation) -> None:
    optional = (str, type(None))
    _typed(expectation, rule=str, line=int, status=optional, severity=optional, when=optional, source=str)
    if not all(isinstance(target, str) for target in expectation.targets):
        raise TypeError("an expectation's targets are not strings")


def _typed(obj: object, **types: type | tuple[type, ...]) -> None:
    for name, wanted in types.items():
        value = getattr(obj, name)
        if not isinstance(value, wanted) or (isinstance(value, bool) and wanted is int):
            raise TypeError(f"{name} is a {type(value).__name__}")


def _finding(data: dict[str, Any]) -> Finding:
    fields = dict(data)
    fields["cwes"] = _pairs(data["cwes"])
    fields["line_anchors"] = tuple(_line_anchor(a) for a in data["line_anchors"])
    fields["symbol_anchors"] = tuple(SymbolAnchor(**a) for a in data["symbol_anchors"])
    fields["mentions"] = tuple(SymbolAnchor(**a) for a in data["mentions"])
    fields["expectations"] = tuple(_expectation(e) for e in data["expectations"])
    return Finding(**fields)


def _line_anchor(data: dict[str, Any]) -> LineAnchor:
    return LineAnchor(**{**data, "digits": _pairs(data["digits"])})


def _expectation(data: dict[str, Any]) -> Expectation:
    return Expectation(**{**data, "targets": tuple(data["targets"])})


def _pairs(items: Any) -> tuple[tuple[int, int], ...]:
    return tuple((int(a), int(b)) for a, b in items)
