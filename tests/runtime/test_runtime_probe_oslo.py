"""The oslo.config probe (RG903) against real oslo.config objects of this test's own making."""

from __future__ import annotations

import sys
import types
from collections.abc import Callable

import pytest
from oslo_config import cfg

from pytest_reviewgate.probes import OsloConfigProbe, Probe, parse_spec


@pytest.fixture
def conf(monkeypatch) -> cfg.ConfigOpts:
    """A private ConfigOpts, reachable as ``rg_fake_config:CONF``."""
    module = types.ModuleType("rg_fake_config")
    module.CONF = cfg.ConfigOpts()  # type: ignore[attr-defined]
    module.CONF.register_opt(cfg.StrOpt("rg_region", default="north"))
    module.CONF.register_opt(cfg.IntOpt("workers", default=1), group="api")
    monkeypatch.setitem(sys.modules, "rg_fake_config", module)
    return module.CONF


def leaks_of(change: Callable[[cfg.ConfigOpts], object], conf: cfg.ConfigOpts) -> list[str]:
    probe = OsloConfigProbe("rg_fake_config:CONF")
    before = probe.snapshot()
    change(conf)
    return probe.diff(before, probe.snapshot())


def test_oslo_probe_follows_the_probe_protocol() -> None:
    probe = OsloConfigProbe()
    assert isinstance(probe, Probe)
    assert (probe.rule, probe.name) == ("RG903", "oslo_config.cfg:CONF")


def test_a_change_that_is_undone_is_no_leak(conf) -> None:
    def undone(conf: cfg.ConfigOpts) -> None:
        conf.set_override("rg_region", "south")
        conf.set_default("workers", 4, group="api")
        opt = cfg.StrOpt("scratch")
        conf.register_opt(opt)
        conf.clear_override("rg_region")
        conf.clear_default("workers", group="api")
        conf.unregister_opt(opt)

    assert leaks_of(undone, conf) == []


@pytest.mark.parametrize(
    ("change", "leak"),
    [
        (
            lambda c: c.set_override("rg_region", "leaked"),
            "rg_region: 'north' -> 'leaked' (set_override never cleared)",
        ),
        (
            lambda c: c.set_override("workers", 8, group="api"),
            "api.workers: 1 -> 8 (set_override never cleared)",
        ),
        (
            lambda c: c.set_default("rg_region", "south"),
            "default of rg_region: 'north' -> 'south' (set_default never cleared)",
        ),
        (
            lambda c: c.register_opt(cfg.StrOpt("foo")),
            "option 'foo' registered and never unregistered",
        ),
        (
            lambda c: c.unregister_opt(cfg.IntOpt("workers", default=1), group="api"),
            "option 'api.workers' unregistered and never registered again",
        ),
        (
            lambda c: c.register_group(cfg.OptGroup("vgpu_nvidia-11")),
            "group 'vgpu_nvidia-11' registered and never unregistered",
        ),
        (
            lambda c: setattr(c, "rg_region", "shadow"),
            "attribute 'rg_region' assigned on the config object, hiding the option",
        ),
    ],
)
def test_each_kind_of_leak_reads_as_one_sentence(conf, change, leak) -> None:
    assert leaks_of(change, conf) == [leak]


def test_changes_of_overrides_and_defaults_that_were_set_before(conf) -> None:
    conf.set_override("rg_region", "east")
    conf.set_default("workers", 2, group="api")

    def change(conf: cfg.ConfigOpts) -> None:
        conf.set_override("rg_region", "west")
        conf.clear_default("workers", group="api")

    assert leaks_of(change, conf) == ["rg_region: 'east' -> 'west'"]


def test_clearing_an_override_or_default_found_set_is_no_leak(conf) -> None:
    """A config fixture's reset() at cleanup clears what other code set before the test."""
    conf.set_override("rg_region", "east")
    conf.set_default("workers", 2, group="api")

    def reset(conf: cfg.ConfigOpts) -> None:
        conf.clear_override("rg_region")
        conf.clear_default("workers", group="api")

    assert leaks_of(reset, conf) == []
    assert conf.rg_region == "north"  # the probe saw a real change back to the option's own default


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda c: c.set_override("rg_region", "north"), id="override-equal-to-default"),
        pytest.param(lambda c: c.set_default("workers", 1, group="api"), id="default-equal-to-built-in"),
        pytest.param(lambda c: c.set_override("workers", "1", group="api"), id="converted-to-the-same-value"),
    ],
)
def test_an_entry_equal_before_and_after_is_no_difference(conf, change) -> None:
    assert leaks_of(change, conf) == []


