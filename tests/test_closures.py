"""Closures through project bases: ``super()`` and inherited methods in MRO order (SPEC 3.4)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from pytest_reviewgate.analysis.closures import ClosureBuilder
from pytest_reviewgate.analysis.index import ModuleIndex, parse_module
from pytest_reviewgate.analysis.project import SourceProject

BASES = """
class Root:
    def setUp(self):
        self.prepare()

    def prepare(self):
        pass

    def tearDown(self):
        pass


class Left(Root):
    def setUp(self):
        super().setUp()

    def helper(self):
        return "left"


class Right(Root):
    def setUp(self):
        super(Right, self).setUp()

    def helper(self):
        return "right"


class Plain(Root):
    pass
"""


@pytest.fixture
def project(tmp_path: Path) -> SourceProject:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "bases.py").write_text(BASES)
    return SourceProject([tmp_path])


def reviewed(project: SourceProject, source: str) -> tuple[ModuleIndex, ClosureBuilder]:
    path = project.roots[0] / "test_mod.py"
    path.write_text(textwrap.dedent(source))
    index = parse_module(path.read_bytes(), str(path))
    return index, ClosureBuilder(index, (), project)


def names(builder: ClosureBuilder, index: ModuleIndex, qualname: str) -> list[tuple[str, str, str]]:
    """(file, qualname, role) of each function of a closure but the target."""
    scopes = builder.closure(index.by_qualname[qualname])[1:]
    return [(Path(s.index.path).name, s.definition.qualname, s.role) for s in scopes]


def test_mro_is_c3_through_a_diamond_of_project_bases(project: SourceProject) -> None:
    index, builder = reviewed(project, "from app import bases\n\nclass TestX(bases.Left, bases.Right):\n    pass\n")
    assert [c.qualname for _, c in builder.mro(index, "TestX")] == ["TestX", "Left", "Right", "Root"]


def test_super_setup_is_followed_through_every_base_in_mro_order(project: SourceProject) -> None:
    index, builder = reviewed(
        project,
        """
        from app import bases

        class TestX(bases.Left, bases.Right):
            def setUp(self):
                super().setUp()

            def test_it(self):
                pass
        """,
    )
    assert names(builder, index, "TestX.test_it") == [
        ("test_mod.py", "TestX.setUp", "setup"),
        ("bases.py", "Root.tearDown", "teardown"),
        ("bases.py", "Left.setUp", "setup"),
        ("bases.py", "Right.setUp", "setup"),
        ("bases.py", "Root.setUp", "setup"),
        ("bases.py", "Root.prepare", "helper"),
    ]


def test_a_base_sees_the_same_code_whether_or_not_the_subclass_overrides_setup(project: SourceProject) -> None:
    index, builder = reviewed(
        project,
        """
        from app import bases

        class TestOverrides(bases.Plain):
            def setUp(self):
                super().setUp()

            def test_it(self):
                pass

        class TestInherits(bases.Plain):
            def test_it(self):
                pass
        """,
    )
    overrides = {n for n in names(builder, index, "TestOverrides.test_it") if n[0] == "bases.py"}
    inherits = {n for n in names(builder, index, "TestInherits.test_it") if n[0] == "bases.py"}
    assert overrides == inherits == {
        ("bases.py", "Root.setUp", "setup"),
        ("bases.py", "Root.prepare", "helper"),
        ("bases.py", "Root.tearDown", "teardown"),
    }


def test_a_base_calling_self_finds_the_subclass_override(project: SourceProject) -> None:
    index, builder = reviewed(
        project,
        """
        from app import bases

        class TestX(bases.Plain):
            def prepare(self):
                pass

            def test_it(self):
                pass
        """,
    )
    found = names(builder, index, "TestX.test_it")
    assert ("test_mod.py", "TestX.prepare", "helper") in found
    assert ("bases.py", "Root.prepare", "helper") not in found


def test_super_of_another_method_and_a_setup_that_skips_super(project: SourceProject) -> None:
    index, builder = reviewed(
        project,
        """
        from app import bases

        class TestX(bases.Right):
            def setUp(self):
                self.ready = True

            def helper(self):
                return super().helper()

            def test_it(self):
                self.helper()
        """,
    )
    assert names(builder, index, "TestX.test_it") == [
        ("test_mod.py", "TestX.setUp", "setup"),
        ("bases.py", "Root.tearDown", "teardown"),
        ("test_mod.py", "TestX.helper", "helper"),
        ("bases.py", "Right.helper", "helper"),
    ]


def test_a_cycle_of_bases_in_broken_code_ends(project: SourceProject) -> None:
    source = "class A(B):\n    pass\n\nclass B(A):\n    def test_x(self):\n        super().x()\n"
    index, builder = reviewed(project, source)
    assert [c.qualname for _, c in builder.mro(index, "A")] == ["A", "B"]
    assert names(builder, index, "B.test_x") == []
