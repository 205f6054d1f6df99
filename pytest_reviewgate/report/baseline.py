"""The baseline: known violations by identity and count, so a run fails only where a count grows.

Identity is rule + module path + enclosing definition + whitespace-collapsed source line.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from .. import files
from ..model import ReviewgateError, Violation
from .rewrite import Snapshot, WriteResult, write_atomically

VERSION = 1
MAX_BYTES = 256 * 1024 * 1024  # a baseline of a million violations is about 200 MiB


def normalize_code(source: str) -> str:
    """A source line with runs of whitespace collapsed to one space and the ends stripped."""
    return " ".join(source.split())


def _key(rule: str, path: str, definition: str, code: str) -> str:
    # A JSON array is unambiguous whatever the parts contain, and readable.
    return json.dumps([rule, path.replace("\\", "/"), definition, code], ensure_ascii=False)


def identity(v: Violation) -> str:
    """The identity of ``v``; give ``v.path`` relative to the rootdir so it is portable."""
    return _key(v.rule, v.path, v.definition, normalize_code(v.source))


class Baseline(Mapping[str, int]):
    """An immutable mapping of identity -> number of known violations (each at least 1)."""

    __slots__ = ("_counts",)

    def __init__(self, counts: Mapping[str, int] | None = None) -> None:
        self._counts = {k: v for k, v in sorted((counts or {}).items()) if v > 0}

    def __getitem__(self, key: str) -> int:
        return self._counts[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._counts)

    def __len__(self) -> int:
        return len(self._counts)

    def __repr__(self) -> str:
        return f"Baseline({self._counts!r})"


def _counted(v: Violation) -> bool:
    # Violations an ignore comment or an open finding already covers never enter the baseline.
    return v.suppressed in ("", "baseline")


def from_violations(violations: Iterable[Violation]) -> Baseline:
    """The baseline that accepts exactly ``violations`` (those not otherwise suppressed)."""
    return Baseline(Counter(identity(v) for v in violations if _counted(v)))


def dump(baseline: Baseline) -> str:
    """Stable JSON text: a version and the entries sorted by path, rule, definition, code."""
    found = [
        {"path": e.path, "rule": e.rule, "definition": e.definition, "code": e.code, "count": e.count}
        for e in entries(baseline)
    ]
    return json.dumps({"version": VERSION, "violations": found}, indent=2, ensure_ascii=False) + "\n"


def loads(text: str | bytes, path: str = "") -> Baseline:
    """Parse baseline text; raise :class:`ReviewgateError` naming ``path`` when malformed."""
    try:
        data: Any = json.loads(text)
    except (ValueError, RecursionError) as exc:
        line = getattr(exc, "lineno", 0)
        raise ReviewgateError(f"malformed baseline: {exc}", path=path, line=line) from exc
    if not isinstance(data, dict) or data.get("version") != VERSION:
        raise ReviewgateError(f"malformed baseline: expected version {VERSION}", path=path)
    entries = data.get("violations")
    if not isinstance(entries, list):
        raise ReviewgateError("malformed baseline: 'violations' must be a list", path=path)
    counts: Counter[str] = Counter()
    for n, entry in enumerate(entries, 1):
        parsed = _entry(entry)
        if parsed is None:
            raise ReviewgateError(
                f"malformed baseline: entry {n} needs string rule, path, definition, code "
                "and a positive integer count",
                path=path,
            )
        counts[parsed[0]] += parsed[1]
    return Baseline(counts)


def _entry(entry: object) -> tuple[str, int] | None:
    if not isinstance(entry, dict):
        return None
    rule, where, definition, code, count = (
        entry.get(k) for k in ("rule", "path", "definition", "code", "count")
    )
    if not (
        isinstance(rule, str)
        and isinstance(where, str)
        and isinstance(definition, str)
        and isinstance(code, str)
        and isinstance(count, int)
        and not isinstance(count, bool)
        and count > 0
    ):
        return None
    return _key(rule, where, definition, code), count


def load(path: str | os.PathLike[str]) -> Baseline:
    """Read a baseline file; a missing file is an empty baseline, one that is no regular file an error."""
    shown = os.fspath(path)
    try:
        data = files.read_regular(shown, MAX_BYTES, "the limit for a baseline")
    except files.FileProblem as exc:
        if exc.missing:
            return Baseline()
        raise ReviewgateError(f"cannot read baseline: {exc.reason}", path=shown) from None
    return loads(data, shown)


def save(path: str | os.PathLike[str] | Snapshot, baseline: Baseline) -> WriteResult:
    """Write the baseline atomically; with a :class:`Snapshot`, only if unchanged since read."""
    return write_atomically(path, dump(baseline).encode("utf-8"))


def apply(baseline: Mapping[str, int], violations: Sequence[Violation]) -> list[Violation]:
    """``violations`` in the same order, the known ones marked ``suppressed="baseline"``.

    Per identity, the first ``count`` unsuppressed violations by line (then
    input order) are marked; any beyond the count stay unsuppressed and fail.
    Violations already suppressed otherwise are returned unchanged.
    """
    groups: dict[str, list[int]] = {}
    for i, v in enumerate(violations):
        if not v.suppressed:
            groups.setdefault(identity(v), []).append(i)
    marked: set[int] = set()
    for key, indexes in groups.items():
        indexes.sort(key=lambda i: (violations[i].line, i))
        marked.update(indexes[: baseline.get(key, 0)])
    return [
        replace(v, suppressed="baseline") if i in marked else v for i, v in enumerate(violations)
    ]


@dataclass(frozen=True)
class Comparison:
    """How the current violations differ from a baseline, identity -> difference in count."""

    grown: Mapping[str, int]  # more violations than the baseline allows: these fail
    shrunk: Mapping[str, int]  # fewer than allowed: the baseline can be tightened


def compare(baseline: Mapping[str, int], violations: Iterable[Violation]) -> Comparison:
    """Count differences per identity between ``baseline`` and the current violations."""
    current = Counter(identity(v) for v in violations if _counted(v))
    grown = {
        k: n - baseline.get(k, 0) for k, n in sorted(current.items()) if n > baseline.get(k, 0)
    }
    shrunk = {k: n - current[k] for k, n in sorted(baseline.items()) if current[k] < n}
    return Comparison(grown, shrunk)


@dataclass(frozen=True)
class Entry:
    """One identity of a baseline, spelled out."""

    rule: str
    path: str
    definition: str
    code: str
    count: int

    def __str__(self) -> str:
        where = f"{self.path} in {self.definition}" if self.definition else self.path
        times = f" (x{self.count})" if self.count > 1 else ""
        return f"{self.rule} {where}: {self.code}{times}"


def entries(baseline: Mapping[str, int]) -> list[Entry]:
    """The baseline's entries, sorted by path, rule, definition and code."""
    out = []
    for key, count in baseline.items():
        rule, path, definition, code = json.loads(key)
        out.append(Entry(rule, path, definition, code, count))
    return sorted(out, key=lambda e: (e.path, e.rule, e.definition, e.code))


def unused(
    baseline: Mapping[str, int], violations: Iterable[Violation], covered: Iterable[tuple[str, str]]
) -> list[Entry]:
    """The entries that no violation of this run matched, among those whose module and rule the run
    checked (``covered``: ``(module path, rule)`` pairs, paths as in the baseline). An entry of a
    module or rule the run left out (``-k``, a node id) is not called unused."""
    current = Counter(identity(v) for v in violations if _counted(v))
    checked = {(path.replace("\\", "/"), rule) for path, rule in covered}
    return [
        entry
        for entry in entries({k: n for k, n in baseline.items() if not current[k]})
        if (entry.path, entry.rule) in checked
    ]
