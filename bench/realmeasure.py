"""SPEC 9's figures on a real suite, from one run of the benchmark: the ``ast.parse`` floor, pytest on
as many trivial tests as there are review items, the plugin's analysis, cold and warm whole runs,
serial and ``-n 2``; and the per-rule precision material from the cold run's SARIF.
"""

from __future__ import annotations

import json
import subprocess
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import sites as sitemod
from measure import PYTHON, Clock, Run, parse_floor, pytest_cmd, run
from realsuite import Prepared, trivial_tree
from report import Row, Section, verdict
from suite import ONLY, OUTCOME_KEYS, _outcomes, _phase_rows, _pick, _t

ANALYSIS_TARGET, COLD_TARGET, WARM_TARGET = 2.5, 1.5, 0.3
ANOMALIES = ("INTERNALERROR", "Traceback (most recent call last)", "Interrupted:", "!!!!!!!")


@dataclass
class Outcome:
    """What one benchmark of a real suite produced."""

    sections: list[Section] = field(default_factory=list)
    footer: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)


def _other(mode: str) -> str:
    return "wall" if mode == "cpu" else "cpu"


def _items(r: Run) -> int:
    return sum(r.outcomes.get(k, 0) for k in OUTCOME_KEYS)


def _anomalies(name: str, r: Run) -> list[str]:
    found = [a for a in ANOMALIES if a in r.output]
    if not found and r.returncode in (0, 1):
        return []
    tail = r.output.strip().splitlines()[-3:]
    return [f"{name}: exit code {r.returncode}" + (f", output has {', '.join(found)}" if found else "")
            + f"; last lines: {' / '.join(tail)}"]


def _sarif_args(path: Path, root: Path) -> tuple[str, str]:
    """SARIF to ``path``, its URIs relative to the suite's root (one word each: see ``benchmark``)."""
    return f"--reviewgate-sarif={path}", f"--reviewgate-sarif-root={root}"


def _check_sarif(name: str, path: Path, root: Path) -> list[str]:
    """A run's SARIF must exist and name files of the suite, relative to its root (the runs pass
    ``--reviewgate-sarif-root``); a file outside it means pytest picked another rootdir."""
    if not path.exists():
        return [f"{name}: no SARIF written"]
    results, _ = sitemod.read_sarif(path)
    outside = sorted({r.file for r in results if r.file.startswith("../") or not (root / r.file).is_file()})
    return [f"{name}: SARIF names files outside {root}: {', '.join(outside[:3])}"] if outside else []


def _sarif_key(path: Path) -> Counter[tuple[str, str, int, str]]:
    results, _ = sitemod.read_sarif(path)
    return Counter((r.rule, r.file, r.line, r.message) for r in results)


def _serialize_seconds(path: Path) -> float:
    """In-process seconds to serialize the SARIF log again as the plugin writes it (indented JSON)."""
    log = json.loads(path.read_text(encoding="utf-8"))
    started = time.process_time()
    json.dumps(log, indent=2, ensure_ascii=False).encode("utf-8")
    return time.process_time() - started


