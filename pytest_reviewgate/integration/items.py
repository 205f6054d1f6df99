"""``ReviewFile`` and its items: collection parses only the review; analysis runs in ``runtest``."""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Iterator
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

from .. import files
from ..analysis.index import ModuleIndex, parse_module
from ..engine.analyse import ItemResult, module_path, module_problem, read_review
from ..engine.plan import ItemSpec, Plan, make_plan
from ..model import ReviewgateError, Violation
from ..report.escapes import printable
from .hooks import PROBE_HOOK_PROBLEMS
from .properties import PREFIX as PROPERTY
from .session import STATE, State, counts, display, requirement_problem, when_problem


class ReviewgateWarning(pytest.PytestWarning):
    """A violation of a rule whose severity is ``warning``, or a leak of an open runtime expectation."""


class ReviewItemFailure(Exception):
    """A review item failed; shown without a traceback of the plugin."""

    def __init__(self, text: str) -> None:
        text = printable(text)  # review text reaches the terminal: no escape sequences in it
        super().__init__(text)
        self.text = text


class ViolationError(ReviewItemFailure):
    """The check found violations: the only failure that ``status: open`` expects."""


class BrokenExpectation(ReviewItemFailure):
    """The check could not run (a target matches nothing, a rule raised): fails even when open."""


def _state(node: pytest.Item | pytest.Collector) -> State:
    state: State = node.config.stash[STATE]
    return state


class ReviewFile(pytest.File):
    """A review file: its items, in file order, with ids that do not depend on line numbers."""

    def collect(self) -> Iterator[pytest.Item | pytest.Collector]:
        state = _state(self)
        registry = state.registry(self, self.path.parent)
        store = getattr(self.config, "cache", None)
        _, review = read_review(self.path, display(self.config, self.path), state.settings, state.reviews, store)
        state.reviews_collected = True
        target = module_path(self.path, review)
        plan = make_plan(review, registry, state.settings, lambda: _index(target))
        yield ReviewItem.from_parent(self, name="review", spec=plan.items[0])
        also = (self.path.parent, self.config.invocation_params.dir)
        if review.fatal or requirement_problem(review) or module_problem(
            target, self.config.rootpath, review.module, None, also
        ):
            return
        if not _exists(target):
            return
        groups: dict[str, list[ItemSpec]] = {}
        for spec in plan.items[1:]:
            if not spec.parent:  # ``::cwe-known``: an item of the review itself
                yield ReviewItem.from_parent(self, name=spec.name, spec=spec)
                continue
            groups.setdefault(spec.parent, []).append(spec)
        for parent, specs in groups.items():
            yield Group.from_parent(self, name=parent, specs=specs)


