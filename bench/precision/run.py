"""Run the static rules module-wide over a real suite's copy and count the reports per rule.

    python bench/precision/run.py --suite nova --out /tmp/prec-mocks/nova.json
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

SOURCES = {
    "nova": (Path("/work/cache/src/nova-34.0.0"), "nova", "nova.test.TestCase"),
    "neutron": (Path("/work/cache/src/neutron-29.0.0"), "neutron", "neutron.tests.base.BaseTestCase"),
    "cinder": (Path("/work/cache/src/cinder-29.0.0"), "cinder", "cinder.test.TestCase"),
}
RULES = (
    "mocks-undone",
    "mocks-autospecced",
    "patch-targets-exist",
    "cleanup-registered",
    "tests-assert",
    "error-paths-tested",
)


def prepare(suite: str, work: Path, rules: tuple[str, ...]) -> Path:
    """A writable copy of the suite with one module-level review beside each test module."""
    source, package, base = SOURCES[suite]
    root = work / suite
    if not (root / package).is_dir():
        shutil.copytree(source / package, root / package)
    (root / "pyproject.toml").write_text(
        f'[tool.reviewgate]\nreverting-bases = ["{base}"]\n', encoding="utf-8"
    )
    for review in (root / package).rglob("*.review.txt"):
        review.unlink()
    for module in sorted((root / package).rglob("test_*.py")):
        review = module.with_name(module.stem + ".review.txt")
        review.write_text(f"Review of {module.name}.\n\nexpect: {', '.join(rules)}\n", encoding="utf-8")
    return root


def run(root: Path) -> list[dict[str, object]]:
    sarif = root / "out.sarif"
    started = time.monotonic()
    command = [
        sys.executable, "-m", "pytest", "-p", "reviewgate", "--reviewgate-only", "-q",
        "-p", "no:cacheprovider", "-p", "no:randomly", "--reviewgate-sarif", str(sarif),
    ]
    done = subprocess.run(command, cwd=root, capture_output=True, text=True)
    lines = done.stdout.strip().splitlines()
    print("\n".join([line for line in lines if "analysis:" in line] + lines[-1:]) if lines else done.stderr[-2000:])
    print(f"run: {time.monotonic() - started:.0f}s", file=sys.stderr)
    data = json.loads(sarif.read_text(encoding="utf-8"))
    out: list[dict[str, object]] = []
    for result in data["runs"][0]["results"]:
        location = result["locations"][0]["physicalLocation"]
        out.append(
            {
                "rule": result["ruleId"],
                "path": location["artifactLocation"]["uri"],
                "line": location["region"]["startLine"],
                "message": result["message"]["text"],
            }
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--suite", default="nova", choices=sorted(SOURCES))
    parser.add_argument("--work", type=Path, default=Path("/tmp/prec-mocks"))
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--rules", default=",".join(RULES))
    args = parser.parse_args()
    root = prepare(args.suite, args.work, tuple(args.rules.split(",")))
    results = run(root)
    args.out.write_text(json.dumps(results, indent=1), encoding="utf-8")
    for rule, count in sorted(Counter(str(r["rule"]) for r in results).items()):
        print(f"{rule}\t{count}")


if __name__ == "__main__":
    main()
