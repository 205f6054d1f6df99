"""Deterministic benchmark corpora (same seed and size, same bytes).

- ``generate``: a package tree of reviewed test modules (OpenStack-style testtools classes and
  plain pytest tests, median ~150 lines, some over 5,000, one over 20,000) with conftest.py
  files, a base TestCase module, project source the tests patch, and one review per module;
- ``trivial_tree``: real but trivial test modules and no review, for collection overhead;
- ``runtime_tree``: one module of many tests, some watched by runtime expectations, some not.

Run ``python bench/corpus.py DIR [--modules N] [--seed S]`` to write one and look at it.
"""

from __future__ import annotations

import argparse
import math
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from corpus_modules import build_pytest, build_testtools
from corpus_reviews import write_review
from corpus_templates import PROJECT

AREAS = ("compute", "virt/libvirt", "virt/hyperv", "network", "api/openstack/compute", "scheduler/filters",
         "objects", "conductor/tasks", "image", "volume", "db/main", "cells", "console", "pci", "policies")
PYPROJECT = """[tool.pytest.ini_options]
pythonpath = ["."]

[tool.reviewgate]
reverting-bases = ["benchproj.tests.base.TestCase"]
extend-config-objects = ["benchproj.conf.CONF"]
"""
BASE = '''"""Base classes for the unit tests, in the OpenStack manner."""

from unittest import mock

import fixtures
import testtools
from oslo_config import cfg
from oslo_config import fixture as config_fixture

CONF = cfg.CONF


class TestCase(testtools.TestCase):
    """Installs a config fixture, so overrides are reset at cleanup, and stops all patches."""

    def setUp(self):
        super().setUp()
        self.config_fixture = self.useFixture(config_fixture.Config(CONF))
        self.addCleanup(mock.patch.stopall)
        self.useFixture(fixtures.NestedTempfile())

    def flags(self, **kw):
        group = kw.pop("group", None)
        for k, v in kw.items():
            CONF.set_override(k, v, group)


class NoDBTestCase(TestCase):
    USES_DB = False
'''
FAKES = '''"""Fakes shared by the tests."""


class FakeContext:
    project_id = "fake-project"
    user_id = "fake-user"
    is_admin = False
'''
ROOT_CONFTEST = '''"""Fixtures for every test of the project."""

import pytest


@pytest.fixture
def fake_context():
    return {"project_id": "fake-project", "user_id": "fake-user"}


@pytest.fixture(autouse=True)
def _no_sleep(monkeypatch):
    monkeypatch.setattr("time.sleep", lambda seconds: None)
'''
AREA_CONFTEST = '''"""Fixtures of the {area} functional tests."""

import pytest


@pytest.fixture
def {name}_api(fake_context):
    return {{"context": fake_context, "endpoint": "http://localhost/{area}"}}
'''


@dataclass
class Corpus:
    root: Path
    modules: list[Path] = field(default_factory=list)  # the reviewed test modules
    reviews: list[Path] = field(default_factory=list)
    lines: int = 0

    @property
    def sizes(self) -> list[int]:
        return sorted(len(p.read_bytes().splitlines()) for p in self.modules)


