"""Run one expectation: select targets, build closures, call the rule, honour ignore comments."""

from __future__ import annotations

import re
import traceback
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..analysis.closures import LINES, ClosureBuilder, conftest_paths, is_test, select
from ..analysis.index import ModuleIndex
from ..analysis.project import SourceProject
from ..config import Settings
from ..model import Finding, Problem, Violation
from ..rules.base import Context, Rule
from . import limits
from .limits import TimeLimitExceeded, time_limit
from .plan import ItemSpec

IGNORE = re.compile(r"#\s*reviewgate:\s*ignore\[([^\]]*)\]")


@dataclass(frozen=True)
class TestRun:
    """How a reviewed module's tests run in this session (for runtime expectations)."""

    test_module: bool  # pytest would collect it as tests (python_files), collected or not
    selected: Mapping[str, bool]  # test qualname -> selected in this session


@dataclass(frozen=True)
class Module:
    """One analysed module and what its expectations share: conftests, test run, walked facts."""

    index: ModuleIndex
    conftests: Sequence[ModuleIndex]
    run: TestRun | None  # None: this session runs no tests (--reviewgate-only)
    flow: Any = None  # a ``flow.Flow`` shared by every rule of the module
    builder: ClosureBuilder | None = None  # closures, built once per module


@dataclass
class Outcome:
    violations: list[Violation] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skip: str = ""
    error: str = ""
    ignored: int = 0
    notes: list[str] = field(default_factory=list)  # stale ignore comments
    inherited: list[Violation] = field(default_factory=list)  # in other files the closures reach (not gated)
    watched: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # runtime: (test, closure files)


def rule_options(rule: type[Rule], settings: Settings) -> dict[str, Any]:
    """The rule's defaults, replaced by ``key`` and extended by ``extend-key`` from the settings."""
    options = dict(rule.options)
    configured = settings.rule_options(rule.code, rule.name)
    for key, value in configured.items():
        if not key.startswith("extend-"):
            options[key] = value
    for key, value in configured.items():
        if key.startswith("extend-"):
            base = key.removeprefix("extend-")
            options[base] = list(options.get(base) or []) + list(value)
    return options


def load_conftests(module: Path, rootdir: Path, project: SourceProject) -> list[ModuleIndex]:
    """The conftest.py files above the module, nearest first, each parsed once per process."""
    folder, root = project.real(module).parent, project.real(rootdir)
    key = (str(folder), str(root))
    if key not in project.conftest_paths:  # modules of one folder share them
        project.conftest_paths[key] = conftest_paths(folder, root)
    found = (project.load_path(path) for path in project.conftest_paths[key])
    return [index for index in found if index is not None]


def build_context(
    index: ModuleIndex,
    rule: type[Rule],
    targets: Sequence[str],
    settings: Settings,
    project: SourceProject,
    options: Mapping[str, Any] | None = None,
    finding: Finding | None = None,
    conftests: Sequence[ModuleIndex] = (),
    shared: Any = None,
    builder: ClosureBuilder | None = None,
) -> tuple[Context, list[str]]:
    """The rule's context for an expectation; the second value lists targets that match nothing."""
    selection = select(index, targets, finding)
    builder = builder or ClosureBuilder(index, conftests, project)
    closures = {d.qualname: builder.closure(d) for d in selection.definitions}  # a rule's own: it may narrow them
    context = Context(
        index=index,
        targets=selection.definitions,
        closures=closures,
        options=rule_options(rule, settings) if options is None else options,
        settings=settings,
        project=project,
        module_level=finding is None and not targets,
        flow=shared,
    )
    return context, selection.unmatched


def ignored(index: ModuleIndex, line: int, rule: type[Rule]) -> bool:
    match = IGNORE.search(index.lines[line - 1]) if 0 < line <= len(index.lines) else None
    if match is None:
        return False
    names = {n.strip() for n in match.group(1).split(",")}
    return bool(names & {rule.code, rule.name})


