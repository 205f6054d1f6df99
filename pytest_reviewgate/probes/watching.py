"""Which probes watch which test, and their leaks in words: the pure half of ``runtime.py``.

Pure Python; nothing here imports pytest.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .base import Probe, configured, hint_of

__all__ = ["Broken", "Leak", "Plan", "ProbeSet", "Shots", "Watch", "describe_failure", "entry"]

Shots = dict[int, object]  # probe index -> snapshot, or Broken
Leak = tuple[str, str]  # (leak in words, how to fix)


@dataclass(frozen=True)
class Watch:
    """A review's runtime expectation on one test: the rule, the finding asking for it, status."""

    rule: str  # "RG901" | "RG902" | "RG903" | a custom code
    name: str  # "no-leaked-patches" | "env-restored" | "config-restored" | ...
    review: str  # review file path as shown to the user (relative to rootdir)
    finding: str  # item id part: "finding-3" or "expect"
    title: str  # finding title, "" for module level
    line: int  # line of the finding in the review (1-based)
    open: bool = False  # leaks are warnings; the test never fails or xfails
    options: Mapping[str, Any] = field(default_factory=dict)  # [tool.reviewgate.rules.<rule>]
    # Source files of the test's closure (its module, project base classes) as the analysis
    # found them; state a probe sees changed from other files is not the test's doing.
    files: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Broken:
    """A probe's exception, kept in place of its snapshot."""

    text: str


@dataclass(eq=False)
class Plan:
    """What one test is checked for: each watch with the probes serving its rule."""

    bound: list[tuple[Watch, tuple[int, ...]]]
    probes: tuple[int, ...]
    files: frozenset[str] = frozenset()  # of its watches