def sizes(rng: random.Random, count: int) -> list[int]:
    """Module sizes in lines: log-normal around 150; with 100 modules or more, some giants."""
    out = [int(min(4500, max(40, rng.lognormvariate(math.log(125), 0.75)))) for _ in range(count)]
    if count >= 100:
        giants = [rng.randint(5200, 12000) for _ in range(max(1, count // 200))] + [rng.randint(20500, 22000)]
        for slot, size in zip(rng.sample(range(count), len(giants)), giants, strict=True):
            out[slot] = size
    return out


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _package(root: Path, relative: str) -> Path:
    path = root
    for part in relative.split("/"):
        path = path / part
        path.mkdir(parents=True, exist_ok=True)
        (path / "__init__.py").touch()
    return path


def _project_source(root: Path) -> None:
    for module, (cls, methods) in PROJECT.items():
        body = [f'"""{module}: code under test."""', "", "import logging", "", "LOG = logging.getLogger(__name__)",
                "RETRY_INTERVAL = 1", "", "", f"class {cls}:"]
        for method in methods:
            body += [f"    def {method}(self, *args, **kwargs):", "        return None", ""]
        package = _package(root, module.rpartition(".")[0].replace(".", "/"))
        _write(package / (module.rpartition(".")[2] + ".py"), "\n".join(body) + "\n")
    _write(root / "benchproj" / "exception.py", '"""Exceptions."""\n\n\nclass NotFound(Exception):\n    pass\n')
    _write(root / "benchproj" / "conf.py", '"""Configuration."""\n\nfrom oslo_config import cfg\n\nCONF = cfg.CONF\n')


def generate(root: Path, modules: int = 1000, seed: int = 2024) -> Corpus:
    """Write the reviewed corpus under ``root`` (emptied first)."""
    if root.exists():
        shutil.rmtree(root)
    rng = random.Random(seed)
    corpus = Corpus(root)
    _write(root / "pyproject.toml", PYPROJECT)
    _project_source(root)
    tests = _package(root, "benchproj/tests")
    _write(tests / "base.py", BASE)
    _write(tests / "fakes.py", FAKES)
    _write(tests / "conftest.py", ROOT_CONFTEST)
    for index, lines in enumerate(sizes(rng, modules)):
        area = AREAS[index % len(AREAS)]
        functional = rng.random() < 0.3
        directory = _package(root, f"benchproj/tests/{'functional' if functional else 'unit'}/{area}")
        if functional and not (directory / "conftest.py").exists():
            _write(directory / "conftest.py", AREA_CONFTEST.format(area=area, name=area.replace("/", "_")))
        subject = f"benchproj.{area.replace('/', '.')}"
        mod = (build_pytest if functional else build_testtools)(rng, lines, subject)
        name = f"test_{area.rpartition('/')[2]}_{index:04d}"
        path = directory / f"{name}.py"
        _write(path, mod.text)
        review = directory / f"{name}.review.txt"
        _write(review, write_review(rng, mod, path.name))
        corpus.modules.append(path)
        corpus.reviews.append(review)
        corpus.lines += len(mod.lines)
    return corpus


TRIVIAL = '''"""Trivial tests number {i}."""

import pytest


def helper(value):
    return value * 2


def test_double_{i}():
    assert helper({i}) == {double}


@pytest.mark.parametrize("value", [1, 2])
def test_positive_{i}(value):
    assert helper(value) > 0


class TestThing{i}:
    def test_method(self):
        assert helper(0) == 0
'''


def trivial_tree(root: Path, count: int = 1000) -> Path:
    """``count`` real but trivial test modules in packages of 50, no review anywhere."""
    if root.exists():
        shutil.rmtree(root)
    _write(root / "pyproject.toml", "[tool.pytest.ini_options]\n")
    for i in range(count):
        package = _package(root, f"tests/group{i // 50:03d}")
        _write(package / f"test_trivial_{i:04d}.py", TRIVIAL.format(i=i, double=2 * i))
    return root


INTERLEAVE = '''"""Interleave the populations, rotating their order, so a busy machine slows them alike."""


def pytest_collection_modifyitems(items):
    others, groups = [], {}
    for item in items:
        if getattr(item, "callspec", None) is None:  # the review's own items
            others.append(item)
        else:
            groups.setdefault(item.originalname.rstrip("0123456789"), []).append(item)
    rows = list(groups.values())
    shortest = min(map(len, rows), default=0)
    out = []
    for i in range(shortest):
        turn = i % len(rows)
        out += [row[i] for row in rows[turn:] + rows[:turn]]
    items[:] = others + out + [item for row in rows for item in row[shortest:]]
'''
POPULATIONS = {  # test function prefix -> runtime rules that watch it
    "test_plain_": "",
    "test_envmock_": "env-restored, no-leaked-patches",
    "test_config_": "env-restored, no-leaked-patches, config-restored",
}


def runtime_tree(root: Path, tests: int = 10000) -> Path:
    """One module with ``tests`` tests per population in ``POPULATIONS`` (10 parametrized functions
    each), a review whose expectations watch all but ``test_plain_*``, and a conftest that
    interleaves the populations. The module imports oslo.config, so its probe is active."""
    if root.exists():
        shutil.rmtree(root)
    per = max(1, tests // 10)
    body = ['"""Many small tests, for the per-test cost of runtime probes."""', "", "import pytest",
            "from oslo_config import cfg", "", "CONF = cfg.CONF", ""]
    for prefix in POPULATIONS:
        for f in range(10):
            body += ["", f"@pytest.mark.parametrize('i', range({per}))", f"def {prefix}{f}(i):",
                     "    assert i >= 0", ""]
    _write(root / "pyproject.toml", "[tool.pytest.ini_options]\n")
    _write(root / "conftest.py", INTERLEAVE)
    _write(root / "test_many.py", "\n".join(body))
    review = ["Review of test_many.py.", ""]
    for n, (prefix, rules) in enumerate(((p, r) for p, r in POPULATIONS.items() if r), start=1):
        review += [f"{n}. **State Leaks Between Tests (CWE-664)**:",
                   f"   - `{prefix}0` and its siblings must leave the process as they found it.",
                   f"   expect: {rules} on {prefix}*", ""]
    _write(root / "test_many.review.txt", "\n".join(review))
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root", type=Path)
    parser.add_argument("--modules", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    corpus = generate(args.root, args.modules, args.seed)
    sizes_ = corpus.sizes
    print(f"{len(corpus.modules)} modules, {corpus.lines} lines, median {sizes_[len(sizes_) // 2]}, "
          f"max {sizes_[-1]}, over 5,000: {sum(s > 5000 for s in sizes_)}")


if __name__ == "__main__":
    main()
