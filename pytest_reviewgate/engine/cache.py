"""Results of unchanged inputs, kept in pytest's cache directory between runs: a pure speed-up.

An analysis is stored under a key that hashes the paths and bytes of the review, the module and
its conftests, the rootdir and the project's roots, the settings, the rules' versions and the
Python, plugin and PyYAML versions. The entry lists every file the analysis depended on: those,
the project files it read (base classes, patch targets) and the files whose absence it relied on,
each with its state; it is used only when its key and every listed state match the files as they
are now, and when it has exactly the expected shape, so a stale, moved, damaged or wrong-typed entry
costs a re-analysis and nothing else. The directory is read as untrusted input (regular files
only, bounded, see ``files``) and entries are replaced, never written through a link.

Not defended: someone who can write the cache directory and compute a key (from the inputs
above, all readable) can store a well-formed entry that claims any result for those inputs. Run
with ``--cache-clear`` or ``-p no:cacheprovider`` when the cache directory is not your own (one
restored from elsewhere, or committed to the repository).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import re
import sys
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import Any, Protocol

from .. import files
from .._version import __version__
from ..config import Settings
from ..model import Problem, Violation
from ..rules.base import RuleRegistry

FORMAT = 2
NAME = "reviewgate"  # pytest's ``.pytest_cache/d/reviewgate``
MAX_ENTRY_BYTES = 256 * 1024 * 1024
MAX_INPUTS = 100_000
_SHA = re.compile(r"[0-9a-f]{64}")
_ENTRY_FIELDS = {"format", "key", "inputs", "results", "stale", "module_error"}
_RESULT_FIELDS = {"violations", "problems", "skip", "error", "ignored", "fixes", "notes", "inherited", "watched"}
_VIOLATION_FIELDS = {"rule", "message", "path", "line", "definition", "source", "suppressed"}


class Store(Protocol):
    """The part of ``pytest.Cache`` used here: a directory of our own."""

    def mkdir(self, name: str) -> Path: ...


def key(inputs: object, settings: Settings, registry: RuleRegistry, run: Any) -> str:
    """The key of an analysis of ``inputs`` (JSON data: paths and file states); ``run`` is its ``checks.TestRun``."""
    rules = sorted(f"{r.code}:{r.name}:{r.version}:{r.__module__}.{r.__qualname__}" for r in registry)
    tests = None if run is None else [run.test_module, sorted(run.selected.items())]
    parts = [FORMAT, inputs, settings.digest(), *versions(), rules, tests]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8", "surrogatepass")).hexdigest()


def review_key(data: bytes, parts: object) -> str:
    """The key of a review's parse: its bytes and what else the parse depends on."""
    digest = hashlib.sha256(data)
    digest.update(json.dumps([FORMAT, parts, *versions()], ensure_ascii=False).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


@functools.cache
def versions() -> tuple[str, str, str]:
    """What a parse or an analysis also depends on: this plugin, Python (its Unicode tables), PyYAML."""
    try:
        yaml = importlib.metadata.version("PyYAML")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - a runtime dependency
        yaml = ""
    return __version__, sys.version, yaml


def _path(store: Store, kind: str, key: str) -> Path | None:
    if not _SHA.fullmatch(key):
        return None
    try:
        return store.mkdir(NAME) / f"v{FORMAT}" / kind / key
    except (OSError, ValueError):  # a cache directory that cannot be made: no cache
        return None


def save(store: Store, kind: str, key: str, entry: Mapping[str, Any]) -> None:
    """Keep an entry as compact JSON; a failure to write only loses the speed-up."""
    path = _path(store, kind, key)
    if path is None:
        return
    try:
        data = json.dumps(entry, separators=(",", ":"), ensure_ascii=False).encode("utf-8", "surrogatepass")
        path.parent.mkdir(parents=True, exist_ok=True)
        files.replace_file(path, data, 0o644)  # never through a link, whatever is in the way
    except (OSError, ValueError, files.FileProblem):
        pass


def load(store: Store, kind: str, key: str) -> object:
    """The decoded entry ``save`` kept, or None when there is none or it is not a bounded regular JSON file."""
    path = _path(store, kind, key)
    if path is None:
        return None
    try:
        return json.loads(files.read_regular(path, MAX_ENTRY_BYTES))
    except (files.FileProblem, ValueError, RecursionError):
        return None


def entry(
    key: str, inputs: Mapping[str, str], results: Mapping[str, Any], stale: int, module_error: str
) -> dict[str, Any]:
    """An analysis entry; ``results`` maps item keys to ``dump_result`` data."""
    return {"format": FORMAT, "key": key, "inputs": dict(inputs), "results": dict(results),
            "stale": stale, "module_error": module_error}


def verified(
    data: object,
    key: str,
    known: Mapping[str, str],
    items: Collection[str],
    cls: Any,
    holds: Callable[[str, str], bool] = files.holds,
    optional: Collection[str] = (),
) -> Any:
    """The entry's ``(results, stale, module_error)`` when it holds for the files as they are now, else None.

    ``known`` maps the paths the key was computed over to their states now: the entry must list
    each with the same state. Every other file it lists is checked on disk by ``holds``. ``items`` are the item
    keys the review plans: the entry must have a result for each but those in ``optional`` (items
    the module's own code may rule out) and for no other. Anything else about the entry (a missing
    field, a wrong type, one more field) rejects it.
    """
    if not isinstance(data, dict) or set(data) != _ENTRY_FIELDS or data["format"] != FORMAT or data["key"] != key:
        return None
    inputs, results = data["inputs"], data["results"]
    if not isinstance(inputs, dict) or not isinstance(results, dict) or len(inputs) > MAX_INPUTS:
        return None
    for path, wanted in inputs.items():
        if not isinstance(path, str) or not isinstance(wanted, str) or not _valid_state(wanted):
            return None
    if any(inputs.get(path) != wanted for path, wanted in known.items()):
        return None
    stale, module_error = data["stale"], data["module_error"]
    if not _int(stale) or stale < 0 or not isinstance(module_error, str):
        return None
    if not set(results) <= set(items) or not set(items) - set(optional) <= set(results):
        return None
    try:
        loaded = {item: load_result(value, cls, inputs) for item, value in results.items()}
    except (KeyError, TypeError, ValueError):
        return None
    if not all(holds(path, wanted) for path, wanted in inputs.items() if path not in known):
        return None
    return loaded, stale, module_error


def _valid_state(value: str) -> bool:
    return value in (files.ABSENT, files.PRESENT, files.UNREADABLE) or _SHA.fullmatch(value) is not None


def _int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def dump_result(result: Any) -> dict[str, Any]:
    return {
        "violations": [v.to_data() for v in result.violations],
        "problems": [[p.line, p.message, p.code] for p in result.problems],
        "skip": result.skip,
        "error": result.error,
        "ignored": result.ignored,
        "fixes": [list(f) for f in result.fixes],
        "notes": list(result.notes),
        "inherited": [v.to_data() for v in result.inherited],
        "watched": [[name, list(files)] for name, files in result.watched],
    }


def load_result(data: object, cls: Any, paths: Collection[str] = ()) -> Any:
    """An item's result from ``dump_result`` data; ``ValueError`` unless it has exactly that shape.

    With ``paths``, a violation must be located in one of them (or have no path of a file).
    """
    if not isinstance(data, dict) or set(data) != _RESULT_FIELDS:
        raise ValueError("not a result")
    violations = [_violation(v) for v in _list(data["violations"])]
    inherited = [_violation(v) for v in _list(data["inherited"])]  # located in other files the closures reached
    if paths and any(v.path not in paths for v in inherited):
        raise ValueError("a violation in a file the analysis did not read")
    if paths and any(v.path not in paths and v.rule not in ("RG001", "RG002", "RG003") for v in violations):
        raise ValueError("a violation in a file the analysis did not read")
    watched = [_watched(w) for w in _list(data["watched"])]
    problems = [_triple(p, (int, str, str)) for p in _list(data["problems"])]
    fixes = [_triple(f, (int, int, str)) for f in _list(data["fixes"])]
    skip, error, ignored, notes = data["skip"], data["error"], data["ignored"], _list(data["notes"])
    if not (isinstance(skip, str) and isinstance(error, str) and _int(ignored) and ignored >= 0):
        raise ValueError("not a result")
    if not all(isinstance(n, str) for n in notes):
        raise ValueError("not a result")
    return cls(
        violations=tuple(violations),
        problems=tuple(Problem(*p) for p in problems),
        skip=skip,
        error=error,
        ignored=ignored,
        fixes=tuple((a, b, c) for a, b, c in fixes),
        notes=tuple(notes),
        inherited=tuple(inherited),
        watched=tuple(watched),
    )


def _watched(value: object) -> tuple[str, tuple[str, ...]]:
    """A runtime expectation's watched test and its closure files: ``[name, [file, ...]]``."""
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], str)):
        raise ValueError("not a watched test")
    files = _list(value[1])
    if not all(isinstance(f, str) for f in files):
        raise ValueError("not a watched test")
    return value[0], tuple(files)


def _list(value: object) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError("not a list")
    return value


def _triple(value: object, types: tuple[type, type, type]) -> tuple[Any, Any, Any]:
    if not isinstance(value, list) or len(value) != 3:
        raise ValueError("not a triple")
    for item, kind in zip(value, types, strict=True):
        if not isinstance(item, kind) or (kind is int and not _int(item)):
            raise ValueError("wrong type")
    return value[0], value[1], value[2]


def _violation(value: object) -> Violation:
    if not isinstance(value, dict) or set(value) != _VIOLATION_FIELDS:
        raise ValueError("not a violation")
    if not _int(value["line"]) or value["line"] < 0:
        raise ValueError("not a line")
    if not all(isinstance(value[k], str) for k in _VIOLATION_FIELDS - {"line"}):
        raise ValueError("not a violation")
    return Violation(**value)

