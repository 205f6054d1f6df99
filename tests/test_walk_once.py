"""Facts are computed once per function and module analysis: however many rules ask, the engine's
shared ``Flow`` walks each function once as body code and, if it is a cleanup, once as teardown
(over tests/rules/data/: 335 walks for 329 functions; the 6 extra are registered cleanups)."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from pytest_reviewgate.analysis import walk
from pytest_reviewgate.analysis.closures import ClosureBuilder
from pytest_reviewgate.analysis.flow import Flow
from pytest_reviewgate.analysis.index import parse_module
from pytest_reviewgate.analysis.project import SourceProject
from pytest_reviewgate.config import settings_from_table
from pytest_reviewgate.engine import checks
from pytest_reviewgate.engine.plan import ItemSpec
from pytest_reviewgate.rules import BUILTIN_RULES

DATA = Path(__file__).parent / "rules" / "data"
SETTINGS = re.compile(r"^# settings: (\{.*\})$", re.M)
STATIC = [rule for rule in BUILTIN_RULES if rule.kind == "static" and 100 <= int(rule.code[2:]) < 900]


def _walks(path: Path, monkeypatch: pytest.MonkeyPatch, shared: bool = True) -> Counter[tuple[str, str, str]]:
    """(module, function, teardown or not) -> facts walks, for every static rule over the module."""
    counted: Counter[tuple[str, str, str]] = Counter()
    real = walk.walk_scope

    def counting(scope, aliases):  # type: ignore[no-untyped-def]
        from pytest_reviewgate.analysis.facts import is_teardown

        counted[scope.index.path, scope.definition.qualname, str(is_teardown(scope))] += 1
        return real(scope, aliases)

    monkeypatch.setattr(walk, "walk_scope", counting)
    found = SETTINGS.search(path.read_text(encoding="utf-8"))
    settings = settings_from_table(json.loads(found.group(1)) if found else {})
    project = SourceProject([DATA])
    index = parse_module(path.read_bytes(), str(path))
    module = checks.Module(index, (), None, Flow() if shared else None, ClosureBuilder(index, (), project))
    for rule in STATIC:
        outcome = checks.run(rule, ItemSpec("expect", rule.name, rule.code), module, settings, project)
        assert not outcome.error, outcome.error
    return counted


@pytest.mark.parametrize("path", sorted(DATA.glob("rg[0-9][0-9][0-9]_*.py")), ids=lambda p: p.stem)
def test_each_function_is_walked_once_for_all_rules(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    counted = _walks(path, monkeypatch)
    assert counted, "no function was walked: the count proves nothing"
    assert {key: n for key, n in counted.items() if n > 1} == {}


def test_the_count_sees_a_second_walk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a shared flow each rule walks again: the counter says so."""
    counted = _walks(DATA / "rg201_unittest.py", monkeypatch, shared=False)
    assert max(counted.values()) > 1


