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
