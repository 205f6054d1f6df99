"""Resolve a finding's line and symbol anchors against the module index (SPEC 3.3, RG001)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..analysis.index import Definition, ModuleIndex
from ..analysis.symbols import counts, definitions_of, resolves, suggestion, used_at
from ..analysis.vocabulary import library
from ..model import Finding, LineAnchor, SymbolAnchor, Violation

RULE = "RG001"
MAX_SUGGESTIONS = 100  # did-you-mean costs a scan of the module's names: bound it per finding
# "`_make_fake` is called at lines 55-58": a short range holds when a name its bullet cites is spelled on it;
# a longer one must fit named definitions (a long range would hold any common name somewhere)
CITED_SPAN = 15
# characters between a name and its line anchor that make them one citation: "`f` (line 4)", "`f` at line 4"
NEXT_TO = 5

Pairing = tuple[SymbolAnchor, list[Definition]]


@dataclass(frozen=True)
class Fix:
    """New numbers for a stale line anchor whose symbol has a single definition."""

    anchor: LineAnchor
    start: int
    end: int

    @property
    def numbers(self) -> list[tuple[int, int, str]]:
        """The replacements in the review text: only the digits change (``line 40`` -> ``line 17``)."""
        return [(s, e, str(n)) for (s, e), n in zip(self.anchor.digits, (self.start, self.end), strict=False)]

    @property
    def text(self) -> str:
        """The anchor as it reads once fixed (``line 8``, ``lines 50-54``): its last numbers replaced."""
        text = self.anchor.text
        runs = list(re.finditer(r"[0-9]+", text))[-len(self.anchor.digits) :] if self.anchor.digits else []
        for run, (_, _, number) in reversed(list(zip(runs, self.numbers, strict=False))):
            text = text[: run.start()] + number + text[run.end() :]
        return text


@dataclass
class AnchorResult:
    violations: list[Violation] = field(default_factory=list)
    fixes: list[Fix] = field(default_factory=list)
    stale: int = 0


def _span(definitions: list[Definition]) -> str:
    spans = [f"{d.first_line}-{d.end_line}" if d.end_line != d.first_line else str(d.first_line) for d in definitions]
    return "lines " + ", ".join(spans) if len(spans) > 1 or "-" in spans[0] else "line " + spans[0]


def check(
    finding: Finding,
    index: ModuleIndex,
    review_path: str,
    module_name: str,
    tolerance: int,
    elsewhere: Callable[[str], str] = library,
) -> AnchorResult:
    """RG001 for one finding. ``elsewhere`` says where a name the module lacks lives instead (a
    library's API, a conftest fixture, a base class in another file): such a name is no anchor."""
    result = AnchorResult()
    symbols = [s for s in finding.symbol_anchors if counts(s, index)]
    checked: set[str] = set()
    for symbol in symbols:
        if symbol.name in checked:
            continue  # a name cited twice is one anchor to keep true
        checked.add(symbol.name)
        if not resolves(symbol.name, index):
            if elsewhere(symbol.name):
                continue
            hint = suggestion(symbol.name, index) if result.stale < MAX_SUGGESTIONS else ""
            result.stale += 1
            result.violations.append(Violation(
                RULE,
                f"`{symbol.name}` does not occur in the code of {module_name}{hint} -> update or close the finding",
                review_path,
                symbol.line,
                definition=finding.key,
            ))
    checked_ok = {s.name for s in symbols if resolves(s.name, index)}
    found: dict[str, list[Definition]] = {}
    for symbol in symbols:
        if symbol.name not in found:
            found[symbol.name] = definitions_of(symbol.name, index)
    defining = [(s, found[s.name]) for s in symbols if found[s.name]]
    titled = [p for p in defining if p[0].line == finding.first_line and p[0].name.removesuffix("()") in finding.title]
    # "`_helper` (line 58)": a name written right at a line anchor is that anchor's; other anchors leave it
    ordered = sorted(symbols, key=lambda s: s.offset)
    offsets = [s.offset for s in ordered]
    beside = {id(a): _beside(a, ordered, offsets) for a in finding.line_anchors}
    owned = {id(s) for s in beside.values() if s is not None}
    pairer = _Pairer([p for p in defining if id(p[0]) not in owned])
    # a bullet that cites names of its own ("- Line 43: the patch of Boot.__init__ ...") is read on its own: it
    # borrows no definition another bullet names
    citing = {s.bullet for s in symbols}
    reported: set[tuple[int, str]] = set()
    for anchor in finding.line_anchors:
        own = beside[id(anchor)]
        alone = anchor.bullet in citing and anchor.bullet not in pairer.bullets
        if anchor.bullet in pairer.bullets or not anchor.bullet:
            paired, same = pairer.pair(anchor), pairer.bullets.get(anchor.bullet, pairer.everywhere)[1]
        else:  # a bullet without names of its own refers back (title, earlier bullets), never forward
            same = [] if alone else [p for p in pairer.everywhere[1] if p[0].bullet < anchor.bullet]
            paired = pair(anchor, same)
        cited = [s.name for s in symbols if s.bullet == anchor.bullet and resolves(s.name, index)]
        if own is not None and found[own.name]:  # "`test_b` (line 5)": reported against `test_b`
            paired = next(p for p in defining if p[0] is own)
            same = [*same, paired] if paired not in same else same
        elif own is not None and own.name not in checked_ok:
            paired, same = None, []  # "`_gone` (line 58)": the missing name is reported; the line need only exist
        if len(same) < len(defining):  # "`test_a` patches ...", then "line 9: the nested `fake` ...": test_a too
            same = same + _enclosing(same, [p for p in defining if p not in same])
        if anchor.bullet:  # the title names its subject: "### `Ovs.setUp` skips ...", "At line 86"
            same = same + [p for p in titled if p not in same]
        violation, fix = _check_line(anchor, paired, same, index, review_path, module_name, tolerance,
                                     finding.key, cited)
        if violation is not None and (violation.line, violation.message) not in reported:
            reported.add((violation.line, violation.message))  # "lines 40, 40, 40": one violation
            result.stale += 1
            result.violations.append(violation)
        if fix is not None:
            result.fixes.append(fix)
    return result


def _enclosing(pool: list[Pairing], others: list[Pairing]) -> list[Pairing]:
    """The pairings of ``others`` whose definitions enclose a definition of ``pool``: a test the finding names
    around the nested helper a bullet names, which holds the lines of the test around that helper."""
    inner = [d for _, definitions in pool for d in definitions]
    return [p for p in others if any(
        d.first_line <= i.first_line and i.end_line <= d.end_line and d.qualname != i.qualname
        for d in p[1] for i in inner)]


def _beside(anchor: LineAnchor, ordered: list[SymbolAnchor], offsets: list[int]) -> SymbolAnchor | None:
    """The name written right before the anchor in its bullet ("`f` (line 4)", "`f` at line 4"), if any."""
    at = bisect.bisect_left(offsets, anchor.offset)
    if not at:
        return None
    last = ordered[at - 1]
    return last if last.bullet == anchor.bullet and distance(anchor, last) <= NEXT_TO else None


def distance(anchor: LineAnchor, symbol: SymbolAnchor) -> int:
    """Characters between the cited line text and the symbol text (0 when they touch)."""
    anchor_end = anchor.digits[-1][1] if anchor.digits else anchor.offset + len(anchor.text)
    return max(0, anchor.offset - (symbol.offset + len(symbol.name)), symbol.offset - anchor_end)


def pair(anchor: LineAnchor, defining: list[Pairing]) -> Pairing | None:
    """The nearest definition symbol in the anchor's own bullet, else in the whole finding."""
    same = [pairing for pairing in defining if pairing[0].bullet == anchor.bullet]
    pool = same or defining
    if not pool:
        return None
    return min(pool, key=lambda pairing: distance(anchor, pairing[0]))


class _Pairer:
    """:func:`pair` for many anchors: symbols sorted by offset (they never overlap), bisection."""

    def __init__(self, defining: list[Pairing]) -> None:
        ordered = sorted(defining, key=lambda pairing: pairing[0].offset)
        self.everywhere = ([p[0].offset for p in ordered], ordered)
        grouped: dict[int, list[Pairing]] = {}
        for pairing in ordered:
            grouped.setdefault(pairing[0].bullet, []).append(pairing)
        self.bullets = {bullet: ([p[0].offset for p in ps], ps) for bullet, ps in grouped.items()}

    def pair(self, anchor: LineAnchor) -> Pairing | None:
        offsets, pool = self.bullets.get(anchor.bullet, self.everywhere)
        if not pool:
            return None
        at = bisect.bisect_left(offsets, anchor.offset)
        near = pool[max(0, at - 1) : at + 1]  # the last symbol before and the first after
        return min(near, key=lambda pairing: distance(anchor, pairing[0]))


def _check_line(
    anchor: LineAnchor,
    paired: Pairing | None,
    pool: list[Pairing],
    index: ModuleIndex,
    review_path: str,
    module_name: str,
    tolerance: int,
    key: str,
    cited: Iterable[str] = (),
) -> tuple[Violation | None, Fix | None]:
    """A line anchor holds when a definition the finding names (in its bullet first) holds it; else it
    is reported against the name nearest to it in the review, and rewritten to that name's definition
    when the name has exactly one."""

    def fail(message: str) -> Violation:
        return Violation(RULE, message, review_path, anchor.line, definition=key)

    if anchor.error == "reversed range":
        return fail(f"{anchor.text} is a reversed range -> write the lower line first"), None
    if anchor.error:
        return fail(f"{anchor.text}: line number out of range -> cite a line of {module_name}"), None
    if paired is None or (anchor.end > index.line_count and anchor.bullet and paired[0].bullet != anchor.bullet):
        # a body line past the end points at nothing, whatever name another bullet cites (a title's line is
        # the body's subject's: "**Stale**: line 40", then "- `test_x` ...")
        if anchor.end <= index.line_count:
            return None, None
        return fail(
            f"{anchor.text} lies outside {module_name}, which has {index.line_count} lines"
            " -> update or close the finding"
        ), None
    named = {d.qualname: d for _, definitions in pool for d in definitions}
    if any(_holds(d, anchor, tolerance) for d in named.values()) or _covered(named.values(), anchor, tolerance):
        return None, None
    if _between(named.values(), anchor, tolerance):
        return None, None
    if paired is not None and distance(anchor, paired[0]) <= NEXT_TO:
        cited = []  # "`verify` (lines 65-66)": the review places that definition there, nothing else will do
    if anchor.end - anchor.start < CITED_SPAN and any(
        used_at(name, index, anchor.start - tolerance, anchor.end + tolerance) for name in cited
    ):
        return None, None
    symbol, definitions = paired
    said = f"{anchor.start}-{anchor.end}" if anchor.end != anchor.start else str(anchor.start)
    target, why = _nearest(definitions, anchor)
    fix = None
    if target is not None:
        fix = Fix(anchor, target.first_line, target.end_line if len(anchor.digits) > 1 else target.first_line)
        how = "--reviewgate-fix does it"
    else:
        how = f"--reviewgate-fix leaves it: {why}"
    where = f"`{symbol.name}` is at {_span(definitions)}, the review says {said}"
    return fail(f"{where} -> update the line anchor ({how})"), fix


def _holds(definition: Definition, anchor: LineAnchor, tolerance: int) -> bool:
    return definition.first_line - tolerance <= anchor.start and anchor.end <= definition.end_line + tolerance


def _covered(definitions: Iterable[Definition], anchor: LineAnchor, tolerance: int) -> bool:
    """Whether the named definitions together span the range: "`test_a`, `test_b` (lines 191-208)"
    cites two neighbours at once. Gaps of blank lines up to the tolerance between them are allowed."""
    inside = sorted(
        (d for d in definitions if d.first_line >= anchor.start - tolerance and d.end_line <= anchor.end + tolerance),
        key=lambda d: d.first_line,
    )
    if len(inside) < 2 or inside[0].first_line > anchor.start + tolerance:
        return False
    reached = inside[0].end_line
    for definition in inside[1:]:
        if definition.first_line - reached - 1 > tolerance:
            return False
        reached = max(reached, definition.end_line)
    return reached >= anchor.end - tolerance


def _between(definitions: Iterable[Definition], anchor: LineAnchor, tolerance: int) -> bool:
    """Whether the range runs from one named definition to another: "`test_a` ... `test_d` (lines 191-226)"
    cites the first and the last of a run of neighbours, unnamed ones between them."""
    spans = list(definitions)
    opens = any(d.first_line - tolerance <= anchor.start <= d.first_line + tolerance for d in spans)
    closes = any(d.end_line - tolerance <= anchor.end <= d.end_line + tolerance for d in spans)
    return len(spans) > 1 and opens and closes


def _nearest(definitions: list[Definition], anchor: LineAnchor) -> tuple[Definition | None, str]:
    """The definition a stale line is rewritten to: the paired name's, when it names exactly one."""
    if len(definitions) > 1:
        return None, f"`{definitions[0].name}` has {len(definitions)} definitions"
    return definitions[0], ""
