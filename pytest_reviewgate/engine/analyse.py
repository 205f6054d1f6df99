"""Analyse one review against its module: every item's result, computed in one pass.

Pure: reads files, parses the module once, runs anchors and rules, keeps results, drops the tree.
"""

from __future__ import annotations

import fnmatch
import gc
import hashlib
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import files
from ..analysis.closures import ClosureBuilder, conftest_paths
from ..analysis.flow import Flow
from ..analysis.index import ModuleIndex, parse_module
from ..analysis.project import SourceProject
from ..analysis.symbols import Elsewhere
from ..config import Settings
from ..model import Problem, Review, ReviewgateError, Violation
from ..review import codec
from ..review.parser import parse_review
from ..rules.base import RuleRegistry
from . import anchors, cache, checks, pins, suggest, triage
from .plan import ItemSpec, Plan, make_plan


@dataclass(frozen=True)
class ItemResult:
    violations: tuple[Violation, ...] = ()
    problems: tuple[Problem, ...] = ()  # RG003 problems (``::review``, bad targets)
    skip: str = ""
    error: str = ""  # a failure of the check itself (a custom rule that raised)
    ignored: int = 0  # violations suppressed by ``# reviewgate: ignore[...]``
    fixes: tuple[tuple[int, int, str], ...] = ()  # review text replacements for --reviewgate-fix
    notes: tuple[str, ...] = ()  # warnings that are no violation (stale ignore comments)
    inherited: tuple[Violation, ...] = ()  # in other files than the reviewed module: warnings, not failures
    # a runtime expectation: each test it watches, with the files of the test's closure
    watched: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass
class Analysis:
    review: Review
    plan: Plan
    results: dict[str, ItemResult] = field(default_factory=dict)
    stale: int = 0
    module_error: str = ""
    digest: str = ""
    review_sha: str = ""
    suggestions: list[str] = field(default_factory=list)
    triage: list[dict[str, Any]] | None = None  # --reviewgate-triage: one verdict per finding (Triage.to_data)
    pins: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0  # parse + index + rules of this review's module, as this process measured it
    cached: bool = False
    counts: dict[str, Any] | None = None  # summary counts, computed once (see session.counts)


def read_review(
    path: Path,
    display: str,
    settings: Settings,
    memo: dict[str, tuple[bytes, Review]] | None = None,
    store: cache.Store | None = None,
) -> tuple[bytes, Review]:
    """Read and parse a review; an oversized or unreadable file yields a fatal review.

    ``memo`` keeps the last parse of each path: the same bytes are not parsed twice in a process
    (collection, then analysis), while a review changed in between is parsed as it is now.
    ``store`` (pytest's cache) keeps parses between sessions, keyed by the bytes.
    """
    try:
        data = files.read_regular(path, settings.max_review_bytes, "max-review-bytes")
    except files.FileProblem as exc:
        if exc.too_large:
            return b"", Review(path=display, module="", fatal=exc.reason, problems=(Problem(1, exc.reason),))
        reason = f"cannot read the review: {exc.reason}"
        return b"", Review(path=display, module="", fatal=reason, problems=(Problem(0, reason),))
    key = f"{path}\0{display}"
    if memo is not None and key in memo and memo[key][0] == data:
        return data, memo[key][1]
    review = _parse_stored(data, display, settings, store)
    if memo is not None:
        memo[key] = (data, review)
    return data, review


def _parse_stored(data: bytes, display: str, settings: Settings, store: cache.Store | None) -> Review:
    if store is None:
        return parse_review(data, display, suffix=settings.suffix, max_findings=settings.max_findings)
    key = cache.review_key(data, (codec.VERSION, display, settings.suffix, settings.max_findings))
    entry = cache.load(store, "review", key)
    if isinstance(entry, dict) and set(entry) == {"key", "review"} and entry["key"] == key:
        try:  # whatever is in the cache directory, a bad entry is parsed afresh
            review = codec.load(entry["review"])
            if review.path == display:
                return review
        except Exception:
            pass
    review = parse_review(data, display, suffix=settings.suffix, max_findings=settings.max_findings)
    cache.save(store, "review", key, {"key": key, "review": codec.dump(review)})
    return review


