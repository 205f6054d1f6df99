"""A pytest plugin the benchmark loads into the runs it measures (``-p rg_bench_plugin``).

It records when each phase of the session ends, how long each test's whole protocol
(setup, call, teardown, with every plugin's hooks) takes, grouped by test function, and which
project files the analyses read, and writes them as JSON to ``$RG_BENCH_RECORD`` at exit. Its own
cost is two clock reads per test.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import time
from collections.abc import Generator

import pytest

_STAMPS: dict[str, float] = {}
_CPU_STAMPS: dict[str, float] = {}  # the same moments in this process's CPU time
_DURATIONS: dict[str, list[float]] = {}  # group -> wall seconds per test
_CPU: dict[str, list[float]] = {}  # group -> CPU seconds per test (what other jobs on the machine disturb least)
_SUFFIX = re.compile(r"_\d+$")


def _group(item: pytest.Item) -> str:
    if item.get_closest_marker("reviewgate"):
        return "review-items"
    name = _SUFFIX.sub("", getattr(item, "originalname", None) or item.name)
    callspec = getattr(item, "callspec", None)
    if callspec is not None and name == "test_plain":  # two halves of one population: the noise floor
        return f"{name}-{'even' if callspec.params.get('i', 0) % 2 == 0 else 'odd'}"
    return name


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    _STAMPS["configured"] = time.time()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_collection(session: pytest.Session) -> Generator[None, object, object]:
    _STAMPS["collection_start"] = time.time()
    try:
        return (yield)
    finally:
        _STAMPS["collection_end"] = time.time()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtestloop(session: pytest.Session) -> Generator[None, object, object]:
    _STAMPS["loop_start"], _CPU_STAMPS["loop_start"] = time.time(), time.process_time()
    try:
        return (yield)
    finally:
        _STAMPS["loop_end"], _CPU_STAMPS["loop_end"] = time.time(), time.process_time()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None, object, object]:
    started, cpu = time.perf_counter(), time.process_time()
    try:
        return (yield)
    finally:
        group = _group(item)
        _DURATIONS.setdefault(group, []).append(time.perf_counter() - started)
        _CPU.setdefault(group, []).append(time.process_time() - cpu)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    path = os.environ.get("RG_BENCH_RECORD")
    if not path or hasattr(config, "workerinput"):
        return
    _STAMPS["unconfigured"] = time.time()
    groups = {
        name: {"count": len(values), "median": statistics.median(values), "mean": statistics.fmean(values),
               "total": sum(values), "cpu_median": statistics.median(_CPU[name]),
               "cpu_mean": statistics.fmean(_CPU[name])}
        for name, values in _DURATIONS.items()
    }
    with open(path, "w", encoding="utf-8") as out:
        json.dump({"stamps": _STAMPS, "cpu_stamps": _CPU_STAMPS, "groups": groups,
                   "project_files": _project_files(config)}, out)


def _project_files(config: pytest.Config) -> list[str]:
    """The files the analyses of this process read through the project (base classes' modules, patch
    targets' modules, conftest.py files): those read whole have a hash, the others a state."""
    try:
        from pytest_reviewgate.integration.session import STATE
    except ImportError:
        return []
    state = config.stash.get(STATE, None)
    read = getattr(getattr(state, "project", None), "read", None) or {}
    return sorted(path for path, digest in read.items() if len(digest) == 64)
