"""Test modules of the benchmark corpus: OpenStack-style testtools classes and plain pytest tests.

Each builder grows a module from templates until it reaches its target size, recording every
definition's span and the issues planted in it, for the review writer. The modules are analysed
statically and never imported: they only have to parse.
"""

from __future__ import annotations

import ast
import random
from dataclasses import dataclass, field

from corpus_templates import (
    ALIASES,
    NOUNS,
    PYTEST_CHOICES,
    TAILS,
    TESTTOOLS_CHOICES,
    VERBS,
    fake_uuid,
    filler,
    t_env,
    t_flags,
    t_mock_start,
    t_mockpatch_fixture,
    t_override,
)

LICENSE = """# Copyright {year} Benchmark Foundation
# All Rights Reserved.
#
#    Licensed under the Apache License, Version 2.0 (the "License"); you may
#    not use this file except in compliance with the License. You may obtain
#    a copy of the License at
#
#         http://www.apache.org/licenses/LICENSE-2.0
#
#    Unless required by applicable law or agreed to in writing, software
#    distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
#    WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
#    License for the specific language governing permissions and limitations
#    under the License."""

PROJECT_IMPORTS = [f"from {m.rpartition('.')[0]} import {m.rpartition('.')[2]}" + (
    f" as {a}" if a != m.rpartition(".")[2] else "") for m, a in sorted(ALIASES.items())]
BASES = ("base.TestCase", "base.TestCase", "base.NoDBTestCase", "testtools.TestCase", "unittest.TestCase")


@dataclass
class Def:
    name: str
    qualname: str
    start: int  # first line, decorators included; 1-based
    def_line: int
    end: int
    is_test: bool
    kinds: dict[str, int] = field(default_factory=dict)  # planted issue -> its line


@dataclass
class Module:
    style: str  # "testtools" | "pytest"
    lines: list[str] = field(default_factory=list)
    defs: list[Def] = field(default_factory=list)
    classes: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"

    def add_def(self, decorators: list[str], signature: str, body: list[str], kinds: dict[str, int],
                qualname: str, indent: int, is_test: bool) -> Def:
        pad = " " * indent
        if all(not b.strip() or b.lstrip().startswith("#") for b in body):
            body = [*body, "pass"]
        start = len(self.lines) + 1
        self.lines += [pad + d for d in decorators]
        def_line = len(self.lines) + 1
        self.lines.append(pad + signature)
        self.lines += [(pad + "    " + b) if b else "" for b in body]
        name = qualname.rpartition(".")[2]
        where = {k: (start if i < 0 else def_line + 1 + i) for k, i in kinds.items()}
        found = Def(name, qualname, start, def_line, len(self.lines), is_test, where)
        self.defs.append(found)
        self.lines.append("")
        return found


def _core(body: list[str], planted: dict[str, int]) -> list[str]:
    """The shortest prefix of ``body`` that holds the planted lines and parses on its own."""
    k = max([i + 1 for i in planted.values() if i >= 0], default=0)
    while k < len(body):
        try:
            ast.parse("\n".join(body[:k]))
            break
        except SyntaxError:
            k += 1
    return body[:k]


def _test_names(rng: random.Random, used: set[str]) -> str:
    while True:
        name = f"test_{rng.choice(VERBS)}_{rng.choice(NOUNS)}{rng.choice(TAILS)}"
        if name not in used:
            used.add(name)
            return name


def _camel(words: str) -> str:
    return "".join(w.title() for w in words.split("_"))


def build_testtools(rng: random.Random, target: int, subject: str) -> Module:
    mod = Module("testtools")
    mod.lines += LICENSE.format(year=rng.randint(2012, 2023)).splitlines()
    mod.lines += ["", f'"""Tests for {subject}."""', "", "import os", "import shutil", "import tempfile",
                  "import unittest", "from unittest import mock", "", "import fixtures", "from oslo_config import cfg",
                  "from oslo_log import log as logging", "import testtools", "", "from benchproj import exception",
                  *PROJECT_IMPORTS, "from benchproj.tests import base", "from benchproj.tests import fakes", "",
                  "CONF = cfg.CONF", "LOG = logging.getLogger(__name__)", ""]
    if rng.random() < 0.4:
        mod.lines += [f"FAKE_UUID = '{fake_uuid(rng)}'", ""]
    mod.lines.append("")
    classes: set[str] = set()
    while len(mod.lines) < target or not mod.classes:
        _add_class(rng, mod, target, classes)
    return mod


