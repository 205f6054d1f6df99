"""Resolve a finding's line and symbol anchors against the module index (SPEC 3.3, RG001)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from .index import Definition, ModuleIndex
from .model import Finding, LineAnchor, SymbolAnchor, Violation

RULE = "RG001"


@dataclass(frozen=True)
class Fix:
    """New numbers for a stale line anchor whose symbol has a single definition."""

    anchor: LineAnchor
    start: int
    end: int


@dataclass
class AnchorResult:
    violations: list[Violation] = field(default_factory=list)
    fixes: list[Fix] = field(default_factory=list)
    stale: int = 0


def counts(symbol: SymbolAnchor, index: ModuleIndex) -> bool:
    """Whether a candidate is an anchor: dotted and CamelCase ones only when the module backs them."""
    if symbol.kind == "dotted":
        first = symbol.name.split(".", 1)[0]
        return first in ("self", "cls") or first in index.bindings
    if symbol.kind == "camel":
        return symbol.name in index.by_name
    return True


def definitions_of(name: str, index: ModuleIndex) -> list[Definition]:
    """The definitions a symbol names: ``f``, ``Class.method``, ``self.method``."""
    if name in index.by_name:
        return index.by_name[name]
    if name in index.by_qualname:
        return [index.by_qualname[name]]
    head, _, rest = name.partition(".")
    if head in ("self", "cls") and rest and "." not in rest:
        return [d for d in index.by_name.get(rest, []) if d.in_class]
    return []


def resolves(name: str, index: ModuleIndex) -> bool:
    if "." not in name:
        return name in index.names
    return name in index.chains or name in index.by_qualname


def suggestion(name: str, index: ModuleIndex) -> str:
    pool = index.chains if "." in name else index.names
    close = difflib.get_close_matches(name, pool, n=1, cutoff=0.75)
    return f"; did you mean `{close[0]}`?" if close else ""


def _span(definitions: list[Definition]) -> str:
    spans = [f"{d.first_line}-{d.end_line}" if d.end_line != d.first_line else str(d.first_line) for d in definitions]
    return "lines " + ", ".join(spans) if len(spans) > 1 or "-" in spans[0] else "line " + spans[0]


def check(finding: Finding, index: ModuleIndex, review_path: str, module_name: str, tolerance: int) -> AnchorResult:
    result = AnchorResult()
    symbols = [s for s in finding.symbol_anchors if counts(s, index)]
    for symbol in symbols:
        if not resolves(symbol.name, index):
            result.stale += 1
            result.violations.append(
                Violation(
                    RULE,
                    f"`{symbol.name}` does not occur in the code of {module_name}{suggestion(symbol.name, index)}"
                    " -> update or close the finding",
                    review_path,
                    symbol.line,
                    definition=finding.key,
                )
            )
    defining = [(s, definitions_of(s.name, index)) for s in symbols]
    defining = [(s, ds) for s, ds in defining if ds]
    for anchor in finding.line_anchors:
        violation, fix = _check_line(anchor, defining, index, review_path, module_name, tolerance, finding.key)
        if violation is not None:
            result.stale += 1
            result.violations.append(violation)
        if fix is not None:
            result.fixes.append(fix)
    return result


def pair(anchor: LineAnchor, defining: list[tuple[SymbolAnchor, list[Definition]]]) -> tuple[SymbolAnchor, list[Definition]] | None:
    """The nearest definition symbol in the anchor's own bullet, else in the whole finding."""
    same = [pair for pair in defining if pair[0].bullet == anchor.bullet]
    pool = same or defining
    if not pool:
        return None
    return min(pool, key=lambda pair: abs(pair[0].offset - anchor.offset))


def _check_line(
    anchor: LineAnchor,
    defining: list[tuple[SymbolAnchor, list[Definition]]],
    index: ModuleIndex,
    review_path: str,
    module_name: str,
    tolerance: int,
    key: str,
) -> tuple[Violation | None, Fix | None]:
    def fail(message: str) -> Violation:
        return Violation(RULE, message, review_path, anchor.line, definition=key)

    if anchor.error == "reversed range":
        return fail(f"{anchor.text} is a reversed range -> write the lower line first"), None
    if anchor.error:
        return fail(f"{anchor.text}: line number out of range -> cite a line of {module_name}"), None
    paired = pair(anchor, defining)
    if paired is None:
        if anchor.end <= index.line_count:
            return None, None
        return fail(
            f"{anchor.text} lies outside {module_name}, which has {index.line_count} lines"
            " -> update or close the finding"
        ), None
    symbol, definitions = paired
    for d in definitions:
        if d.first_line - tolerance <= anchor.start and anchor.end <= d.end_line + tolerance:
            return None, None
    said = f"{anchor.start}-{anchor.end}" if anchor.end != anchor.start else str(anchor.start)
    fix = None
    if len(definitions) == 1:
        d = definitions[0]
        fix = Fix(anchor, d.first_line, d.end_line if len(anchor.digits) > 1 else d.first_line)
    return fail(
        f"`{symbol.name}` is at {_span(definitions)}, the review says {said}"
        " -> update the line anchor (--reviewgate-fix does it)"
    ), fix