@pytest.mark.parametrize("path", sorted(DATA.glob("rg[0-9][0-9][0-9]_*.py")), ids=lambda p: p.stem)
def test_the_summaries_read_node_lists_the_index_walk_made(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Summaries the facts walk does not record (asserts, patch calls, names bound) read a
    function's list of nodes: the index walk made it, nothing walks the function again for it."""
    from pytest_reviewgate.analysis import index as index_module

    listed: Counter[tuple[str, int]] = Counter()
    real = index_module._below
    read = index_module.walk
    asked: Counter[str] = Counter()

    def counting(node):  # type: ignore[no-untyped-def]
        listed[getattr(node, "name", "?"), node.lineno] += 1
        return real(node)

    def reading(node):  # type: ignore[no-untyped-def]
        asked[type(node).__name__] += 1
        return read(node)

    monkeypatch.setattr(index_module, "_below", counting)
    for module in ("asserts", "errors", "frames", "patches"):
        monkeypatch.setattr(f"pytest_reviewgate.analysis.{module}.walk", reading)
    _walks(path, monkeypatch)
    assert asked["FunctionDef"] + asked["AsyncFunctionDef"], "no summary read a function: the count proves nothing"
    assert listed == {}


@pytest.mark.parametrize("path", sorted(DATA.glob("*.py")), ids=lambda p: p.stem)
def test_a_definitions_node_list_from_the_index_walk_is_walk_order(path: Path) -> None:
    """Each ``def``/``class`` node list the index walk keeps is the plain depth-first walk of it."""
    from pytest_reviewgate.analysis import index as index_module

    index = parse_module(path.read_bytes(), str(path))
    definitions = [n for n in index_module._walk(index.tree) if type(n) in index_module._KEPT]
    assert definitions
    for node in definitions:
        kept = node.__dict__[index_module._BELOW]
        assert [id(n) for n in kept] == [id(n) for n in list(index_module._walk(node))[1:]], node.name


def test_a_functions_node_list_is_kept_on_the_node() -> None:
    """What makes one listing enough: the list is kept on the node and given to every later walk."""
    from pytest_reviewgate.analysis import index as index_module

    index = parse_module(b"def f():\n    return 1\n", "m.py")
    node = index.nodes["f"]
    first = list(index_module.walk(node))
    assert list(index_module.walk(node)) == first
    assert node.__dict__.pop(index_module._BELOW) is not None  # listed once, and kept on the node



BASE = '''\
from unittest import mock

import testtools


class Base(testtools.TestCase):
    def setUp(self):
        super().setUp()
        self.addCleanup(mock.patch.{stop})
'''
REVIEWED = '''\
from unittest import mock

from app import base


class Test{n}(base.Base):
    def test_{n}(self):
        mock.patch("os.getcwd").start()
        self.assertTrue(True)
'''


def _analyse_modules(root: Path, names: list[str], project: SourceProject, idle: int) -> list[str]:
    """RG201's messages over each module, one module analysis after the other as the engine runs them."""
    rule = next(r for r in STATIC if r.code == "RG201")
    settings = settings_from_table({})
    messages = []
    for name in names:
        path = root / "app" / name
        project.add_root_for(path)
        index = parse_module(path.read_bytes(), str(path))
        module = checks.Module(index, (), None, Flow(), ClosureBuilder(index, (), project))
        outcome = checks.run(rule, ItemSpec("expect", rule.name, rule.code), module, settings, project)
        messages += [v.message for v in outcome.violations]
        index.close()
        project.settle(hot=99, idle=idle)
    return messages


@pytest.mark.parametrize("stop", ["stopall", "dict"])
@pytest.mark.parametrize(("idle", "walks"), [(32, 1), (0, 3)], ids=["kept", "released"])
def test_a_base_class_setup_is_walked_once_while_its_module_keeps_its_nodes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, idle: int, walks: int, stop: str
) -> None:
    """A base class's ``setUp`` that every module's tests run is walked once per process while
    its module keeps its nodes; once they are released, each analysis walks the new tree again.
    Either way each module gets the answer the base decides: its ``stopall`` cleanup undoes the
    tests' started patches, an unrelated cleanup does not."""
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "base.py").write_text(BASE.format(stop=stop))
    names = [f"test_{n}.py" for n in range(3)]
    for n, name in enumerate(names):
        (tmp_path / "app" / name).write_text(REVIEWED.format(n=n))
    counted: Counter[str] = Counter()
    real = walk.walk_scope

    def counting(scope, aliases):  # type: ignore[no-untyped-def]
        if scope.index.path.endswith("base.py"):
            counted[scope.definition.qualname] += 1
        return real(scope, aliases)

    monkeypatch.setattr(walk, "walk_scope", counting)
    messages = _analyse_modules(tmp_path, names, SourceProject([tmp_path]), idle)
    assert counted == {"Base.setUp": walks}
    if stop == "stopall":
        assert messages == []
    else:
        assert len(messages) == 3
        assert all("os.getcwd" in m for m in messages), messages
