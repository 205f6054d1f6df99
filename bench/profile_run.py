"""Where a cold ``--reviewgate-only`` run spends its time: cProfile, top functions by cumulative time.

Profiling slows everything down by a similar factor, so read the shares, not the seconds.
"""

from __future__ import annotations

import pstats
import tempfile
from pathlib import Path

from measure import PYTHON, pytest_cmd, run
from suite import ONLY


def profile(root: Path, top: int = 25) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="rg-bench-prof-") as tmp:
        out = Path(tmp) / "run.prof"
        cmd = [PYTHON, "-m", "cProfile", "-o", str(out), *pytest_cmd(*ONLY, "--cache-clear")[1:]]
        done = run(cmd, root)
        if not out.exists():
            return [f"profiling failed (exit code {done.returncode}): {done.output[-400:]}"]
        stats = pstats.Stats(str(out))
    total = max((v[3] for v in stats.stats.values()), default=1.0)  # type: ignore[attr-defined]
    rows = []
    for (path, line, name), (_, calls, tottime, cumtime, _) in stats.stats.items():  # type: ignore[attr-defined]
        rows.append((cumtime, tottime, calls, f"{_short(path)}:{line}({name})"))
    lines = [f"cProfile of one cold `--reviewgate-only` run: {total:.1f}s under the profiler", "",
             "Top functions of pytest_reviewgate by cumulative time:", "",
             "| cumulative | share | own | calls | function |", "|---:|---:|---:|---:|---|"]
    ours = sorted((r for r in rows if "pytest_reviewgate" in r[3]), reverse=True)[:top]
    lines += [f"| {c:.2f}s | {c / total:.0%} | {t:.2f}s | {n:,} | `{f}` |" for c, t, n, f in ours]
    lines += ["", "Top functions anywhere by own time:", "", "| own | share | calls | function |",
              "|---:|---:|---:|---|"]
    own = sorted(rows, key=lambda r: r[1], reverse=True)[:15]
    lines += [f"| {t:.2f}s | {t / total:.0%} | {n:,} | `{f}` |" for _, t, n, f in own]
    return lines


def _short(path: str) -> str:
    for marker in ("site-packages/", "pytest_reviewgate/", "lib/python"):
        if marker in path:
            head = "pytest_reviewgate/" if marker == "pytest_reviewgate/" else ""
            return head + path.split(marker, 1)[1]
    return path
