"""Print a seeded random sample of the reports of one rule, with the source around each site.

    python bench/precision/sample.py /tmp/prec-mocks/nova.json RG202 --root /tmp/prec-mocks/nova
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path


def sample(results: list[dict[str, object]], rule: str, size: int, seed: int) -> list[dict[str, object]]:
    chosen = sorted((r for r in results if r["rule"] == rule), key=lambda r: (r["path"], r["line"], r["message"]))
    random.seed(seed)
    return random.sample(chosen, min(size, len(chosen)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("results", type=Path)
    parser.add_argument("rule")
    parser.add_argument("--root", type=Path, default=Path("/tmp/prec-mocks/nova"))
    parser.add_argument("--size", type=int, default=25)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--context", type=int, default=3)
    args = parser.parse_args()
    results = json.loads(args.results.read_text(encoding="utf-8"))
    for number, result in enumerate(sample(results, args.rule, args.size, args.seed), 1):
        path = args.root / str(result["path"])
        line = int(str(result["line"]))
        print(f"--- {number}. {result['path']}:{line}\n    {result['message']}")
        if args.context >= 0 and path.is_file():
            lines = path.read_text(encoding="utf-8").splitlines()
            for at in range(max(1, line - args.context), min(len(lines), line + args.context) + 1):
                print(f"{'>' if at == line else ' '}{at:5d} {lines[at - 1]}")


if __name__ == "__main__":
    main()
