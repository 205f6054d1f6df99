"""pytest fixtures as source shows them: decorators, autouse, ``usefixtures``, conftest.py files.

Pure: what a module defines and where conftest.py files are; ``closures`` picks the nearest.
"""

from __future__ import annotations

import ast
from pathlib import Path

from .idioms import FIXTURE_DECORATORS
from .index import Definition, ModuleIndex, chain_of


def is_fixture_decorator(index: ModuleIndex, spelling: str) -> bool:
    """Whether a decorator, as spelled (call stripped), makes a pytest fixture."""
    return index.qualify(spelling) in FIXTURE_DECORATORS or spelling in ("fixture", "pytest.fixture")


def fixture_defs(index: ModuleIndex) -> dict[str, list[tuple[Definition, bool]]]:
    """Fixture name -> (definition, autouse) for every ``@pytest.fixture`` of a module."""
    found: dict[str, list[tuple[Definition, bool]]] = {}
    for definition in index.definitions:
        node = index.nodes.get(definition.qualname)
        if definition.kind != "function" or not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for decorator in node.decorator_list:
            call = decorator if isinstance(decorator, ast.Call) else None
            spelling = chain_of(call.func if call else decorator) or ""
            if not is_fixture_decorator(index, spelling):
                continue
            name, autouse = definition.name, False
            for keyword in call.keywords if call else []:
                if keyword.arg == "name" and isinstance(keyword.value, ast.Constant):
                    name = str(keyword.value.value)
                if keyword.arg == "autouse" and isinstance(keyword.value, ast.Constant):
                    autouse = bool(keyword.value.value)
            found.setdefault(name, []).append((definition, autouse))
    return found


def usefixtures(index: ModuleIndex, test: Definition) -> list[str]:
    names: list[str] = []
    owners = [test.qualname] + ([test.parent] if test.parent else [])
    for qualname in owners:
        node = index.nodes.get(qualname)
        for decorator in getattr(node, "decorator_list", []):
            if isinstance(decorator, ast.Call) and (chain_of(decorator.func) or "").endswith("usefixtures"):
                names += [a.value for a in decorator.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    return names


def conftest_paths(folder: Path, root: Path) -> list[Path]:
    """conftest.py files from ``folder`` up to ``root`` (both resolved), nearest first."""
    out: list[Path] = []
    while True:
        candidate = folder / "conftest.py"
        if candidate.is_file():
            out.append(candidate)
        if folder == root or folder.parent == folder or root not in folder.parents:
            break
        folder = folder.parent
    return out
