"""analysis/state.py: what the global-state rules ask of code, answered from facts and nodes."""

from __future__ import annotations

import textwrap

import pytest

from pytest_reviewgate.analysis.closures import ClosureBuilder, Scope
from pytest_reviewgate.analysis.facts import Call, Facts
from pytest_reviewgate.analysis.flow import Flow
from pytest_reviewgate.analysis.index import ModuleIndex, parse_module
from pytest_reviewgate.analysis.state import (
    argument_chain,
    argument_literal,
    config_option,
    config_root,
    function_node,
    makes_fake,
    name_of,
    name_uses,
    references,
    restores_saved,
    spell_call,
    update_keys,
)


def _index(source: str) -> ModuleIndex:
    return parse_module(textwrap.dedent(source).encode(), "test_mod.py")


def _facts(source: str, qualname: str = "test_x") -> Facts:
    index = _index(source)
    node = function_node(index, qualname)
    assert node is not None
    return Flow().facts(Scope(index, index.by_qualname[qualname], node, "target"))


def _calls(body: str) -> list[Call]:
    return list(_facts("def test_x():\n" + textwrap.indent(textwrap.dedent(body), "    ")).calls)


@pytest.mark.parametrize(
    ("qualified", "objects", "local", "root"),
    [
        ("app.conf.SETTINGS.debug", ("app.conf.SETTINGS",), (), "app.conf.SETTINGS"),
        ("nova.conf.CONF.api.region", (), (), "nova.conf.CONF"),
        ("CONF.host", (), ("CONF",), ""),  # a parameter called CONF is no global
        ("app.CONFIG.host", (), (), ""),
    ],
)
def test_config_root(qualified: str, objects: tuple[str, ...], local: tuple[str, ...], root: str) -> None:
    assert config_root(qualified, objects, local) == root


@pytest.mark.parametrize(
    ("call", "option"),
    [
        ("CONF.set_override('host', 'x')", ("host", None, True)),
        ("CONF.set_override('host', 'x', 'api')", ("host", "api", True)),
        ("CONF.set_override('host', 'x', group='api')", ("host", "api", True)),
        ("CONF.clear_override('host', 'api')", ("host", "api", True)),
        ("CONF.set_default('host', 'x', group)", ("host", None, False)),
        ("CONF.set_override(name, 'x')", (None, None, False)),
    ],
)
def test_config_option_reads_the_name_and_group(call: str, option: tuple[str | None, str | None, bool]) -> None:
    [found] = _calls(call)
    assert config_option(found) == option


@pytest.mark.parametrize(
    ("call", "shown"),
    [
        ("CONF.reset()", "CONF.reset()"),
        ("CONF.config(host='x')", "CONF.config(...)"),
        ("CONF.set_override('host', 'x')", "CONF.set_override('host', ...)"),
        ("CONF.register_opt(opt)", "CONF.register_opt(...)"),
        ("os.environ.pop('TZ')", "os.environ.pop('TZ')"),
        (f"CONF.set_override('{'h' * 41}', 'x')", "CONF.set_override(...)"),
    ],
)
def test_spell_call_shows_a_literal_first_argument(call: str, shown: str) -> None:
    [found] = _calls(call)
    assert spell_call(found) == shown


def test_arguments_as_chains_and_literals() -> None:
    [found] = _calls("setattr(self.conf, 'host', 1)")
    assert (argument_chain(found, 0), argument_literal(found, 1)) == ("self.conf", "host")
    assert (argument_chain(found, 1), argument_literal(found, 0), argument_chain(found, 5)) == ("", None, "")


@pytest.mark.parametrize(
    ("call", "keys"),
    [
        ("os.environ.update({'TZ': 'UTC'}, LANG='C')", ("LANG", "TZ")),
        ("os.environ.update(TZ='UTC')", ("TZ",)),
        ("os.environ.update(**extra)", None),
        ("os.environ.update({name: 'UTC'})", None),
        ("os.environ.update(values)", None),
    ],
)
def test_update_keys_are_known_only_when_all_are_literal(call: str, keys: tuple[str, ...] | None) -> None:
    [found] = _calls(call)
    assert update_keys(found.args, found.keywords) == keys


def test_makes_fake_knows_mocks_made_and_handles_of_patches() -> None:
    facts = _facts(
        """
        from unittest import mock

        def test_x(self):
            mod.a = mock.MagicMock()
            mod.b = self.useFixture(MockPatch('x')).mock
            mod.c = patcher.start()
            mod.d = object()
            mod.e = other.value
        """
    )
    made = {a.name.rpartition(".")[2] for a in facts.assigns if makes_fake(facts, a.value)}
    assert made == {"a", "b", "c"}


def test_name_of_only_a_bare_name() -> None:
    facts = _facts("def test_x(self, old):\n    fake(old, self.old, 'old')\n")
    [call] = facts.calls
    assert [name_of(arg) for arg in call.args] == ["old", "", ""]


def test_restores_saved_pairs_a_write_back_with_its_save() -> None:
    source = """
        import os
        from pkg import mod

        def test_x():
            old = mod.X
            saved = os.environ.get('TZ')
            mod.X = old
            os.environ['TZ'] = saved
            mod.Y = other
        """
    index = _index(source)
    closure = Flow().closure(ClosureBuilder(index).closure(index.by_qualname["test_x"]))
    values = {a.name if a.kind == "attr" else a.name + "[]": a.value for a in closure.assigns}
    assert restores_saved(closure, values["pkg.mod.X"], "pkg.mod.X")
    assert not restores_saved(closure, values["pkg.mod.X"], "pkg.mod.Y")
    assert not restores_saved(closure, values["pkg.mod.Y"], "pkg.mod.Y")
    assert restores_saved(closure, values["os.environ[]"], "os.environ", "TZ")
    assert not restores_saved(closure, values["os.environ[]"], "os.environ", "LANG")
    assert not restores_saved(closure, None, "pkg.mod.X")


def test_name_uses_tell_calls_from_names_handed_on() -> None:
    index = _index(
        """
        def helper():
            pass

        class TestX:
            def test_x(self):
                helper()
                run(helper)
        """
    )
    assert name_uses(index)["helper"] == [(7, True), (8, False)]
    assert name_uses(index) is name_uses(index)


def test_references_list_dotted_calls_and_attributes_of_names() -> None:
    index = _index(
        """
        def test_x():
            ident = uuid.uuid4()
            other = uuids.instance
            make()(1).attr
        """
    )
    node = function_node(index, "test_x")
    assert node is not None
    assert references(index, node) == [
        (3, "uuid.uuid4", True), (3, "uuid.uuid4", False), (4, "uuids.instance", False), (5, "make", True)
    ]
    assert function_node(index, "missing") is None