def run(rule: type[Rule], spec: ItemSpec, module: Module, settings: Settings, project: SourceProject) -> Outcome:
    """One expectation's outcome. Whatever the rule does (raise ``SystemExit``, never return), only
    this outcome says so: ``KeyboardInterrupt`` alone goes through, to stop the session."""
    index = module.index
    bad = [t for t in spec.targets if _bad_range(t)]
    if bad:
        return Outcome(problems=[Problem(spec.line, f"target {_short(t)!r}: {_bad_range(t)}") for t in bad])
    stage = "could not run"
    try:
        with time_limit(settings.rule_timeout):
            context, unmatched = build_context(
                index, rule, spec.targets, settings, project, None, spec.finding, module.conftests, module.flow,
                module.builder,
            )
            outcome = Outcome()
            for target in unmatched:
                outcome.problems.append(Problem(spec.line, _unmatched(index, target)))
            if outcome.problems:
                return outcome
            if rule.kind == "runtime":
                return _runtime(context, module, outcome)
            stage = "raised"
            found = [plain(v) for v in rule().check(context)]
    except KeyboardInterrupt:
        raise
    except TimeLimitExceeded as exc:
        limit = f"{exc.limit.seconds:g} s (rule-timeout, --reviewgate-timeout)"
        return Outcome(error=f"{rule.code} {rule.name} did not return within {limit}; it was at:\n"
                       + short_traceback(exc, stack_only=True))
    except BaseException as exc:  # a rule's bug (or a malformed violation) fails its own item with its traceback
        return Outcome(error=f"{rule.code} {rule.name} {stage}:\n{short_traceback(exc)}")
    seen: set[tuple[str, int, str]] = set()
    used: set[tuple[str, int]] = set()
    indexes = {s.index.path: s.index for s in context.scopes()} | {index.path: index} if found else {}
    for violation in found:
        key = (violation.path, violation.line, violation.message)
        if key in seen:
            continue
        seen.add(key)
        owner = indexes.get(violation.path)
        if owner is not None and ignored(owner, violation.line, rule):
            outcome.ignored += 1
            used.add((violation.path, violation.line))
            continue
        if not violation.source and owner is not None:
            from dataclasses import replace

            violation = replace(violation, source=owner.source_line(violation.line))
        outcome.violations.append(violation)
    outcome.violations.sort(key=lambda v: (v.path, v.line))
    if not settings.gate_inherited:
        outcome.violations, outcome.inherited = split_inherited(outcome.violations, index, indexes)
    outcome.notes = stale_ignores(context, rule, used)
    return outcome


def split_inherited(
    violations: Sequence[Violation], index: ModuleIndex, reached: Mapping[str, ModuleIndex]
) -> tuple[list[Violation], list[Violation]]:
    """A review gates its own module: (violations in it, violations in other files the closures
    reach, such as a base class's ``setUp``, a conftest fixture or a helper module).

    The second list is reported once per session as warnings, not as a failure of every review
    whose closure reaches the line (``gate-inherited = true`` keeps them in the first list).
    A violation at a place the closures do not know (a custom rule's) stays with the review.
    """
    own: list[Violation] = []
    inherited: list[Violation] = []
    for violation in violations:
        elsewhere = violation.path != index.path and violation.path in reached
        (inherited if elsewhere else own).append(violation)
    return own, inherited
_OWN = frozenset({__file__, limits.__file__})
FRAMES = 25  # the innermost frames shown of a rule's traceback


def short_traceback(exc: BaseException, *, stack_only: bool = False) -> str:
    """The rule's part of a traceback: the engine's own frames left out, the innermost ``FRAMES`` kept
    (a ``RecursionError`` has a thousand), each chained exception likewise."""
    shown = traceback.TracebackException.from_exception(exc)
    part: traceback.TracebackException | None = shown
    seen: set[int] = set()
    while part is not None and id(part) not in seen:
        seen.add(id(part))
        frames = [frame for frame in part.stack if frame.filename not in _OWN]
        part.stack = traceback.StackSummary.from_list(frames[-FRAMES:])
        part = part.__cause__ or part.__context__
    if stack_only:
        return "".join(shown.stack.format())
    return "".join(shown.format())


def plain(violation: Any) -> Violation:
    """A violation of plain types, whatever a custom rule yielded: it travels to the xdist controller."""
    # duck-typed: a Violation class from a reloaded module is still a violation
    if not all(hasattr(violation, a) for a in ("rule", "message", "path", "line", "definition", "source")):
        raise TypeError(f"a rule must yield pytest_reviewgate.Violation objects, not {type(violation).__name__}")
    return Violation(
        rule=str(violation.rule),
        message=str(violation.message),
        path=str(violation.path),
        line=int(violation.line),
        definition=str(violation.definition),
        source=str(violation.source),
        suppressed=str(violation.suppressed),
    )


