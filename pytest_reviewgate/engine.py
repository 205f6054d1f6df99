"""Analyse one review against its module: every item's result, computed in one pass.

Pure: reads files, parses the module once, runs anchors and rules, keeps results, drops the tree.
"""

from __future__ import annotations

import fnmatch
import hashlib
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import anchors, cache, checks, pins, suggest
from .config import Settings
from .flow import Flow
from .index import ModuleIndex, parse_module
from .model import Finding, Problem, Review, ReviewgateError, Violation
from .plan import ItemSpec, Plan, make_plan
from .project import SourceProject
from .review.parser import parse_review
from .rules.base import RuleRegistry


@dataclass(frozen=True)
class ItemResult:
    violations: tuple[Violation, ...] = ()
    problems: tuple[Problem, ...] = ()  # RG003 problems (``::review``, bad targets)
    skip: str = ""
    error: str = ""  # a failure of the check itself (a custom rule that raised)
    ignored: int = 0  # violations suppressed by ``# reviewgate: ignore[...]``
    fixes: tuple[tuple[int, int, str], ...] = ()  # review text replacements for --reviewgate-fix
    notes: tuple[str, ...] = ()  # warnings that are no violation (stale ignore comments)


@dataclass
class Analysis:
    review: Review
    plan: Plan
    results: dict[str, ItemResult] = field(default_factory=dict)
    stale: int = 0
    fixes: list[anchors.Fix] = field(default_factory=list)
    module_error: str = ""
    digest: str = ""
    review_sha: str = ""
    suggestions: list[str] = field(default_factory=list)
    pins: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0  # parse + index + rules of this review's module, as this process measured it
    cached: bool = False


def read_review(path: Path, display: str, settings: Settings) -> tuple[bytes, Review]:
    """Read and parse a review; an oversized or unreadable file yields a fatal review."""
    try:
        size = path.stat().st_size
        if size > settings.max_review_bytes:
            reason = f"{size} bytes, more than max-review-bytes ({settings.max_review_bytes})"
            return b"", Review(path=display, module="", fatal=reason, problems=(Problem(1, reason),))
        data = path.read_bytes()
    except OSError as exc:
        reason = f"cannot read the review: {exc.strerror or exc}"
        return b"", Review(path=display, module="", fatal=reason, problems=(Problem(0, reason),))
    review = parse_review(data, display, suffix=settings.suffix, max_findings=settings.max_findings)
    return data, review


def module_path(review_path: Path, review: Review) -> Path:
    return (review_path.parent / review.module) if review.module else review_path.with_suffix(".py")


def analyse(
    review_path: Path,
    display: str,
    settings: Settings,
    registry: RuleRegistry,
    requirement_check: Callable[[Review], str],
    project: SourceProject,
    rootdir: Path,
    collected: Mapping[str, Mapping[str, bool]] | None = None,
    store: cache.Store | None = None,
    modes: frozenset[str] = frozenset(),
    test_patterns: Sequence[str] = ("test_*.py", "*_test.py"),
) -> Analysis:
    """Every item's result for one review, as the files are now.

    ``modes`` may hold ``suggest`` and ``pin``: read-only extras for those options.
    """
    started = time.perf_counter()
    analysis = _analyse(review_path, display, settings, registry, requirement_check, project, rootdir, collected,
                        store, modes, test_patterns)
    analysis.seconds = time.perf_counter() - started
    return analysis


