"""The measurements of SPEC 9, each returning a section of the table.

Verdicts compare figures of the chosen clock (``wall`` by default, ``cpu`` to judge a busy
machine by the work done); the other clock's figure is shown beside it.
"""

from __future__ import annotations

import pstats
import re
import shutil
import statistics
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

import linearity
from measure import PYTHON, Clock, Run, parse_floor, pytest_cmd, run
from report import Row, Section, verdict

ONLY = ("--reviewgate-only", "-p", "no:randomly", "-q")
OUTCOME_KEYS = ("passed", "failed", "skipped", "xfailed", "xpassed", "error")


def _t(seconds: float) -> str:
    return f"{seconds:.2f}s" if seconds >= 0.1 else f"{seconds * 1e3:.1f}ms"


def _pick(r: Run, clock: str) -> float:
    return r.cpu if clock == "cpu" else r.wall


def _other(clock: str) -> str:
    return "wall" if clock == "cpu" else "cpu"


def _outcomes(r: Run) -> str:
    found = r.outcomes
    return ", ".join(f"{found[k]} {k}" for k in OUTCOME_KEYS if found.get(k))


def static(root: Path, modules: Sequence[Path], lines: int, clock: Clock, mode: str) -> tuple[Section, dict]:
    """Floor, cold and warm ``--reviewgate-only`` runs. Returns the section and figures for later ones."""
    floor = clock.repeat(lambda: parse_floor(modules), key=lambda r: r[0 if mode == "wall" else 1], share=0.04)
    floor_wall, floor_cpu = floor.chosen
    base = floor_wall if mode == "wall" else floor_cpu

    def cold_then_warm() -> tuple[Run, Run]:
        cold = run(pytest_cmd(*ONLY, "--cache-clear"), root, record=True)
        warm = run(pytest_cmd(*ONLY), root, record=True)
        return cold, warm

    pairs = clock.repeat(cold_then_warm, key=lambda p: _pick(p[0], mode), share=0.35)
    cold = min((p[0] for p in pairs.results), key=lambda r: _pick(r, mode))
    warm = min((p[1] for p in pairs.results), key=lambda r: _pick(r, mode))
    rows = [Row(f"floor: read + ast.parse of the {len(modules):,} reviewed modules ({lines:,} lines), in-process",
                f"{_t(base)} ({_other(mode)} {_t(floor_cpu if mode == 'wall' else floor_wall)}; {floor.spread})")]
    analysis = cold.analysis
    if analysis is None:
        rows.append(Row("analysis, cold (plugin's own figure)", "no `analysis:` line in the output", "<= 1.5x floor",
                        "MISS"))
    else:
        seconds, reviews, cached = analysis
        rows.append(Row("analysis, cold: parse + index + rules (the plugin's `analysis:` line)",
                        f"{_t(seconds)} = {seconds / base:.2f}x floor ({reviews} reviews, {cached} from cache)",
                        "<= 1.5x floor", verdict(seconds <= 1.5 * base)))
    whole = _pick(cold, mode)
    rows.append(Row("whole `--reviewgate-only -p no:randomly -q` run, cold (`--cache-clear`)",
                    f"{_t(whole)} = {whole / base:.2f}x floor ({_other(mode)} {_t(_pick(cold, _other(mode)))}; "
                    f"{pairs.spread})", "<= 3x floor", verdict(whole <= 3 * base)))
    warm_t = _pick(warm, mode)
    warm_analysis = warm.analysis
    note = f"; analysis {_t(warm_analysis[0])}, {warm_analysis[2]} of {warm_analysis[1]} from cache" \
        if warm_analysis else ""
    rows.append(Row("whole run, warm (second run, same cache)", f"{_t(warm_t)} = {warm_t / whole:.2f}x cold{note}",
                    "<= 0.5x cold", verdict(warm_t <= 0.5 * whole)))
    items = sum(cold.outcomes.get(k, 0) for k in OUTCOME_KEYS)
    rows.append(Row("items of the cold run", f"{items:,}: {_outcomes(cold)} (exit code {cold.returncode})"))
    rows += _phase_rows(cold, analysis[0] if analysis else 0.0, items)
    phases = warm.phases()
    if phases:
        short = ", ".join(f"{name.split(' (')[0]} {_t(seconds)}" for name, seconds in phases.items())
        rows.append(Row("  warm run phases", short))
    section = Section(f"Static analysis: {len(modules):,} reviewed modules, {lines:,} lines", rows)
    return section, {"cold": cold, "warm": warm, "base": base}


