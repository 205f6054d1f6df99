"""Golden run: the plugin's terminal output and SARIF log over the nova suite tree, recorded once and
compared byte for byte after a change that must not alter any answer (timings normalized out).

    python bench/golden.py --record bench/out/golden      # from the unchanged code
    python bench/golden.py --compare bench/out/golden     # exit 1 and a diff summary on any change
    python bench/golden.py --compare bench/out/golden --xdist   # also: `-n 2` SARIF results == serial
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

BENCH = Path(__file__).resolve().parent
DEFAULT_TREE = BENCH / "out" / "suites" / "nova-34.0.0"
# Timings, and only timings: pytest's "in 12.34s" / "(0:01:02)" and the plugin's "analysis: 1.234s".
TIMINGS = [
    (re.compile(r"\bin \d+(?:\.\d+)?s\b( \(\d+:\d\d:\d\d\))?"), "in <T>s"),
    (re.compile(r"\banalysis: \d+(?:\.\d+)?s\b"), "analysis: <T>s"),
]


# pytest pads its summary line with "=" to the terminal width, so the padding follows the timing's length
PADDED = re.compile(r"^=+ (.*in <T>s) =+$", re.MULTILINE)


def normalize(text: str) -> str:
    for pattern, repl in TIMINGS:
        text = pattern.sub(repl, text)
    return PADDED.sub(r"== \1 ==", text)


def _env() -> dict[str, str]:
    environ = dict(os.environ)
    environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    environ.pop("PYTEST_ADDOPTS", None)
    return environ


def run(tree: Path, sarif: Path, *extra: str) -> tuple[str, float, float]:
    """(normalized terminal output, wall seconds, CPU seconds of the process tree) of one run."""
    sarif.unlink(missing_ok=True)
    plugins = ["-p", "xdist"] if "-n" in extra else []
    cmd = [sys.executable, "-m", "pytest", "-p", "reviewgate", *plugins, "--reviewgate-only",
           "-p", "no:cacheprovider", f"--reviewgate-sarif={sarif}", f"--reviewgate-sarif-root={tree}", *extra]
    before = os.times()
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=tree, env=_env(), capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    if proc.returncode not in (0, 1) or "INTERNALERROR" in proc.stdout:
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-3000:])
        raise SystemExit(f"golden run failed: exit code {proc.returncode}")
    return normalize(proc.stdout + proc.stderr), wall, cpu


def sarif_results(path: Path) -> Counter[str]:
    log = json.loads(path.read_text(encoding="utf-8"))
    return Counter(json.dumps(r, sort_keys=True) for run_ in log.get("runs", []) for r in run_.get("results", []))


def _diff(name: str, old: str, new: str) -> list[str]:
    lines = list(difflib.unified_diff(old.splitlines(), new.splitlines(), f"golden/{name}", f"now/{name}",
                                      lineterm="", n=1))
    shown = lines[:60]
    if len(lines) > len(shown):
        shown.append(f"... {len(lines) - len(shown)} more diff lines")
    return shown


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--record", type=Path, metavar="DIR")
    mode.add_argument("--compare", type=Path, metavar="DIR")
    parser.add_argument("--tree", type=Path, default=DEFAULT_TREE,
                        help="suite tree (build it with `bench/run.py --suite nova --rules`)")
    parser.add_argument("--xdist", action="store_true", help="also run `-n 2` and compare its SARIF results")
    args = parser.parse_args(argv)
    tree: Path = args.tree.resolve()
    if not (tree / "pyproject.toml").is_file():
        raise SystemExit(f"{tree}: no suite tree; build it with `python bench/run.py --suite nova --rules`")
    folder: Path = (args.record or args.compare).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    now_sarif = folder / "run.sarif"  # one path for every run: the terminal output names it
    text, wall, cpu = run(tree, now_sarif)
    print(f"serial run: wall {wall:.2f}s, cpu {cpu:.2f}s")
    if args.record:
        (folder / "golden.txt").write_text(text, encoding="utf-8")
        (folder / "golden.sarif").write_bytes(now_sarif.read_bytes())
        print(f"recorded {folder / 'golden.txt'} and {folder / 'golden.sarif'}")
        status = 0
    else:
        (folder / "now.txt").write_text(text, encoding="utf-8")
        problems: list[str] = []
        old_text = normalize((folder / "golden.txt").read_text(encoding="utf-8"))
        if old_text != text:
            problems += ["terminal output differs:", *_diff("golden.txt", old_text, text)]
        old_sarif = (folder / "golden.sarif").read_text(encoding="utf-8")
        new_sarif = now_sarif.read_text(encoding="utf-8")
        if old_sarif != new_sarif:
            problems += ["SARIF differs:", *_diff("golden.sarif", old_sarif, new_sarif)]
        print("\n".join(problems) if problems else "golden: identical terminal output and SARIF")
        status = 1 if problems else 0
    if args.xdist:
        xdist_sarif = folder / "xdist.sarif"
        _, wall, cpu = run(tree, xdist_sarif, "-n", "2")
        serial, parallel = sarif_results(now_sarif), sarif_results(xdist_sarif)
        same = serial == parallel
        print(f"-n 2 run: wall {wall:.2f}s, cpu {cpu:.2f}s; SARIF results "
              + ("equal the serial run's" if same else
                 f"DIFFER: {sum((serial - parallel).values())} only serial, "
                 f"{sum((parallel - serial).values())} only -n 2"))
        status = status or (0 if same else 1)
    return status


if __name__ == "__main__":
    sys.exit(main())
