"""After collection: which collected tests each runtime expectation watches (SPEC 5, runtime).

The engine's analysis of a review names, per runtime expectation, the tests it watches and
their closures' files; this maps them onto the collected items. Every review that pairs with a
collected test counts, selected or not: ``-k`` may deselect the review's items and ``--lf``
may skip its file while rerunning the test that leaked. Computed in every process from the same
collected items, so xdist workers agree with a serial run.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING

import pytest

from ..report.escapes import printable
from .session import STATE, State, display, when_problem

if TYPE_CHECKING:
    from ..engine.analyse import Analysis
    from ..engine.plan import ItemSpec
    from ..probes.watching import Watch
    from ..rules.base import RuleRegistry

PARAMS = re.compile(r"\[.*\]$")


def qualname(item: pytest.Item) -> str:
    """``test_x.py::TestA::test_b[1]`` -> ``TestA.test_b``, from the nodes below the file: a ``::`` in a
    folder's name or a parameter id is no separator."""
    parts: list[str] = []
    node: pytest.Item | pytest.Collector | None = item
    while node is not None and not isinstance(node, pytest.File):
        parts.append(PARAMS.sub("", node.name) if node is item else node.name)
        node = node.parent
    return ".".join(reversed(parts))


def tests_by_module(items: Iterable[pytest.Item]) -> dict[str, dict[str, list[str]]]:
    """Module path -> test qualname -> node ids, for the non-review items of the session."""
    from .items import ReviewItem

    out: dict[str, dict[str, list[str]]] = {}
    for item in items:
        if isinstance(item, ReviewItem):
            continue
        out.setdefault(str(item.path.resolve()), {}).setdefault(qualname(item), []).append(item.nodeid)
    return out


def collection_finish(session: pytest.Session) -> None:
    state = session.config.stash[STATE]
    if state.only:
        return
    beside = reviews_beside(session.items, state.settings.suffix)
    if not beside and not state.reviews_collected:
        return  # a tree without reviews pays a directory listing per folder of tests
    tests = tests_by_module(session.items)
    state.collected = {module: dict.fromkeys(names, True) for module, names in tests.items()}
    if not tests:
        return
    reviews = dict.fromkeys([*(Path(key.partition("\0")[0]) for key in state.reviews), *beside])
    watches: dict[str, list[Watch]] = {}  # node id -> watches
    for path in reviews:
        try:
            found = _watches(session, state, path, tests)
        except KeyboardInterrupt:
            raise
        except BaseException:  # nothing to watch; the review's own items fail, naming the cause
            continue
        for nodeid, watch in found:
            watches.setdefault(nodeid, []).append(watch)
    if watches:
        from .runtime import install

        install(session.config, watches, runtime_probes=state.settings.runtime_probes)


def reviews_beside(items: Iterable[pytest.Item], suffix: str) -> list[Path]:
    """The review files beside the modules of ``items`` (``test_x<suffix>`` beside ``test_x.py``).

    They count whether or not they were collected: a rerun of one test (``--lf``, a node id, a
    module path) collects its module only. One directory listing per folder.
    """
    modules = {item.path for item in items}
    listings: dict[Path, set[str]] = {}
    found = []
    for module in sorted(modules):
        folder = module.parent
        if folder not in listings:
            try:
                listings[folder] = {name for name in os.listdir(folder) if name.endswith(suffix)}
            except (OSError, ValueError):
                listings[folder] = set()
        name = module.stem + suffix
        if name in listings[folder] and module.suffix == ".py":
            found.append(folder / name)
    return found


def _watches(
    session: pytest.Session, state: State, path: Path, tests: dict[str, dict[str, list[str]]]
) -> list[tuple[str, Watch]]:
    """Each runtime expectation of the review at ``path`` on each collected test it watches."""
    from ..engine.analyse import module_path, read_review
    from ..engine.plan import make_plan

    registry = state.registry(SimpleNamespace(ihook=session.gethookproxy(path)), path.parent)
    shown = display(session.config, path)
    try:
        _, review = read_review(path, shown, state.settings, state.reviews)
        runtime = [spec for spec in make_plan(review, registry, state.settings).items if _is_runtime(registry, spec)]
        # only a review with runtime expectations is analysed now; the others when their items run
        analysis = state.analysis(path, registry) if runtime else None
    except Exception:  # the review's own items report what is wrong with it
        return []
    if analysis is None or isinstance(analysis, str):  # a crashed analysis: its items say why
        return []
    try:
        module_tests = tests.get(str(module_path(path, analysis.review).resolve()), {})
    except (OSError, ValueError, RuntimeError):
        return []
    if not module_tests:
        return []
    out: list[tuple[str, Watch]] = []
    for watch, watched in _expectations(state, registry, analysis, shown):
        for name, files in watched:
            found = module_tests.get(name, ())
            if found:
                from dataclasses import replace

                test_watch = replace(watch, files=frozenset(files))
                out.extend((nodeid, test_watch) for nodeid in found)
    return out


def _is_runtime(registry: RuleRegistry, spec: ItemSpec) -> bool:
    rule = registry.get(spec.code)
    return rule is not None and rule.kind == "runtime"


def _expectations(
    state: State, registry: RuleRegistry, analysis: Analysis, review: str
) -> list[tuple[Watch, tuple[tuple[str, tuple[str, ...]], ...]]]:
    """The review's runtime expectations in force, each with the tests it watches."""
    from ..engine.checks import rule_options
    from ..probes.watching import Watch

    out = []
    for spec in analysis.plan.items:
        rule = registry.get(spec.code)
        result = analysis.results.get(spec.key)
        if rule is None or rule.kind != "runtime" or result is None or not result.watched:
            continue
        if spec.when:
            try:
                met, _ = when_problem(spec.when)
            except ValueError:
                met = False
            if not met:
                continue
        finding = spec.finding
        watch = Watch(
            rule=rule.code,
            name=rule.name,
            review=review,
            finding=spec.parent,
            title=printable(finding.title) if finding else "",
            line=finding.first_line if finding else max(spec.line, 1),
            open=spec.status == "open",
            options=rule_options(rule, state.settings),
        )
        out.append((watch, result.watched))
    return out
