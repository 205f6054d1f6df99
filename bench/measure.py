"""Timing primitives: repeated runs under a time allowance, subprocess runs with CPU time and phases.

A busy machine makes single timings lie; every figure here is the best (or median) of several
runs, and subprocess runs also report their CPU time (user + system of the whole process tree),
which another job on the machine disturbs much less than wall time.
"""

from __future__ import annotations

import ast
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

BENCH = Path(__file__).resolve().parent
PYTHON = sys.executable
T = TypeVar("T")
# Every measured process: only the plugins a command names (``-p reviewgate``, ``-p xdist``), so
# whatever else is installed (hypothesis, pytest-mock...) does not blur the figures; bytecode
# cached as on a developer's machine, but outside the source tree (``set_pycache``).
ENV: dict[str, str | None] = {"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "PYTEST_ADDOPTS": None,
                              "PYTHONDONTWRITEBYTECODE": None}


def set_pycache(path: Path) -> None:
    ENV["PYTHONPYCACHEPREFIX"] = str(path)

ANALYSIS = re.compile(r"analysis: ([\d.]+)s for (\d+) reviews? \((\d+) from cache\)")
OUTCOME = re.compile(r"(\d+) (passed|failed|skipped|xfailed|xpassed|errors?|warnings?|deselected)\b")
COLLECTED = re.compile(r"(\d+) tests? collected")


@dataclass
class Run:
    """One subprocess run."""

    wall: float
    cpu: float  # user + system of the process and the children it waited for
    returncode: int
    output: str
    record: dict = field(default_factory=dict)  # what rg_bench_plugin wrote, when loaded
    launched: float = 0.0  # time.time() just before the process started

    @property
    def analysis(self) -> tuple[float, int, int] | None:
        """(seconds, reviews, from cache) from reviewgate's terminal summary."""
        match = ANALYSIS.search(self.output)
        return (float(match[1]), int(match[2]), int(match[3])) if match else None

    @property
    def outcomes(self) -> dict[str, int]:
        tail = self.output.strip().splitlines()[-1:] or [""]
        found = {kind.rstrip("s") if kind.startswith(("error", "warning")) else kind: int(n)
                 for n, kind in OUTCOME.findall(tail[0])}
        collected = COLLECTED.search(tail[0])
        if collected:
            found["collected"] = int(collected[1])
        return found

    def phases(self) -> dict[str, float]:
        """Seconds per phase of the session, from the plugin's stamps."""
        s, launched = self.record.get("stamps", {}), self.launched
        if not {"configured", "collection_end", "loop_end", "unconfigured"} <= s.keys():
            return {}
        return {
            "start-up (interpreter, imports, plugins, configure)": s["configured"] - launched,
            "collection": s["collection_end"] - s["configured"],
            "run loop (items, incl. analysis)": s["loop_end"] - s["collection_end"],
            "terminal summary and session finish": s["unconfigured"] - s["loop_end"],
        }


@dataclass
class Measured:
    """The chosen figure of several runs, and the runs."""

    value: float
    runs: list[float]
    chosen: object = None  # the Run (or other result) that gave ``value``
    results: list = field(default_factory=list)  # every result, in order

    @property
    def spread(self) -> str:
        return f"{len(self.runs)} run{'s' * (len(self.runs) != 1)}" + (
            f", {min(self.runs):.2f}-{max(self.runs):.2f}s" if len(self.runs) > 1 else "")


class Clock:
    """A time allowance for the whole benchmark, shared out between measurements."""

    def __init__(self, budget: float, runs: int, stat: str) -> None:
        self.budget = budget
        self.runs = runs
        self.stat = stat

    def repeat(self, func: Callable[[], T], key: Callable[[T], float], share: float, runs: int = 0) -> Measured:
        """Call ``func`` once, then again while runs remain and this measurement's share of the
        budget (a fraction of it) allows another; keep the best or median by ``key``. A share is
        kept even when earlier measurements overran theirs: later figures stay as repeatable."""
        runs = runs or self.runs
        allowance = self.budget * share
        results: list[T] = []
        spent = 0.0
        while True:
            started = time.perf_counter()
            results.append(func())
            last = time.perf_counter() - started
            spent += last
            if len(results) >= runs or spent + last > allowance:
                break
        values = [key(r) for r in results]
        chosen = min(range(len(values)), key=values.__getitem__) if self.stat == "best" else \
            sorted(range(len(values)), key=values.__getitem__)[(len(values) - 1) // 2]
        return Measured(values[chosen], values, results[chosen], results)


def run(cmd: Sequence[str], cwd: Path, *, record: bool = False, timeout: float = 3600,
        env: dict[str, str] | None = None) -> Run:
    """Run ``cmd``; with ``record``, load rg_bench_plugin into it (a pytest command) and read its data."""
    environ = dict(os.environ)
    for key, value in {**ENV, **(env or {})}.items():
        if value is None:
            environ.pop(key, None)
        else:
            environ[key] = value
    cmd = list(cmd)
    path = ""
    if record:
        fd, path = tempfile.mkstemp(prefix="rg-bench-", suffix=".json")
        os.close(fd)
        environ["RG_BENCH_RECORD"] = path
        environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(BENCH), environ.get("PYTHONPATH", "")]))
        cmd += ["-p", "rg_bench_plugin"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    launched = time.time()
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=environ, capture_output=True, text=True, timeout=timeout, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    data: dict = {}
    if path:
        try:
            data = json.loads(Path(path).read_text() or "{}")
        except (OSError, ValueError):
            data = {}
        Path(path).unlink(missing_ok=True)
    return Run(wall, cpu, proc.returncode, proc.stdout + proc.stderr, data, launched)


def pytest_cmd(*args: str, plugins: Sequence[str] = ("reviewgate",)) -> list[str]:
    """``python -m pytest`` with plugin autoloading off: ``plugins`` are loaded with ``-p``."""
    return [PYTHON, "-m", "pytest", *(a for name in plugins for a in ("-p", name)), *args]


def parse_floor(paths: Sequence[Path]) -> tuple[float, float]:
    """(wall, cpu) seconds to read and ``ast.parse`` every file, in this process."""
    started, cpu = time.perf_counter(), time.process_time()
    for path in paths:
        ast.parse(path.read_bytes(), str(path))
    return time.perf_counter() - started, time.process_time() - cpu


def best_per_call(func: Callable[[], object], min_seconds: float = 0.2, repeat: int = 3) -> float:
    """Seconds per call of ``func``: calls batched to last ``min_seconds``, best of ``repeat``."""
    number = 1
    while True:
        started = time.perf_counter()
        for _ in range(number):
            func()
        elapsed = time.perf_counter() - started
        if elapsed >= min_seconds or number >= 1 << 20:
            break
        number *= 2 if elapsed * 4 >= min_seconds else 8
    times = [elapsed / number]
    for _ in range(repeat - 1):
        started = time.perf_counter()
        for _ in range(number):
            func()
        times.append((time.perf_counter() - started) / number)
    return min(times)


def median(values: Sequence[float]) -> float:
    return statistics.median(values)
