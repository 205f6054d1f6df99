"""Run the pytest-reviewgate benchmark and print SPEC 9's figures side by side with their targets.

    python bench/run.py                  # the generated corpus, about 5 minutes on 2 cores
    python bench/run.py --quick          # a tiny corpus, to check the benchmark itself
    python bench/run.py --suite nova     # a real suite (also neutron, cinder, glance, manila)
    python bench/run.py --suite nova --rules --sample 5   # per-rule sites only, with a sample to triage
    python bench/run.py --help           # every option (also in bench/README.md)

The corpus table is also written to bench/out/latest.md, a real suite's to bench/out/<suite>-latest.md
(its violation sites to bench/out/<suite>-sites.tsv). Corpora and unpacked suites live under
bench/out/ and are reused while their inputs are unchanged.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import corpus  # noqa: E402
import measure  # noqa: E402
import realmeasure  # noqa: E402
import realsuite  # noqa: E402
import suite  # noqa: E402
from measure import Clock  # noqa: E402
from report import Section, machine, markdown  # noqa: E402

SECTIONS = ("static", "xdist", "peers", "collection", "runtime", "probes", "parser")
REAL_SECTIONS = ("static", "xdist")


def options(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--suite", default="corpus", choices=("corpus", *sorted(realsuite.SUITES)),
                        help="the generated corpus (default) or a real suite, from its wheel")
    parser.add_argument("--rules", action="store_true",
                        help="real suite: only the per-rule sites of one cold run, no timing")
    parser.add_argument("--sample", type=int, default=0, metavar="N",
                        help="real suite: print N sites per rule, picked at random with --seed, with context")
    parser.add_argument("--wheel", type=Path, default=None,
                        help="real suite: use this wheel instead of downloading the suite's")
    parser.add_argument("--quick", action="store_true", help="tiny corpora, one run each (about a minute)")
    parser.add_argument("--runs", type=int, default=None, help="runs per measurement, budget allowing (default 3)")
    parser.add_argument("--stat", choices=("best", "median"), default="best", help="figure kept of the runs")
    parser.add_argument("--clock", choices=("wall", "cpu"), default=None,
                        help="what verdicts compare: wall time, or CPU time (steadier on a busy machine); "
                        "default wall for the corpus, cpu for a real suite")
    parser.add_argument("--budget", type=float, default=None,
                        help="seconds shared out between measurements; repeats stop when spent (default 300)")
    parser.add_argument("--modules", type=int, default=None, help="reviewed modules in the corpus (default 1000)")
    parser.add_argument("--seed", type=int, default=2024, help="corpus seed; with --sample, the sample's")
    parser.add_argument("--trivial", type=int, default=None, help="modules of the no-review tree (default 1000)")
    parser.add_argument("--runtime-tests", type=int, default=None,
                        help="tests per runtime population (default 10000)")
    parser.add_argument("--peer-fraction", type=float, default=None,
                        help="share of modules flake8 reads, scaled up by lines (default 0.1; 1 = all)")
    parser.add_argument("--only", default=None, help=f"comma-separated sections of {SECTIONS} "
                        f"(a real suite: {REAL_SECTIONS}; its per-rule table always comes)")
    parser.add_argument("--profile", action="store_true", help="also profile a cold run (cProfile) and list "
                        "the top pytest_reviewgate functions by cumulative time")
    parser.add_argument("--out", type=Path, default=BENCH / "out", help="where corpora and latest.md go")
    args = parser.parse_args(argv)
    quick = args.quick
    defaults = {"runs": 1 if quick else 3, "budget": 60 if quick else 300, "modules": 30 if quick else 1000,
                "trivial": 50 if quick else 1000, "runtime_tests": 300 if quick else 10000,
                "peer_fraction": 1.0 if quick else 0.1}
    real = args.suite != "corpus"
    if real:
        defaults.update(runs=1, budget=0, clock="cpu")
    defaults.update(clock=defaults.get("clock", "wall"),
                    only=",".join(REAL_SECTIONS if real else SECTIONS) if not args.rules else "")
    for key, value in defaults.items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    known = REAL_SECTIONS if real else SECTIONS
    unknown = set(filter(None, args.only.split(","))) - set(known)
    if unknown:
        parser.error(f"unknown sections {sorted(unknown)}; choose from {known}")
    if not real and (args.rules or args.sample or args.wheel):
        parser.error(f"--rules, --sample and --wheel need a real suite (--suite {', '.join(realsuite.SUITES)})")
    return args


def _generator_version() -> str:
    digest = hashlib.sha256()
    for name in ("corpus.py", "corpus_modules.py", "corpus_reviews.py", "corpus_templates.py"):
        digest.update((BENCH / name).read_bytes())
    return digest.hexdigest()[:12]


def _cached(root: Path, stamp: str, make: object) -> Path:
    """Build a corpus with ``make(root)`` unless ``root`` holds one with the same stamp."""
    marker = root / ".bench-stamp"
    if not (marker.exists() and marker.read_text() == stamp):
        make(root)  # type: ignore[operator]
        marker.write_text(stamp)
    return root


def reviewed_corpus(out: Path, modules: int, seed: int) -> corpus.Corpus:
    root = out / f"corpus-{modules}-{seed}"
    stamp = f"{_generator_version()} {modules} {seed}"
    _cached(root, stamp, lambda r: corpus.generate(r, modules, seed))
    found = corpus.Corpus(root)
    for review in sorted(root.rglob("*.review.txt")):
        found.reviews.append(review)
        found.modules.append(review.with_name(review.name[: -len(".review.txt")] + ".py"))
    found.lines = sum(len(p.read_bytes().splitlines()) for p in found.modules)
    return found


def main(argv: list[str] | None = None) -> int:
    args = options(argv)
    if args.suite != "corpus":
        return real_suite(args, argv)
    wanted = set(args.only.split(","))
    started = time.perf_counter()
    header = machine()
    for line in header:
        print(line, flush=True)
    clock = Clock(args.budget, args.runs, args.stat)
    args.out.mkdir(parents=True, exist_ok=True)
    sections: list[Section] = []

    def step(name: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f}s] {name}...", flush=True)

    step(f"corpus of {args.modules} reviewed modules (seed {args.seed})")
    reviewed = reviewed_corpus(args.out, args.modules, args.seed)
    sizes = sorted(len(p.read_bytes().splitlines()) for p in reviewed.modules)
    header.append(f"Corpus: {len(sizes):,} modules, {reviewed.lines:,} lines (median {sizes[len(sizes) // 2]}, "
                  f"over 5,000: {sum(s > 5000 for s in sizes)}, largest {sizes[-1]:,}), seed {args.seed}, "
                  f"under {reviewed.root}")
    header.append(f"Figures: {args.stat} of up to {args.runs} runs within a {args.budget:.0f}s budget; "
                  f"verdicts on {args.clock} time; pytest runs with PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 and "
                  f"`-p reviewgate`, bytecode cached under {args.out / 'pycache'}")
    measure.set_pycache(args.out / "pycache")
    step("warm-up: one review, to compile and cache the bytecode of pytest and the plugin")
    one = str(reviewed.reviews[0])
    measure.run(measure.pytest_cmd(*suite.ONLY, one), reviewed.root)
    if "xdist" in wanted:
        measure.run(measure.pytest_cmd(*suite.ONLY, "-n", "2", one, plugins=("reviewgate", "xdist")), reviewed.root)
    cold = None
    if "static" in wanted or "xdist" in wanted or "peers" in wanted:
        step("static analysis: floor, cold and warm runs")
        section, figures = suite.static(reviewed.root, reviewed.modules, reviewed.lines, clock, args.clock)
        sections.append(section)
        cold = figures["cold"]
    if "xdist" in wanted and cold is not None:
        step("serial vs -n 2")
        sections.append(suite.xdist(reviewed.root, cold, clock, args.clock))
    if "peers" in wanted and cold is not None:
        step("peers: flake8, ruff")
        sections.append(suite.peers(reviewed.root, reviewed.modules, cold, clock, args.clock, args.peer_fraction))
    if "collection" in wanted:
        step(f"collection of {args.trivial} trivial modules, with and without the plugin")
        tree = _cached(args.out / f"trivial-{args.trivial}", f"{_generator_version()} {args.trivial}",
                       lambda r: corpus.trivial_tree(r, args.trivial))
        sections.append(suite.collection(tree, args.trivial, clock, args.clock))
    if "runtime" in wanted:
        step(f"runtime probes on {args.runtime_tests} tests per population")
        tree = _cached(args.out / f"runtime-{args.runtime_tests}", f"{_generator_version()} {args.runtime_tests}",
                       lambda r: corpus.runtime_tree(r, args.runtime_tests))
        sections.append(suite.runtime(tree, args.runtime_tests, clock))
    if "probes" in wanted:
        step("bench/probes_bench.py")
        sections.append(suite.probes_bench(BENCH / "probes_bench.py"))
    if "parser" in wanted:
        step("parser linearity")
        sections.append(suite.parser((1_000, 10_000, 100_000) if args.quick else (10_000, 100_000, 1_000_000)))
    footer: list[str] = []
    if args.profile:
        step("profile of a cold run")
        from profile_run import profile

        footer = profile(reviewed.root)
    elapsed = time.perf_counter() - started
    header.append(f"Benchmark took {elapsed:.0f}s: `python bench/run.py {' '.join(argv or sys.argv[1:])}`".rstrip())
    text = markdown(header, sections, footer)
    print()
    print(text)
    (args.out / "latest.md").write_text(text, encoding="utf-8")
    print(f"written to {args.out / 'latest.md'}")
    return 0


def real_suite(args: argparse.Namespace, argv: list[str] | None) -> int:
    """Benchmark a real suite: its wheel unpacked, a review expecting every static rule beside each
    test module; the timing table, then the per-rule sites of the cold run."""
    started = time.perf_counter()
    spec = realsuite.SUITES[args.suite]
    header = machine()
    for line in header:
        print(line, flush=True)

    def step(name: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f}s] {name}...", flush=True)

    args.out.mkdir(parents=True, exist_ok=True)
    step(f"{spec.requirement}: wheel, unpacked tree and reviews")
    prepared = realsuite.prepare(spec, args.out, args.wheel)
    header += [
        f"Suite: {spec.requirement} (wheel {prepared.wheel.name}), unpacked under {prepared.root}: "
        f"{len(prepared.modules):,} test modules under {spec.package}/tests/, {prepared.lines:,} lines",
        f"Each module has a review whose module-level line expects the {len(prepared.rules)} static rules: "
        + ", ".join(name for _, name in prepared.rules),
        f"pyproject.toml: reverting-bases = {list(spec.reverting_bases)} ({spec.why})" if spec.why else
        f"pyproject.toml: reverting-bases = {list(spec.reverting_bases)}",
        f"Verdicts on {args.clock} time; one run per figure; pytest runs with PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 "
        f"and `-p reviewgate`; every reviewgate run writes SARIF (`--reviewgate-sarif`); bytecode cached "
        f"under {args.out / 'pycache'}",
    ]
    measure.set_pycache(args.out / "pycache")
    clock = Clock(args.budget, args.runs, args.stat)
    wanted = set(filter(None, args.only.split(",")))
    done = realmeasure.benchmark(prepared, args.out, clock, args.clock, wanted, args.sample, args.seed, step)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    header.append(f"Benchmark took {time.perf_counter() - started:.0f}s (load average at the end: {load}): "
                  f"`python bench/run.py {' '.join(argv if argv is not None else sys.argv[1:])}`")
    text = markdown(header, done.sections, done.footer)
    print()
    print(text)
    target = args.out / f"{args.suite}-latest.md"
    target.write_text(text, encoding="utf-8")
    print(f"written to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