def benchmark(prepared: Prepared, out: Path, clock: Clock, mode: str, wanted: set[str],
              sample: int = 0, seed: int = 2024, say: Callable[[str], None] = print) -> Outcome:
    """Measure ``prepared`` (sections ``static``, ``xdist``; ``rules`` always, from the cold run)."""
    root, name = prepared.root, prepared.suite.name
    done = Outcome()
    anomalies: list[str] = []
    timing = bool(wanted & {"static", "xdist"})
    one = str(prepared.reviews[0])
    if timing:
        say("warm-up: one review, to compile and cache the bytecode of pytest and the plugin")
        run(pytest_cmd(*ONLY, "-p", "no:cacheprovider", one), root)
        if "xdist" in wanted:
            run(pytest_cmd(*ONLY, "-p", "no:cacheprovider", "-n", "2", one, plugins=("reviewgate", "xdist")), root)
    # ``--reviewgate-sarif=PATH`` as one word: pytest settles the rootdir before it loads plugins, and
    # takes the value of an option it does not know yet for a path argument when that file exists.
    sarif = {kind: out / f"{name}-{kind}.sarif" for kind in ("cold", "warm", "xdist")}
    for path in sarif.values():
        path.unlink(missing_ok=True)
    say("cold run: `--reviewgate-only --cache-clear`, with SARIF")
    cold = run(pytest_cmd(*ONLY, "--cache-clear", *_sarif_args(sarif["cold"], root)), root, record=timing)
    anomalies += _anomalies("cold run", cold) + _check_sarif("cold run", sarif["cold"], root)
    items = _items(cold)
    rows: list[Row] = []
    if "static" in wanted:
        rows += _static(prepared, out, clock, mode, cold, items, sarif, anomalies, say)
    if "xdist" in wanted:
        say("cold run under `-n 2`")
        done.sections.append(_xdist(root, cold, sarif, mode, anomalies))
    if rows:
        done.sections.insert(0, Section(f"{name} {prepared.suite.version}: {len(prepared.modules):,} reviewed "
                                        f"modules, {prepared.lines:,} lines", rows))
    rows = [Row("items of the cold run", f"{items:,}: {_outcomes(cold)} (exit code {cold.returncode})")]
    if sarif["cold"].exists():
        rows.append(Row("  SARIF of the cold run", f"{sarif['cold'].stat().st_size / 1e6:.1f} MB; serializing it "
                        f"again in-process takes {_t(_serialize_seconds(sarif['cold']))} CPU"))
    rows.append(Row("anomalies (INTERNALERROR, tracebacks, interrupted sessions, unexpected exit codes)",
                    "; ".join(anomalies) or "none", "none", verdict(not anomalies)))
    done.sections.append(Section("Runs", rows))
    done.footer = _rules_footer(prepared, out, cold, sarif["cold"], sample, seed)
    return done


