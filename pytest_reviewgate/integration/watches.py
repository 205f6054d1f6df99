"""After collection: which collected tests each runtime expectation watches (SPEC 5, runtime).

A runtime rule watches the tests whose closure contains one of its targets. Computed in every
process from the same collected items, so xdist workers agree with a serial run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from ..analysis.index import ModuleIndex, parse_module
from ..engine.analyse import module_path, read_review
from ..engine.checks import build_context, load_conftests, watched_tests
from ..files import MAX_MODULE_BYTES, FileProblem, read_regular
from ..model import ReviewgateError
from ..report.escapes import printable
from .session import STATE, State, display

if TYPE_CHECKING:
    from ..probes.watching import Watch

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
    from .items import ReviewItem

    state = session.config.stash[STATE]
    if state.only:
        return
    tests = tests_by_module(session.items)
    state.collected = {module: dict.fromkeys(names, True) for module, names in tests.items()}
    runtime_items = [i for i in session.items if isinstance(i, ReviewItem) and _is_runtime(i, state)]
    if not runtime_items:
        return
    from .runtime import install

    watches: dict[str, list[Watch]] = {}  # node id -> watches
    modules: dict[Path, tuple[Path, ModuleIndex | None]] = {}  # review -> its module, parsed once
    for item in runtime_items:
        try:
            found = _watches(item, state, tests, modules)
        except KeyboardInterrupt:
            raise
        except BaseException:  # nothing to watch; the item's own analysis fails it, naming the cause
            continue
        for nodeid, watch in found:
            watches.setdefault(nodeid, []).append(watch)
    install(session.config, watches, runtime_probes=state.settings.runtime_probes)


def _is_runtime(item: pytest.Item, state: State) -> bool:
    registry = state.registry(item, item.path.parent)
    rule = registry.get(item.spec.code)  # type: ignore[attr-defined]
    return rule is not None and rule.kind == "runtime"


def _module(item: pytest.Item, state: State) -> tuple[Path, ModuleIndex | None]:
    _, review = read_review(item.path, display(state.config, item.path), state.settings, state.reviews)
    target = module_path(item.path, review)
    try:
        return target, parse_module(read_regular(target, MAX_MODULE_BYTES), str(target))
    except (FileProblem, ReviewgateError):
        return target, None


def _watches(
    item: pytest.Item,
    state: State,
    tests: dict[str, dict[str, list[str]]],
    modules: dict[Path, tuple[Path, ModuleIndex | None]],
) -> list[tuple[str, Watch]]:
    from ..engine.checks import rule_options
    from ..probes.watching import Watch

    spec = item.spec  # type: ignore[attr-defined]
    registry = state.registry(item, item.path.parent)
    rule = registry.get(spec.code)
    if item.path not in modules:
        modules[item.path] = _module(item, state)
    target, index = modules[item.path]
    module_tests = tests.get(str(target.resolve()), {})
    if rule is None or not module_tests or index is None:
        return []
    project = state.get_project()
    conftests = load_conftests(target, state.config.rootpath, project)
    context, _ = build_context(index, rule, spec.targets, state.settings, project, None, spec.finding, conftests)
    finding = spec.finding
    watch = Watch(
        rule=rule.code,
        name=rule.name,
        review=display(state.config, item.path),
        finding=spec.parent,
        title=printable(finding.title) if finding else "",
        line=finding.first_line if finding else max(spec.line, 1),
        open=spec.status == "open",
        options=rule_options(rule, state.settings),
    )
    out: list[tuple[str, Watch]] = []
    for name in watched_tests(context, index):
        out.extend((nodeid, watch) for nodeid in module_tests.get(name, []))
    return out