def test_an_override_changed_from_a_value_set_before_is_a_leak(conf) -> None:
    conf.set_default("rg_region", "east")
    assert leaks_of(lambda c: c.set_override("rg_region", "west"), conf) == [
        "rg_region: 'east' -> 'west' (set_override never cleared)"
    ]


def test_parsing_the_command_line_without_reset_is_a_leak(conf) -> None:
    leaks = leaks_of(lambda c: c([], project="rg", default_config_files=[]), conf)
    assert leaks[-1] == "command line or config files parsed (`CONF(...)`) and never reset"
    assert "option 'config_file' registered and never unregistered" in leaks
    assert leaks_of(lambda c: c.reset(), conf)[-1] == (
        "parsed command line and config files dropped (`reset()` or `clear()`)"
    )


def test_options_of_a_new_group_are_listed_with_it(conf) -> None:
    def change(conf: cfg.ConfigOpts) -> None:
        conf.register_opts([cfg.StrOpt("b"), cfg.StrOpt("a")], group="vgpu_nvidia-11")

    assert leaks_of(change, conf) == [
        "group 'vgpu_nvidia-11' registered and never unregistered",
        "option 'vgpu_nvidia-11.a' registered and never unregistered",
        "option 'vgpu_nvidia-11.b' registered and never unregistered",
    ]


def test_replacing_the_object_is_one_leak(conf, monkeypatch) -> None:
    def change(_: cfg.ConfigOpts) -> None:
        monkeypatch.setattr(sys.modules["rg_fake_config"], "CONF", cfg.ConfigOpts())

    assert leaks_of(change, conf) == ["`rg_fake_config:CONF` replaced by another object"]


def test_a_module_that_is_not_imported_is_not_probed_and_not_imported(monkeypatch) -> None:
    monkeypatch.delitem(sys.modules, "rg_fake_config", raising=False)
    probe = OsloConfigProbe("rg_fake_config:CONF")
    assert probe.snapshot() is None
    assert "rg_fake_config" not in sys.modules
    assert probe.diff(None, object()) == []


def test_an_object_that_is_no_config_object_makes_the_probe_raise(monkeypatch) -> None:
    module = types.ModuleType("rg_fake_config")
    module.CONF = object()  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "rg_fake_config", module)
    with pytest.raises(TypeError, match=r"rg_fake_config:CONF is a object, not an oslo\.config"):
        OsloConfigProbe("rg_fake_config:CONF").snapshot()


def test_dotted_attributes_are_followed(conf, monkeypatch) -> None:
    holder = types.SimpleNamespace(conf=conf)
    monkeypatch.setattr(sys.modules["rg_fake_config"], "holder", holder, raising=False)
    probe = OsloConfigProbe("rg_fake_config:holder.conf")
    before = probe.snapshot()
    conf.set_override("rg_region", "x")
    assert probe.diff(before, probe.snapshot()) == ["rg_region: 'north' -> 'x' (set_override never cleared)"]


@pytest.mark.parametrize("spec", ["oslo_config.cfg.CONF", "oslo_config.cfg:", ":CONF", "a b:CONF", "m:x:y"])
def test_malformed_specs_are_refused(spec) -> None:
    with pytest.raises(ValueError, match="is not `module:attribute`"):
        parse_spec(spec)


def test_an_unchanged_object_gives_the_same_snapshot_again(conf) -> None:
    probe = OsloConfigProbe("rg_fake_config:CONF")
    first = probe.snapshot()
    assert conf.rg_region == "north"  # reading fills oslo.config's value cache: no change
    assert probe.snapshot() is first
    conf.set_override("rg_region", "south")
    changed = probe.snapshot()
    assert changed is not first
    assert probe.diff(first, changed) == ["rg_region: 'north' -> 'south' (set_override never cleared)"]
    conf.clear_override("rg_region")
    assert probe.diff(first, probe.snapshot()) == []


def test_a_snapshot_lists_the_options_as_they_were(conf) -> None:
    probe = OsloConfigProbe("rg_fake_config:CONF")
    before = probe.snapshot()
    conf.set_override("rg_region", "a")
    middle = probe.snapshot()
    conf.set_override("rg_region", "b")
    conf.set_default("workers", 3, group="api")
    assert probe.diff(before, middle) == ["rg_region: 'north' -> 'a' (set_override never cleared)"]
    assert probe.diff(middle, probe.snapshot()) == [
        "rg_region: 'a' -> 'b'",
        "default of api.workers: 1 -> 3 (set_default never cleared)",
    ]