def _add_class(rng: random.Random, mod: Module, target: int, classes: set[str]) -> None:
    name = _camel(rng.choice(NOUNS)) + _camel(rng.choice(VERBS)) + "TestCase"
    while name in classes:
        name = name.replace("TestCase", "V2TestCase")
    classes.add(name)
    mod.classes.append(name)
    base = rng.choice(BASES)
    mod.lines += [f"class {name}({base}):", f'    """Tests of the {name[:-8].lower()} flow."""', ""]
    setup = [("super().setUp()" if rng.random() < 0.6 else f"super({name}, self).setUp()"),
             "self.context = fakes.FakeContext()", "self.compute = manager.ComputeManager()"]
    kinds: dict[str, int] = {}
    for template in rng.sample((t_flags, t_mock_start, t_mockpatch_fixture, t_env, t_override), rng.randint(0, 2)):
        _, body, planted = template(rng)
        kinds.update({k: len(setup) + i for k, i in planted.items()})
        setup += _core(body, planted)
    mod.add_def([], "def setUp(self):", setup, kinds, f"{name}.setUp", 4, False)
    if rng.random() < 0.15:
        mod.add_def([], "def tearDown(self):", ["CONF.clear_override('host')", "super().tearDown()"], {},
                    f"{name}.tearDown", 4, False)
    for noun in rng.sample(NOUNS, rng.randint(1, 4)):
        _, body, planted = rng.choice(TESTTOOLS_CHOICES)(rng) if rng.random() < 0.4 else ([], [], {})
        planted = {k: i for k, i in planted.items() if i >= 0 and k not in ("raises", "no-assert")}
        body = _core(body, planted) + filler(rng, rng.randint(2, 8), False)
        body.append(f"return {{'name': name, '{noun}s': []}}")
        mod.add_def([], f"def _create_{noun}(self, name, **kwargs):", body, planted, f"{name}._create_{noun}", 4, False)
    used: set[str] = set()
    for _ in range(rng.randint(3, 40)):
        decorators, body, planted = rng.choice(TESTTOOLS_CHOICES)(rng)
        params = "self, mock_x" if decorators else "self"
        test = _test_names(rng, used)
        mod.add_def(decorators, f"def {test}({params}):", body, planted, f"{name}.{test}", 4, True)
        if len(mod.lines) >= target:
            break
    mod.lines.append("")


def build_pytest(rng: random.Random, target: int, subject: str) -> Module:
    mod = Module("pytest")
    mod.lines += [f'"""Functional tests of {subject} (pytest style)."""', "", "import os", "from unittest import mock",
                  "", "import pytest", "", "from benchproj import exception", *PROJECT_IMPORTS, "",
                  "LOG = mock.Mock()", "", ""]
    mod.add_def(["@pytest.fixture"], "def compute(monkeypatch):",
                ["monkeypatch.setattr(manager.ComputeManager, '_notify', mock.Mock())",
                 "return manager.ComputeManager()"], {"monkeypatch-setattr": 0}, "compute", 0, False)
    mod.lines.append("")
    mod.add_def(["@pytest.fixture"], "def context(tmp_path):",
                ["ctx = mock.Mock(project_id='demo', state_path=str(tmp_path))", "yield ctx", "ctx.reset_mock()"],
                {}, "context", 0, False)
    mod.lines.append("")
    for noun in rng.sample(NOUNS, rng.randint(1, 3)):
        mod.add_def([], f"def _create_{noun}(name, **kwargs):", [f"return {{'name': name, '{noun}s': []}}"], {},
                    f"_create_{noun}", 0, False)
        mod.lines.append("")
    used: set[str] = set()
    while len(mod.lines) < target or len(mod.defs) < 4:
        if rng.random() < 0.15:
            _add_pytest_class(rng, mod, used)
            continue
        decorators, params, body, planted = rng.choice(PYTEST_CHOICES)(rng)
        test = _test_names(rng, used)
        mod.add_def(decorators, f"def {test}({', '.join(params)}):", body, planted, test, 0, True)
        mod.lines.append("")
    return mod


def _add_pytest_class(rng: random.Random, mod: Module, used: set[str]) -> None:
    name = "Test" + _camel(rng.choice(NOUNS)) + _camel(rng.choice(VERBS))
    while name in mod.classes:
        name += "Again"
    mod.classes.append(name)
    mod.lines += [f"class {name}:", ""]
    module, attr = rng.choice(sorted(ALIASES)), rng.choice(("LOG", "CONF"))
    setup = [f"self.patcher = mock.patch('{module}.{attr}')", "self.fake = self.patcher.start()"]
    mod.add_def([], "def setup_method(self):", setup, {"mock-start-cleanup": 1}, f"{name}.setup_method", 4, False)
    if rng.random() < 0.8:
        mod.add_def([], "def teardown_method(self):", ["self.patcher.stop()"], {}, f"{name}.teardown_method", 4, False)
    else:
        mod.defs[-1].kinds = {"mock-start-leak": mod.defs[-1].def_line + 2}
    for _ in range(rng.randint(2, 8)):
        decorators, params, body, planted = rng.choice(PYTEST_CHOICES)(rng)
        test = _test_names(rng, used)
        sig = f"def {test}({', '.join(['self', *params])}):"
        mod.add_def(decorators, sig, body, planted, f"{name}.{test}", 4, True)
    mod.lines.append("")
