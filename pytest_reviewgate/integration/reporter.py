"""The ``reviewgate`` terminal section, ``--reviewgate-rules``/``--reviewgate-explain``, and report data.

Everything the summary shows is built on the controller from test reports, so it is complete
under pytest-xdist.
"""

from __future__ import annotations

import fnmatch
import functools
import re
import warnings
from collections import Counter
from collections.abc import Mapping
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

import pytest

from ..report.escapes import printable
from . import properties
from .session import STATE

if TYPE_CHECKING:
    from ..rules.base import Rule, RuleRegistry


def registry_of(config: pytest.Config) -> RuleRegistry:
    """Every rule registered so far; a hook implementation that fails is a problem of the registry."""
    from ..rules.base import RuleRegistry
    from .hooks import register_rules

    registry = RuleRegistry()
    register_rules(config, config.hook.pytest_reviewgate_register_rules, registry)
    return registry


def rules_command(config: pytest.Config) -> int | None:
    """``--reviewgate-rules`` and ``--reviewgate-explain RULE``: print and exit 0."""
    explain = config.getoption("reviewgate_explain", None)
    if not config.getoption("reviewgate_rules", False) and not explain:
        return None
    from .session import settings_of

    settings = settings_of(config)  # the same configuration errors as a normal run
    check_rule_keys(config, settings.severity, settings.rules)
    registry = registry_of(config)
    if explain:
        rule = registry.get(explain)
        if rule is None:
            raise pytest.UsageError(f"reviewgate: unknown rule {explain!r}{registry.closest(explain)}")
        print(printable(explain_text(rule)))
        return 0
    for rule in registry:
        state = "" if rule.implemented else "  (not implemented yet)"
        print(printable(f"{rule.code}  {rule.name:<30} {rule.summary}{state}"))
    for problem in registry.problems:
        print(printable(f"error: {problem}"))
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

            shown = printable(key)
            message = f"[tool.reviewgate] {table}.{shown}: unknown rule '{shown}'"
            message += " (no plugin or conftest.py registers it)"
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
                raise pytest.UsageError(printable(f"reviewgate: [tool.reviewgate] {table}.{key}: unknown rule{close}"))
    for key, table in options.items():
        rule = registry.get(key)
        for option in table:
            if rule is not None and option.removeprefix("extend-") not in rule.options:
                known = ", ".join(rule.options) or "none"
                raise pytest.UsageError(
                    f"reviewgate: [tool.reviewgate] rules.{key}: {rule.name} has no option {option!r}"
                    f" (options: {known})"
                )


