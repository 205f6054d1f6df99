"""What each runtime probe adds to a watched test: two snapshots and a diff, best of several runs.

Run: ``python bench/probes_bench.py``. Budgets (SPEC 9): env and mock under 20
microseconds per test, oslo.config under 0.5 ms for a 1,000-option object.
"""

from __future__ import annotations

import os
import platform
import sys
import time
import timeit
import types
from collections.abc import Callable
from unittest import mock

from pytest_reviewgate.integration.runtime import Runtime
from pytest_reviewgate.probes import EnvProbe, MockPatchProbe, OsloConfigProbe, Probe
from pytest_reviewgate.probes.watching import ProbeSet, Watch


def per_test(probe: Probe) -> float:
    """Seconds per watched test: snapshot before setup, snapshot after teardown, diff."""

    def one_test() -> None:
        probe.diff(probe.snapshot(), probe.snapshot())

    return best(one_test)


def best(func: Callable[[], object], number: int = 2000, repeat: int = 7) -> float:
    # CPU time of this process: other processes on a busy machine do not count.
    timer = timeit.Timer(func, timer=time.process_time)
    number = max(1, number)
    return min(timer.repeat(repeat=repeat, number=number)) / number


def oslo_object(options: int = 1000) -> OsloConfigProbe:
    """A ConfigOpts with ``options`` options (half in 10 groups, some overridden) as a probe."""
    from oslo_config import cfg

    conf = cfg.ConfigOpts()
    half = options // 2
    conf.register_opts([cfg.StrOpt(f"opt{i}", default="x") for i in range(half)])
    for group in range(10):
        opts = [cfg.IntOpt(f"opt{i}", default=i) for i in range(half // 10)]
        conf.register_opts(opts, group=f"group{group}")
    for i in range(0, half, 50):
        conf.set_override(f"opt{i}", "overridden")
    module = types.ModuleType("probes_bench_config")
    module.CONF = conf  # type: ignore[attr-defined]
    sys.modules[module.__name__] = module
    return OsloConfigProbe(f"{module.__name__}:CONF")


def main() -> None:
    print(f"Python {platform.python_version()} on {platform.machine()}, {platform.platform()}")
    print(f"{len(os.environ)} environment variables\n")
    rows: list[tuple[str, float, float]] = []
    with mock.patch("colorsys.rgb_to_hsv"), mock.patch.dict(os.environ, {"BENCH": "1"}):
        started = [mock.patch(f"colorsys.{name}") for name in ("hsv_to_rgb", "rgb_to_hls")]
        for patcher in started:
            patcher.start()
        try:
            rows.append(("mock (RG901), 2 active patches", per_test(MockPatchProbe()), 20e-6))
        finally:
            for patcher in started:
                patcher.stop()
    rows.append(("env (RG902)", per_test(EnvProbe()), 20e-6))
    environ = os.environ
    naive = best(lambda: dict(environ) == dict(environ))
    rows.append(("  for comparison: dict(os.environ) twice, compared", naive, 0.0))
    oslo = oslo_object(1000)
    cache = vars(sys.modules["probes_bench_config"].CONF)["_ConfigOpts__cache"]
    rows.append(("oslo.config (RG903), 1,000 options, unchanged", per_test(oslo), 0.5e-3))

    def changed() -> None:  # the test changed the object: the snapshot after it is a full one
        before = oslo.snapshot()
        cache.clear()
        oslo.diff(before, oslo.snapshot())

    rows.append(("oslo.config (RG903), 1,000 options, changed by the test", best(changed, 200), 0.5e-3))
    rows.append(("  of which the full snapshot", best(lambda: (cache.clear(), oslo.snapshot()), 200), 0.0))

    probes = ProbeSet([MockPatchProbe(), EnvProbe()])
    watches = [Watch("RG901", "no-leaked-patches", "r", "f", "", 1), Watch("RG902", "env-restored", "r", "f", "", 1)]
    probes.add({"t.py::test": watches})
    plan = probes.plans["t.py::test"]

    def bookkeeping() -> None:
        before = probes.take(plan.probes)
        probes.test_leaks(plan, before, probes.take(plan.probes), [])

    rows.append(("runtime: RG901 + RG902 watches on one test", best(bookkeeping), 0.0))
    runtime = Runtime(None, [MockPatchProbe(), EnvProbe()])  # type: ignore[arg-type]
    runtime.probes.add({"t.py::test": watches})
    item = types.SimpleNamespace(nodeid="t.py::other")

    def unwatched_test() -> None:  # our setup and teardown wrappers, without pluggy's dispatch
        for hook in (runtime.pytest_runtest_setup, runtime.pytest_runtest_teardown):
            steps = hook(item)  # type: ignore[arg-type]
            next(steps)
            try:
                steps.send(None)
            except StopIteration:
                pass

    rows.append(("runtime: an unwatched test (hook wrappers)", best(unwatched_test, 20000), 0.0))

    width = max(len(name) for name, _, _ in rows)
    for name, seconds, budget in rows:
        verdict = "" if not budget else ("  ok" if seconds < budget else "  OVER BUDGET")
        limit = f"  (budget {budget * 1e6:,.0f} us)" if budget else ""
        print(f"{name:<{width}}  {seconds * 1e6:9.2f} us per test{limit}{verdict}")


if __name__ == "__main__":
    main()