def stale_ignores(context: Context, rule: type[Rule], used: set[tuple[str, int]]) -> list[str]:
    """Ignore comments for this rule in the targets that suppressed nothing: they pile up otherwise."""
    notes: list[str] = []
    scopes = context.scopes()
    if not any(_ignore_lines(index) for index in {id(s.index): s.index for s in scopes}.values()):
        return notes
    seen: set[tuple[str, str]] = set()
    for scope in scopes:
        if (scope.index.path, scope.definition.qualname) in seen:
            continue  # a setUp shared by every test of its class is read once
        seen.add((scope.index.path, scope.definition.qualname))
        lines = scope.index.lines
        first, last = scope.definition.first_line, scope.definition.end_line
        for number in (n for n in _ignore_lines(scope.index) if first <= n <= last):
            if (scope.index.path, number) not in used and ignored(scope.index, number, rule):
                name = Path(scope.index.path).name
                comment = IGNORE.search(lines[number - 1])
                text = comment.group(0) if comment else f"# reviewgate: ignore[{rule.code}]"
                notes.append(f"`{text}` at {name}:{number} suppresses nothing -> remove it")
    return sorted(set(notes))


def _ignore_lines(index: ModuleIndex) -> list[int]:
    """Lines of the module that hold an ignore comment, found once per module."""
    found = index.memo.get("project.ignore-lines")  # no node in it: kept while the module is
    if found is None:
        found = index.memo["project.ignore-lines"] = [
            n for n, line in enumerate(index.lines, 1) if "reviewgate" in line and IGNORE.search(line)
        ]
    return found  # type: ignore[return-value]


def watched_tests(context: Context, index: ModuleIndex) -> list[str]:
    """Tests of the module whose closure contains one of the context's targets."""
    wanted = {t.qualname for t in context.targets}
    builder = ClosureBuilder(index, (), context.project)  # without conftests: fixtures hold no tests
    out = []
    for definition in index.definitions:
        if is_test(definition, index):
            closure = builder.closure(definition) if definition.qualname not in wanted else []
            if definition.qualname in wanted or any(
                s.index is index and s.definition.qualname in wanted for s in closure
            ):
                out.append(definition.qualname)
    return out


def _runtime(context: Context, module: Module, outcome: Outcome) -> Outcome:
    run = module.run
    if run is None:
        outcome.skip = "runtime rules watch tests; this session does not run the module's tests"
    elif not run.test_module:
        outcome.problems.append(Problem(0, "the reviewed module is not a test module: its tests never run"))
    elif not (tests := watched_tests(context, context.index)):
        outcome.problems.append(Problem(0, "no test of the module runs the targets"))
    else:
        outcome.watched = _closure_files(context, module, tests)
        if not any(run.selected.get(t, False) for t in tests):
            outcome.skip = "none of the watched tests is selected in this session"
    return outcome


def _closure_files(context: Context, module: Module, tests: list[str]) -> list[tuple[str, tuple[str, ...]]]:
    """Each watched test with the files of its closure (module, project bases, conftests)."""
    index = module.index
    builder = module.builder or ClosureBuilder(index, module.conftests, context.project)
    conftests = {conftest.path for conftest in module.conftests}
    out = []
    for name in tests:
        files = {scope.index.path for scope in builder.closure(index.by_qualname[name])}
        out.append((name, tuple(sorted(files | conftests | {index.path}))))
    return out


def _short(target: str) -> str:
    return target if len(target) <= 60 else target[:57] + "..."


def _bad_range(target: str) -> str:
    found = LINES.match(target)
    if found is None:
        return ""
    start = int(found.group(1))
    end = int(found.group(2)) if found.group(2) else start
    if start == 0 or end == 0:
        return "line number out of range -> lines count from 1"
    return "reversed range -> write the lower line first" if end < start else ""


def _unmatched(index: ModuleIndex, target: str) -> str:
    return f"target {_short(target)!r} matches nothing in {Path(index.path).name}{_close(index, target)}"


def _close(index: ModuleIndex, target: str) -> str:
    import difflib

    close = difflib.get_close_matches(target, list(index.by_qualname), n=1, cutoff=0.7)
    return f"; did you mean {close[0]!r}?" if close else ""
