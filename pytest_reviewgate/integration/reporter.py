"""The ``reviewgate`` terminal section, ``--reviewgate-rules``/``--reviewgate-explain``, and report data.

Everything the summary shows is built on the controller from test reports, so it is complete
under pytest-xdist.
"""

from __future__ import annotations

import fnmatch
import re
import warnings
from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pytest

from .session import STATE

if TYPE_CHECKING:
    from ..rules.base import Rule, RuleRegistry


def registry_of(config: pytest.Config) -> RuleRegistry:
    from ..rules.base import RuleRegistry

    registry = RuleRegistry()
    config.hook.pytest_reviewgate_register_rules(registry=registry)
    return registry


def rules_command(config: pytest.Config) -> int | None:
    """``--reviewgate-rules`` and ``--reviewgate-explain RULE``: print and exit 0."""
    explain = config.getoption("reviewgate_explain", None)
    if not config.getoption("reviewgate_rules", False) and not explain:
        return None
    from ..config import ConfigError, load_settings

    try:  # the same configuration errors as a normal run
        settings = load_settings(config.rootpath)
    except ConfigError as exc:
        raise pytest.UsageError(f"reviewgate: {exc}") from None
    check_rule_keys(config, settings.severity, settings.rules)
    registry = registry_of(config)
    if explain:
        rule = registry.get(explain)
        if rule is None:
            raise pytest.UsageError(f"reviewgate: unknown rule {explain!r}{registry.closest(explain)}")
        print(explain_text(rule))
        return 0
    for rule in registry:
        state = "" if rule.implemented else "  (not implemented yet)"
        print(f"{rule.code}  {rule.name:<30} {rule.summary}{state}")
    for problem in registry.problems:
        print(f"error: {problem}")
    return 0


RESERVED = re.compile(r"^RG[0-9]{3}$")


def warn_unknown_rule_keys(config: pytest.Config, state: Any) -> None:
    """Once the conftests are in, a ``severity`` or ``rules`` key that no registry knows is a warning.

    Not a usage error: a rule of a conftest.py outside the paths given is not registered in this session.
    """
    settings = state.settings
    keys = [("severity", key) for key in settings.severity] + [("rules", key) for key in settings.rules]
    registries = list(state.registries.values())
    for table, key in keys:
        if not any(registry.get(key) is not None for registry in registries):
            from .items import ReviewgateWarning

            message = f"[tool.reviewgate] {table}.{key}: unknown rule {key!r} (no plugin or conftest.py registers it)"
            with warnings.catch_warnings():  # shown, never raised: ``-W error`` here would end collection
                warnings.simplefilter("always", ReviewgateWarning)
                warnings.warn_explicit(
                    ReviewgateWarning(message), ReviewgateWarning, str(config.rootpath / "pyproject.toml"), 1
                )


def check_rule_keys(config: pytest.Config, severity: Mapping[str, str], options: Mapping[str, Any]) -> None:
    """``severity`` and ``rules`` tables name known rules and options they have (exit 4 otherwise)."""
    if not severity and not options:
        return
    registry = registry_of(config)
    for table, keys in (("severity", severity), ("rules", options)):
        for key in keys:
            # a rule of a conftest.py below the rootdir is not registered yet: only a built-in code or
            # a near miss of a known rule is certainly wrong here
            close = registry.closest(key)
            if registry.get(key) is None and (RESERVED.match(key) or close):
                raise pytest.UsageError(f"reviewgate: [tool.reviewgate] {table}.{key}: unknown rule{close}")
    for key, table in options.items():
        rule = registry.get(key)
        for option in table:
            if rule is not None and option.removeprefix("extend-") not in rule.options:
                known = ", ".join(rule.options) or "none"
                raise pytest.UsageError(
                    f"reviewgate: [tool.reviewgate] rules.{key}: {rule.name} has no option {option!r}"
                    f" (options: {known})"
                )


def explain_text(rule: type[Rule]) -> str:
    cwe = f"CWE-{rule.cwe}" if rule.cwe else "no CWE"
    head = f"{rule.code} {rule.name} ({rule.kind}, default severity {rule.severity}, {cwe})"
    options = "".join(f"\n  {k} = {v!r}" for k, v in rule.options.items())
    return f"{head}\n{rule.summary}\n\n{rule.docs()}" + (f"\n\nOption defaults:{options}" if options else "")


