"""What the project's source says without importing it: constants bound once, resets, star imports."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from pytest_reviewgate.analysis.project import SourceProject
from pytest_reviewgate.analysis.values import constant

STATE = """
import os
from collections import *

LIMIT = 3
CACHE = {}
EMPTY = set()
NEGATIVE = -1
TWICE = 1
TWICE = 2
FROM_CALL = os.getcwd()
try:
    OPTIONAL = None
except ImportError:
    pass


class Policy:
    strict = True
    names = ("a", "b")


def reset():
    global CACHE, LIMIT
    CACHE = {}
    LIMIT = 3
    local = 1


class Registry:
    store = None

    @classmethod
    def clear(cls):
        cls.store = None
"""


@pytest.fixture
def project(tmp_path: Path) -> SourceProject:
    package = tmp_path / "app"
    (package / "models").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "state.py").write_text(textwrap.dedent(STATE))
    (package / "models" / "__init__.py").write_text("if False:\n    from app.models.policy import *\n")
    (package / "models" / "policy.py").write_text("class Policy:\n    enforce = False\n")
    return SourceProject([tmp_path])


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("app.state.LIMIT", "int:3"),
        ("app.state.CACHE", "dict()"),
        ("app.state.EMPTY", "set()"),
        ("app.state.NEGATIVE", "UnaryOp( USub( ) int:1 )"),
        ("app.state.Policy.strict", "bool:True"),
        ("app.state.TWICE", None),
        ("app.state.FROM_CALL", None),
        ("app.state.OPTIONAL", None),
        ("app.state.MISSING", None),
        ("app.models.Policy.enforce", "bool:False"),
        ("elsewhere.LIMIT", None),
    ],
)
def test_a_value_is_known_when_bound_once_to_a_constant(project: SourceProject, name: str, value: str | None) -> None:
    assert project.value_of(name) == value


def test_empty_containers_are_one_value_however_spelled() -> None:
    spellings = {constant(ast.parse(text, mode="eval").body) for text in ("{}", "dict()")}
    assert spellings == {"dict()"}
    assert constant(ast.parse("[x]", mode="eval").body) is None


def test_resets_are_the_globals_and_class_attributes_a_function_assigns(project: SourceProject) -> None:
    assert project.resets("app.state.reset") == {"app.state.CACHE", "app.state.LIMIT"}
    assert project.resets("app.state.Registry.clear") == {"app.state.Registry.store"}
    assert project.resets("app.state.missing") == frozenset()


@pytest.mark.parametrize(
    ("one", "other", "same"),
    [
        ("(1, 2)", "(1, 2)", True),
        ("(1, 2)", "[1, 2]", False),
        ("1", "True", False),
        ("1", "1.0", False),
        ("-1", "1", False),
        ("{'a': (1,)}", "{'a': (1,)}", True),
        ("{'a': (1,)}", "{'a': 1}", False),
        ("{}", "dict()", True),
        ("'fast'", "u'fast'", True),  # the same str
        ("'x'", "b'x'", False),
    ],
)
def test_constants_have_the_same_text_when_they_are_the_same_tree(one: str, other: str, same: bool) -> None:
    first, second = (constant(ast.parse(source, mode="eval").body) for source in (one, other))
    assert first is not None
    assert second is not None
    assert (first == second) is same


def test_a_project_module_keeps_no_tree_once_no_analysis_asks_for_it(project: SourceProject) -> None:
    index = project.load("app.state")
    assert index is not None
    assert index.tree is None
    node = index.nodes["Registry.clear"]
    assert isinstance(node, ast.FunctionDef)
    project.settle(idle=2)  # the end of the module analysis that asked for its nodes: they stay
    assert index.nodes["Registry.clear"] is node
    project.settle(idle=2)  # asked for again
    project.settle(idle=2)
    assert index._nodes  # one analysis did not ask
    project.settle(idle=2)
    assert index._nodes == {}  # two did not
    assert project.value_of("app.state.LIMIT") == "int:3"  # names and constants stay
    again = index.nodes["Registry.clear"]
    assert again is not node
    assert isinstance(again, ast.FunctionDef)
    assert again.lineno == index.by_qualname["Registry.clear"].line
    assert index.nodes["Registry.clear"] is again  # parsed again once, then kept
    assert project.resets("app.state.reset")


def test_a_module_loaded_for_its_names_alone_keeps_no_nodes(project: SourceProject) -> None:
    index = project.load("app.state")
    assert index is not None
    assert project.value_of("app.state.LIMIT") == "int:3"
    project.settle()
    assert index._nodes == {}


def test_a_module_analysed_often_keeps_its_nodes(project: SourceProject) -> None:
    index = project.load("app.state")
    assert index is not None
    for _ in range(4):
        assert "reset" in index.nodes
        project.settle(idle=0)  # released after each analysis, until parsed three times
    assert index._nodes
    assert index.loads == 3


KINDS = """
import functools
import logging

LOG = logging.getLogger(__name__)
helper = functools.partial(print, "x")
handler = lambda: None
maker = make_thing()
maker = Thing()


class Service:
    retries = 3
    check = lambda self: True
    check = 0

    def run(self):
        pass

    class Options:
        pass
"""


def test_patch_target_kinds_are_read_at_load_and_outlive_the_nodes(tmp_path: Path) -> None:
    """What a patch target is (``patches.member_kind``/``binding_kind``) is read while the module's
    tree is there: after its nodes are released it is answered without parsing it again."""
    from pytest_reviewgate.analysis.patches import binding_kind, member_kind

    (tmp_path / "svc.py").write_text(KINDS)
    project = SourceProject([tmp_path])
    index = project.load("svc")
    assert index is not None
    project.settle(idle=0)  # nobody asked for its nodes: released
    assert index._nodes == {}
    kinds = {name: binding_kind(index, name) for name in ("LOG", "helper", "handler", "maker", "absent")}
    assert kinds == {"LOG": "object", "helper": "function", "handler": "function", "maker": "object", "absent": None}
    members = {name: member_kind(index, "Service", name) for name in ("retries", "check", "run", "Options", "x")}
    assert members == {"retries": "object", "check": "function", "run": "function", "Options": "class", "x": None}
    assert index._nodes == {}  # no parse again
    assert index.loads == 0
