"""Runtime rules in pytest: probe snapshots around the tests that reviews watch.

A test's leak fails its teardown, whatever the test's own outcome; a leak of a class-, module- or
session-scoped fixture (``setUpClass`` too) fails the teardown of the test that finalizes it. State
that other tests left changed is no watched test's leak: it is reported once, as a warning.
"""

from __future__ import annotations

import functools
import os
import warnings
from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from ..analysis.closures import conftest_paths
from ..probes import DEFAULT_RUNTIME_PROBES, Probe, builtin_probes
from ..probes.watching import Broken, Plan, ProbeSet, Shots, Watch, describe_failure, is_probe_error
from .leaks import LeakReports, Site, describe, item_file, item_site, site_of, violation
from .properties import VIOLATION

__all__ = [
    "PLUGIN_NAME",
    "VIOLATION_KEY",
    "Watch",
    "collect_probes",
    "install",
]

PLUGIN_NAME = "reviewgate-runtime"
VIOLATION_KEY = VIOLATION  # item.user_properties key of each violation's data


def collect_probes(config: pytest.Config, specs: Sequence[str] = DEFAULT_RUNTIME_PROBES) -> list[Probe]:
    """The built-in probes (one oslo.config probe per ``specs`` entry), then the hook's.

    Raises :class:`pytest.UsageError` for a malformed ``runtime-probes`` entry.
    """
    try:
        probes = builtin_probes(specs)
    except ValueError as exc:
        raise pytest.UsageError(f"[tool.reviewgate] runtime-probes: {exc}") from None
    from .hooks import user_probes  # each implementation on its own: what fails fails the runtime items

    return probes + user_probes(config)


def install(
    config: pytest.Config,
    watches: Mapping[str, Sequence[Watch]],
    *,
    runtime_probes: Sequence[str] = DEFAULT_RUNTIME_PROBES,
) -> None:
    """Watch the tests of ``watches`` (node id -> watches) for the rest of the session.

    Call after collection, in each process that runs tests; another call adds
    watches. Without watches nothing is registered; a test with no watch
    costs a dict lookup.
    """
    watches = {nodeid: tuple(found) for nodeid, found in watches.items() if found}
    if not watches:
        return
    runtime = config.pluginmanager.get_plugin(PLUGIN_NAME)
    if not isinstance(runtime, Runtime):
        runtime = Runtime(config, collect_probes(config, runtime_probes))
        config.pluginmanager.register(runtime, PLUGIN_NAME)
    try:
        runtime.probes.add(watches)
    except ValueError as exc:
        raise pytest.UsageError(str(exc)) from None
    runtime.start_baseline()


@functools.lru_cache(maxsize=4096)
def _real(path: str) -> str:
    return os.path.realpath(path)


def _placed(leak: str, site: Site | None) -> str:
    """A leak as the terminal shows it: with the line that made the change, when known."""
    return f"{leak} (at {site[0]}:{site[1]})" if site is not None else leak


@dataclass(eq=False)
class _Run:
    """The watched test now running."""

    item: pytest.Item
    plan: Plan
    before: Shots
    phase: str = "setup"
    after: Shots | None = None
    excused: list[tuple[Shots, Shots]] = field(default_factory=list)


@dataclass(eq=False)
class _Tracked:
    """A class-, module- or session-scoped fixture that watched tests use."""

    argname: str
    label: str  # "setUpClass/tearDownClass of VGPUTests", "module-scoped fixture `db`"
    where: Callable[[], Site]
    before: Shots  # around its setup
    after: Shots
    plans: dict[int, Plan] = field(default_factory=dict)  # of the watched tests using it
    items: dict[int, pytest.Item] = field(default_factory=dict)  # those tests, by id(plan)
    finishing: Shots = field(default_factory=dict)  # as its finalization starts


