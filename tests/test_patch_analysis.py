"""analysis/patches.py (the patch-call recogniser) and analysis/frames.py (per-function facts)."""

from __future__ import annotations

import ast
import textwrap

import pytest

from pytest_reviewgate.analysis import frames, patches
from pytest_reviewgate.analysis.closures import Scope
from pytest_reviewgate.analysis.index import ModuleIndex, parse_module


def index_of(source: str) -> ModuleIndex:
    return parse_module(textwrap.dedent(source).encode(), "test_mod.py")


def scope_of(index: ModuleIndex, qualname: str) -> Scope:
    node = index.nodes[qualname]
    assert isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    return Scope(index, index.by_qualname[qualname], node, "target")


def kinds(index: ModuleIndex, qualname: str) -> list[tuple[str, str, bool]]:
    return [(p.kind, p.spelled, p.mocker) for p in patches.function_patches(index, index.nodes[qualname])]


@pytest.mark.parametrize(
    ("qualified", "expected"),
    [
        ("mock.patch", "unittest.mock.patch"),
        ("mock.mock.patch.object", "unittest.mock.patch.object"),
        ("fixtures._fixtures.mockpatch.MockPatchObject", "fixtures.MockPatchObject"),
        ("unittest.mock.patch.dict", "unittest.mock.patch.dict"),
        ("mockery.patch", "mockery.patch"),
    ],
)
def test_canonical_folds_the_backport_and_private_modules(qualified: str, expected: str) -> None:
    assert patches.canonical(qualified) == expected


def test_patch_calls_are_recognised_by_qualified_name_and_mocker() -> None:
    index = index_of(
        """
        from unittest import mock
        from unittest.mock import patch as swap
        import fixtures
        from notmock import patch


        def test_it(mocker, monkeypatch):
            mock.patch("a.b")
            swap.object(a, "b")
            fixtures.MockPatchMultiple("a", b=1)
            mocker.patch.dict("a.b")
            mocker.spy(a, "b")
            patch("a.b")
            monkeypatch.setattr("a.b", 1)
            mock.patch.stopall()
        """
    )
    assert kinds(index, "test_it") == [
        ("patch", "mock.patch", False),
        ("patch.object", "swap.object", False),
        ("MockPatchMultiple", "fixtures.MockPatchMultiple", False),
        ("patch.dict", "mocker.patch.dict", True),
        ("monkeypatch.setattr", "monkeypatch.setattr", False),
    ]


def test_an_alias_without_patch_in_its_name_is_still_found() -> None:
    # the text of the function spells no "patch": the import of the alias lets it through
    index = index_of("from unittest.mock import patch as p\n\n\ndef test_it():\n    p('a.b')\n")
    assert kinds(index, "test_it") == [("patch", "p", False)]
    plain = index_of("from unittest import mock\n\n\ndef test_it():\n    mock.Mock()\n")
    assert kinds(plain, "test_it") == []


def test_a_class_decorator_patch_is_found_for_its_class() -> None:
    index = index_of(
        "from unittest import mock\n\n\n@mock.patch('a.b')\n@other\nclass TestX:\n"
        "    def test_it(self, b):\n        pass\n"
    )
    assert [p.kind for p in patches.class_decorator_patches(index, "TestX")] == ["patch"]
    assert patches.class_decorator_patches(index, "TestX.test_it") == ()


@pytest.mark.parametrize(
    ("arguments", "specced"),
    [
        ("'a.b'", False),
        ("'a.b', autospec=True", True),
        ("'a.b', autospec=False", False),
        ("'a.b', spec=None", False),
        ("'a.b', new=mock.DEFAULT", False),
        ("'a.b', mock.DEFAULT", False),
        ("'a.b', 3", True),
        ("*args", True),
        ("'a.b', **options", True),
    ],
)
def test_a_patch_is_specced_by_a_spec_or_a_replacement(arguments: str, specced: bool) -> None:
    index = index_of(f"from unittest import mock\n\n\ndef test_it():\n    mock.patch({arguments})\n")
    [patch] = patches.function_patches(index, index.nodes["test_it"])
    assert patch.specced is specced