def _phase_rows(cold: Run, analysis: float, items: int) -> list[Row]:
    rows = []
    for name, seconds in cold.phases().items():
        extra = ""
        if name.startswith("run loop") and items:
            rest = seconds - analysis
            extra = f" (analysis {_t(analysis)}, the rest {rest / items * 1e3:.2f}ms per item)"
        rows.append(Row(f"  cold run, {name}", f"{_t(seconds)}{extra}"))
    return rows


def xdist(root: Path, serial: Run, clock: Clock, mode: str) -> Section:
    probe = subprocess.run([PYTHON, "-c", "import xdist"], capture_output=True, check=False)
    if probe.returncode:
        return Section("pytest-xdist", [Row("`-n 2`", "pytest-xdist is not installed", "", "skipped")])
    cmd = pytest_cmd(*ONLY, "--cache-clear", "-n", "2", plugins=("reviewgate", "xdist"))
    measured = clock.repeat(lambda: run(cmd, root),
                            key=lambda r: _pick(r, mode), share=0.12)
    parallel: Run = measured.chosen
    same = {k: v for k, v in parallel.outcomes.items() if k in OUTCOME_KEYS} == \
        {k: v for k, v in serial.outcomes.items() if k in OUTCOME_KEYS}
    t, s = _pick(parallel, mode), _pick(serial, mode)
    analysis = parallel.analysis
    rows = [Row("`--reviewgate-only` cold, serial vs `-n 2`",
                f"serial {_t(s)}, -n 2 {_t(t)}: speed-up {s / t:.2f}x; cpu {_t(serial.cpu)} vs {_t(parallel.cpu)}" +
                (f"; analysis summed over workers {_t(analysis[0])}" if analysis else "") + f" ({measured.spread})",
                "same outcomes as serial", verdict(same)),
            Row("  outcomes under `-n 2`", _outcomes(parallel))]
    return Section("Serial vs pytest-xdist", rows)


def _peer_files(modules: Sequence[Path], fraction: float) -> list[Path]:
    step = max(1, round(1 / fraction)) if fraction > 0 else len(modules) + 1
    return list(modules[::step])


def peers(root: Path, modules: Sequence[Path], cold: Run, clock: Clock, mode: str, fraction: float) -> Section:
    rows: list[Row] = []
    whole = _pick(cold, mode)
    total = sum(len(p.read_bytes().splitlines()) for p in modules)
    version = subprocess.run([PYTHON, "-m", "flake8", "--version"], capture_output=True, text=True, check=False)
    if version.returncode or "pytest-style" not in version.stdout:
        rows.append(Row("flake8 --select=PT (flake8-pytest-style)", "not installed "
                        "(`pip install flake8 flake8-pytest-style`)", "reviewgate far less", "skipped"))
    else:
        sample = _peer_files(modules, fraction)
        lines = sum(len(p.read_bytes().splitlines()) for p in sample)
        cmd = [PYTHON, "-m", "flake8", "--select=PT", "-j", "1", *map(str, sample)]
        measured = clock.repeat(lambda: run(cmd, root), key=lambda r: _pick(r, mode), share=0.1)
        seconds = measured.value * total / max(lines, 1)
        how = "all files" if len(sample) == len(modules) else \
            f"estimated from {len(sample)} of {len(modules)} modules ({lines:,} of {total:,} lines), scaled by lines"
        rows.append(Row("flake8 --select=PT -j 1 (flake8-pytest-style), same modules",
                        f"{_t(seconds)}; reviewgate cold whole run = {whole / seconds:.2f}x flake8 ({how}; "
                        f"{measured.spread})", "reviewgate far less: <= 0.5x flake8",
                        verdict(whole <= 0.5 * seconds)))
    ruff = shutil.which("ruff", path=str(Path(PYTHON).parent)) or shutil.which("ruff")
    if ruff is None:
        rows.append(Row("ruff check --select PT --no-cache", "not installed (`pip install ruff`)", "", "skipped"))
    else:
        cmd = [ruff, "check", "--select", "PT", "--no-cache", "--quiet", *map(str, modules)]
        measured = clock.repeat(lambda: run(cmd, root), key=lambda r: _pick(r, mode), share=0.02)
        rows.append(Row("ruff check --select PT --no-cache (Rust, multi-threaded), same modules",
                        f"{_t(measured.value)}; reviewgate cold whole run = {whole / measured.value:.0f}x ruff "
                        f"({measured.spread})"))
    return Section("Peers on the same modules", rows)