def module_path(review_path: Path, review: Review) -> Path:
    return (review_path.parent / review.module) if review.module else review_path.with_suffix(".py")


@dataclass(frozen=True)
class Environment:
    """What every analysis of a session shares."""

    settings: Settings
    registry: RuleRegistry
    project: SourceProject
    rootdir: Path
    requirement_check: Callable[[Review], str]
    collected: Mapping[str, Mapping[str, bool]] | None = None  # module -> test -> selected; None: no tests run
    store: cache.Store | None = None
    modes: frozenset[str] = frozenset()  # "suggest", "pin", "triage": read-only extras for those options
    test_patterns: Sequence[str] = ("test_*.py", "*_test.py")
    reviews: dict[str, tuple[bytes, Review]] | None = None  # parses kept from collection (read_review)
    roots: tuple[Path, ...] = ()  # folders besides the rootdir that ``module:`` may point into
    freeze: bool = False  # keep what an analysis leaves out of the cyclic collector's passes (``gc.freeze``)

    def run_of(self, module: Path) -> checks.TestRun | None:
        """How the module's tests run in this session, for runtime expectations."""
        if self.collected is None:
            return None
        selected = self.collected.get(str(module.resolve()))
        test_module = selected is not None or any(fnmatch.fnmatch(module.name, p) for p in self.test_patterns)
        return checks.TestRun(test_module, selected or {})


def analyse(review_path: Path, display: str, env: Environment) -> Analysis:
    """Every item's result for one review, as the files are now.

    The cyclic garbage collector is paused meanwhile: an analysis allocates a module's syntax
    tree, which frees itself by reference counting, while each collection pass would also
    traverse every object the session holds (a quarter of the analysis time on large suites).
    """
    started = time.perf_counter()
    collecting = gc.isenabled()
    gc.disable()
    try:
        analysis = _analyse(review_path, display, env)
    finally:
        if env.freeze:  # a review-only session: the results stay to the end (see plugin)
            gc.collect(0)  # but not the garbage waiting since the collector was paused (tracebacks)
            gc.freeze()
        if collecting:
            gc.enable()
    if "triage" in env.modes and analysis.triage is None and not analysis.review.fatal:
        # the module is missing or does not parse: the text alone decides (clean, or not checkable)
        shown = analysis.results.get("review")
        reason = "the reviewed module cannot be read"
        if shown is not None and shown.problems:
            reason = shown.problems[0].message
        found = triage.triage_review(analysis.review, None, None, env.registry, env.settings, None, reason)
        analysis.triage = [t.to_data() for t in found]
        if "suggest" in env.modes:
            analysis.suggestions = suggest.from_triage(analysis.review, found, env.registry)
    analysis.seconds = time.perf_counter() - started
    return analysis