class ProbeSet:
    """The probes in use, configured per rule options, and a plan per watched test."""

    def __init__(self, probes: Sequence[Probe]) -> None:
        self.base = list(probes)
        self.probes: list[Probe] = []  # configured; plans refer to them by index
        self._configured: dict[tuple[int, str], int] = {}
        self.plans: dict[str, Plan] = {}  # by node id
        self.everything: tuple[int, ...] = ()  # every probe some plan uses

    def add(self, watches: Mapping[str, Sequence[Watch]]) -> None:
        """Plan ``watches`` (node id -> watches); ``ValueError`` for options a probe refuses."""
        for nodeid, found in watches.items():
            bound = [(watch, self._probes_for(watch)) for watch in found]
            bound = [(watch, probes) for watch, probes in bound if probes]
            if nodeid in self.plans:
                bound = self.plans[nodeid].bound + bound
            if bound:
                union = sorted({i for _, probes in bound for i in probes})
                files = frozenset().union(*(watch.files for watch, _ in bound))
                self.plans[nodeid] = Plan(bound, tuple(union), files)
        self.everything = tuple(sorted({i for plan in self.plans.values() for i in plan.probes}))

    def _probes_for(self, watch: Watch) -> tuple[int, ...]:
        found = []
        options = json.dumps(watch.options, sort_keys=True, default=repr)
        for index, probe in enumerate(self.base):
            if probe.rule not in (watch.rule, watch.name):
                continue
            if (index, options) not in self._configured:
                try:
                    made = configured(probe, watch.options)
                    if not callable(getattr(made, "snapshot", None)) or not callable(getattr(made, "diff", None)):
                        raise RuntimeError(f"it returned {type(made).__name__}, not a probe")
                    self.probes.append(made)
                except (TypeError, ValueError) as exc:
                    raise ValueError(f"[tool.reviewgate.rules.{watch.name}]: {exc}") from None
                except Exception as exc:  # a custom probe's bug: it errors the tests it watches, like a snapshot's
                    self.probes.append(_Unconfigured(probe, exc))
                self._configured[index, options] = len(self.probes) - 1
            found.append(self._configured[index, options])
        return tuple(found)

    def take(self, indexes: Iterable[int]) -> Shots:
        """Snapshots of the probes ``indexes``; a probe that raises leaves a :class:`Broken`."""
        shots: Shots = {}
        for i in indexes:
            try:
                shots[i] = self.probes[i].snapshot()
            except Exception as exc:
                shots[i] = Broken(self._raised(i, exc))
        return shots

    def focus(self, indexes: Iterable[int], files: frozenset[str] | None) -> None:
        """Tell the probes that take it (optional ``set_own_files``) whose code the next diffs judge."""
        for i in indexes:
            own = getattr(self.probes[i], "set_own_files", None)
            if own is not None:
                try:
                    own(files)
                except Exception:  # optional: a probe that refuses judges every change as before
                    pass

    def unchanged(self, indexes: Iterable[int], before: Shots, after: Shots) -> bool:
        """Every probe took equal snapshots, none raised: nothing to diff (a probe whose snapshots do
        not compare, or compare unequal, is left to its ``diff``)."""
        try:
            for i in indexes:  # a plain loop: it runs twice per watched test
                new = after[i]
                if type(new) is Broken or not (before[i] == new):
                    return False
        except Exception:
            return False
        return True

    def leaks(self, i: int, before: Shots, after: Shots, excused: Sequence[tuple[Shots, Shots]] = ()) -> list[str]:
        """Probe ``i``'s leaks from ``before`` to ``after``, less those of the ``excused`` pairs."""
        broken = [shot.text for shot in (before[i], after[i]) if isinstance(shot, Broken)]
        if broken:
            return broken[:1]
        try:
            found = self.probes[i].diff(before[i], after[i])
            if not isinstance(found, list | tuple) or not all(isinstance(leak, str) for leak in found):
                raise TypeError(f"diff() must return a list of strings, not {repr(found)[:60]}")
            leaks = list(found)
        except Exception as exc:
            return [self._raised(i, exc)]
        if leaks and excused:
            gone = {leak for old, new in excused for leak in self.leaks(i, old, new)}
            leaks = [leak for leak in leaks if leak not in gone]
        return leaks

    def prior(self, i: int, baseline: Shots, start: Shots, moves: Sequence[tuple[Shots, Shots]]) -> list[str]:
        """What changed between ``baseline`` (the end of the last test watched by probe ``i``) and
        ``start`` (a watched test's start), less the ``moves`` of higher-scoped fixtures: state that
        tests nobody watches left changed. A probe that raised has no prior changes."""
        if i not in baseline or i not in start:
            return []
        found = self.leaks(i, baseline, start, moves)
        return [] if any(is_probe_error(leak) for leak in found) else found

    def own(
        self, i: int, before: Shots, after: Shots, excused: Sequence[tuple[Shots, Shots]], reference: Shots
    ) -> list[str]:
        """Probe ``i``'s leaks of a test, less its undoing of changes it found at its start.

        ``reference`` holds each probe's state before the first watched test. A change that puts
        an entry back as it was there undoes what another test left, whichever test that was, so
        the outcome does not depend on the order tests run in. Entries are told apart by the text
        before the first ``": "`` of a leak (``FOO: 'a' -> 'b'``); when the whole state is back at
        the reference, nothing is the test's.
        """
        leaks = self.leaks(i, before, after, excused)
        if not leaks or i not in reference or any(is_probe_error(leak) for leak in leaks):
            return leaks
        found = self.leaks(i, reference, before)
        if not found or any(is_probe_error(leak) for leak in found):
            return leaks
        back = self.leaks(i, reference, after)
        if any(is_probe_error(leak) for leak in back):
            return leaks
        undone = {entry(leak) for leak in found} - {entry(leak) for leak in back}
        return [leak for leak in leaks if back and entry(leak) not in undone]

    def test_leaks(
        self,
        plan: Plan,
        before: Shots,
        after: Shots,
        excused: Sequence[tuple[Shots, Shots]],
        reference: Shots | None = None,
    ) -> list[tuple[Watch, list[Leak]]]:
        """Each watch of a test with its leaks between ``before`` setup and ``after`` teardown."""
        found = {i: self.own(i, before, after, excused, reference or {}) for i in plan.probes}
        return [(watch, [(leak, self.hint(i)) for i in probes for leak in found[i]]) for watch, probes in plan.bound]

    def fixture_leaks(
        self, plans: Iterable[Plan], shots: tuple[Shots, Shots, Shots, Shots]
    ) -> list[tuple[Watch, list[Leak]]]:
        """A fixture's leaks for each watch of the tests using it, each watch once.

        ``shots``: before and after its setup, before and after its finalization.
        What changed in between is the tests' doing, reported on them.
        """
        setup, ready, finishing, end = shots
        merged: dict[tuple[str, str, str], tuple[Watch, set[int]]] = {}
        for plan in plans:
            for watch, probes in plan.bound:
                key = (watch.rule, watch.review, watch.finding)
                merged.setdefault(key, (watch, set()))[1].update(probes)
        found = []
        for watch, indexes in merged.values():
            leaks: list[Leak] = []
            for i in sorted(indexes):
                inner = set(self.leaks(i, ready, finishing))
                outer = self.leaks(i, setup, end)
                leaks += [(leak, self.hint(i)) for leak in outer if leak not in inner]
            found.append((watch, leaks))
        return found

    def origin(self, indexes: Iterable[int], leak: str) -> tuple[tuple[str, int, str], ...]:
        """Where the change ``leak`` was made, as the first of the probes ``indexes`` that knows it
        recorded it (optional ``origin``): frames ``(file, line, function)``, innermost first."""
        for i in indexes:
            origin = getattr(self.probes[i], "origin", None)
            if origin is None:
                continue
            try:
                found = origin(leak)
                frames = tuple(
                    (str(f[0]), int(f[1]), str(f[2])) for f in found
                    if isinstance(f, tuple | list) and len(f) == 3 and type(f[1]) is int
                )
            except Exception:  # optional: a probe that fails here only loses the place
                continue
            if frames:
                return frames
        return ()

    def hint(self, i: int) -> str:
        return hint_of(self.probes[i])

    def _raised(self, i: int, exc: Exception) -> str:
        name = getattr(self.probes[i], "name", type(self.probes[i]).__name__)
        return f"probe {name} raised {type(exc).__name__}: {exc}"