class Reporter:
    """Collects reviewgate data from reports; writes the summary at the end."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.reviews: dict[str, dict[str, Any]] = {}  # review path -> counts
        self.outcomes: Counter[str] = Counter()
        self.violations: list[dict[str, Any]] = []
        self.warnings = 0
        self.ignored = 0
        self.leaks = 0  # watched tests whose teardown a runtime rule failed
        self.edits: dict[str, list[dict[str, Any]]] = {"fix": [], "pin": []}
        self.suggestions: list[str] = []
        self.written: list[str] = []

    @pytest.hookimpl
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        value: Any
        # every phase's report carries the item's user_properties: read them once, at teardown
        for name, value in report.user_properties if report.when == "teardown" else ():
            if name == "reviewgate_review":
                self.reviews[str(value.get("review", len(self.reviews)))] = value
            elif name == "reviewgate_violation":
                self.violations.append(value)
            elif name == "reviewgate_warning":
                self.warnings += 1
            elif name == "reviewgate_ignored":
                self.ignored += int(value)
            elif name in ("reviewgate_fix", "reviewgate_pin"):
                self.edits[name.rpartition("_")[2]].append(value)
            elif name == "reviewgate_suggest":
                self.suggestions.append(value)
        if report.when == "teardown" and report.failed and any(
            name == "reviewgate_violation" for name, _ in report.user_properties
        ):
            self.leaks += 1
        if "reviewgate" not in report.keywords:
            return
        if report.when == "call" or (report.when == "setup" and not report.passed):
            self.outcomes[_outcome(report)] += 1

    @pytest.hookimpl
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        self._drop_silent_phases()
        option = self.config.getoption
        wanted = option("reviewgate_sarif", None) or option("reviewgate_update_baseline", False) or any(
            self.edits.values()
        )
        if hasattr(self.config, "workerinput") or not wanted:
            return  # xdist worker (the controller writes, from the reports), or nothing to write
        from ..report import outputs

        root = self.config.rootpath
        results = []
        if option("reviewgate_sarif", None):
            rules = registry_of(self.config)
            results.append(outputs.sarif(option("reviewgate_sarif"), root, rules, self.violations))
        baseline = option("reviewgate_baseline", None) or self.config.stash[STATE].settings.baseline
        if option("reviewgate_update_baseline", False):
            if not baseline:
                self.written.append("--reviewgate-update-baseline needs --reviewgate-baseline PATH or baseline =")
            else:
                static = {r.code for r in registry_of(self.config) if r.kind == "static"}
                results.append(outputs.update_baseline(str(root / baseline), self.violations, static, root))
        for kind in ("fix", "pin"):
            if self.edits[kind]:
                results.extend(outputs.rewrite_reviews(self.edits[kind], kind, self.config.stash[STATE].settings))
        self.written.extend(r.message for r in results)
        # a failed write fails the session (pytest returns session.exitstatus after this hook)
        session.exitstatus = outputs.exit_status(session.exitstatus, results)
        if failed := sum(1 for r in results if not r.ok):
            self.written.append(f"reviewgate: {failed} file{'s' * (failed != 1)} not written; the session fails")

    def _drop_silent_phases(self) -> None:
        """Take our items' passed setup and teardown reports without output off the terminal's list.

        The terminal reporter keeps them uncategorised and, for each failure it shows, scans that
        whole list for teardown output: failures times items (20 s of a 35 s run with 900 failing
        of 8,000 items). These reports hold no output, so no line of the report changes.
        """
        reporter = self.config.pluginmanager.get_plugin("terminalreporter")
        stats = getattr(reporter, "stats", None)
        if self.config.getoption("durations", None) is not None or not isinstance(stats, dict) or not stats.get(""):
            return  # ``--durations`` lists every phase, these included
        glob = self.config.stash[STATE].settings.glob
        stats[""] = [report for report in stats[""] if not _silent_phase(report, glob)]

    @pytest.hookimpl
    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if not self.outcomes and not self.reviews and not self.written and not self.leaks:
            return
        write = terminalreporter.write_line
        terminalreporter.write_sep("=", "reviewgate")
        reviews = list(self.reviews.values())
        verdicts = Counter(r.get("verdict", "defects") for r in reviews)
        write(f"reviews: {len(self.reviews)} ({verdicts['clean']} clean, {verdicts['defects']} with defects)")
        findings = sum(r.get("findings", 0) for r in reviews)
        gated = sum(r.get("gated", 0) for r in reviews)
        polarity: Counter[str] = Counter()
        for review in reviews:
            polarity.update(review.get("polarity", {}))
        write(
            f"findings: {findings} ({gated} gated, {findings - gated} not gated; "
            f"{polarity['defect']} defect, {polarity['clean']} clean, {polarity['note']} note)"
        )
        order = ("passed", "failed", "error", "skipped", "xfailed", "xpassed")
        parts = [f"{self.outcomes[o]} {o}" for o in order if self.outcomes[o]]
        write(f"items: {', '.join(parts) if parts else 'none run'}")
        stale = sum(1 for v in self.violations if v.get("rule") == "RG001")
        suppressed = Counter(v.get("suppressed") for v in self.violations if v.get("suppressed"))
        write(f"stale anchors: {stale}")
        seconds = sum(float(r.get("seconds", 0.0)) for r in reviews)
        cached = sum(1 for r in reviews if r.get("cached"))
        write(f"analysis: {seconds:.3f}s for {len(reviews)} reviews ({cached} from cache)")
        if self.leaks:
            write(f"runtime: {self.leaks} targeted tests left state changed")
        extra = ", ".join(f"{n} {k}" for k, n in sorted(suppressed.items()))
        write(f"warnings: {self.warnings}; suppressed: {self.ignored} ignored" + (f", {extra}" if extra else ""))
        for text in self.suggestions:
            write(text)
        for message in self.written:
            write(message)


def _silent_phase(report: object, glob: str) -> bool:
    """A passed setup or teardown report of a review item, with no output."""
    review = str(getattr(report, "nodeid", "")).split("::")[0].rpartition("/")[2]
    return (
        getattr(report, "when", None) in ("setup", "teardown")
        and getattr(report, "outcome", None) == "passed"
        and not getattr(report, "sections", None)
        and fnmatch.fnmatchcase(review, glob)
    )


def _outcome(report: pytest.TestReport) -> str:
    if hasattr(report, "wasxfail"):
        return "xfailed" if report.skipped else "xpassed"
    if report.failed:
        return "failed" if report.when == "call" else "error"
    return report.outcome
