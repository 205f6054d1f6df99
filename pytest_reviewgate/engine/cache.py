"""Results of unchanged inputs, kept in pytest's cache directory between runs.

The key hashes the review, the module, the settings, the rules' versions and the Python and
plugin versions; an entry also lists every other file the analysis read (conftests, base
classes, patch targets) with its hash, and is used only while all of them are unchanged.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

from .._version import __version__
from ..config import Settings
from ..model import Problem, Violation
from ..rules.base import RuleRegistry

PREFIX = "reviewgate/v1/"


class Store(Protocol):
    """The part of ``pytest.Cache`` used here."""

    def get(self, key: str, default: Any) -> Any: ...

    def set(self, key: str, value: object) -> None: ...


def key(review: bytes, module: bytes, settings: Settings, registry: RuleRegistry, run: Any) -> str:
    """The cache key; ``run`` is the module's ``checks.TestRun`` (runtime items depend on it) or None."""
    digest = hashlib.sha256()
    for part in (review, module):
        digest.update(hashlib.sha256(part).digest())
    rules = sorted(f"{r.code}:{r.name}:{r.version}:{r.__module__}.{r.__qualname__}" for r in registry)
    tests = None if run is None else [run.test_module, sorted(run.selected.items())]
    extra = [settings.digest(), *versions(), rules, tests]
    digest.update(json.dumps(extra).encode())
    return PREFIX + digest.hexdigest()


@functools.cache
def versions() -> tuple[str, str, str]:
    """What a parse or an analysis also depends on: this plugin, Python (its Unicode tables), PyYAML."""
    try:
        yaml = importlib.metadata.version("PyYAML")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - a runtime dependency
        yaml = ""
    return __version__, sys.version, yaml


def save(store: Store, key: str, entry: Mapping[str, Any]) -> None:
    """Keep an entry as one compact JSON string: ``pytest.Cache`` indents what it is given, which is slow."""
    store.set(key, json.dumps(entry, separators=(",", ":"), ensure_ascii=False))


def load(store: Store, key: str) -> object:
    """The entry ``save`` kept, or None when there is none or it does not decode."""
    text = store.get(key, None)
    if not isinstance(text, str):
        return None
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def unchanged(reads: Mapping[str, str]) -> bool:
    for path, sha in reads.items():
        try:
            if hashlib.sha256(Path(path).read_bytes()).hexdigest() != sha:
                return False
        except OSError:
            return False
    return True


def dump_result(result: Any) -> dict[str, Any]:
    return {
        "violations": [v.to_data() for v in result.violations],
        "problems": [[p.line, p.message, p.code] for p in result.problems],
        "skip": result.skip,
        "error": result.error,
        "ignored": result.ignored,
        "fixes": [list(f) for f in result.fixes],
        "notes": list(result.notes),
        "watched": [[name, list(files)] for name, files in result.watched],
    }


def load_result(data: Mapping[str, Any], cls: Any) -> Any:
    return cls(
        violations=tuple(Violation.from_data(v) for v in data["violations"]),
        problems=tuple(Problem(int(p[0]), str(p[1]), str(p[2])) for p in data["problems"]),
        skip=str(data["skip"]),
        error=str(data["error"]),
        ignored=int(data["ignored"]),
        fixes=tuple((int(a), int(b), str(c)) for a, b, c in data["fixes"]),
        notes=tuple(str(n) for n in data["notes"]),
        watched=tuple((str(name), tuple(map(str, files))) for name, files in data["watched"]),
    )
