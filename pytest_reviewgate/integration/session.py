"""Per-process state in ``config.stash``: settings, rule registries, analyses (results only)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from .._version import __version__
from ..config import Settings
from ..report.escapes import printable

if TYPE_CHECKING:  # the analysis layers load only once a review is collected
    from ..analysis.project import SourceProject
    from ..engine.analyse import Analysis, ItemResult
    from ..model import Review
    from ..rules.base import RuleRegistry


@dataclass
class State:
    config: pytest.Config
    settings: Settings
    only: bool = False
    project: SourceProject | None = None
    analyses: dict[str, Analysis] = field(default_factory=dict)
    registries: dict[str, RuleRegistry] = field(default_factory=dict)
    # module path -> test qualname -> selected in this session; None under --reviewgate-only
    collected: dict[str, dict[str, bool]] | None = None
    baseline: Mapping[str, int] | None = None  # loaded once per process when configured
    reviews_collected: bool = False  # a review file was collected in this process
    freezing: bool = False  # a review-only session spares the cyclic collector what it keeps (``thaw``)
    reviews: dict[str, tuple[bytes, Review]] = field(default_factory=dict)  # last parse of each review
    broken: dict[str, str] = field(default_factory=dict)  # review -> why its analysis crashed (our bug)
    triage_sent: set[str] = field(default_factory=set)  # reviews whose verdicts an item of this process carries

    def apply_baseline(self, result: ItemResult, code: str) -> ItemResult:
        """Suppress static violations up to the baseline's count of each identity."""
        path = self.config.getoption("reviewgate_baseline", None) or self.settings.baseline
        if not path or not result.violations or code in ("RG001", "RG002", "RG003"):
            return result
        from dataclasses import replace

        from ..report import baseline
        from ..report.outputs import relative

        if self.baseline is None:
            self.baseline = self.load_baseline() or {}
        root = self.config.rootpath
        keyed = [replace(v, path=relative(root, v.path)) for v in result.violations]
        marked = baseline.apply(self.baseline, keyed)
        pairs = zip(result.violations, marked, strict=True)
        return replace(result, violations=tuple(replace(v, suppressed=m.suppressed) for v, m in pairs))

    def load_baseline(self) -> Mapping[str, int] | None:
        """The configured baseline; a malformed file is a usage error naming it."""
        path = self.config.getoption("reviewgate_baseline", None) or self.settings.baseline
        if not path or self.config.getoption("reviewgate_update_baseline", False):
            return None
        from ..model import ReviewgateError
        from ..report import baseline

        try:
            return baseline.load(self.config.rootpath / path)
        except ReviewgateError as exc:
            raise pytest.UsageError(f"reviewgate: {exc}") from None

    def registry(self, node: Any, directory: Path) -> RuleRegistry:
        """Rules visible from ``directory`` (``node``'s): plugins plus conftests at or above it."""
        key = str(directory)
        if key not in self.registries:
            from ..rules.base import RuleRegistry
            from .hooks import register_rules

            registry = RuleRegistry()
            caller = node.ihook.pytest_reviewgate_register_rules  # a hook proxy costs: only here
            register_rules(self.config, caller, registry)
            self.registries[key] = registry
        return self.registries[key]

    def thaw(self) -> None:
        """At the end of a review-only session: drop what the analyses kept, and let the cyclic
        collector see again what collection and the analyses froze (``gc.freeze``)."""
        import gc

        if self.project is not None:
            self.project.close()
        self.analyses.clear()
        gc.unfreeze()

    def get_project(self) -> SourceProject:
        if self.project is None:
            from ..analysis.project import SourceProject

            roots = [self.config.rootpath]
            roots += [Path(p) for p in self.config.getini("pythonpath")]
            self.project = SourceProject(roots)
        return self.project

    def modes(self) -> frozenset[str]:
        option = self.config.getoption
        modes = {m for m in ("suggest", "pin", "triage") if option(f"reviewgate_{m}", False)}
        if option("reviewgate_triage_json", None):
            modes.add("triage")
        return frozenset(modes)

    def analysis(self, review_path: Path, registry: RuleRegistry) -> Analysis | str:
        """The review's analysis, once per process; a text saying why when reviewgate itself crashed."""
        key = str(review_path)
        if key in self.broken:
            return self.broken[key]
        if key not in self.analyses:
            from ..engine.analyse import Environment, analyse

            project = self.get_project()
            project.add_root_for(review_path)
            env = Environment(
                settings=self.settings,
                registry=registry,
                project=project,
                rootdir=self.config.rootpath,
                requirement_check=requirement_problem,
                collected=self.collected,
                store=getattr(self.config, "cache", None),
                modes=self.modes(),
                test_patterns=tuple(self.config.getini("python_files")),
                reviews=self.reviews,
                roots=(self.config.invocation_params.dir,),
                freeze=self.freezing,
            )
            try:
                self.analyses[key] = analyse(review_path, display(self.config, review_path), env)
            except KeyboardInterrupt:
                raise
            except BaseException as exc:  # one short failure per item, not the whole traceback on each
                import traceback

                shown = "".join(traceback.format_exception(exc, limit=-12)).rstrip()
                self.broken[key] = f"  reviewgate could not analyse this review (please report it):\n{shown}"
                return self.broken[key]
        return self.analyses[key]


