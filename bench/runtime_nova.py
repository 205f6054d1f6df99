"""Runtime rules on real tests: nova 34.0.0 unit-test modules run under pytest with a review beside
each that expects ``no-leaked-patches, env-restored, config-restored``, serially and under ``-n 2``;
prints the teardown errors of each run (a leak fails the test's teardown; the target is 0).

    python bench/runtime_nova.py                 # venv + tree under bench/out/, then both runs
    python bench/runtime_nova.py --print-install # only print what the venv needs
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import subprocess
import sys
import time
import venv
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
# what nova's unit tests import beyond nova's own requirements, plus the runner: pytest 8 and
# testtools < 2.8 as the runs were first made with; SQLAlchemy < 2.1 because nova's WarningsFixture
# turns 2.1's deprecations (``noload``) into test failures
TEST_DEPS = ("oslotest", "ddt", "testscenarios", "testresources", "requests-mock", "python-barbicanclient",
             "wsgi-intercept", "SQLAlchemy<2.1", "pytest>=8,<9", "pytest-xdist", "testtools<2.8")
EXPECT = "no-leaked-patches, env-restored, config-restored"
# modules picked for breadth (utilities, objects, compute, virt, the test fixtures themselves) and
# for running without services: about 1,000 tests
MODULES = (
    "nova/tests/unit/test_utils.py",
    "nova/tests/unit/test_exception.py",
    "nova/tests/unit/test_context.py",
    "nova/tests/unit/test_block_device.py",
    "nova/tests/unit/test_fixtures.py",
    "nova/tests/unit/objects/test_instance.py",
    "nova/tests/unit/objects/test_fields.py",
    "nova/tests/unit/compute/test_claims.py",
    "nova/tests/unit/virt/test_hardware.py",
)
# nova.test.TestCase registers ``_clear_attrs`` as a cleanup: it deletes the test's instance
# attributes, and pytest's unittest support still reads some after the cleanups ran
SHIM = '''"""Bench shim: nova.test.TestCase keeps its attributes after the test (no ``_clear_attrs``)."""


def pytest_collection_finish(session):
    import nova.test

    nova.test.TestCase._clear_attrs = lambda self: None
'''
TEARDOWN = re.compile(r"^_+ ERROR at teardown of (\S+) _+$", re.M)
SETUP = re.compile(r"^_+ ERROR at setup of (\S+) _+$", re.M)
OUTCOME = re.compile(r"(\d+) (passed|failed|errors?|skipped|xfailed|xpassed)")


def install_command(python: Path, wheel: Path) -> list[str]:
    return [str(python), "-m", "pip", "install", "-q", str(wheel), *TEST_DEPS, "-e", str(REPO)]


def ensure_venv(where: Path, wheel: Path) -> Path:
    """A virtualenv with nova, its test dependencies and this checkout of the plugin."""
    python = where / "bin" / "python"
    stamp = where / ".bench-stamp"
    wanted = " ".join(install_command(python, wheel))
    if stamp.exists() and stamp.read_text() == wanted:
        return python
    if not python.exists():
        venv.create(where, with_pip=True)
    print(f"installing: {wanted}", flush=True)
    proc = subprocess.run(install_command(python, wheel), capture_output=True, text=True, check=False)
    if proc.returncode:
        raise SystemExit(f"pip failed (exit code {proc.returncode}):\n{proc.stderr[-3000:]}")
    stamp.write_text(wanted)
    return python


def prepare_tree(root: Path, wheel: Path, modules: list[str]) -> None:
    """nova's package from the wheel, the conftest shim, and a runtime review beside each module."""
    if not (root / "etc" / "nova" / "api-paste.ini").exists():
        root.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(root, [n for n in archive.namelist() if n.startswith("nova/")])
            for name in archive.namelist():  # etc/nova/api-paste.ini: OSAPIFixture loads the API from it
                data = name.partition(".data/data/")[2]
                if data.startswith("etc/") and not name.endswith("/"):
                    (root / data).parent.mkdir(parents=True, exist_ok=True)
                    (root / data).write_bytes(archive.read(name))
    (root / "conftest.py").write_text(SHIM, encoding="utf-8")
    (root / "pyproject.toml").write_text("[tool.pytest.ini_options]\n\n[tool.reviewgate]\n", encoding="utf-8")
    for old in root.joinpath("nova").rglob("*.review.txt"):
        old.unlink()
    for module in modules:
        path = root / module
        path.with_name(path.stem + ".review.txt").write_text(
            f"Runtime review of {module}, written by the bench.\n\nexpect: {EXPECT}\n", encoding="utf-8")