class Runtime:
    """The plugin object registered as ``reviewgate-runtime``."""

    def __init__(self, config: pytest.Config, probes: list[Probe]) -> None:
        self.config = config
        self.probes = ProbeSet(probes)
        self.fixture_names: set[str] = set()  # fixtures of watched tests
        self.current: _Run | None = None
        self.tracked: dict[object, _Tracked] = {}  # by FixtureDef
        self.pending: list[tuple[_Tracked, Shots]] = []  # finalized, to report at teardown end
        # Each probe's state before the first watched test: a test that puts an entry back as it
        # was there undoes another test's leak. Its state at the end of the last test it watched,
        # and what higher-scoped fixtures changed since: changes found at a test's start are warned.
        self.reference: Shots = {}
        self.baseline: Shots = {}
        self.unreferenced: set[int] = set()
        self.settled: tuple[pytest.Item | None, tuple[int, ...]] = (None, ())  # last baseline: test, probes
        self.moves: list[tuple[Shots, Shots]] = []
        self.previous: pytest.Item | None = None  # the test whose teardown ran last
        self.warned: set[tuple[int, str]] = set()
        self.files: dict[int, frozenset[str]] = {}  # by id(plan): the watched test's own files
        self.conftests: dict[Path, list[str]] = {}  # by folder
        self.leaked: pytest.Item | None = None  # its teardown failed with a leak
        self.guarded = False

    def start_baseline(self) -> None:
        """The probes not compared yet start from their state now (after collection)."""
        missing = [i for i in self.probes.everything if i not in self.baseline]
        if missing:
            shots = self.probes.take(missing)
            self.baseline.update(shots)
            self.reference.update(shots)
            self.unreferenced.update(i for i, shot in shots.items() if shot is None or isinstance(shot, Broken))

    # Hooks. Snapshots are taken before the test's setup and after its
    # teardown. Fixtures of higher scopes are set up first and finalized last,
    # so their changes are cut out of the test's window: during setup the
    # test's baseline moves past them, during teardown the test's final
    # snapshot is taken before the first of them finalizes.

    @pytest.hookimpl
    def pytest_collection_finish(self, session: pytest.Session) -> None:
        for item in session.items:
            if item.nodeid in self.probes.plans:
                self.fixture_names.update(getattr(item, "fixturenames", ()))

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> Generator[None, object, object]:
        plan = self.probes.plans.get(item.nodeid)
        if plan is None:
            self.current = None
            return (yield)
        names = getattr(item, "fixturenames", ())
        self.fixture_names.update(names)
        for tracked in self.tracked.values():
            if tracked.argname in names:
                tracked.plans[id(plan)] = plan
                tracked.items[id(plan)] = item
        before = self.probes.take(plan.probes)
        self._prior(item, plan, before)
        run = self.current = _Run(item, plan, before)
        try:
            return (yield)
        finally:
            run.phase = "call"

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_fixture_setup(
        self, fixturedef: pytest.FixtureDef[Any], request: pytest.FixtureRequest
    ) -> Generator[None, object, object]:
        if fixturedef.scope == "function":
            return (yield)
        if self.current is None and fixturedef.argname not in self.fixture_names:  # not watched
            result = yield
            fixturedef.addfinalizer(self._boundary)  # but it may finish in a watched teardown
            return result
        before = self._everything()
        try:
            result = yield
        except BaseException:
            self._moved(before, self._everything())
            raise
        after = self._everything()
        label, where = describe(fixturedef, request, self.config.rootpath)
        tracked = _Tracked(fixturedef.argname, label, where, before, after)
        if self.current is not None:
            tracked.plans[id(self.current.plan)] = self.current.plan
            tracked.items[id(self.current.plan)] = self.current.item
        self.tracked[fixturedef] = tracked
        # Added after the fixture's own teardown, so it runs first (finalizers are LIFO).
        fixturedef.addfinalizer(functools.partial(self._finishing, tracked))
        self._moved(before, after)
        return result

    def _prior(self, item: pytest.Item, plan: Plan, start: Shots) -> None:
        """Warn once about what tests nobody watches changed since each probe's baseline."""
        baseline, reference = self.baseline, self.reference
        if self.unreferenced:  # probes that had nothing to watch so far (oslo.config not imported)
            for i in plan.probes:
                if i in self.unreferenced and start[i] is not None and not isinstance(start[i], Broken):
                    reference[i] = start[i]
                    self.unreferenced.discard(i)
        if self.previous is self.settled[0] and plan.probes == self.settled[1]:
            return  # no test ran since the last watched one left these probes' baseline
        if self.probes.unchanged(plan.probes, baseline, start):
            return
        suspect = self.previous
        self.probes.focus(plan.probes, self._files(suspect, None) if suspect is not None else frozenset())
        lines = []
        for i in plan.probes:
            changed = self.probes.prior(i, baseline, start, self.moves)
            if changed:
                watch = next(watch for watch, probes in plan.bound if i in probes)
                lines += [f"  {watch.rule} {watch.name}: {leak}" for leak in changed if (i, leak) not in self.warned]
                self.warned.update((i, leak) for leak in changed)
        if lines:
            after = f" after {suspect.nodeid} ran" if suspect is not None else ""
            head = f"state was already changed when {item.nodeid} started{after}; not counted as its leak:"
            from .items import ReviewgateWarning

            warning = ReviewgateWarning("\n".join([head, *sorted(lines)]))
            warnings.warn_explicit(warning, ReviewgateWarning, *item_file(suspect or item))

    def _files(self, item: pytest.Item, plan: Plan | None) -> frozenset[str]:
        """The test's own source files: its module, the conftests above it, its closure's files."""
        key = id(plan) if plan is not None else id(item)
        found = self.files.get(key)
        if found is None:
            path = item.path
            conftests = self.conftests.get(path.parent)
            if conftests is None:
                try:
                    conftests = [str(p) for p in conftest_paths(path.parent, self.config.rootpath)]
                except OSError:
                    conftests = []
                self.conftests[path.parent] = conftests
            found = frozenset({str(path), *conftests, *(plan.files if plan is not None else ())})
            if plan is not None:
                self.files[key] = found
        return found

    def _everything(self) -> Shots:
        return self.probes.take(self.probes.everything)

    def _finishing(self, tracked: _Tracked) -> None:
        tracked.finishing = self._everything()
        self._boundary(tracked.finishing)

    def _boundary(self, shots: Shots | None = None) -> None:
        """A higher-scoped fixture starts to finish: in a teardown, the test's own part is over."""
        run = self.current
        if run is not None and run.phase == "teardown" and run.after is None:
            run.after = shots if shots is not None else self.probes.take(run.plan.probes)

    @pytest.hookimpl
    def pytest_fixture_post_finalizer(self, fixturedef: pytest.FixtureDef[Any]) -> None:
        tracked = self.tracked.pop(fixturedef, None)
        if tracked is None or not tracked.finishing:
            return
        end = self._everything()
        if tracked.plans:
            self.pending.append((tracked, end))
        self.moves = [*self.moves[-15:], (tracked.finishing, end)]  # not another test's leak
        self._moved(tracked.finishing, end)

    def _moved(self, before: Shots, after: Shots) -> None:
        """A fixture took the state from ``before`` to ``after``: not the current test's doing."""
        run = self.current
        if run is None or run.phase == "teardown":
            return
        if run.phase == "setup":
            run.before.update((i, after[i]) for i in run.plan.probes)
        else:  # requested from the test body: forgive exactly those changes
            run.excused.append((before, after))

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_teardown(self, item: pytest.Item) -> Generator[None, object, object]:
        run = self.current
        self.previous = item
        if run is None and not self.tracked and not self.pending:
            return (yield)  # unwatched, and no watched fixture can finish here
        if run is not None:
            run.phase = "teardown"
        try:
            result = yield
        except BaseException:  # the teardown failed already: add ours as a report section
            self._report(item, raising=False)
            raise
        self._report(item, raising=True)
        return result

    def _report(self, item: pytest.Item, *, raising: bool) -> None:
        """Report the test's leaks and those of the fixtures finalized in its teardown."""
        run, self.current = self.current, None
        if run is None and not self.pending:
            return
        found: list[tuple[Watch, str, list[tuple[str, str]], Site]] = []
        places: dict[tuple[int, str], Site] = {}  # (id(watch), leak) -> the line that made the change
        if run is not None and run.item is item:
            after = run.after if run.after is not None else self.probes.take(run.plan.probes)
            # the next watched test starts from here: after the fixtures that finished meanwhile
            self.baseline.update(after if run.after is None else self.probes.take(run.plan.probes))
            self.settled = (item, run.plan.probes)
            if self.moves and len(run.plan.probes) == len(self.probes.everything):
                self.moves = []
            if not self.pending and self.probes.unchanged(run.plan.probes, run.before, after):
                return  # the common case, kept short: it runs after every watched test
            self.probes.focus(run.plan.probes, self._files(item, run.plan))
            for watch, leaks in self.probes.test_leaks(run.plan, run.before, after, run.excused, self.reference):
                found.append((watch, "the test", leaks, item_site(item)))
                places.update(self._places(item, run.plan, watch, leaks))
            found.sort(key=lambda entry: entry[0].rule)
        pending, self.pending = self.pending, []
        for tracked, end in pending:
            shots = (tracked.before, tracked.after, tracked.finishing, end)
            files = frozenset().union(*(self._files(tracked.items[key], plan) for key, plan in tracked.plans.items()))
            self.probes.focus(self.probes.everything, files)
            for watch, leaks in self.probes.fixture_leaks(tracked.plans.values(), shots):
                found.append((watch, tracked.label, leaks, site_of(tracked.where, item)))
        failures: list[str] = []
        first: list[str] = []  # each failing watch's first leak: ``-r``'s line and JUnit's message
        for watch, subject, leaks, site in found:
            if not leaks:
                continue
            for leak, hint in leaks:
                if not is_probe_error(leak):  # a probe's failure is no violation of the test
                    message = leak if subject == "the test" else f"{subject}: {leak}"
                    where = places.get((id(watch), leak), site)
                    data = violation(watch, f"{message} -> {hint}" if hint else message, where)
                    item.user_properties.append((VIOLATION_KEY, data))
            text = describe_failure(watch, subject, [_placed(leak, places.get((id(watch), leak))) for leak, _ in leaks])
            if watch.open:
                from .items import ReviewgateWarning

                warning = ReviewgateWarning(f"{text}\n  (status: open)")
                warnings.warn_explicit(warning, ReviewgateWarning, *item_file(item))
            else:
                failures.append(text)
                leak = leaks[0][0]
                shown = _placed(leak, places.get((id(watch), leak)))
                first.append(f"{watch.rule} {shown}" if subject == "the test" else f"{watch.rule} {subject}: {shown}")
        if failures:
            self._guard(item)
        if failures and raising:
            count = sum(len(leaks) for watch, _, leaks, _ in found if leaks and not watch.open)
            more = f" (and {count - 1} more)" if count > 1 else ""
            pytest.fail("\n".join([first[0] + more, *failures]), pytrace=False)
        if failures:
            item.add_report_section("teardown", "reviewgate", "\n".join(failures))

    def _places(
        self, item: pytest.Item, plan: Plan, watch: Watch, leaks: Sequence[tuple[str, str]]
    ) -> dict[tuple[int, str], Site]:
        """The line that made each leak's change, where the watch's probes recorded it (``origin``): the
        first frame in the test's module, else in its other own files."""
        probes = next((probes for bound, probes in plan.bound if bound is watch), ())
        if not probes or not any(hasattr(self.probes.probes[i], "origin") for i in probes):
            return {}
        module = _real(str(item.path))
        own = {_real(path) for path in self._files(item, plan)}
        places: dict[tuple[int, str], Site] = {}
        for leak, _ in leaks:
            frames = self.probes.origin(probes, leak)
            best = next((f for f in frames if _real(f[0]) == module), None)
            best = best or next((f for f in frames if _real(f[0]) in own), None)
            if best is not None:
                path = os.path.relpath(best[0], self.config.rootpath).replace(os.sep, "/")
                places[(id(watch), leak)] = (path, best[1], best[2].replace("<locals>.", ""))
        return places

    def _guard(self, item: pytest.Item) -> None:
        """The teardown report of ``item`` must fail, even when the test is marked ``xfail``."""
        self.leaked = item
        if not self.guarded:  # a hook wrapper on every report only once some test leaked
            self.guarded = True
            self.config.pluginmanager.register(LeakReports(self), f"{PLUGIN_NAME}-reports")