def _analyse(review_path: Path, display: str, env: Environment) -> Analysis:
    settings, registry, project = env.settings, env.registry, env.project
    data, review = read_review(review_path, display, settings, env.reviews)
    plan = make_plan(review, registry, settings)
    analysis = Analysis(review=review, plan=plan, review_sha=hashlib.sha256(data).hexdigest())
    problems = list(plan.problems) + [Problem(0, message) for message in registry.problems]
    unmet = env.requirement_check(review) if not review.fatal else ""
    if unmet:
        problems.append(Problem(1, unmet))
    if review.fatal or unmet:
        analysis.results["review"] = ItemResult(problems=tuple(problems))
        return analysis
    if plan.get("cwe-known") is not None:  # the review's own check: whatever becomes of the module
        analysis.results["cwe-known"] = ItemResult(problems=tuple(_cwe_problems(review, settings)))
    target = module_path(review_path, review)
    module_name = target.name
    also = (review_path.parent, *env.roots)
    outside = module_problem(target, env.rootdir, review.module, project.real(env.rootdir), also)
    if outside:
        problems.insert(0, Problem(1, outside))
        analysis.module_error = "missing"
        analysis.results["review"] = ItemResult(problems=tuple(problems))
        return analysis
    try:
        module_bytes = files.read_regular(target, files.MAX_MODULE_BYTES, "the limit for a module")
    except files.FileProblem as exc:
        if exc.missing:
            problems.insert(0, Problem(1, f"the reviewed module {review.module} does not exist"))
            analysis.module_error = "missing"
        else:  # there but unreadable: ::review says why, the other items wait for it
            analysis.module_error = f"cannot read the reviewed module {review.module}: {exc.reason}"
            problems.insert(0, Problem(1, analysis.module_error))
        analysis.results["review"] = ItemResult(problems=tuple(problems))
        for spec in plan.items[1:] if not exc.missing else ():
            if spec.key != "cwe-known":
                analysis.results[spec.key] = ItemResult(skip=f"{module_name} cannot be read (see ::review)")
        return analysis
    run = env.run_of(target)
    project.touched = {}
    folder, root = target.resolve().parent, project.real(env.rootdir)
    if (str(folder), str(root)) not in project.conftest_paths:  # modules of one folder share them
        project.conftest_paths[str(folder), str(root)] = conftest_paths(folder, root)
    conftests = project.conftest_paths[str(folder), str(root)]
    known = {str(review_path): analysis.review_sha, str(target): hashlib.sha256(module_bytes).hexdigest()}
    known.update((str(path), project.state(path)) for path in conftests)
    where = [str(review_path), display, str(target), str(folder), str(env.rootdir), str(root)]
    analysis.digest = cache.key([where, [str(r) for r in project.roots], known], settings, registry, run)
    if env.store is not None and not env.modes and _restore(analysis, env, known):
        # the plan as the cold run made it with the module's index: the items that have results
        analysis.plan.items = [s for s in analysis.plan.items if s.key == "review" or s.key in analysis.results]
        return analysis
    project.touched = {}
    try:
        index: ModuleIndex | None = parse_module(module_bytes, str(target))
    except ReviewgateError as exc:
        index = None
        analysis.module_error = f"{module_name}:{exc.line}: {exc.message}"
        problems.insert(0, Problem(1, analysis.module_error))
    if index is None:
        analysis.results["review"] = ItemResult(problems=tuple(problems))
        for spec in plan.items[1:]:
            if spec.key == "cwe-known":
                continue
            analysis.results[spec.key] = ItemResult(skip=f"{module_name} does not parse (see ::review)")
    else:
        analysis.plan = make_plan(review, registry, settings, lambda: index)
        loaded = checks.load_conftests(target, env.rootdir, project)
        problems.extend(_unreadable(conftests, project, env.rootdir))
        analysis.results["review"] = ItemResult(problems=tuple(problems))
        builder = ClosureBuilder(index, loaded, project)
        module = checks.Module(index, loaded, run, Flow(), builder)
        _run_items(analysis, module, env, display)
        index.close()  # what the analysis derived points back at the index: free the tree now
        project.settle()  # and the project modules' trees it needed alone
    # a rule that raised or ran out of time is asked again next run, not remembered
    if env.store is not None and not env.modes and not any(r.error for r in analysis.results.values()):
        results = {k: cache.dump_result(v) for k, v in analysis.results.items()}
        inputs = {**project.touched, **known}
        cache.save(env.store, "analysis", analysis.digest,
                   cache.entry(analysis.digest, inputs, results, analysis.stale, analysis.module_error))
    return analysis


def _unreadable(conftests: Sequence[Path], project: SourceProject, rootdir: Path) -> list[Problem]:
    """A conftest.py that is there but cannot be read: its fixtures would be missed without a word."""
    out = []
    for path in conftests:
        reason = project.unreadable.get(str(path))
        if reason:
            out.append(Problem(1, f"cannot read {_shown(path, rootdir)}, whose fixtures the targets may use: {reason}"))
    return out


def _shown(path: Path, rootdir: Path) -> str:
    try:
        return path.relative_to(rootdir.resolve()).as_posix()
    except (ValueError, OSError, RuntimeError):
        return str(path)


