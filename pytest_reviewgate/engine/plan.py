"""A parsed review -> the items it yields, with stable keys (SPEC 4).

Pure: the same plan is made at collection and again at run time if the review changed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from ..analysis.index import ModuleIndex
from ..analysis.symbols import counts, resolves
from ..analysis.vocabulary import library
from ..config import Settings
from ..model import Expectation, Finding, Problem, Review, SymbolAnchor
from ..rules.base import RuleRegistry


@dataclass(frozen=True)
class ItemSpec:
    """One review item: ``review``, ``finding-1::anchors``, ``expect::mocks-undone``."""

    parent: str  # "" for ``review``, "finding-<id>" or "expect"
    name: str  # "review", "anchors" or a rule name
    code: str  # rule code
    finding: Finding | None = None
    targets: tuple[str, ...] = ()
    status: str | None = None
    severity: str = "error"
    when: str | None = None
    line: int = 0  # line in the review that the item points at

    @property
    def key(self) -> str:
        return f"{self.parent}::{self.name}" if self.parent else self.name


@dataclass
class Plan:
    items: list[ItemSpec] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def get(self, key: str) -> ItemSpec | None:
        for item in self.items:
            if item.key == key:
                return item
        return None


ModuleLoader = Callable[[], "ModuleIndex | None"]


def make_plan(review: Review, registry: RuleRegistry, settings: Settings, module: ModuleLoader | None = None) -> Plan:
    """The review's items. ``module`` gives the reviewed module's index, read only when a finding's
    anchors depend on it (a bare CamelCase word, a dotted name); without it such candidates count."""
    plan = Plan(problems=list(review.problems))
    plan.items.append(ItemSpec("", "review", "RG003", severity=_severity(settings, "RG003", "review-valid"), line=1))
    if review.fatal:
        return plan
    cwe_severity = _severity(settings, "RG002", "cwe-known")
    if review.cwes and _default(settings, "RG002", "cwe-known") and cwe_severity != "off":
        plan.items.append(ItemSpec("", "cwe-known", "RG002", severity=cwe_severity, line=review.cwes[0][1]))
    module_specs = _expectations(review.expectations, "expect", None, registry, settings, plan)
    for default in settings.default_rules:
        rule = registry.get(default)
        if rule is None:
            plan.problems.append(Problem(0, f"default-rules: unknown rule {default!r}{registry.closest(default)}"))
        elif rule.kind != "review":  # RG001 and RG002 have items of their own
            module_specs.extend(
                _expectations((Expectation(default, source="default"),), "expect", None, registry, settings, plan)
            )
    finding_specs: list[ItemSpec] = []
    anchors_severity = _severity(settings, "RG001", "anchors-resolve")
    anchors_on = _default(settings, "RG001", "anchors-resolve") and anchors_severity != "off"
    loaded: list[ModuleIndex | None] = []

    def index() -> ModuleIndex | None:
        if not loaded:
            loaded.append(module() if module is not None else None)
        return loaded[0]

    for finding in review.findings:
        parent = f"finding-{finding.key}"
        if anchors_on and anchored(finding, index):
            # a closed finding describes the code as it was: its stale anchors are history, a warning
            severity = "warning" if finding.status == "closed" else anchors_severity
            finding_specs.append(
                ItemSpec(parent, "anchors", "RG001", finding=finding, severity=severity, line=finding.first_line)
            )
        finding_specs.extend(_expectations(finding.expectations, parent, finding, registry, settings, plan))
    plan.items.extend(_merge(module_specs, plan))
    plan.items.extend(_merge(finding_specs, plan))
    plan.items.sort(key=lambda s: (s.parent != "", s.parent != "expect", _order(s)))
    return plan


def _severity(settings: Settings, code: str, name: str) -> str:
    return settings.severity_for(code, name) or "error"


def _default(settings: Settings, code: str, name: str) -> bool:
    return code in settings.default_rules or name in settings.default_rules


def anchored(finding: Finding, index: Callable[[], ModuleIndex | None]) -> bool:
    """Whether the finding cites anything RG001 can check: a line, or a name that is no library's.

    A bare CamelCase word or a dotted name counts only when the module backs it (``counts``); the
    module is read for that alone, and when it cannot be read such candidates count.
    """
    if finding.line_anchors:
        return True
    maybe: list[SymbolAnchor] = []
    for symbol in finding.symbol_anchors:
        plain = symbol.kind not in ("camel", "dotted") or symbol.name.startswith(("self.", "cls."))
        if plain and not library(symbol.name):
            return True
        maybe.append(symbol)
    if not maybe:
        return False
    module = index()
    if module is None:
        return any(not library(symbol.name) for symbol in maybe)
    # a library's name counts when the module has it too: then it speaks of the module's code
    return any(
        counts(symbol, module) and (not library(symbol.name) or resolves(symbol.name, module)) for symbol in maybe
    )


def _order(spec: ItemSpec) -> int:
    return spec.finding.first_line if spec.finding else 0


def _expectations(
    expectations: Sequence[Expectation],
    parent: str,
    finding: Finding | None,
    registry: RuleRegistry,
    settings: Settings,
    plan: Plan,
) -> list[ItemSpec]:
    specs: list[ItemSpec] = []
    for expectation in expectations:
        rule = registry.get(expectation.rule)
        if rule is None:
            plan.problems.append(
                Problem(expectation.line, f"unknown rule {expectation.rule!r}{registry.closest(expectation.rule)}")
            )
            continue
        if rule.kind == "review":
            plan.problems.append(
                Problem(expectation.line, f"{rule.code} {rule.name} is checked for every review; it takes no expect:")
            )
            continue
        severity = expectation.severity or settings.severity_for(rule.code, rule.name) or rule.severity
        if severity == "off":
            continue
        specs.append(
            ItemSpec(
                parent,
                rule.name,
                rule.code,
                finding=finding,
                targets=expectation.targets,
                status=expectation.status,
                severity=severity,
                when=expectation.when,
                line=expectation.line or (finding.first_line if finding else 1),
            )
        )
    return specs


def _merge(specs: list[ItemSpec], plan: Plan) -> list[ItemSpec]:
    """Two expectations of one rule in one scope make one item when they agree."""
    merged: dict[tuple[str, str], ItemSpec] = {}
    for spec in specs:
        key = (spec.parent, spec.name)
        first = merged.get(key)
        if first is None:
            merged[key] = spec
        elif (first.severity, first.status, first.when) == (spec.severity, spec.status, spec.when):
            union = first.targets + tuple(t for t in spec.targets if t not in first.targets)
            # no targets means "everything", which absorbs any list
            merged[key] = replace(first, targets=() if not first.targets or not spec.targets else union)
        else:
            plan.problems.append(
                Problem(spec.line, f"second expectation of {spec.name} disagrees in severity, status or when")
            )
    return list(merged.values())