def _static(prepared: Prepared, out: Path, clock: Clock, mode: str, cold: Run, items: int,
            sarif: dict[str, Path], anomalies: list[str], say: Callable[[str], None]) -> list[Row]:
    root, modules = prepared.root, prepared.modules
    say("warm run: the same command, with the cache the cold run left")
    warm = run(pytest_cmd(*ONLY, *_sarif_args(sarif["warm"], root)), root, record=True)
    anomalies += _anomalies("warm run", warm) + _check_sarif("warm run", sarif["warm"], root)
    say(f"floor: ast.parse of {len(modules):,} modules, in-process")
    floors = [parse_floor(modules) for _ in range(max(3, clock.runs))]
    floor_wall, floor_cpu = min(r[0] for r in floors), min(r[1] for r in floors)
    base = floor_cpu if mode == "cpu" else floor_wall
    say(f"pytest on {items:,} trivial tests in {len(modules):,} modules")
    tree = trivial_tree(out / "suites" / f"{prepared.suite.name}-trivial", items, len(modules))
    trivial_cmd = pytest_cmd("-q", "-p", "no:randomly", "--cache-clear", plugins=())
    run(pytest_cmd("-q", "-p", "no:randomly", "--collect-only", plugins=()), tree)  # compile and cache bytecode
    trivial = run(trivial_cmd, tree)
    anomalies += _anomalies("trivial run", trivial)
    pytest_floor = _pick(trivial, mode)
    rows = [
        Row(f"floor: read + ast.parse of the {len(modules):,} reviewed modules, in-process",
            f"{_t(floor_cpu)} CPU (wall {_t(floor_wall)}; best of {len(floors)})"),
        Row(f"pytest alone: {_items(trivial):,} trivial test functions in {len(modules):,} modules "
            "(`-q --cache-clear`, bytecode cached)",
            f"{_t(pytest_floor)} {mode} ({_other(mode)} {_t(_pick(trivial, _other(mode)))}; {_outcomes(trivial)})"),
    ]
    analysis = cold.analysis
    if analysis is None:
        rows.append(Row("analysis, cold (the plugin's `analysis:` line)", "no `analysis:` line in the output",
                        f"<= {ANALYSIS_TARGET}x floor", "MISS"))
    else:
        seconds, reviews, cached = analysis
        rows.append(Row("analysis, cold: parse + index + rules (the plugin's `analysis:` line, wall clock)",
                        f"{_t(seconds)} = {seconds / floor_wall:.2f}x floor wall ({seconds / floor_cpu:.2f}x floor "
                        f"CPU; {reviews:,} reviews, {cached} from cache)",
                        f"<= {ANALYSIS_TARGET}x floor", verdict(seconds <= ANALYSIS_TARGET * floor_wall)))
    whole = _pick(cold, mode)
    both = base + pytest_floor
    rows.append(Row("whole `pytest -p reviewgate --reviewgate-only -q --cache-clear` run, cold",
                    f"{_t(whole)} {mode} = {whole / both:.2f}x (floor + pytest alone = {_t(both)}) "
                    f"({_other(mode)} {_t(_pick(cold, _other(mode)))})",
                    f"<= {COLD_TARGET}x (floor + trivial items)", verdict(whole <= COLD_TARGET * both)))
    warm_t = _pick(warm, mode)
    note = f"; analysis {_t(warm.analysis[0])}, {warm.analysis[2]:,} of {warm.analysis[1]:,} from cache" \
        if warm.analysis else ""
    same = "same SARIF results as cold" if sarif["warm"].exists() and sarif["cold"].exists() and \
        _sarif_key(sarif["warm"]) == _sarif_key(sarif["cold"]) else "SARIF results DIFFER from the cold run's"
    rows.append(Row("whole run, warm (the same command again, same cache)",
                    f"{_t(warm_t)} {mode} = {warm_t / whole:.2f}x cold ({_other(mode)} "
                    f"{_t(_pick(warm, _other(mode)))}{note}); {_outcomes(warm)}; {same}",
                    f"<= {WARM_TARGET}x cold", verdict(warm_t <= WARM_TARGET * whole)))
    rows += _least_work(modules, cold, floor_cpu)
    rows += _phase_rows(cold, analysis[0] if analysis else 0.0, items)
    cpu = cold.record.get("cpu_stamps", {})
    if {"loop_start", "loop_end"} <= cpu.keys():
        loop = cpu["loop_end"] - cpu["loop_start"]
        rows.append(Row("  cold run loop in CPU time (bounds the analysis' CPU time from above; the plugin "
                        "times its analysis by the wall clock, which a busy machine inflates)",
                        f"{_t(loop)} = {loop / floor_cpu:.2f}x floor CPU"))
    phases = warm.phases()
    if phases:
        rows.append(Row("  warm run phases", ", ".join(f"{k.split(' (')[0]} {_t(v)}" for k, v in phases.items())))
    return rows


def _least_work(modules: list[Path], cold: Run, floor_cpu: float) -> list[Row]:
    """What the analysis cannot do without, in CPU time against the floor: parse the reviewed modules
    and the project modules its rules read (base classes, patch targets, conftest.py files), then
    walk each once for its index (``analysis.index.parse_module``). The cold run's record names them."""
    reviewed = {str(p) for p in modules}
    project = [Path(p) for p in cold.record.get("project_files", []) if p not in reviewed and Path(p).is_file()]
    if not project:
        return []
    from pytest_reviewgate.analysis.index import parse_module

    both = [*modules, *project]
    parsed = min(parse_floor(both)[1] for _ in range(3))
    indexed = []
    for _ in range(3):
        started = time.process_time()
        for path in both:
            parse_module(path.read_bytes(), str(path))
        indexed.append(time.process_time() - started)
    size = sum(p.stat().st_size for p in project) / 1e6
    return [
        Row(f"  least work: read + ast.parse of the reviewed modules and the {len(project):,} project files "
            f"the rules read ({size:.1f} MB)", f"{_t(parsed)} CPU = {parsed / floor_cpu:.2f}x floor CPU"),
        Row("  least work, and one index walk of each (`parse_module`)",
            f"{_t(min(indexed))} CPU = {min(indexed) / floor_cpu:.2f}x floor CPU"),
    ]