@dataclass
class Run:
    """One pytest run's outcome counts and its teardown errors, by first ``E`` line."""

    cmd: str
    exit: int
    wall: float
    log: Path
    counts: dict[str, int] = field(default_factory=dict)
    teardown: list[str] = field(default_factory=list)
    setup: list[str] = field(default_factory=list)
    reasons: Counter[str] = field(default_factory=Counter)


def run(python: Path, root: Path, modules: list[str], extra: list[str], log: Path) -> Run:
    env = dict(os.environ, PYTEST_DISABLE_PLUGIN_AUTOLOAD="1", OS_NOVA_DISABLE_EVENTLET_PATCHING="1")
    env.pop("PYTEST_ADDOPTS", None)
    cmd = [str(python), "-m", "pytest", "-p", "reviewgate", "-p", "no:cacheprovider", "-p", "no:randomly",
           "-q", "-rfE", "--tb=short", *extra, *modules]
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    log.write_text(proc.stdout + proc.stderr, encoding="utf-8")
    tail = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""
    counts = {kind.rstrip("s") if kind.startswith("error") else kind: int(n) for n, kind in OUTCOME.findall(tail)}
    teardown = TEARDOWN.findall(proc.stdout)
    reasons = Counter(_reason(proc.stdout, node) for node in teardown)
    return Run(" ".join(cmd), proc.returncode, wall, log, counts, teardown, SETUP.findall(proc.stdout), reasons)


def _reason(output: str, node: str) -> str:
    """The first lines of a teardown error's section: a leak report names the rule and the state."""
    start = output.find(f"ERROR at teardown of {node}")
    lines = [line.strip() for line in output[start:start + 20000].splitlines()[1:4] if line.strip()]
    return " / ".join(line.removeprefix("E ").strip() for line in lines[:2])[:200] or "(empty)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=BENCH / "out")
    parser.add_argument("--wheel", type=Path, default=None, help="nova's wheel (default: downloaded once)")
    parser.add_argument("--print-install", action="store_true", help="print what the venv needs, then stop")
    parser.add_argument("--only", choices=("serial", "xdist"), default=None)
    parser.add_argument("modules", nargs="*", default=list(MODULES), help="test modules under the tree's root")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(BENCH))
    from realsuite import SUITES, fetch_wheel

    wheel = args.wheel or fetch_wheel(SUITES["nova"], args.out / "wheels")
    where = args.out / "runtime-venv"
    if args.print_install:
        print(f"python3 -m venv {where}\n" + shlex.join(install_command(where / "bin" / "python", wheel)))
        return 0
    python = ensure_venv(where, wheel)
    root = args.out / "runtime" / "nova-34.0.0"
    prepare_tree(root, wheel, args.modules)
    runs = [("serial", []), ("-n 2", ["-p", "xdist", "-n", "2"])]
    if args.only:
        runs = [r for r in runs if (r[0] == "serial") == (args.only == "serial")]
    print(f"nova 34.0.0, {len(args.modules)} modules, each reviewed with `expect: {EXPECT}`; tree {root}")
    failed = False
    for name, extra in runs:
        log = args.out / f"runtime-nova-{name.replace(' ', '').lstrip('-')}.log"
        result = run(python, root, args.modules, extra, log)
        summary = ", ".join(f"{n} {k}" for k, n in result.counts.items())
        print(f"\n{name}: {summary or 'no outcome line'} in {result.wall:.0f}s (exit {result.exit})")
        print(f"  teardown errors: {len(result.teardown)}; setup errors: {len(result.setup)}  (log: {result.log})")
        for reason, n in result.reasons.most_common(10):
            print(f"    {n} x {reason}")
        print(f"  command: (cd {root} && {result.cmd})")
        failed = failed or bool(result.teardown)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
