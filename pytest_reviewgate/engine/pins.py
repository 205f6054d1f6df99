"""Pins: a short hash of the code each line anchor covers, written by ``--reviewgate-pin``.

With pins, RG001 also fails when the pinned code changed, and says where identical code moved.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..analysis.index import ModuleIndex
from ..model import Finding, LineAnchor, Violation

if TYPE_CHECKING:
    from .anchors import Fix

RULE = "RG001"


def key(finding: Finding, anchor: LineAnchor) -> str:
    return f"{finding.key}/{anchor.text}"


def digest(lines: tuple[str, ...] | list[str]) -> str:
    normalized = "\n".join(line.strip() for line in lines)
    return hashlib.sha256(normalized.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def _covered(index: ModuleIndex, anchor: LineAnchor) -> tuple[str, ...] | None:
    if anchor.error or anchor.end > index.line_count:
        return None
    return index.lines[anchor.start - 1 : anchor.end]


def pins_for(finding: Finding, index: ModuleIndex, fixes: Sequence[Fix] = ()) -> dict[str, str]:
    """The pins of a finding's line anchors that lie inside the module; an anchor that
    ``--reviewgate-fix`` rewrites in the same run is pinned as it will read, at its new lines."""
    fixed = {fix.anchor: fix for fix in fixes}
    out = {}
    for anchor in finding.line_anchors:
        fix = fixed.get(anchor)
        if fix is not None:
            out[f"{finding.key}/{fix.text}"] = digest(index.lines[fix.start - 1 : fix.end])
            continue
        covered = _covered(index, anchor)
        if covered is not None:
            out[key(finding, anchor)] = digest(covered)
    return out


def moved_to(index: ModuleIndex, size: int, wanted: str) -> int | None:
    """First line of a window of ``size`` lines whose digest is ``wanted``, if any."""
    stripped = [line.strip() for line in index.lines]
    for start in range(0, max(len(stripped) - size + 1, 0)):
        if stripped[start] and digest(stripped[start : start + size]) == wanted:
            return start + 1
    return None


def check(finding: Finding, index: ModuleIndex, pins: dict[str, str], review_path: str) -> list[Violation]:
    violations = []
    for anchor in finding.line_anchors:
        pinned = pins.get(key(finding, anchor))
        covered = _covered(index, anchor)
        if pinned is None or covered is None or digest(covered) == pinned:
            continue
        size = anchor.end - anchor.start + 1
        start = moved_to(index, size, pinned)
        if start is not None:
            span = f"lines {start}-{start + size - 1}" if size > 1 else f"line {start}"
            message = f"the code pinned at {anchor.text} moved to {span} -> update the anchor and re-pin"
        else:
            message = f"the code pinned at {anchor.text} changed -> re-check the finding, then --reviewgate-pin"
        violations.append(Violation(RULE, message, review_path, anchor.line, definition=finding.key))
    return violations