def collection(tree: Path, count: int, clock: Clock, mode: str) -> Section:
    """With and without the plugin, interleaved; each pair's ratio cancels the machine's drift, and
    their median is the figure. A profile attributes the plugin's share without the noise."""
    args = ("--collect-only", "-q", "-p", "no:randomly", "-p", "no:cacheprovider")

    order = [0]

    def pair() -> tuple[Run, Run]:  # (with, without), run in alternating order against any order bias
        order[0] += 1
        if order[0] % 2:
            on = run(pytest_cmd(*args), tree)
            return on, run(pytest_cmd(*args, plugins=("no:reviewgate",)), tree)
        off = run(pytest_cmd(*args, plugins=("no:reviewgate",)), tree)
        return run(pytest_cmd(*args), tree), off

    run(pytest_cmd(*args), tree)  # warm-up: compile and cache the bytecode of the modules
    measured = clock.repeat(pair, key=lambda p: _pick(p[0], mode), share=0.15, runs=max(clock.runs, 5))
    ratios = sorted(_pick(on, mode) / _pick(off, mode) - 1 for on, off in measured.results)
    others = sorted(_pick(on, _other(mode)) / _pick(off, _other(mode)) - 1 for on, off in measured.results)
    over, other = statistics.median(ratios), statistics.median(others)
    on = statistics.median(_pick(p[0], mode) for p in measured.results)
    collected = measured.results[0][0].outcomes.get("collected", 0)
    spread = f"pairs from {ratios[0]:+.1%} to {ratios[-1]:+.1%}" if len(ratios) > 1 else "one pair"
    rows = [Row(f"`pytest --collect-only` of {count:,} trivial modules ({collected:,} tests), no reviews: "
                "`-p reviewgate` vs `-p no:reviewgate`",
                f"{over:+.1%} of {_t(on)} ({_other(mode)}: {other:+.1%}; median of {len(ratios)} interleaved "
                f"pairs, {spread})", "< 2%", verdict(over < 0.02))]
    share = _profiled_share(tree, args)
    if share is not None:
        rows.append(Row("  the same, attributed by cProfile: time inside pytest_reviewgate (hooks and imports)",
                        f"{share:.2%} of the collection run", "< 2%", verdict(share < 0.02)))
    return Section("No-review overhead", rows)


def _profiled_share(tree: Path, args: Sequence[str]) -> float | None:
    """Cumulative time of the plugin's entry points (its functions called from outside it) over the run."""
    with tempfile.TemporaryDirectory(prefix="rg-bench-") as tmp:
        out = Path(tmp) / "collect.prof"
        run([PYTHON, "-m", "cProfile", "-o", str(out), *pytest_cmd(*args)[1:]], tree)
        if not out.exists():
            return None
        stats = pstats.Stats(str(out)).stats  # type: ignore[attr-defined]
    ours = {key for key in stats if "pytest_reviewgate" in key[0]}
    total = max(value[3] for value in stats.values())
    entries = [key for key in ours if not any(caller in ours for caller in stats[key][4])]
    return sum(stats[key][3] for key in entries) / total


