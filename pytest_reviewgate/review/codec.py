"""A parsed review as plain JSON data and back, so an unchanged review is not parsed again.

Pure; nothing here imports pytest. ``load`` raises ``ValueError`` on data it did not write
(a damaged cache entry is parsed afresh, never trusted).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ..model import Expectation, Finding, LineAnchor, Problem, Review, SymbolAnchor

# Part of every cache key: bump it when the parser or these dataclasses change what they hold.
VERSION = 1


def dump(review: Review) -> dict[str, Any]:
    """JSON-ready data (tuples become lists)."""
    return dataclasses.asdict(review)


def load(data: Any) -> Review:
    """The review ``dump`` gave; ``ValueError`` for anything else."""
    try:
        return Review(
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
            front_matter_lines=(int(data["front_matter_lines"][0]), int(data["front_matter_lines"][1])),
        )
    except (KeyError, TypeError, IndexError, AttributeError) as exc:
        raise ValueError(f"not a dumped review: {exc!r}") from None


def _finding(data: dict[str, Any]) -> Finding:
    fields = dict(data)
    fields["cwes"] = _pairs(data["cwes"])
    fields["line_anchors"] = tuple(_line_anchor(a) for a in data["line_anchors"])
    fields["symbol_anchors"] = tuple(SymbolAnchor(**a) for a in data["symbol_anchors"])
    fields["expectations"] = tuple(_expectation(e) for e in data["expectations"])
    return Finding(**fields)


def _line_anchor(data: dict[str, Any]) -> LineAnchor:
    return LineAnchor(**{**data, "digits": _pairs(data["digits"])})


def _expectation(data: dict[str, Any]) -> Expectation:
    return Expectation(**{**data, "targets": tuple(data["targets"])})


def _pairs(items: Any) -> tuple[tuple[int, int], ...]:
    return tuple((int(a), int(b)) for a, b in items)
