"""The flow facts the rules share: qualified calls, where they run, cleanups, saves, patches."""

from __future__ import annotations

import textwrap

import pytest

from pytest_reviewgate.analysis.flow import Closure, Flow
from pytest_reviewgate.analysis.index import ModuleIndex, parse_module
from pytest_reviewgate.engine.checks import ignored
from pytest_reviewgate.rules import ConfigRevertedViaFixtures
from pytest_reviewgate.rules.base import Scope


def module(source: str) -> ModuleIndex:
    return parse_module(textwrap.dedent(source).encode(), "test_mod.py")


def closure(index: ModuleIndex, *qualnames: str) -> Closure:
    scopes = []
    for qualname in qualnames:
        node = index.nodes[qualname]
        assert not isinstance(node, str)
        role = "teardown" if qualname.endswith("tearDown") else "target"
        scopes.append(Scope(index, index.by_qualname[qualname], node, role))  # type: ignore[arg-type]
    return Flow().closure(scopes)


def test_calls_are_qualified_through_imports_aliases_and_not_through_locals() -> None:
    index = module(
        """
        from unittest import mock as m
        from oslo_config import cfg
        CONF = cfg.CONF

        def test_x(cfg_local, CONF=None):
            m.patch.object(1, "a")
            cfg.CONF.set_override("a", 1)
            CONF.set_default("b", 2)
        """
    )
    names = [c.name for c in closure(index, "test_x").calls]
    assert names == [
        "unittest.mock.patch.object",
        "oslo_config.cfg.CONF.set_override",
        "CONF.set_default",
    ]


def test_where_each_call_runs() -> None:
    index = module(
        """
        import pytest

        class TestX:
            def test_x(self):
                body()
                try:
                    tried()
                finally:
                    final()

                def restore():
                    in_nested_cleanup()

                def helper():
                    in_nested()

                self.addCleanup(restore)
                self.addCleanup(lambda: in_lambda())
                self.addCleanup(self._undo, 1)

            def _undo(self, value):
                in_method()

            def tearDown(self):
                torn()

        @pytest.fixture
        def fix():
            before()
            yield
            after()
        """
    )
    facts = closure(index, "TestX.test_x", "TestX.tearDown", "fix")
    where = {c.name: c.where for c in facts.calls if c.how != "registered"}
    assert where["body"] == "body"
    assert where["tried"] == "body"
    assert where["final"] == "finally"
    assert where["in_nested_cleanup"] == "cleanup"
    assert where["in_nested"] == "nested"
    assert where["in_lambda"] == "cleanup"
    assert where["in_method"] == "cleanup"
    assert where["torn"] == "teardown"
    assert where["before"] == "body"
    assert where["after"] == "after-yield"


def test_registered_cleanups_carry_the_callable_and_its_arguments() -> None:
    index = module(
        """
        import functools
        from oslo_config import cfg

        class TestX:
            def test_x(self, request):
                self.addCleanup(cfg.CONF.clear_override, "host", group="api")
                request.addfinalizer(functools.partial(cfg.CONF.clear_default, "workers"))
        """
    )
    registered = [c for c in closure(index, "TestX.test_x").cleanups if c.how == "registered"]
    assert [(c.name, c.method, len(c.args), c.line) for c in registered] == [
        ("oslo_config.cfg.CONF.clear_override", "clear_override", 1, 7),
        ("oslo_config.cfg.CONF.clear_default", "clear_default", 1, 8),
    ]
    assert registered[0].keywords[0].arg == "group"


def test_patches_and_how_they_are_undone() -> None:
    index = module(
        """
        import os
        from unittest import mock
        import fixtures

        @mock.patch("inventory.backend.Client")
        def test_x(client, monkeypatch, mocker):
            with mock.patch.dict(os.environ, {"A": "1"}) as env:
                pass
            patcher = mock.patch.object(os, "getcwd")
            patcher.start()
            mock.patch("made.but.never.started")
            monkeypatch.setenv("TZ", "UTC")
            monkeypatch.setattr("inventory.manager.LOG", None)
            mocker.patch.object(os, "sep")
            self.useFixture(fixtures.EnvironmentVariable("HOME"))
            self.useFixture(fixtures.MockPatchObject(os, "name"))
        """
    )
    patches = [(p.target, p.kind, p.key, p.how) for p in closure(index, "test_x").patches]
    assert patches == [
        ("inventory.backend.Client", "attr", None, "decorator"),
        ("os.environ", "dict", None, "with"),
        ("os.getcwd", "attr", None, "start"),
        ("made.but.never.started", "attr", None, ""),
        ("os.environ", "env", "TZ", "fixture"),
        ("inventory.manager.LOG", "attr", None, "fixture"),
        ("os.sep", "attr", None, "fixture"),
        ("os.environ", "env", "HOME", "fixture"),
        ("os.name", "attr", None, "fixture"),
    ]


