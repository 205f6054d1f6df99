"""``--reviewgate-triage``: which findings of a review hold, each with a verdict and its evidence.

A finding's subjects (``engine.subjects``) map it to rules; the rules run on the code its anchors
point at (the module when it has none). Confirmed: a rule finds the problem. Refuted: the rules
pass, and their pass-evidence (``Rule.evidence``) names what makes the claim false. Not checkable:
no rule covers what it speaks of. Clean: the finding itself says there is no problem.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path
from typing import Any

from ..analysis.closures import ClosureBuilder, is_test
from ..analysis.index import Definition, ModuleIndex, chain_of, walk
from ..analysis.project import SourceProject
from ..analysis.symbols import counts, definitions_of, resolves
from ..config import Settings
from ..model import Finding, Review
from ..rules.base import Evidence, RuleRegistry
from . import checks
from .limits import TimeLimitExceeded, time_limit
from .plan import ItemSpec
from .subjects import SUBJECTS, Match, Subject, read, sites

VERDICTS = ("confirmed", "refuted", "not-checkable", "clean")
SHOWN = {"not-checkable": "not checkable"}
MAX_EVIDENCE = 4


@dataclass(frozen=True)
class Triage:
    """One finding's verdict: plain data that travels from xdist workers (``to_data``)."""

    review: str  # the review file, as displayed
    finding: str  # the finding's key (``finding-<key>`` is its item group)
    line: int  # the finding's first line in the review
    title: str
    verdict: str  # one of VERDICTS
    rules: tuple[str, ...] = ()  # static rules that decided
    subjects: tuple[str, ...] = ()  # recognised subjects (names of the table)
    evidence: tuple[Evidence, ...] = ()
    runtime: tuple[str, ...] = ()  # runtime rules of its subjects: checkable when the tests run
    reason: str = ""  # one line: why this verdict
    contradicts: bool = False  # refuted: the finding says there is no problem, and a rule finds one

    def to_data(self) -> dict[str, Any]:
        return {
            "review": self.review,
            "finding": self.finding,
            "line": self.line,
            "title": self.title,
            "verdict": self.verdict,
            "rules": list(self.rules),
            "subjects": list(self.subjects),
            "evidence": [{"file": e.path, "line": e.line, "text": e.text} for e in self.evidence],
            "runtime": list(self.runtime),
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Where:
    """What a finding's anchors point at: definitions (none: the module), described for people."""

    definitions: tuple[Definition, ...]
    shown: str  # "`test_x` (lines 12-30)" or "the module (lines 1-80)"
    spans: tuple[tuple[int, int], ...]
    unresolved: tuple[str, ...] = ()  # anchors that point at nothing: "`test_gone`", "line 400"
    resolved: bool = True  # False: the finding has anchors and none of them points at anything


def targets(finding: Finding, index: ModuleIndex, tolerance: int = 2) -> Where:
    """The definitions a finding's anchors name or hold; a line a little off finds its definition.

    Only a finding without anchors stands for the whole module: one whose anchors all point at
    nothing (a test since removed, ``line 400`` of a 30-line module) has no targets at all."""
    chosen: dict[str, Definition] = {}
    unresolved: list[str] = []
    some = False  # an anchor that resolves, though maybe to module-level code
    total = len(index.lines)
    for symbol in finding.symbol_anchors:
        if not counts(symbol, index):
            continue
        found = definitions_of(symbol.name, index) or _deriving(symbol.name, index)
        if found or resolves(symbol.name, index):
            some = True
        elif f"`{symbol.name}`" not in unresolved:
            unresolved.append(f"`{symbol.name}`")
        for definition in found:
            chosen.setdefault(definition.qualname, definition)
    for anchor in finding.line_anchors:
        if anchor.error or anchor.start < 1 or anchor.end < anchor.start or anchor.start > total:
            unresolved.append(anchor.text)
            continue
        some = True
        found = index.innermost(anchor.start, anchor.end)
        if not found:
            found = index.innermost(max(anchor.start - tolerance, 1), anchor.end + tolerance)
        for definition in found:
            chosen.setdefault(definition.qualname, definition)
    definitions = tuple(sorted(chosen.values(), key=lambda d: (d.first_line, d.qualname)))
    if not definitions:
        resolved = some or not unresolved
        return Where((), f"the module (lines 1-{total})", ((1, total),), tuple(unresolved), resolved)
    names = [f"`{d.qualname}`" for d in definitions]
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    spans = tuple((d.first_line, d.end_line) for d in definitions)
    lines = ", ".join(f"{a}-{b}" for a, b in spans[:3])
    return Where(definitions, f"{shown} (lines {lines})", spans, tuple(unresolved))


def _deriving(name: str, index: ModuleIndex) -> list[Definition]:
    """For ``Base.setUp`` or ``base_mod.Base`` where ``Base`` lives in another file: the module's
    classes that derive from it, which run the code the anchor names."""
    parts = name.split(".")
    if len(parts) > 1 and parts[-1][:1].islower():
        parts = parts[:-1]  # ``Base.setUp``: the class is what the module derives from
    base = parts[-1]
    return [d for d in index.definitions if d.kind == "class" and any(b.rpartition(".")[2] == base for b in d.bases)]


@dataclass
class _Run:
    """What the static rules said on a finding's targets."""

    violations: list[Evidence]
    passed: list[tuple[str, list[Evidence]]]  # rule name, its pass-evidence
    failed_to_run: list[str]
    notes: list[str] = field(default_factory=list)  # "error-paths-tested judged the 3 tests that run ..."
    found_by: list[str] = field(default_factory=list)  # the rules that found a violation


def triage_review(
    review: Review,
    index: ModuleIndex | None,
    module: checks.Module | None,
    registry: RuleRegistry,
    settings: Settings,
    project: SourceProject | None,
    unreadable: str = "",
) -> list[Triage]:
    """Every finding's verdict. Without a module (``unreadable`` says why) only the text decides."""
    out = []
    for finding in review.findings:
        try:
            out.append(_triage(review, finding, index, module, registry, settings, project, unreadable))
        except (KeyboardInterrupt, SystemExit):
            raise
        except Exception as exc:  # one finding's trouble is its own verdict, never the run's
            out.append(_result(review, finding, "not-checkable", reason=f"triage failed: {type(exc).__name__}: {exc}"))
    return out


def _result(review: Review, finding: Finding, verdict: str, **fields: Any) -> Triage:
    return Triage(review.path, finding.key, finding.first_line, finding.title, verdict, **fields)


def _triage(
    review: Review,
    finding: Finding,
    index: ModuleIndex | None,
    module: checks.Module | None,
    registry: RuleRegistry,
    settings: Settings,
    project: SourceProject | None,
    unreadable: str,
) -> Triage:
    where = targets(finding, index, settings.line_tolerance or 2) if index is not None else None

    def anchored(subject: Subject) -> bool:
        if index is None or where is None or not finding.has_anchors:
            return False
        return any(sites(index, subject, a - 2, b + 2) for a, b in where.spans)

    matches = read(finding, anchored)
    live = [m for m in matches if not m.negated]
    names = tuple(m.subject.name for m in live)
    lead = ""
    if finding.polarity == "clean" or (matches and not live):
        # all it speaks of, it says is no problem ("the environment is not modified in a way that persists");
        # per claim: "`test_x` asserts nothing, and the environment is restored" still claims a defect
        claimed = [m for m in live if m.subject.checkable and "defect" in m.said]
        if not claimed:
            said = "; ".join(m.subject.label for m in matches) or "its subject"
            contradicted = _contradicted(finding, matches, where, module, registry, settings, project)
            if contradicted is not None:
                credited, shown = contradicted
                return _result(review, finding, "refuted", rules=credited, subjects=names, evidence=shown,
                               contradicts=True,
                               reason=f"the finding says there is no problem ({said}), yet "
                                      f"{shown[0].text.split(':')[0]} finds one at "
                                      f"{Path(shown[0].path).name}:{shown[0].line}")
            return _result(review, finding, "clean", subjects=names,
                           reason=f"the finding says there is no problem ({said})")
        live = claimed
        names = tuple(m.subject.name for m in live)
        lead = "one of its claims is a defect though the finding reads as clean; "
    elif finding.polarity == "note":
        lead = "the finding hedges or only advises; "
    checkable = [m for m in live if m.subject.checkable]
    if not checkable and finding.polarity == "defect":
        # "Warnings Only Logged ... expect: error-paths-tested": the reviewer names the rule the prose did not
        checkable = _expected(finding, registry)
        live = live + [m for m in checkable if m not in live]
        names = tuple(m.subject.name for m in live)
        lead = "judged by the rules its expect: lines name; " if checkable else lead
    runtime = tuple(dict.fromkeys(r for m in checkable for r in m.subject.runtime if registry.get(r) is not None))
    runtime_shown = tuple(f"{r}: checkable when the tests run" for r in runtime)
    if not checkable:
        return _result(review, finding, "not-checkable", subjects=names, reason=_unchecked_reason(matches))
    if index is None or module is None or project is None or where is None:
        return _result(review, finding, "not-checkable", subjects=names, runtime=runtime_shown,
                       reason=unreadable or "the reviewed module cannot be read")
    if not where.resolved:
        return _result(review, finding, "not-checkable", subjects=names, runtime=runtime_shown,
                       reason=f"its anchors do not resolve ({', '.join(where.unresolved)}); "
                              f"recognised: {'; '.join(m.subject.label for m in checkable)}")
    rules = [registry.get(r) for m in checkable for r in m.subject.rules]
    static = list(dict.fromkeys(r for r in rules if r is not None and r.implemented and r.kind == "static"))
    if not static:
        reason = "its subjects are checked only when the tests run" if runtime else "no registered rule covers it"
        return _result(review, finding, "not-checkable", subjects=names, runtime=runtime_shown, reason=reason)
    judged_on_tests = {r for m in checkable if m.subject.tests for r in m.subject.rules}
    run = _run(static, finding, where, module, settings, project, judged_on_tests)
    ran = tuple(r.name for r in static if r.name not in run.failed_to_run)
    if run.violations:
        return _result(review, finding, "confirmed", rules=tuple(_found_by(run)), subjects=names, runtime=runtime_shown,
                       evidence=tuple(run.violations[:MAX_EVIDENCE]),
                       reason=f"{lead}{_join(_found_by(run))} find{'s' * (len(_found_by(run)) == 1)} it in "
                              f"{where.shown}")
    if not ran:
        return _result(review, finding, "not-checkable", subjects=names, runtime=runtime_shown,
                       reason="the rules could not run: " + "; ".join(run.failed_to_run))
    by_rule: list[Sequence[Evidence]] = []
    for name, found in run.passed:
        if not found:
            unmodelled = _unmodelled(finding, name, checkable, where, index)
            if unmodelled:
                return _result(review, finding, "not-checkable", subjects=names, runtime=runtime_shown,
                               reason=f"{lead}{name} sees nothing in {where.shown}, but the finding speaks of "
                                      f"{unmodelled}, which the rule does not model")
        by_rule.append(found or [_nothing(name, checkable, where, index)])
    # each rule's first construct, then each one's second...: one rule's many never hide another's
    evidence = list(dict.fromkeys(e for rank in zip_longest(*by_rule) for e in rank if e is not None))
    unchecked = [m.subject.label for m in live if not m.subject.checkable]
    reason = f"{lead}{_join(ran)} pass{'es' * (len(ran) == 1)} on {where.shown}"
    if run.notes:
        reason += "; " + "; ".join(run.notes)
    if unchecked:
        reason += f"; not checked: {', '.join(unchecked)}"
    if finding.polarity == "clean":
        # "does not restore it by hand; the base class fixture reverts it": the finding answers its own claim,
        # and the rules agree with its conclusion
        return _result(review, finding, "clean", rules=ran, subjects=names, runtime=runtime_shown,
                       evidence=tuple(evidence[:MAX_EVIDENCE]),
                       reason=f"the finding concludes there is no problem, and {reason.removeprefix(lead)}")
    return _result(review, finding, "refuted", rules=ran, subjects=names, runtime=runtime_shown,
                   evidence=tuple(evidence[:MAX_EVIDENCE]), reason=reason)


def _expected(finding: Finding, registry: RuleRegistry) -> list[Match]:
    """The subjects of the rules a finding's own ``expect:`` lines name."""
    named = [registry.get(e.rule) for e in finding.expectations]
    rules = {r.name for r in named if r is not None}
    return [Match(s, 0, tuple(f"expect: {r}" for r in s.rules if r in rules), said=("defect",))
            for s in SUBJECTS if rules & set(s.rules)]


def _found_by(run: _Run) -> list[str]:
    """The rules whose violations are the evidence, in order: only they are credited."""
    return list(dict.fromkeys(run.found_by))


def _contradicted(
    finding: Finding, matches: Sequence[Match], where: Where | None, module: checks.Module | None,
    registry: RuleRegistry, settings: Settings, project: SourceProject | None,
) -> tuple[tuple[str, ...], tuple[Evidence, ...]] | None:
    """For a finding that says there is no problem: the rules of what it denies that find one anyway."""
    if where is None or module is None or project is None or not where.resolved:
        return None
    denied = [m for m in matches if m.subject.checkable]
    rules = [registry.get(r) for m in denied for r in m.subject.rules]
    static = list(dict.fromkeys(r for r in rules if r is not None and r.implemented and r.kind == "static"))
    if not static:
        return None
    judged_on_tests = {r for m in denied if m.subject.tests for r in m.subject.rules}
    run = _run(static, finding, where, module, settings, project, judged_on_tests)
    if not run.violations:
        return None
    return tuple(_found_by(run)), tuple(run.violations[:MAX_EVIDENCE])


def _join(names: Sequence[str]) -> str:
    return ", ".join(names) if names else "no rule"


def _unchecked_reason(matches: Sequence[Match]) -> str:
    negated = [m.subject.label for m in matches if m.negated]
    labels = [m.subject.label for m in matches if not m.negated]
    text = f"no rule covers {'; '.join(labels)}" if labels else "no subject a rule covers was recognised"
    if negated:
        text += f" (said not to be a problem: {'; '.join(negated)})"
    return text


_STATE_WORDS = re.compile(r"module[- ]level|\bglobals?\b|\bdict(?:ionary|s)?\b|\bcaches?\b|\bregistr(?:y|ies)\b"
                          r"|\bsingletons?\b|class[- ]level", re.I)
_MUTATORS = frozenset({"update", "clear", "pop", "popitem", "setdefault", "append", "extend", "insert", "remove",
                       "add", "discard"})


def _unmodelled(finding: Finding, rule: str, matches: Sequence[Match], where: Where, index: ModuleIndex) -> str:
    """State the targets change that no site of the rule's subject covers and the finding speaks of
    (``CONFIG["region"] = ...`` on a module-level dict): "`CONFIG` (line 21)", else ""."""
    subject = next((m.subject for m in matches if rule in m.subject.rules), None)
    if subject is None or subject.name not in ("config-leak", "monkeypatch-leak", "env-leak") or index.tree is None:
        return ""
    if any(sites(index, subject, a, b) for a, b in where.spans):
        return ""
    text = f"{finding.title}\n{finding.text}"
    for node in walk(index.tree):
        line = getattr(node, "lineno", 0)
        if not any(a <= line <= b for a, b in where.spans):
            continue
        changed: list[ast.expr] = []
        if isinstance(node, ast.Assign | ast.AugAssign | ast.Delete):
            targets = node.targets if isinstance(node, ast.Assign | ast.Delete) else [node.target]
            changed = [t.value for t in targets if isinstance(t, ast.Subscript | ast.Attribute)]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _MUTATORS:
            changed = [node.func.value]
        for target in changed:
            root = (chain_of(target) or "").split(".")[0]
            if root and root not in ("self", "cls") and root in index.bindings and root not in index.imports:
                if re.search(rf"\b{re.escape(root)}\b", text) or _STATE_WORDS.search(text):
                    return f"`{root}` (line {line})"
    return ""


def _nothing(rule: str, matches: Sequence[Match], where: Where, index: ModuleIndex) -> Evidence:
    """The rule passed and named nothing: say whether the targets hold its subject at all."""
    subject = next((m.subject for m in matches if rule in m.subject.rules), None)
    line = where.spans[0][0] if where.spans else 1
    if subject is None:
        return Evidence(index.path, line, f"{rule} passes on {where.shown}")
    found = [n for a, b in where.spans for n in sites(index, subject, a, b)]
    if not found and subject.absent != "test":
        return Evidence(index.path, line, f"no {subject.absent} in {where.shown}")
    return Evidence(index.path, line, f"{rule} passes on {where.shown}")


def _run(
    static: Sequence[Any], finding: Finding, where: Where, module: checks.Module, settings: Settings,
    project: SourceProject, judged_on_tests: set[str],
) -> _Run:
    run = _Run([], [], [])
    anchored = tuple(d.qualname for d in where.definitions)
    for rule in static:
        names = _tests_running(where, module, project) if rule.name in judged_on_tests else anchored
        if names != anchored:
            shown = ", ".join(f"`{n}`" for n in names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
            run.notes.append(f"{rule.name} judged the {len(names)} test{'s' * (len(names) != 1)} that run "
                             f"{where.shown.split(' (')[0]}: {shown}")
        # anchored: the anchors' definitions; unanchored: the whole module, statements included
        spec = ItemSpec(f"finding-{finding.key}", rule.name, rule.code, finding=finding if names else None,
                        targets=names, line=finding.first_line)
        outcome = checks.run(rule, spec, module, settings, project)
        if outcome.error or outcome.problems or outcome.skip:
            why = outcome.problems[0].message if outcome.problems else (outcome.skip or "the rule raised")
            run.failed_to_run.append(f"{rule.name}: {why.splitlines()[0]}")
            continue
        found = [v for v in outcome.violations if not v.suppressed]
        # a violation in a base class the targets inherit is theirs too: it confirms, saying where
        inherited = [v for v in outcome.inherited if not v.suppressed]
        if found or inherited:
            run.found_by.append(rule.name)
            near = sorted(found, key=lambda v: (not _near(v.line, where), v.line))
            run.violations.extend(
                Evidence(v.path, v.line, f"{rule.code} {rule.name}: {v.message}"
                         + (f" (in `{v.definition}`)" if v.definition else ""))
                for v in near
            )
            run.violations.extend(
                Evidence(v.path, v.line, f"{rule.code} {rule.name}: {v.message}"
                         + f" (inherited: in base class `{v.definition or '?'}`, {Path(v.path).name}:{v.line})")
                for v in inherited
            )
            continue
        run.passed.append((rule.name, _evidence(rule, spec, module, settings, project)))
    return run


def _tests_running(where: Where, module: checks.Module, project: SourceProject) -> tuple[str, ...]:
    """For rules that judge tests: the anchored tests, or, when the anchors name no test (a
    ``setUp``, a helper), the tests whose closure runs them."""
    index = module.index
    names = tuple(d.qualname for d in where.definitions)
    if not names or any(is_test(d, index) for d in where.definitions):
        return names
    builder = module.builder or ClosureBuilder(index, module.conftests, project)
    wanted = set(names)
    found = tuple(
        d.qualname for d in index.definitions
        if is_test(d, index)
        and any(s.index is index and s.definition.qualname in wanted for s in builder.closure(d))
    )
    return found or names


def _near(line: int, where: Where, tolerance: int = 2) -> bool:
    return any(a - tolerance <= line <= b + tolerance for a, b in where.spans)


def _evidence(rule: Any, spec: ItemSpec, module: checks.Module, settings: Settings,
              project: SourceProject) -> list[Evidence]:
    """The rule's pass-evidence on the same context its check saw; none when it has no such method
    or it fails (a custom rule's bug must not change the verdict)."""
    method = getattr(rule, "evidence", None)
    if method is None:
        return []
    try:
        with time_limit(settings.rule_timeout):
            context, _ = checks.build_context(
                module.index, rule, spec.targets, settings, project, None, spec.finding, module.conftests,
                module.flow, module.builder,
            )
            found = list(rule().evidence(context))
    except (KeyboardInterrupt, SystemExit):
        raise
    except (TimeLimitExceeded, Exception):
        return []
    return [e for e in found if isinstance(e, Evidence)]


def shown_path(path: str, root: Path) -> str:
    """A path relative to ``root`` when inside it."""
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError):
        return path