class _Unconfigured:
    """Stands for a probe whose ``configure()`` raised: each snapshot raises that error again."""

    def __init__(self, probe: Probe, error: Exception) -> None:
        self.rule = probe.rule
        self.name = str(getattr(probe, "name", type(probe).__name__))
        self.error = f"{type(error).__name__} in configure(): {error}"

    def snapshot(self) -> object:
        raise RuntimeError(self.error)

    def diff(self, before: object, after: object) -> list[str]:
        return []


def is_probe_error(leak: str) -> bool:
    return leak.startswith("probe ")


def entry(leak: str) -> str:
    """What a leak is about: ``FOO: 'a' -> 'b'`` -> ``FOO``; a leak without ``": "`` is its own entry."""
    head, colon, _ = leak.partition(": ")
    return head if colon else leak


def describe_failure(watch: Watch, subject: str, leaks: Sequence[str]) -> str:
    """The report of one watch: a head line naming rule, subject and finding, a line per leak."""
    broken = all(is_probe_error(leak) for leak in leaks)
    what = f"could not check {subject}" if broken else f"{subject} left state changed"
    finding = f'{watch.finding} "{watch.title}"' if watch.title else watch.finding
    head = f"{watch.rule} {watch.name}: {what} (review {watch.review}:{watch.line}, {finding})"
    return "\n".join([head, *(f"  - {leak}" for leak in leaks)])
