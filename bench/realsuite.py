"""Real suites for the benchmark: a project's wheel (its tests included) unpacked under bench/out/,
with a review beside every test module that expects every static rule module-wide.

``prepare`` is the one code path; the smoke test feeds it a wheel it builds instead of a download.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from measure import PYTHON


@dataclass(frozen=True)
class Suite:
    """A project whose wheel ships its tests."""

    name: str  # the distribution, as pip knows it
    version: str
    package: str  # the import package; test modules are under ``<package>/tests/``
    reverting_bases: tuple[str, ...]
    why: str = ""  # where the reverting base comes from, for the table's header

    @property
    def requirement(self) -> str:
        return f"{self.name}=={self.version}"


SUITES: dict[str, Suite] = {
    "nova": Suite("nova", "34.0.0", "nova", ("nova.test.TestCase",),
                  "nova.test.TestCase installs a config fixture (ConfFixture) in setUp"),
    "neutron": Suite("neutron", "29.0.0", "neutron", ("neutron.tests.base.DietTestCase",),
                     "neutron.tests.base.DietTestCase registers addCleanup(CONF.reset) in setUp; "
                     "BaseTestCase derives from it"),
    "cinder": Suite("cinder", "29.0.0", "cinder", ("cinder.tests.unit.test.TestCase",),
                    "cinder.tests.unit.test.TestCase registers addCleanup(CONF.reset) in setUp "
                    "(29.0.0 has no cinder/test.py)"),
    "glance": Suite("glance", "29.0.0", "glance", ("glance.tests.utils.BaseTestCase",),
                    "glance.tests.utils.BaseTestCase installs a config fixture (oslo_config Config) and "
                    "registers addCleanup(CONF.reset) in setUp; unit and functional bases derive from it"),
    "manila": Suite("manila", "23.0.1", "manila", ("manila.test.TestCase",),
                    "manila.test.TestCase installs a config fixture (oslo_config Config on lockutils.CONF) "
                    "in setUp and calls CONF.reset() in tearDown"),
    "ironic": Suite("ironic", "39.0.0", "ironic", ("ironic.tests.base.TestCase",),
                    "ironic.tests.base.TestCase installs a config fixture (oslo_config Config) in _set_config, "
                    "which its setUp calls"),
    "keystone": Suite("keystone", "30.0.0", "keystone",
                      ("keystone.tests.unit.core.TestCase",
                       "keystone.tests.unit.base_classes.TestCaseWithBootstrap"),
                      "keystone.tests.unit.core.TestCase and base_classes.TestCaseWithBootstrap install a "
                      "config fixture (oslo_config Config) in setUp; core.BaseTestCase installs none"),
}
REVIEW_SUFFIX = ".review.txt"
RULE_LINE = re.compile(r"^(RG\d{3})\s+(\S+)\s+(.*)$")


@dataclass
class Prepared:
    """An unpacked suite with its reviews written."""

    suite: Suite
    root: Path  # the rootdir: pyproject.toml, the package, the reviews
    wheel: Path
    rules: list[tuple[str, str]]  # (code, name) of the static rules every review expects
    modules: list[Path] = field(default_factory=list)
    reviews: list[Path] = field(default_factory=list)

    @property
    def lines(self) -> int:
        return sum(len(p.read_bytes().splitlines()) for p in self.modules)


def static_rules() -> list[tuple[str, str]]:
    """(code, name) of every static rule, as ``pytest --reviewgate-rules`` lists them: RG1xx to RG8xx
    (RG0xx check the review itself, RG9xx are runtime probes)."""
    proc = subprocess.run([PYTHON, "-m", "pytest", "-p", "reviewgate", "-p", "no:cacheprovider",
                           "--reviewgate-rules"], capture_output=True, text=True, check=False,
                          env=_env())
    rules = [(m[1], m[2]) for m in map(RULE_LINE.match, proc.stdout.splitlines())
             if m and 100 <= int(m[1][2:]) < 900]
    if not rules:
        raise SystemExit(f"`pytest --reviewgate-rules` listed no static rule:\n{proc.stdout}{proc.stderr}")
    return rules


def _env() -> dict[str, str]:
    import os

    environ = dict(os.environ)
    environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    environ.pop("PYTEST_ADDOPTS", None)
    return environ


def fetch_wheel(suite: Suite, cache: Path) -> Path:
    """The suite's wheel from ``cache``, downloaded there first (``pip download --no-deps``) if absent."""
    cache.mkdir(parents=True, exist_ok=True)
    found = _cached_wheel(suite, cache)
    if found is None:
        cmd = [PYTHON, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:", "-d", str(cache),
               suite.requirement]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        found = _cached_wheel(suite, cache)
        if proc.returncode or found is None:
            raise SystemExit(f"`{' '.join(cmd)}` failed (exit code {proc.returncode}):\n{proc.stderr[-2000:]}")
    return found


