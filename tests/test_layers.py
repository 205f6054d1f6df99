"""The house in wings: imports run downward only, no circles, and only integration needs pytest."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "pytest_reviewgate"

# Each wing (a sub-package, or a top-level module) and its floor: a module may import from its
# own wing and from lower floors, never from a higher one.
FLOORS = {
    "_version": 0,
    "files": 0,
    "model": 0,
    "config": 0,
    "cwe": 0,
    "review": 1,
    "analysis": 2,
    "probes": 2,
    "rules": 3,
    "engine": 4,
    "report": 5,
    "integration": 6,
    "docs": 6,
    "testing": 6,
    "plugin": 7,
    "": 7,  # the package's own __init__: the public API, a lazy door like plugin.py
}
# Wings that must import without pytest (the pure core).
PURE = (
    "_version", "files", "model", "config", "cwe", "review", "analysis", "probes", "rules", "engine", "report", "docs"
)


def _name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _wing(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _imports(path: Path, module: str, known: set[str]) -> set[str]:
    """Every module of the package that ``path`` imports, at any depth (lazy and TYPE_CHECKING too)."""
    found: set[str] = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_bytes())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            for alias in node.names:
                if f"{target}.{alias.name}" in known:
                    found.add(f"{target}.{alias.name}")
                elif target in known:
                    found.add(target)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in known)
    found.discard(module)
    return found


def _graph() -> dict[str, set[str]]:
    paths = {_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}
    known = set(paths)
    return {module: _imports(path, module, known) for module, path in paths.items()}


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, edges = work[-1]
            step = next(edges, None)
            if step is not None:
                if step not in index:
                    index[step] = low[step] = len(index)
                    stack.append(step)
                    on_stack.add(step)
                    work.append((step, iter(sorted(graph[step]))))
                elif step in on_stack:
                    low[node] = min(low[node], index[step])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    out.append(sorted(component))
    return out


def test_every_module_belongs_to_a_known_wing() -> None:
    assert {_wing(module) for module in _graph()} <= set(FLOORS)


def test_imports_run_downward_only() -> None:
    upward = [
        f"{module} -> {target}"
        for module, targets in sorted(_graph().items())
        for target in sorted(targets)
        if FLOORS[_wing(target)] > FLOORS[_wing(module)]
    ]
    assert upward == []


def test_no_import_circles() -> None:
    assert _circles(_graph()) == []


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"a": {"b"}, "b": {"a"}, "c": set()}, [["a", "b"]]),
        ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
    ],
)
def test_the_circle_finder_finds_circles(graph: dict[str, set[str]], expected: list[list[str]]) -> None:
    assert _circles(graph) == expected


# What walks or reads a syntax tree: a rule asks the analysis instead.
TREE_READERS = frozenset({"ast", "walk", "children", "node_fields", "iter_child_nodes", "NodeVisitor"})


def _tree_readers(path: Path) -> set[str]:
    """The names a module imports (``import ast``, ``from ..analysis.index import walk``) that read trees."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_bytes())):
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.update(alias.name.rpartition(".")[2] for alias in node.names)
            if isinstance(node, ast.ImportFrom) and node.module == "ast":
                found.add("ast")
    return found & TREE_READERS


def test_rules_do_not_walk_the_syntax_tree_themselves() -> None:
    """Rules are queries over the analysis: no rule module imports ``ast`` or a tree walk."""
    readers = {path.name: _tree_readers(path) for path in sorted((PACKAGE / "rules").glob("*.py"))}
    assert {name: names for name, names in readers.items() if names} == {}


def test_the_reader_check_sees_a_walk(tmp_path: Path) -> None:
    module = tmp_path / "rule.py"
    module.write_text("import ast\nfrom ..analysis.index import chain_of, walk\n")
    assert _tree_readers(module) == {"ast", "walk"}


def test_pure_wings_import_without_pytest() -> None:
    modules = [module for module in _graph() if _wing(module) in PURE]
    code = "import sys\nsys.modules['pytest'] = None\n" + "".join(f"import {name}\n" for name in modules)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