def settings_of(config: pytest.Config, table: Mapping[str, Any] | None = None) -> Settings:
    """``[tool.reviewgate]`` (``table``, else read from the rootdir), with ``--reviewgate-timeout`` over
    ``rule-timeout``; a usage error when wrong."""
    from dataclasses import replace

    from ..config import ConfigError, read_table, settings_from_table

    try:
        settings = settings_from_table(table if table is not None else read_table(config.rootpath) or {})
    except ConfigError as exc:
        raise pytest.UsageError(f"reviewgate: {exc}") from None
    timeout = config.getoption("reviewgate_timeout", None)
    if timeout is not None:
        if not 0 <= timeout < 1e9:  # NaN and infinity too
            raise pytest.UsageError(
                f"reviewgate: --reviewgate-timeout: expected a number of seconds (0: no limit), got {timeout!r}"
            )
        settings = replace(settings, rule_timeout=timeout)
    from .hooks import TIME_LIMIT

    config.stash[TIME_LIMIT] = settings.rule_timeout  # for the hooks and probes of users
    return settings


STATE = pytest.StashKey[State]()


def display(config: pytest.Config, path: Path) -> str:
    """A path as the user sees it: relative to the rootdir when inside it.

    Made from the path, never from a node id: a ``::`` or ``[`` in a name is part of the name.
    """
    try:  # not resolved: a symlinked review keeps its own name, which pairs it with its module
        return path.absolute().relative_to(config.rootpath.absolute()).as_posix()
    except ValueError:
        return str(path)


def requirement_problem(review: Review) -> str:
    """Why ``requires:`` is not met (or not valid), or ""."""
    if not review.requires:
        return ""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        spec = SpecifierSet(review.requires)
    except InvalidSpecifier:
        return f"requires: {review.requires!r} is not a version specifier"
    if not spec.contains(__version__, prereleases=True):
        return f"requires: pytest-reviewgate {review.requires}, this is {__version__}"
    return ""


def when_problem(when: str) -> tuple[bool, str]:
    """Evaluate a ``when:``: (met, reason). A requirement on a distribution or an environment marker."""
    from importlib import metadata

    from packaging.markers import InvalidMarker, Marker
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        requirement = Requirement(when)
    except InvalidRequirement:
        requirement = None
    if requirement is not None:  # "oslo.config>=9", also with "; python_version > '3.10'"
        if requirement.marker is not None and not requirement.marker.evaluate():
            return False, f"when: {when}: the marker is false here"
        try:
            version = metadata.version(requirement.name)
        except metadata.PackageNotFoundError:
            return False, f"when: {when}: {requirement.name} is not installed"
        if requirement.specifier.contains(version, prereleases=True):
            return True, ""
        return False, f"when: {when}: {requirement.name} {version} is installed"
    try:
        if Marker(when).evaluate():
            return True, ""
        return False, f"when: {when} is false here"
    except InvalidMarker:
        shown = printable(when)  # not repr(): it would leave an escape sequence's debris visible
        raise ValueError(f"when: '{shown}' is neither a requirement nor an environment marker") from None


def counts(analysis: Analysis) -> Mapping[str, Any]:
    """The review's counts for the summary; computed once per analysis, then shared by its items."""
    if analysis.counts is None:
        analysis.counts = _counts(analysis)
    return analysis.counts


def _counts(analysis: Analysis) -> dict[str, Any]:
    review = analysis.review
    findings = review.findings
    itemized = {spec.parent for spec in analysis.plan.items}  # a finding is gated when it makes items
    gated = sum(1 for f in findings if f"finding-{f.key}" in itemized)
    return {
        "findings": len(findings),
        "gated": gated,
        "not_gated": len(findings) - gated,
        "polarity": {p: sum(1 for f in findings if f.polarity == p) for p in ("defect", "clean", "note")},
        "verdict": review.verdict,
        "stale": analysis.stale,
        "seconds": round(analysis.seconds, 6),
        "cached": analysis.cached,
    }