def _analyse(
    review_path: Path,
    display: str,
    settings: Settings,
    registry: RuleRegistry,
    requirement_check: Callable[[Review], str],
    project: SourceProject,
    rootdir: Path,
    collected: Mapping[str, Mapping[str, bool]] | None,
    store: cache.Store | None,
    modes: frozenset[str],
    test_patterns: Sequence[str],
) -> Analysis:
    data, review = read_review(review_path, display, settings)
    plan = make_plan(review, registry, settings)
    analysis = Analysis(review=review, plan=plan, review_sha=hashlib.sha256(data).hexdigest())
    problems = list(plan.problems) + [Problem(0, message) for message in registry.problems]
    unmet = requirement_check(review) if not review.fatal else ""
    if unmet:
        problems.append(Problem(1, unmet))
    if review.fatal or unmet:
        analysis.results["review"] = ItemResult(problems=tuple(problems))
        return analysis
    target = module_path(review_path, review)
    module_name = target.name
    try:
        module_bytes = target.read_bytes()
    except OSError:
        problems.insert(0, Problem(1, f"the reviewed module {review.module} does not exist"))
        analysis.module_error = "missing"
        analysis.results["review"] = ItemResult(problems=tuple(problems))
        return analysis
    tests = None if collected is None else collected.get(str(target.resolve()))
    if tests is None and collected is not None and any(fnmatch.fnmatch(target.name, p) for p in test_patterns):
        tests = {}  # a test module of which nothing is collected in this session
    elif tests is None and collected is not None:
        tests = {"\0": False}  # no test module: runtime expectations can never run
    analysis.digest = cache.key(data, module_bytes, settings, registry, tests)
    entry = store.get(analysis.digest, None) if store is not None and not modes else None
    if isinstance(entry, dict) and cache.unchanged(entry.get("reads", {})):
        try:
            analysis.results = {k: cache.load_result(v, ItemResult) for k, v in entry["results"].items()}
            analysis.stale, analysis.module_error = int(entry["stale"]), str(entry["module_error"])
            analysis.cached = True
            return analysis
        except (KeyError, TypeError, ValueError):
            analysis.results = {}  # a damaged entry is recomputed
    project.touched = {}
    try:
        index: ModuleIndex | None = parse_module(module_bytes, str(target))
    except ReviewgateError as exc:
        index = None
        analysis.module_error = f"{module_name}:{exc.line}: {exc.message}"
        problems.insert(0, Problem(1, analysis.module_error))
    problems.extend(_cwe_problems(review, settings))
    conftests = checks.load_conftests(target, rootdir, project) if index is not None else []
    shared = Flow()  # every rule of this module reads the same walked facts
    for spec in plan.items:
        if spec.key == "review":
            continue
        if index is None:
            analysis.results[spec.key] = ItemResult(skip=f"{module_name} does not parse (see ::review)")
        elif spec.name == "anchors" and spec.finding is not None:
            found = anchors.check(spec.finding, index, display, module_name, settings.line_tolerance)
            moved = pins.check(spec.finding, index, review.pins, display) if review.pins else []
            replacements = tuple(r for fix in found.fixes for r in _replacements(fix))
            violations = tuple(found.violations) + tuple(moved)
            analysis.results[spec.key] = ItemResult(violations=violations, fixes=replacements)
            analysis.stale += found.stale
            analysis.fixes.extend(found.fixes)
        else:
            analysis.results[spec.key] = _expectation(spec, index, settings, registry, project, conftests, tests, shared)
    analysis.results["review"] = ItemResult(problems=tuple(problems))
    if index is not None and "pin" in modes:
        for finding in review.findings:
            analysis.pins.update(pins.pins_for(finding, index))
    if index is not None and "suggest" in modes:
        analysis.suggestions = _suggestions(review, index, settings, registry, project, conftests, shared)
    if store is not None and not modes:
        store.set(analysis.digest, {
            "reads": dict(project.touched),
            "results": {k: cache.dump_result(v) for k, v in analysis.results.items()},
            "stale": analysis.stale,
            "module_error": analysis.module_error,
        })
    return analysis


def _expectation(
    spec: ItemSpec,
    index: ModuleIndex,
    settings: Settings,
    registry: RuleRegistry,
    project: SourceProject,
    conftests: Sequence[ModuleIndex],
    tests: Mapping[str, bool] | None,
    shared: Flow,
) -> ItemResult:
    rule = registry.get(spec.code)
    if rule is None:  # pragma: no cover - the plan only holds registered rules
        return ItemResult(error=f"unknown rule {spec.code}")
    if not rule.implemented:
        return ItemResult(skip=f"{rule.code} {rule.name} is not implemented yet")
    outcome = checks.run(rule, spec, index, settings, project, conftests, tests, shared)
    return ItemResult(
        violations=tuple(outcome.violations),
        problems=tuple(outcome.problems),
        skip=outcome.skip,
        error=outcome.error,
        ignored=outcome.ignored,
        notes=tuple(outcome.notes),
    )


def _cwe_problems(review: Review, settings: Settings) -> list[Problem]:
    if settings.cwe_taxonomy is None or not (
        "cwe-known" in settings.default_rules or "RG002" in settings.default_rules
    ):
        return []
    allowed = settings.cwe_taxonomy
    return [
        Problem(line, f"CWE-{cwe} is not in cwe-taxonomy", "RG002")
        for cwe, line in review.cwes
        if cwe not in allowed
    ]


def _replacements(fix: anchors.Fix) -> list[tuple[int, int, str]]:
    """Only the digits of a stale anchor change: ``line 40`` -> ``line 17``."""
    numbers = [fix.start, fix.end]
    return [(start, end, str(number)) for (start, end), number in zip(fix.anchor.digits, numbers, strict=False)]


def _suggestions(
    review: Review,
    index: ModuleIndex,
    settings: Settings,
    registry: RuleRegistry,
    project: SourceProject,
    conftests: Sequence[ModuleIndex],
    shared: Flow,
) -> list[str]:
    out: list[str] = []
    known = [rule.name for rule in registry]
    for finding in review.findings:
        if finding.expectations:
            continue

        def verdict(name: str, finding: Finding = finding) -> str:
            rule = registry.get(name)
            if rule is None or not rule.implemented:
                return "not implemented yet"
            if rule.kind == "runtime":
                return "runtime: checked while the targeted tests run"
            spec = ItemSpec(f"finding-{finding.key}", rule.name, rule.code, finding=finding, line=finding.first_line)
            outcome = checks.run(rule, spec, index, settings, project, conftests, None, shared)
            if outcome.problems or outcome.error:
                return "cannot run: " + (outcome.problems[0].message if outcome.problems else "the rule raised")
            count = len(outcome.violations)
            return "passes today" if not count else f"fails today ({count} violation{'s' * (count != 1)})"

        out.extend(suggest.suggest(finding, index, verdict, known))
    return out