def module_problem(
    target: Path, rootdir: Path, module: str, root: Path | None = None, also: Sequence[Path] = ()
) -> str:
    """Why ``module:`` may not be read: it must be relative to the review and inside the rootdir or one
    of the folders ``also`` (the review's own folder, the invocation directory: a review outside the
    rootdir, as with ``-c configs/pytest.ini``, reviews its sibling).

    ``root`` is the rootdir resolved, when the caller has it.
    """
    if Path(module).is_absolute():
        return f"module: {module[:80]!r} must be a path relative to the review file"
    try:
        resolved, root = target.resolve(), root or rootdir.resolve()
        roots = [root, *(folder.resolve() for folder in also)]
    except (OSError, ValueError, RuntimeError):
        return f"module: {module[:80]!r} is not a usable path"
    if not any(resolved == folder or resolved.is_relative_to(folder) for folder in roots):
        return f"module: {module[:80]!r} lies outside the rootdir {rootdir} and the review's folder"
    return ""


def _restore(analysis: Analysis, env: Environment, known: dict[str, str]) -> bool:
    """Fill ``analysis`` from its cache entry when the entry holds for the files as they are now."""
    assert env.store is not None
    entry = cache.load(env.store, "analysis", analysis.digest)
    items = [spec.key for spec in analysis.plan.items]
    anchors = [spec.key for spec in analysis.plan.items if spec.name == "anchors"]  # a module may rule one out
    found = cache.verified(entry, analysis.digest, known, items, ItemResult, env.project.holds, anchors)
    if found is None:  # none, stale, moved or damaged: analysed afresh (and stored again)
        return False
    analysis.results, analysis.stale, analysis.module_error = found
    analysis.cached = True
    return True


def _run_items(analysis: Analysis, module: checks.Module, env: Environment, display: str) -> None:
    review, index = analysis.review, module.index
    name = Path(index.path).name
    elsewhere = Elsewhere(index, module.conftests, module.builder.method if module.builder else None, env.project.load)
    fixes: dict[str, list[anchors.Fix]] = {}
    for spec in analysis.plan.items[1:]:
        if spec.key == "cwe-known":
            continue  # worked out before the module was read
        if spec.name == "anchors" and spec.finding is not None:
            found = anchors.check(spec.finding, index, display, name, env.settings.line_tolerance, elsewhere)
            moved = pins.check(spec.finding, index, review.pins, display) if review.pins else []
            replacements = tuple(r for fix in found.fixes for r in fix.numbers)
            fixes[spec.finding.key] = found.fixes
            violations = tuple(found.violations) + tuple(moved)
            analysis.results[spec.key] = ItemResult(violations=violations, fixes=replacements)
            analysis.stale += found.stale
        else:
            analysis.results[spec.key] = _expectation(spec, module, env)
    if "pin" in env.modes:
        for finding in review.findings:
            analysis.pins.update(pins.pins_for(finding, index, fixes.get(finding.key, ())))
    if "triage" in env.modes or "suggest" in env.modes:
        verdicts = triage.triage_review(review, index, module, env.registry, env.settings, env.project)
        if "triage" in env.modes:
            analysis.triage = [t.to_data() for t in verdicts]
        if "suggest" in env.modes:
            analysis.suggestions = suggest.from_triage(review, verdicts, env.registry)


def _expectation(spec: ItemSpec, module: checks.Module, env: Environment) -> ItemResult:
    rule = env.registry.get(spec.code)
    if rule is None:  # pragma: no cover - the plan only holds registered rules
        return ItemResult(error=f"unknown rule {spec.code}")
    if not rule.implemented:
        return ItemResult(skip=f"{rule.code} {rule.name} is not implemented yet")
    outcome = checks.run(rule, spec, module, env.settings, env.project)
    return ItemResult(
        violations=tuple(outcome.violations),
        problems=tuple(outcome.problems),
        skip=outcome.skip,
        error=outcome.error,
        ignored=outcome.ignored,
        notes=tuple(outcome.notes),
        inherited=tuple(outcome.inherited),
        watched=tuple(outcome.watched),
    )


def _cwe_problems(review: Review, settings: Settings) -> list[Problem]:
    if settings.cwe_taxonomy is None:
        return []
    allowed = settings.cwe_taxonomy
    return [
        Problem(line, allowed.problem(cwe), "RG002")
        for cwe, line in review.cwes
        if cwe not in allowed
    ]