def test_arguments_are_read_by_position_or_keyword() -> None:
    index = index_of(
        "from unittest import mock\n\n\ndef test_it():\n    mock.patch.object(\n        target=owner,\n"
        "        attribute='name',\n        create=True,\n    )\n"
    )
    [patch] = patches.function_patches(index, index.nodes["test_it"])
    assert patch.chain(0, "target") == "owner"
    assert patch.string(1, "attribute") == "name"
    assert patch.line_of(1, "attribute") == 7
    assert patch.keyword_is("create", True)
    assert not patch.keyword_is("create", False)
    assert patch.keywords() == ["target", "attribute", "create"]
    assert patch.positional == 0


def test_shadowing_is_by_frame_and_skips_unbound_names_without_the_frames() -> None:
    index = index_of(
        """
        from unittest import mock

        import driver


        def test_it(param):
            mock.patch.object(driver, "x")

            def inner():
                driver = object()
                mock.patch.object(driver, "y")
        """
    )
    scope = scope_of(index, "test_it")
    first, second = patches.function_patches(index, scope.node)
    assert not frames.shadowed(scope, first.node, "driver")
    assert frames.shadowed(scope, second.node, "driver")
    assert frames.shadowed(scope, first.node, "param")
    assert not frames.shadowed(scope, first.node, "mock")
    elsewhere = index_of("import driver\n\n\ndef test_it():\n    driver.x()\n")
    assert not frames.shadowed(scope_of(elsewhere, "test_it"), ast.Call(), "driver")
    assert ("shadowing", id(elsewhere.nodes["test_it"])) not in elsewhere.memo  # no frames walked


def test_helpers_called_and_names_returned() -> None:
    index = index_of(
        """
        class TestX:
            def helper(self):
                p = make()
                self._other()
                super().setUp()
                obj.method()
                return p
        """
    )
    node = index.nodes["TestX.helper"]
    assert patches_frames(index, node) == ({"make", "_other", "super", "setUp"}, {"p"})


def patches_frames(index: ModuleIndex, node: ast.AST) -> tuple[set[str], set[str]]:
    return set(frames.helpers_called(index, node)), set(frames.returned_names(index, node))


def test_a_shape_says_where_calls_end_up() -> None:
    index = index_of(
        """
        def test_it(self):
            with open(path) as f:
                pass
            self.addCleanup(shutil.rmtree, self.path)
            a, b = make()
            threads.append(worker)
            for t in threads:
                t.join()
            return build()
        """
    )
    shape = frames.shape(index, index.nodes["test_it"])
    assert shape.releases == [("with", 3, "open", ""), ("register", 5, "addCleanup", "shutil.rmtree")]
    assert list(shape.unpacked.values()) == [["a", "b"]]
    assert shape.loops == {"t": "threads"}
    assert shape.ended["join"] == {"t", "worker"}
    assert len(shape.handed) == 1
    assert frames.chains_in([ast.parse("f(a.b, c)", mode="eval").body]) == ["f", "a.b", "a", "c"]


def test_the_facts_walk_finds_patches_in_the_same_table_whatever_the_alias() -> None:
    from pytest_reviewgate.analysis.flow import Flow

    index = index_of(
        """
        import fixtures
        from fixtures import MockPatchObject as Swap
        from unittest import mock
        from unittest.mock import mock as inner


        def test_it(self):
            self.useFixture(Swap(owner, "attr"))
            self.useFixture(fixtures.MonkeyPatch("a.b", 1))
            with inner.patch.dict("os.environ"):
                pass
            mock.patch.stopall()
        """
    )
    found = Flow().facts(scope_of(index, "test_it")).patches
    assert [(p.kind, p.how, p.call.spelled) for p in found] == [
        ("attr", "fixture", "Swap"),
        ("attr", "fixture", "fixtures.MonkeyPatch"),
        ("dict", "with", "inner.patch.dict"),
    ]
    assert patches.patch_kind("mock.patch.stopall") is None


@pytest.mark.parametrize(
    ("arguments", "replaced"),
    [
        ("'a.b', mock.mock_open()", True),
        ("'a.b', new=3", True),
        ("'a.b', new_callable=list", True),
        ("'a.b', mock.DEFAULT", False),
        ("'a.b', autospec=True", False),
        ("'a.b'", False),
    ],
)
def test_a_replacement_is_passed_by_keyword_or_in_news_position(arguments: str, replaced: bool) -> None:
    index = index_of(f"from unittest import mock\n\n\ndef test_it():\n    mock.patch({arguments})\n")
    [patch] = patches.function_patches(index, index.nodes["test_it"])
    assert patch.replaced is replaced
