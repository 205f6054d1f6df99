"""Attributes of imported modules and classes, and of module classes, set without a restore."""

# settings: {"rules": {"no-unreverted-monkeypatch": {"reset-globals": ["*.Reserver.limit"]}}}

import logging
import os
import sys
from unittest import mock

import fixtures
import pytest
from oslo_config import cfg
from rg103_app import manager
from rg103_app.manager import Reserver

CONF = cfg.CONF


class Widget:
    colour = "red"


class TestAssignments:
    def test_module_attribute(self):
        manager.LOG = logging.getLogger("test")  # RG103
        sys.argv = ["prog"]  # RG103
        setattr(manager, "reserve", lambda name: name)  # noqa: B010  # RG103
        del manager.LOG  # RG103

    def test_class_attributes(self):
        Widget.colour = "blue"  # RG103
        setattr(Widget, "colour", "green")  # noqa: B010  # RG103

    def test_reset_globals_are_skipped(self):
        Reserver.limit = 5

    def test_configuring_a_mock_a_fixture_installed_is_fine(self):
        # a fixture patched these methods with mocks: the patch takes the configuration away
        manager.Reserver.reserve.return_value = {"total": 128}
        manager.Reserver.release.side_effect = RuntimeError("boom")

    def test_objects_the_test_made_are_fine(self):
        widget = Widget()
        widget.colour = "blue"
        self.widget = widget
        self.widget.colour = "green"

    def test_config_and_environ_belong_elsewhere(self):
        CONF.host = "compute1"
        os.environ["TZ"] = "UTC"

    def test_restored_in_finally(self):
        old = manager.LOG
        manager.LOG = logging.getLogger("test")
        try:
            manager.reserve("widget")
        finally:
            manager.LOG = old

    def test_restored_in_the_body_only_reports_the_change(self):
        old = manager.LOG
        manager.LOG = logging.getLogger("test")  # RG103
        manager.reserve("widget")
        manager.LOG = old

    def test_restored_by_a_registered_setattr(self):
        self.addCleanup(setattr, manager, "LOG", manager.LOG)
        manager.LOG = logging.getLogger("test")

    def test_restore_of_another_attribute_does_not_count(self):
        self.addCleanup(setattr, manager, "reserve", manager.reserve)
        manager.LOG = logging.getLogger("test")  # RG103

    @mock.patch.object(manager, "LOG")
    def test_under_a_patch_decorator(self, log):
        manager.LOG = logging.getLogger("test")

    def test_under_a_patch_context_manager(self):
        with mock.patch("rg103_app.manager.LOG"):
            manager.LOG = logging.getLogger("test")
        manager.LOG = logging.getLogger("after")  # RG103

    def test_under_a_fixture(self):
        self.useFixture(fixtures.MockPatchObject(Widget, "colour"))
        Widget.colour = "blue"

    def test_in_a_helper(self):
        self._quiet()

    def _quiet(self):
        manager.LOG = logging.getLogger("quiet")  # RG103


class TestTearDownRestores:
    def setUp(self):
        self.old = Widget.colour
        Widget.colour = "blue"

    def tearDown(self):
        Widget.colour = self.old

    def test_blue(self):
        assert Widget.colour == "blue"


@pytest.fixture
def blue():
    old = Widget.colour
    Widget.colour = "blue"
    yield
    Widget.colour = old


def test_monkeypatch_and_fixture(monkeypatch, blue):
    monkeypatch.setattr(manager, "LOG", logging.getLogger("test"))
    monkeypatch.setattr("rg103_app.manager.reserve", lambda name: name)
    manager.LOG = logging.getLogger("again")