def test_with_blocks_record_span_and_alias() -> None:
    index = module(
        """
        from unittest import mock

        def test_x():
            with mock.patch("a.b") as fake:
                fake()
        """
    )
    [patch_call] = [c for c in closure(index, "test_x").calls if c.how == "with"]
    assert (patch_call.span, patch_call.bound_to) == ((5, 6), "fake")


def test_saves_and_restores() -> None:
    index = module(
        """
        import os
        from inventory import manager

        class TestX:
            def setUp(self):
                self.old_log = manager.LOG
                saved = os.environ.copy()
                tz = os.environ.get("TZ")
                level = getattr(manager, "LEVEL")
        """
    )
    saves = [(s.name, s.source, s.key) for s in closure(index, "TestX.setUp").saves]
    assert saves == [
        ("self.old_log", "inventory.manager.LOG", None),
        ("saved", "os.environ", None),
        ("tz", "os.environ", "TZ"),
        ("level", "inventory.manager.LEVEL", None),
    ]


def test_assignments_know_items_deletions_and_locals() -> None:
    index = module(
        """
        import os
        from inventory import manager

        def test_x():
            obj = object()
            obj.a = 1
            manager.LOG = None
            os.environ["TZ"] = "UTC"
            del os.environ["HOME"]
            a, manager.LEVEL = 1, 2
        """
    )
    assigns = [(a.name, a.kind, a.local) for a in closure(index, "test_x").assigns]
    assert assigns == [
        ("obj.a", "attr", True),
        ("inventory.manager.LOG", "attr", False),
        ("os.environ", "item", False),
        ("os.environ", "del-item", False),
        ("inventory.manager.LEVEL", "attr", False),
    ]


def test_stopall_counts_only_at_cleanup() -> None:
    index = module(
        """
        from unittest import mock

        class TestX:
            def test_a(self):
                mock.patch.stopall()

            def test_b(self):
                self.addCleanup(mock.patch.stopall)
        """
    )
    assert not closure(index, "TestX.test_a").stopall
    assert closure(index, "TestX.test_b").stopall


def test_deeply_nested_expressions_are_walked_without_recursion() -> None:
    deep = " + ".join(["f()"] * 2500)
    index = module(f"def test_x():\n    x = {deep}\n")
    assert len(closure(index, "test_x").calls) == 2500


def test_a_nested_def_or_method_registered_as_cleanup_is_known() -> None:
    index = module(
        """
        class TestX:
            def setUp(self):
                def restore():
                    pass

                def helper():
                    pass

                self.addCleanup(restore)
                self.addCleanup(self._undo)

            def _undo(self):
                pass

            def _other(self):
                pass
        """
    )
    flow = Flow()

    def scope(qualname: str) -> Scope:
        return Scope(index, index.by_qualname[qualname], index.nodes[qualname], "target")  # type: ignore[arg-type]

    assert flow.registered_as_cleanup(scope("TestX.setUp.restore"))
    assert flow.registered_as_cleanup(scope("TestX._undo"))
    assert not flow.registered_as_cleanup(scope("TestX.setUp.helper"))
    assert not flow.registered_as_cleanup(scope("TestX._other"))
    assert not flow.registered_as_cleanup(scope("TestX.setUp"))


@pytest.mark.parametrize(
    ("comment", "expected"),
    [
        ("# reviewgate: ignore[RG101]", True),
        ("# reviewgate: ignore[config-reverted-via-fixtures]", True),
        ("#reviewgate:ignore[RG201, RG101]", True),
        ("# reviewgate: ignore[RG102]", False),
        ("# RG101", False),
    ],
)
def test_ignored_reads_codes_and_names(comment: str, expected: bool) -> None:
    index = module(f"x = 1  {comment}\n")
    assert ignored(index, 1, ConfigRevertedViaFixtures) is expected
    assert ignored(index, 99, ConfigRevertedViaFixtures) is False


def test_facts_built_in_one_step_equal_those_their_class_builds() -> None:
    """The walk builds its ``Call``/``Assign`` facts with ``facts.made``: every field set, each as
    ``Call(...)``/``Assign(...)`` would set it."""
    import dataclasses
    from pathlib import Path

    from pytest_reviewgate.analysis.facts import Assign, Call

    path = Path(__file__).parent / "rules" / "data" / "rg201_unittest.py"
    index = parse_module(path.read_bytes(), str(path))
    functions = [d.qualname for d in index.definitions if d.kind == "function"]
    built = closure(index, *functions)
    facts = [*built.calls, *built.assigns]
    assert {type(f) for f in facts} == {Call, Assign}
    for fact in facts:
        names = {f.name for f in dataclasses.fields(fact)}
        assert set(vars(fact)) == names
        assert type(fact)(**vars(fact)) == fact