def _xdist(root: Path, serial: Run, sarif: dict[str, Path], mode: str, anomalies: list[str]) -> Section:
    probe = subprocess.run([PYTHON, "-c", "import xdist"], capture_output=True, check=False)
    if probe.returncode:
        return Section("Serial vs pytest-xdist", [Row("`-n 2`", "pytest-xdist is not installed", "", "skipped")])
    cmd = pytest_cmd(*ONLY, "--cache-clear", "-n", "2", *_sarif_args(sarif["xdist"], root),
                     plugins=("reviewgate", "xdist"))
    parallel = run(cmd, root)
    anomalies += _anomalies("-n 2 run", parallel) + _check_sarif("-n 2 run", sarif["xdist"], root)
    same = {k: v for k, v in parallel.outcomes.items() if k in OUTCOME_KEYS} == \
        {k: v for k, v in serial.outcomes.items() if k in OUTCOME_KEYS}
    same_sarif = sarif["xdist"].exists() and sarif["cold"].exists() and \
        _sarif_key(sarif["xdist"]) == _sarif_key(sarif["cold"])
    analysis = parallel.analysis
    rows = [Row("cold `--reviewgate-only`, serial vs `-n 2`",
                f"wall: serial {_t(serial.wall)}, -n 2 {_t(parallel.wall)} "
                f"(speed-up {serial.wall / parallel.wall:.2f}x); cpu: {_t(serial.cpu)} vs {_t(parallel.cpu)}"
                + (f"; analysis summed over workers {_t(analysis[0])}" if analysis else ""),
                "same outcomes and SARIF results as serial", verdict(same and same_sarif)),
            Row("  outcomes under `-n 2`", f"{_outcomes(parallel)}; SARIF results "
                + ("equal the serial run's" if same_sarif else "DIFFER from the serial run's"))]
    warm = run([a for a in cmd if a != "--cache-clear"], root)
    anomalies += _anomalies("-n 2 warm run", warm)
    rows.append(Row("  warm `-n 2` (the same command again, same cache)",
                    f"wall {_t(warm.wall)} = {warm.wall / parallel.wall:.2f}x cold `-n 2`; cpu {_t(warm.cpu)} = "
                    f"{warm.cpu / parallel.cpu:.2f}x; {_outcomes(warm)}"
                    + (f"; analysis {warm.analysis[2]:,} of {warm.analysis[1]:,} from cache" if warm.analysis else "")))
    return Section("Serial vs pytest-xdist (`-n 2`)", rows)


def _rules_footer(prepared: Prepared, out: Path, cold: Run, sarif: Path, sample: int, seed: int) -> list[str]:
    name = prepared.suite.name
    if not sarif.exists():
        return [f"No SARIF from the cold run (exit code {cold.returncode}): {cold.output[-600:]}"]
    results, suppressed = sitemod.read_sarif(sarif)
    found = sitemod.collect_sites(results)
    tsv = out / f"{name}-sites.tsv"
    sitemod.write_tsv(tsv, found)
    outside = sum(s.outside for s in found)
    lines = [f"## Per rule, from the cold run ({len(prepared.reviews):,} reviews, each expecting "
             f"{len(prepared.rules)} rules module-wide)", "",
             f"{len(results):,} unsuppressed violations ({suppressed:,} suppressed) at {len(found):,} distinct "
             f"sites, {outside:,} of them outside the reviewed module. Every site: `{tsv}`.", ""]
    lines += sitemod.rule_table(prepared.rules, results, found, sitemod.failed_items(cold.output),
                                len(prepared.reviews))
    if sample:
        lines += ["", f"# Sample: {sample} sites per rule, seed {seed}", ""]
        lines += sitemod.sample(found, prepared.root, sample, seed)
    return lines
