"""RG903 tells the test's registrations from a library's: by the file of the registering frame."""

from __future__ import annotations

import importlib
import sys
import types
from pathlib import Path

import pytest
from oslo_config import cfg, fixture

from pytest_reviewgate.probes import OsloConfigProbe

LIBRARY = """
from oslo_config import cfg


def connect(conf):
    conf.register_opts([cfg.StrOpt("url"), cfg.IntOpt("retries", default=3)], group="rg_bus")
    conf.register_cli_opt(cfg.BoolOpt("rg_bus_debug"))
    conf.set_default("retries", 5, group="rg_bus")
"""


@pytest.fixture
def conf(monkeypatch: pytest.MonkeyPatch) -> cfg.ConfigOpts:
    module = types.ModuleType("rg_origin_config")
    module.CONF = cfg.ConfigOpts()  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "rg_origin_config", module)
    return module.CONF


@pytest.fixture
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    (tmp_path / "rg_origin_library.py").write_text(LIBRARY)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "rg_origin_library", raising=False)
    return importlib.import_module("rg_origin_library")


def _probe(own: list[str] | None) -> OsloConfigProbe:
    probe = OsloConfigProbe("rg_origin_config:CONF")
    probe.set_own_files(own)
    return probe


def test_a_library_registering_during_the_test_is_initialization(conf, library) -> None:
    probe = _probe([__file__])
    before = probe.snapshot()
    library.connect(conf)
    assert probe.diff(before, probe.snapshot()) == []
    assert probe.origins.files[("rg_bus", "url")] == library.__file__


def test_without_own_files_every_registration_counts(conf, library) -> None:
    probe = _probe(None)
    before = probe.snapshot()
    library.connect(conf)
    assert probe.diff(before, probe.snapshot()) == [
        "group 'rg_bus' registered and never unregistered",
        "option 'rg_bus_debug' registered and never unregistered",
        "option 'rg_bus.retries' registered and never unregistered",
        "option 'rg_bus.url' registered and never unregistered",
    ]


def test_the_test_registering_itself_or_through_a_config_fixture_counts(conf, library) -> None:
    probe = _probe([__file__])
    before = probe.snapshot()
    conf.register_opt(cfg.StrOpt("rg_direct"))
    config = fixture.Config(conf)
    config.setUp()
    config.register_opts([cfg.StrOpt("a")], group="rg_fixture")  # oslo.config's frames are skipped
    library.connect(conf)
    assert probe.diff(before, probe.snapshot()) == [
        "group 'rg_fixture' registered and never unregistered",
        "option 'rg_direct' registered and never unregistered",
        "option 'rg_fixture.a' registered and never unregistered",
    ]


def test_the_first_registration_decides_and_a_new_one_after_unregistering(conf, library) -> None:
    probe = _probe([__file__])
    probe.snapshot()
    library.connect(conf)
    url = cfg.StrOpt("url")
    conf.register_opt(url, group="rg_bus")  # already registered: the library's still
    assert probe.origins.files[("rg_bus", "url")] == library.__file__
    conf.unregister_opt(conf._groups["rg_bus"]._opts["url"]["opt"], group="rg_bus")
    before = probe.snapshot()
    conf.register_opt(url, group="rg_bus")
    assert probe.diff(before, probe.snapshot()) == ["option 'rg_bus.url' registered and never unregistered"]


def test_registering_behaves_as_without_the_probe(conf, monkeypatch) -> None:
    probe = _probe([__file__])
    probe.snapshot()
    assert conf.register_opt(cfg.StrOpt("rg_twice")) is True
    assert conf.register_opt(cfg.StrOpt("rg_twice")) is False
    with pytest.raises(cfg.DuplicateOptError):
        conf.register_opt(cfg.IntOpt("rg_twice"))
    calls = []
    monkeypatch.setattr(cfg.ConfigOpts, "register_group", lambda self, group: calls.append(group.name))
    conf.register_group(cfg.OptGroup("rg_patched"))  # a patch of the class still applies
    assert calls == ["rg_patched"]


def test_the_object_is_wrapped_once_and_a_new_object_too(conf, monkeypatch) -> None:
    probe = _probe([__file__])
    probe.snapshot()
    wrapper = vars(conf)["register_opt"]
    probe.snapshot()
    assert vars(conf)["register_opt"] is wrapper
    other = cfg.ConfigOpts()
    monkeypatch.setattr(sys.modules["rg_origin_config"], "CONF", other)
    probe.snapshot()
    assert "register_opt" in vars(other)
