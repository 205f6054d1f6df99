"""Parser linearity: ``parse_review`` on pathological inputs of growing size (SPEC 3.2).

Each input repeats a unit that stresses one scanner (anchor lists, backticks, underscores,
dotted runs, bold markers, HTML comments, nested bullets, ...). Linear parsing takes ten times
longer for ten times the input; a ratio far above 10 betrays a quadratic path.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

from measure import best_per_call

# name -> (unit repeated on one line, or a unit that ends its own line)
PATTERNS: dict[str, str] = {
    "'lines 1, ' run": "lines 1, ",
    "backtick run": "`a",
    "backticked calls `f(`": "`f(",
    "underscore run": "_",
    "'a.' run": "a.",
    "'**' run": "**",
    "'<!--' run": "<!--",
    "'CWE-' run": "CWE-",
    "'e.g., lines 1-2, and lines' run": "e.g., lines 1-2, and lines ",
    "nested bullets": "\n".join("  " * d + f"- **T{d}** `x_{d}()` lines {d}-{d + 1}" for d in range(40)) + "\n",
    "numbered findings": "1. **Title of a finding (CWE-664)**: line 5\n   - `_helper` and self._x() (lines 1-9) "
                         "do something to the configuration.\n   expect: RG101 on Tests.test_x\n   status: open\n",
    "fences": "```\n",
    "blank lines": "\n",
    "'expect: a on ' targets": "expect: tests-assert on " + "x, " * 200 + "y\n",
}
EXPONENT_LIMIT = 1.2  # time ~ size**k over the whole range: linear 1.0, n log n ~1.1, quadratic 2.0


@dataclass
class Growth:
    name: str
    seconds: dict[int, float]  # size in bytes -> seconds per parse
    skipped: str = ""

    @property
    def ratios(self) -> list[float]:
        """Time ratio of each size to the one before."""
        sizes = sorted(self.seconds)
        return [self.seconds[b] / max(self.seconds[a], 1e-9) for a, b in itertools.pairwise(sizes)]

    @property
    def exponent(self) -> float | None:
        """k in time ~ size**k, from the smallest to the largest size measured."""
        sizes = sorted(self.seconds)
        if len(sizes) < 2:
            return None
        a, b = sizes[0], sizes[-1]
        return math.log(self.seconds[b] / max(self.seconds[a], 1e-9)) / math.log(b / a)

    @property
    def linear(self) -> bool:
        return not self.skipped and self.exponent is not None and self.exponent <= EXPONENT_LIMIT


def text_of(unit: str, size: int) -> bytes:
    data = (unit * (size // len(unit) + 1))[:size]
    return ("Review of test_x.py.\n\n" + data).encode()


def grow(name: str, unit: str, sizes: Sequence[int], give_up: float = 10.0, batch: float = 0.1) -> Growth:
    """Seconds per parse at each size; cheap parses are batched to last ``batch`` seconds."""
    from pytest_reviewgate.review.parser import parse_review

    growth = Growth(name, {})
    for size in sizes:
        data = text_of(unit, size)
        started = time.perf_counter()
        parse_review(data, "test_x.review.txt")
        once = time.perf_counter() - started
        if once > give_up:
            growth.seconds[size] = once
            growth.skipped = f"one parse of {size:,} bytes took {once:.1f}s; larger sizes skipped"
            break
        if once < 0.05:  # cheap: batch calls to beat the clock's resolution
            once = min(once, best_per_call(lambda data=data: parse_review(data, "test_x.review.txt"), batch, 2))
        elif once < 1.0:
            started = time.perf_counter()
            parse_review(data, "test_x.review.txt")
            once = min(once, time.perf_counter() - started)
        growth.seconds[size] = once
        previous = sorted(growth.seconds)[-2:]
        if len(previous) == 2 and growth.seconds[previous[1]] / max(growth.seconds[previous[0]], 1e-9) > 40:
            if size != sizes[-1]:
                growth.skipped = f"x{growth.ratios[-1]:.0f} for 10x the input; larger sizes skipped"
            break
    return growth


def run_all(sizes: Sequence[int] = (10_000, 100_000, 1_000_000), batch: float = 0.1) -> list[Growth]:
    return [grow(name, unit, sizes, batch=batch) for name, unit in PATTERNS.items()]