def check_baseline_options(config: pytest.Config, configured: str) -> None:
    """Before collection: ``--reviewgate-update-baseline`` needs a baseline path, and a baseline that is
    not being written must exist (exit 4 otherwise). ``configured`` is ``[tool.reviewgate] baseline``."""
    update = bool(config.getoption("reviewgate_update_baseline", False))
    given = config.getoption("reviewgate_baseline", None)
    path = given or configured
    if update and not path:
        raise pytest.UsageError(
            "reviewgate: --reviewgate-update-baseline needs the file to write: "
            "--reviewgate-baseline PATH, or baseline = \"PATH\" in [tool.reviewgate]"
        )
    if not path or update:
        return
    full = config.rootpath / path
    if not full.exists() and not full.is_symlink():
        source = "--reviewgate-baseline" if given else "[tool.reviewgate] baseline"
        raise pytest.UsageError(
            printable(f"reviewgate: {source}: {full} does not exist; write it with --reviewgate-update-baseline")
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
        self.triage: dict[tuple[str, str], dict[str, Any]] = {}  # (review, finding) -> verdict data
        self.written: list[str] = []
        self.failures: set[str] = set()  # the messages of ``written`` that fail the session
        self.covered: set[tuple[str, str]] = set()  # (module, rule) of the static items that ran
        # violations in files other than the reviewed modules: (rule, path, line, message) -> data, modules
        self.inherited: dict[tuple[str, str, int, str], tuple[dict[str, Any], set[str]]] = {}

    @pytest.hookimpl
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        glob = self.config.stash[STATE].settings.glob
        ours = "reviewgate" in report.keywords and _is_review_report(report, glob)
        if report.when == "teardown":
            self._read_properties(report, ours)
        if ours and (report.when == "call" or (report.when == "setup" and not report.passed)):
            self.outcomes[_outcome(report)] += 1

    def _read_properties(self, report: pytest.TestReport, ours: bool) -> None:
        """Our user properties, read once per item (every phase's report carries them all)."""
        leaked = False
        for kind, value in properties.read(getattr(report, "user_properties", None), ours):
            if kind == "violation":
                self.violations.append(value)
                leaked = True
            elif kind == "review":
                self.reviews[value["review"]] = value
            elif kind == "warning":
                self.warnings += 1
            elif kind == "ignored":
                self.ignored += value
            elif kind == "covered":
                self.covered.add((value["module"], value["rule"]))
            elif kind in ("fix", "pin"):
                self.edits[kind].append(value)
            elif kind == "suggest":
                self.suggestions.append(value)
            elif kind == "triage":
                self._read_triage(value)
            elif kind == "inherited":
                key = (value["rule"], value["path"], value["line"], value["message"])
                first, modules = self.inherited.setdefault(key, (value, set()))
                modules.add(value["module"])
                if str(value["finding"]["review"]) < str(first["finding"]["review"]):
                    self.inherited[key] = (value, modules)  # the same review names the site every run
        if leaked and not ours and report.failed:
            self.leaks += 1

    @pytest.hookimpl
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        self._drop_silent_phases()
        inherited = [] if hasattr(self.config, "workerinput") else self._warn_inherited()
        option = self.config.getoption
        wanted = option("reviewgate_sarif", None) or option("reviewgate_update_baseline", False) or any(
            self.edits.values()
        ) or option("reviewgate_triage_json", None) or option("reviewgate_codequality", None)
        if hasattr(self.config, "workerinput") or not wanted:
            return  # xdist worker (the controller writes, from the reports), or nothing to write
        from ..report import outputs

        root = self.config.rootpath
        results = []
        if option("reviewgate_sarif", None):
            rules = registry_of(self.config)
            given = option("reviewgate_sarif_root", None)
            repository = Path(given).resolve() if given else outputs.repository_root(root)
            skip_open = bool(option("reviewgate_sarif_skip_open", False))
            violations = self.violations + inherited
            results.append(outputs.sarif(option("reviewgate_sarif"), root, rules, violations, repository, skip_open,
                                         list(self.triage.values())))
        results.extend(self._write_triage(root))
        if option("reviewgate_codequality", None):
            results.append(self._codequality(outputs, inherited))
        baseline = option("reviewgate_baseline", None) or self.config.stash[STATE].settings.baseline
        if option("reviewgate_update_baseline", False) and baseline:  # without a path: a usage error at start
            static = {r.code for r in registry_of(self.config) if r.kind == "static"}
            results.append(outputs.update_baseline(str(root / baseline), self.violations, static, root))
        if self.edits["fix"] or self.edits["pin"]:
            settings, diff = self.config.stash[STATE].settings, bool(option("reviewgate_diff", False))
            results.extend(outputs.rewrite_reviews(self.edits["fix"], self.edits["pin"], settings, diff))
        self.written.extend(r.message for r in results)
        self.failures.update(r.message for r in results if not r.ok)
        # a failed write fails the session (pytest returns session.exitstatus after this hook)
        session.exitstatus = outputs.exit_status(session.exitstatus, results)
        if failed := sum(1 for r in results if not r.ok):
            message = f"reviewgate: {failed} file{'s' * (failed != 1)} not written; the session fails"
            self.written.append(message)
            self.failures.add(message)

    def _codequality(self, outputs: Any, inherited: list[dict[str, Any]]) -> Any:
        """``--reviewgate-codequality``: the GitLab report, its paths relative to SARIF's root."""
        option, root = self.config.getoption, self.config.rootpath
        given = option("reviewgate_sarif_root", None)
        repository = Path(given).resolve() if given else outputs.repository_root(root)
        return outputs.codequality(option("reviewgate_codequality"), root, self.violations + inherited, repository)

    def _read_triage(self, value: dict[str, Any]) -> None:
        """A review's verdicts (``--reviewgate-triage``): each finding once, whatever worker sent it."""
        root = self.config.rootpath
        for entry in value["entries"]:  # paths come relative to the rootdir (``items.triage_data``)
            entry["evidence"] = [{**e, "file": str(root / e["file"])} for e in entry["evidence"]]
            self.triage[(str(entry["review"]), str(entry["finding"]))] = entry

    def _triage_lines(self) -> list[str]:
        if not self.triage or not self.config.getoption("reviewgate_triage", False):
            return []
        from ..report import triage

        # -q: one line per finding; -qq and --no-summary: the counts alone
        verbosity = self.config.get_verbosity()
        if self.config.getoption("no_summary", False):
            verbosity = -2
        detail = "full" if verbosity >= 0 else "short" if verbosity == -1 else "count"
        return triage.lines(list(self.triage.values()), self.config.rootpath, detail)

    def _write_triage(self, root: Path) -> list[Any]:
        path = self.config.getoption("reviewgate_triage_json", None)
        if not path:
            return []
        from ..report import triage

        return [triage.write_json(str(path), list(self.triage.values()), root)]

    def _warn_inherited(self) -> list[dict[str, Any]]:
        """Each violation in code outside the reviewed modules, once: a warning at its own line that
        says how many reviewed modules reach it; returned as SARIF data (level warning)."""
        if not self.inherited:
            return []  # a session without reviews loads no analysis layer
        from .items import ReviewgateWarning

        out = []
        for (rule, path, line, message), (data, modules) in sorted(self.inherited.items()):
            count = len(modules)
            text = f"{message} (inherited by {count} reviewed module{'s' * (count != 1)}; not gated)"
            where = f" in {data['definition']}" if data.get("definition") else ""
            warning = ReviewgateWarning(f"{rule}{where}: {text}")
            with warnings.catch_warnings():  # shown, never raised: ``-W error`` must not end the session
                warnings.simplefilter("always", ReviewgateWarning)
                warnings.warn_explicit(warning, ReviewgateWarning, path, max(line, 1))
            self.warnings += 1
            out.append({**data, "message": text, "severity": "warning", "suppressed": ""})
        return out

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
        from ..report.summary import summarize


        inherited = [modules for _, modules in self.inherited.values()]
        summary = summarize(
            self.reviews.values(), self.outcomes, self.violations, leaks=self.leaks, inherited=inherited,
            warnings=self.warnings, ignored=self.ignored,
        )
        verbosity = self.config.get_verbosity()
        # what an option asked for (suggestions, diffs, files written) shows at any verbosity
        triage = [self._line(text) for text in self._triage_lines()]  # shortened by verbosity itself
        asked = [*triage, *(self._line(text) for text in self.suggestions), *self.extra_lines(verbosity)]
        if self.config.getoption("no_summary", False):
            # pytest's own sections are off: the triage's counts and what explains the exit status stay
            lines = [*triage, *(line for line in asked[len(triage):] if line.color == "red")]
        elif verbosity >= 0:
            terminalreporter.write_sep("=", "reviewgate", **{summary.color: True})
            lines = [*summary.lines(verbosity), *asked, *self.unused_lines(verbosity)]
        elif verbosity == -1:
            lines = [*summary.lines(verbosity), *asked, *self.unused_lines(verbosity)]
        else:
            lines = asked
        for line in lines:
            terminalreporter.write_line(line.text, **({line.color: True} if line.color else {}))

    def extra_lines(self, verbosity: int) -> list[Any]:
        """What was written, and what failed to be (red: it fails the session)."""
        return [self._line(printable(message), red=message in self.failures) for message in self.written]

    def unused_lines(self, verbosity: int) -> list[Any]:
        """The baseline's entries that nothing matched in the modules and rules this run checked."""
        state = self.config.stash[STATE]
        if not state.baseline or self.config.getoption("reviewgate_update_baseline", False):
            return []
        from ..model import Violation
        from ..report import baseline
        from ..report.outputs import relative
        from ..report.summary import Line, plural

        root = self.config.rootpath
        violations = []
        for data in self.violations:
            violation = Violation.from_data(dict(data))
            violations.append(Violation(violation.rule, violation.message, relative(root, violation.path),
                                        violation.line, violation.definition, violation.source, violation.suppressed))
        found = baseline.unused(state.baseline, violations, self.covered)
        if not found:
            return []
        hint = "run with --reviewgate-update-baseline to drop them"
        head = f"baseline: {plural(len(found), 'entry', 'entries')} unused (matched by nothing this run); {hint}"
        if verbosity < 0:
            return [Line(head, "yellow")]
        return [Line(head, "yellow"), *(Line(printable(f"  {entry}")) for entry in found)]

    @staticmethod
    def _line(text: str, red: bool = False) -> Any:
        from ..report.summary import Line

        return Line(text, "red" if red else "")


def _silent_phase(report: object, glob: str) -> bool:
    """A passed setup or teardown report of a review item, with no output."""
    return (
        getattr(report, "when", None) in ("setup", "teardown")
        and getattr(report, "outcome", None) == "passed"
        and not getattr(report, "sections", None)
        and _is_review_report(report, glob)
    )


def _is_review_report(report: object, glob: str) -> bool:
    """The report is of an item of a review file: its file (``location``, not the node id, which a
    ``::`` in a folder's name would split) matches the glob."""
    location = getattr(report, "location", None)
    path = location[0] if isinstance(location, tuple) and location and isinstance(location[0], str) else ""
    return _review_file(path, glob)


@functools.lru_cache(maxsize=4096)  # three reports per item, a few files per suite
def _review_file(path: str, glob: str) -> bool:
    return fnmatch.fnmatchcase(PurePath(path).name, glob)


def _outcome(report: pytest.TestReport) -> str:
    if hasattr(report, "wasxfail"):
        return "xfailed" if report.skipped else "xpassed"
    if report.failed:
        return "failed" if report.when == "call" else "error"
    return report.outcome
