"""Copy a suite's source (nova by default) into a scratch root and write a review beside every test module.

Each review expects RG101, RG102 and RG103 module-wide; ``pyproject.toml`` names the reverting base.
Usage: python bench/precision-state/prepare.py [--src DIR] [--package NAME] [--base QUALNAME] [--out DIR]
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

SRC = Path("/work/cache/src/nova-34.0.0")
OUT = Path("/tmp/prec-state/nova")
RULES = "config-reverted-via-fixtures, env-reverted-via-fixtures, no-unreverted-monkeypatch"
PYPROJECT = """\
[tool.pytest.ini_options]
python_files = ["test_*.py"]

[tool.reviewgate]
reverting-bases = ["{base}"]
"""


def prepare(src: Path, out: Path, extra: str = "", package: str = "nova", base: str = "nova.test.TestCase") -> int:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    shutil.copytree(src / package, out / package)
    (out / "pyproject.toml").write_text(PYPROJECT.format(base=base) + extra)
    count = 0
    for module in sorted((out / package / "tests").rglob("test_*.py")):
        review = module.with_name(module.stem + ".review.txt")
        review.write_text(f"Review of {module.name}.\n\nexpect: {RULES}\n")
        count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--src", type=Path, default=SRC)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--package", default="nova")
    parser.add_argument("--base", default="nova.test.TestCase", help="reverting-bases entry")
    parser.add_argument("--extra", default="", help="lines appended to [tool.reviewgate]")
    args = parser.parse_args()
    count = prepare(args.src, args.out, args.extra, args.package, args.base)
    print(f"{count} reviews written under {args.out}")


if __name__ == "__main__":
    main()