class Group(pytest.Collector):
    """``finding-<id>`` or ``expect``: holds the items of one finding or of the module."""

    def __init__(self, *, specs: list[ItemSpec], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.specs = specs

    def collect(self) -> Iterator[pytest.Item]:
        for spec in self.specs:
            yield ReviewItem.from_parent(self, name=spec.name, spec=spec)


class ReviewItem(pytest.Item):
    """One check of a review; its outcome comes from the review's analysis in this process."""

    def __init__(self, *, spec: ItemSpec, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.spec = spec
        self.review = display(self.config, self.path)  # from the path: a node id splits at any ``::``
        self.add_marker("reviewgate")
        registry = _state(self).registry(self, self.path.parent)
        rule = registry.get(spec.code)
        self.runtime = rule is not None and rule.kind == "runtime"
        self.extra_keyword_matches.update({spec.code, rule.name if rule else spec.name})
        self._when_error = ""
        if spec.when:
            try:
                met, reason = when_problem(spec.when)
            except ValueError as exc:
                self._when_error = str(exc)
            else:
                if not met:
                    self.add_marker(pytest.mark.skip(reason=printable(reason)))
        if spec.status == "open" and not self.runtime:
            # an open runtime expectation reports its leaks as warnings on the tests instead
            reason = "status: open; when this passes, the defect is fixed: close the finding (status: closed)"
            self.add_marker(pytest.mark.xfail(strict=True, raises=ViolationError, reason=reason))

    def reportinfo(self) -> tuple[Path, int, str]:
        line = self.spec.finding.first_line if self.spec.finding else max(self.spec.line, 1)
        # the failure's header: the rule that failed and the review, unique in a run of many reviews
        return self.path, line - 1, f"{self.review}: {self.spec.code} {self.spec.key}"

    def runtest(self) -> None:
        state = _state(self)
        registry = state.registry(self, self.path.parent)
        analysis = state.analysis(self.path, registry)
        if isinstance(analysis, str):  # reviewgate's own bug: every item of the review says so, briefly
            first, _, rest = analysis.strip().partition("\n")
            raise BrokenExpectation(self._text(first, rest))
        # every item carries its review's counts, so the summary is whole under -k and xdist
        self.user_properties.append((PROPERTY + "review", {"review": str(self.path), **counts(analysis)}))
        if analysis.triage is not None and str(self.path) not in state.triage_sent:
            # the first item of the review this process runs carries its verdicts: ``-k``, a node id
            # or ``--lf`` may leave ``::review`` unselected, and triage must not vanish then
            state.triage_sent.add(str(self.path))
            data = triage_data(str(self.path), analysis.triage, self.config.rootpath)
            self.user_properties.append((PROPERTY + "triage", data))
        if self.spec.key == "review":
            if analysis.suggestions:
                suggestions = printable("\n".join(analysis.suggestions))  # each block names file and line
                self.user_properties.append((PROPERTY + "suggest", suggestions))
            if analysis.pins:
                pins = {"review": str(self.path), "sha256": analysis.review_sha, "pins": analysis.pins}
                self.user_properties.append((PROPERTY + "pin", pins))
        if self._when_error:
            detail = f"  RG003 review-valid: {self._when_error}"
            raise BrokenExpectation(self._text(f"RG003 {self._when_error}", detail))
        result = analysis.results.get(self.spec.key)
        if result is None:
            if analysis.module_error:
                reason = "is missing" if analysis.module_error == "missing" else "does not parse"
                raise BrokenExpectation(self._text(f"{self.spec.code} the reviewed module {reason}; see ::review"))
            raise BrokenExpectation(self._text(f"{self.spec.code} {self.spec.key} is no longer in the review"))
        if result.fixes and self.config.getoption("reviewgate_fix"):
            edit = {"review": str(self.path), "sha256": analysis.review_sha, "replacements": result.fixes}
            self.user_properties.append((PROPERTY + "fix", edit))
        result = state.apply_baseline(result, self.spec.code)
        module = str(module_path(self.path, analysis.review))
        if state.baseline and not self.runtime:  # the baseline's entries of this module and rule were checked
            covered = {"module": _relative(self, module), "rule": self.spec.code}
            self.user_properties.append((PROPERTY + "covered", covered))
        for violation in result.inherited:  # reported once per session by the controller's reporter
            self.user_properties.append((PROPERTY + "inherited", {**self._data(violation, ""), "module": module}))
        self._report(result, analysis.plan)

    def _report(self, result: ItemResult, plan: Plan) -> None:
        for violation in result.violations:
            suppressed = "open" if self.spec.status == "open" else ""
            self.user_properties.append((PROPERTY + "violation", self._data(violation, suppressed)))
        for problem in result.problems:
            violation = Violation(problem.code, problem.message, self.review, problem.line)
            self.user_properties.append((PROPERTY + "violation", self._data(violation, "")))
        if result.ignored:
            self.user_properties.append((PROPERTY + "ignored", result.ignored))
        for note in result.notes:
            self._warn(f"{self.spec.code} {note}", str(self.path), self.spec.line)
        if result.error:
            first, _, rest = result.error.strip().partition("\n")
            first = first if first.startswith(self.spec.code) else f"{self.spec.code} {first}"
            raise BrokenExpectation(self._text(first, rest))
        if result.problems and self.spec.code in ("RG002", "RG003") and self.spec.severity != "error":
            for problem in result.problems if self.spec.severity == "warning" else ():
                self._warn(f"{problem.code} {problem.message}", str(self.path), problem.line)
        elif result.problems:
            raise BrokenExpectation(self._text(self._headline(result), self._body(result)))
        hook_problems = self.config.stash.get(PROBE_HOOK_PROBLEMS, None)
        if self.runtime and hook_problems:  # the probes that would watch the tests may be missing
            shown = "\n".join(f"  {problem}" for problem in hook_problems)
            raise BrokenExpectation(self._text(f"{self.spec.code} {hook_problems[0]}", shown))
        failing = [v for v in result.violations if not v.suppressed]
        if not failing and self.spec.status == "open" and result.inherited:
            # the acknowledged defect lives in code the module inherits: it is still there
            inherited = replace(result, violations=result.inherited)
            raise ViolationError(self._text(self._headline(inherited), self._body(inherited)))
        # status wins over severity: an open expectation's violations are what its xfail expects
        if failing and (self.spec.severity != "warning" or self.spec.status == "open"):
            raise ViolationError(self._text(self._headline(result), self._body(result)))
        if failing:
            for violation in failing:  # the warning's location is the path and line: not said twice
                named = violation.definition and violation.rule not in ("RG001", "RG002", "RG003")
                where = f" in {violation.definition}" if named else ""
                self._warn(f"{self.spec.code}{where}: {violation.message}", violation.path, violation.line)
        if result.skip:
            pytest.skip(printable(result.skip))

    def _warn(self, text: str, path: str, line: int) -> None:
        """A warning located at the code (or review line) it is about, not in the plugin."""
        text = printable(text)
        self.user_properties.append((PROPERTY + "warning", text))
        with warnings.catch_warnings():  # severity warning means a warning, also under -W error
            warnings.simplefilter("always", ReviewgateWarning)
            warnings.warn_explicit(ReviewgateWarning(text), ReviewgateWarning, path, max(line, 1))

    def _data(self, violation: Violation, suppressed: str) -> dict[str, Any]:
        data = violation.to_data()
        data["suppressed"] = data["suppressed"] or suppressed
        for key in ("message", "definition", "source"):  # shown in JUnit and SARIF as they are
            data[key] = printable(data[key])
        finding = self.spec.finding
        data["finding"] = {"key": self.spec.key, "line": finding.first_line if finding else self.spec.line,
                           "title": printable(finding.title) if finding else "", "review": self.review}
        data["severity"] = self.spec.severity
        return data

    def _text(self, first: str, body: str = "") -> str:
        """A failure's text: the problem on its first line (``-r``'s summary line and JUnit's message
        show it), then the finding that asked for the check, then the details."""
        return "\n".join(part for part in (first, self._header(), body) if part)

    def _headline(self, result: ItemResult) -> str:
        """The first problem or violation in one line: ``RG001 line 85-101 no longer inside f``."""
        failing = [v for v in result.violations if not v.suppressed]
        messages = [f"{p.code} {p.message}" for p in result.problems]
        messages += [f"{v.rule} {v.message}" for v in failing]
        if not messages:
            return self.spec.code
        more = len(messages) - 1
        first = messages[0].splitlines()[0] if messages[0].strip() else messages[0]
        return first + (f" (and {more} more)" if more else "")

    def _header(self) -> str:
        finding = self.spec.finding
        if finding is not None:
            return f"{self.review}:{finding.first_line}: finding {finding.key}: {finding.title}"
        return f"{self.review}:{max(self.spec.line, 1)}: {self.spec.key}"

    def _rule_line(self) -> str:
        registry = _state(self).registry(self, self.path.parent)
        rule = registry.get(self.spec.code)
        if rule is None:
            return self.spec.code
        return f"{rule.code} {rule.name}: {rule.summary}"

    def _where(self, violation: Violation) -> str:
        path = _relative(self, violation.path)
        where = f"{path}:{violation.line}" if violation.line else path
        if violation.definition and violation.rule not in ("RG001", "RG002", "RG003"):
            where += f" in {violation.definition}"
        return f"{where}: {violation.message}"

    def _body(self, result: ItemResult) -> str:
        lines = []
        if result.problems:
            for problem in result.problems:
                code = "RG002 cwe-known" if problem.code == "RG002" else "RG003 review-valid"
                where = f"{self.review}:{problem.line}" if problem.line else self.review
                lines.append(f"  {where}: {code}: {problem.message}")
        failing = [v for v in result.violations if not v.suppressed]
        if failing:
            lines.append(f"  {self._rule_line()}")
            for violation in failing:
                lines.append(f"  {self._where(violation)}")
                if violation.source:
                    lines.append(f"      {violation.source}")
        return "\n".join(lines)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        try:
            if isinstance(excinfo.value, ReviewItemFailure):
                return excinfo.value.text
            return super().repr_failure(excinfo)
        except Exception as exc:  # never an INTERNALERROR from a report
            return f"reviewgate could not format this failure: {type(exc).__name__}: {exc}"


def triage_data(review: str, entries: list[dict[str, Any]], root: Path) -> str:
    """The review's verdicts as a property: a JSON text (JUnit shows it as is), paths relative to
    ``root``, review text printable for the terminal, JUnit and SARIF."""
    from ..report.triage import relative

    shown = []
    for entry in entries:
        item = {**entry, "review": relative(root, str(entry["review"])), "title": printable(entry["title"]),
                "reason": printable(entry["reason"])}
        item["evidence"] = [{**e, "file": relative(root, str(e["file"])), "text": printable(e["text"])}
                            for e in entry["evidence"]]
        shown.append(item)
    return json.dumps({"review": relative(root, review), "entries": shown}, ensure_ascii=False, sort_keys=True)


def _exists(path: Path) -> bool:
    try:  # a 5,000-character or NUL-carrying ``module:`` must not stop collection
        return path.is_file()
    except (OSError, ValueError):
        return False


def _index(module: Path) -> ModuleIndex | None:
    """The module's index, for the rare finding whose anchors depend on what the module defines."""
    try:
        return parse_module(files.read_regular(module, files.MAX_MODULE_BYTES), str(module))
    except (files.FileProblem, ReviewgateError):
        return None


def skip_location(item: pytest.Item, report: pytest.TestReport) -> None:
    """Point a review item's skip at the review, not at the plugin's line that raised it."""
    if isinstance(item, ReviewItem) and report.skipped and isinstance(report.longrepr, tuple):
        path, line, _ = item.reportinfo()
        report.longrepr = (str(path), (line or 0) + 1, report.longrepr[2])


def _relative(item: pytest.Item, path: str) -> str:
    return _relative_to(os.path.join(os.getcwd(), path), str(item.config.rootpath))  # a relative path: from here


@lru_cache(maxsize=4096)  # each item of a review asks for the same module
def _relative_to(path: str, root: str) -> str:
    try:
        return Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
    except (ValueError, OSError):
        return path