def _cached_wheel(suite: Suite, cache: Path) -> Path | None:
    stem = re.sub(r"[-_.]+", "_", suite.name)
    found = sorted(cache.glob(f"{stem}-{suite.version}-*.whl"))
    return found[0] if found else None


def review_text(module: str, rules: list[tuple[str, str]]) -> str:
    names = ", ".join(name for _, name in rules)
    return (f"Benchmark review of {module}, written by the bench: every static rule, module-wide.\n"
            f"\nexpect: {names}\n")


def pyproject_text(suite: Suite) -> str:
    bases = ", ".join(f'"{b}"' for b in suite.reverting_bases)
    return f"[tool.pytest.ini_options]\n\n[tool.reviewgate]\nreverting-bases = [{bases}]\n"


def prepare(suite: Suite, out: Path, wheel: Path | None = None) -> Prepared:
    """Unpack the suite's wheel under ``out/suites/`` and write its reviews and pyproject.toml.

    Reused while the wheel, the static rules and this generator are unchanged; rebuilt otherwise.
    """
    wheel = wheel or fetch_wheel(suite, out / "wheels")
    rules = static_rules()
    root = out / "suites" / f"{suite.name}-{suite.version}"
    stamp = hashlib.sha256(b"\0".join([wheel.name.encode(), str(wheel.stat().st_size).encode(),
                                       repr(rules).encode(), pyproject_text(suite).encode(),
                                       Path(__file__).read_bytes()])).hexdigest()
    marker = root / ".bench-stamp"
    if not (marker.exists() and marker.read_text() == stamp):
        if root.exists():
            shutil.rmtree(root)
        root.mkdir(parents=True)
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(root)
        (root / "pyproject.toml").write_text(pyproject_text(suite), encoding="utf-8")
        for module in find_test_modules(root, suite.package):
            relative = module.relative_to(root).as_posix()
            module.with_name(module.stem + REVIEW_SUFFIX).write_text(review_text(relative, rules), encoding="utf-8")
        marker.write_text(stamp)
    prepared = Prepared(suite, root, wheel, rules)
    prepared.modules = find_test_modules(root, suite.package)
    prepared.reviews = [m.with_name(m.stem + REVIEW_SUFFIX) for m in prepared.modules]
    if not prepared.modules:
        raise SystemExit(f"no test_*.py under {root / suite.package / 'tests'}")
    return prepared


def find_test_modules(root: Path, package: str) -> list[Path]:
    """Every ``test_*.py`` under ``<package>/tests/``, sorted."""
    return sorted(p for p in (root / package / "tests").rglob("test_*.py") if p.is_file())


TRIVIAL_HEADER = '"""Trivial tests: as many functions as the real suite has review items."""\n'


def trivial_tree(root: Path, functions: int, modules: int) -> Path:
    """``functions`` trivial test functions spread over ``modules`` modules (packages of 50, unique
    basenames), no review anywhere: what pytest alone costs for that many items."""
    stamp = f"{functions} {modules} {hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]}"
    marker = root / ".bench-stamp"
    if marker.exists() and marker.read_text() == stamp:
        return root
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    (root / "pyproject.toml").write_text("[tool.pytest.ini_options]\n", encoding="utf-8")
    modules = max(1, min(modules, functions))
    for m in range(modules):
        count = functions // modules + (m < functions % modules)
        package = root / "tests" / f"group{m // 50:03d}"
        package.mkdir(parents=True, exist_ok=True)
        body = [TRIVIAL_HEADER]
        body += [f"\ndef test_trivial_{m}_{f}():\n    assert {f} == {f}\n" for f in range(count)]
        (package / f"test_trivial_{m:05d}.py").write_text("".join(body), encoding="utf-8")
    marker.write_text(stamp)
    return root