def runtime(tree: Path, per_population: int, clock: Clock) -> Section:
    """Per-test cost of runtime probes: medians of the CPU time of each test's whole protocol, watched
    populations against the unwatched one, all interleaved in one session. The unwatched tests
    are split in two halves whose difference shows the noise."""
    base = ("-q", "-p", "no:randomly", "-p", "no:cacheprovider")
    run(pytest_cmd(*base, "--collect-only"), tree)  # warm-up: compile and cache the bytecode
    measured = clock.repeat(lambda: run(pytest_cmd(*base), tree, record=True), key=lambda r: r.wall, share=0.15,
                            runs=1)
    r: Run = measured.chosen
    groups = r.record.get("groups", {})
    even, odd = groups.get("test_plain-even"), groups.get("test_plain-odd")
    if not even or not odd:
        return Section("Runtime probes", [Row("runtime tree", "no timings recorded: " + r.output[-500:], "", "MISS")])

    def plain(key: str) -> float:
        return (even[key] + odd[key]) / 2

    noise = abs(even["cpu_median"] - odd["cpu_median"])
    rows: list[Row] = []
    for group, label, target in (
        ("test_envmock", "env + mock probes (RG902 + RG901)", 20e-6),
        ("test_config", "env + mock + oslo.config probes (RG902 + RG901 + RG903, global CONF)", 0.0),
    ):
        data = groups.get(group)
        if not data:
            continue
        extra = data["cpu_median"] - plain("cpu_median")
        wall = data["median"] - plain("median")
        rows.append(Row(f"{label}: added per watched test ({data['count']:,} watched, "
                        f"{even['count'] + odd['count']:,} unwatched)",
                        f"{extra * 1e6:.1f}us CPU (median per test {data['cpu_median'] * 1e6:.0f}us vs "
                        f"{plain('cpu_median') * 1e6:.0f}us; wall {wall * 1e6:+.1f}us)",
                        "< 20us" if target else "", verdict(extra < target) if target else ""))
    rows.append(Row("  noise: the two halves of the unwatched tests", f"{noise * 1e6:.1f}us CPU apart "
                    f"(wall {abs(even['median'] - odd['median']) * 1e6:.1f}us)"))
    rows.append(Row("  that session: wall (cpu)", f"{_t(r.wall)} ({_t(r.cpu)}), {_outcomes(r)}"))
    return Section("Runtime probes, in situ (one session, populations interleaved)", rows)


PROBE_LINE = re.compile(r"^(?P<name>\S.*?)\s+(?P<us>[\d,]+\.\d+) us per test(?:\s+\(budget (?P<budget>[\d,.]+) us\))?")


def probes_bench(script: Path) -> Section:
    if not script.exists():
        return Section("bench/probes_bench.py", [Row("probes_bench.py", "not present", "", "skipped")])
    proc = subprocess.run([PYTHON, str(script)], capture_output=True, text=True, check=False, timeout=900)
    rows: list[Row] = []
    for line in proc.stdout.splitlines():
        match = PROBE_LINE.match(line)
        if not match:
            continue
        us = float(match["us"].replace(",", ""))
        budget = float(match["budget"].replace(",", "")) if match["budget"] else None
        rows.append(Row(match["name"].strip(), f"{us:,.2f}us per test",
                        f"< {budget:,.0f}us" if budget else "", verdict(us < budget) if budget else ""))
    if proc.returncode or not rows:
        rows.append(Row("probes_bench.py", f"exit code {proc.returncode}: {(proc.stderr or proc.stdout)[-300:]}",
                        "", "MISS"))
    return Section("Probes in isolation (bench/probes_bench.py, another engineer's script)", rows)


def parser(sizes: Sequence[int], batch: float = 0.1) -> Section:
    rows = []
    for growth in linearity.run_all(sizes, batch):
        times = ", ".join(f"{size // 1000:,}k: {_t(t)}" for size, t in sorted(growth.seconds.items()))
        ratios = "/".join(f"{x:.1f}" for x in growth.ratios)
        k = growth.exponent
        result = f"{times}; x{ratios} per 10x" + (f"; k={k:.2f}" if k is not None else "")
        rows.append(Row(f"parse_review: {growth.name}", result + (f"; {growth.skipped}" if growth.skipped else ""),
                        f"linear (time ~ size^k, k <= {linearity.EXPONENT_LIMIT})", verdict(growth.linear)))
    return Section("Review parser linearity (pathological inputs)", rows)
