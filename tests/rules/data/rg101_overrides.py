"""set_override / set_default: reverted by cleanups, fixtures and helpers, or flagged."""

from unittest import mock

import pytest
from oslo_config import cfg
from oslo_config import fixture as config_fixture

CONF = cfg.CONF


class TestOverrides:
    def test_override_never_reverted(self):
        CONF.set_override("host", "compute1")  # RG101
        CONF.set_default("workers", 4)  # RG101

    def test_override_through_the_module_spelling(self):
        cfg.CONF.set_override("region", "north", group="inventory")  # RG101

    def test_cleared_by_a_registered_cleanup(self):
        CONF.set_override("host", "compute1")
        self.addCleanup(CONF.clear_override, "host")
        CONF.set_default("workers", 4, group="api")
        self.addCleanup(CONF.clear_default, "workers", group="api")

    def test_cleanup_for_another_option_does_not_count(self):
        CONF.set_override("host", "compute1")  # RG101
        self.addCleanup(CONF.clear_override, "region")

    def test_cleanup_for_another_group_does_not_count(self):
        CONF.set_override("host", "compute1", group="api")  # RG101
        self.addCleanup(CONF.clear_override, "host", group="db")

    def test_reset_reverts_everything(self):
        CONF.set_override("host", "compute1")
        CONF.set_default("workers", 4)
        self.addCleanup(CONF.reset)

    def test_lambda_cleanup(self):
        CONF.set_override("host", "compute1")
        self.addCleanup(lambda: CONF.clear_override("host"))

    def test_nested_function_cleanup(self):
        CONF.set_override("host", "compute1")

        def restore():
            CONF.clear_override("host")

        self.addCleanup(restore)

    def test_method_cleanup(self):
        CONF.set_override("host", "compute1")
        self.addCleanup(self._restore_host)

    def _restore_host(self):
        CONF.clear_override("host")

    def test_finally(self):
        try:
            CONF.set_override("host", "compute1")
        finally:
            CONF.clear_override("host")

    def test_restore_with_set_override_at_cleanup(self):
        CONF.set_override("host", "compute1")
        self.addCleanup(CONF.set_override, "host", None)

    def test_config_fixture(self):
        self.useFixture(config_fixture.Config(CONF))
        CONF.set_override("host", "compute1")

    def test_config_fixture_methods_revert_by_construction(self):
        fixture = self.useFixture(config_fixture.Config())
        fixture.config(host="compute1")
        fixture.set_default("workers", 4)

    def test_a_fixture_constructed_but_never_used_does_not_count(self):
        config_fixture.Config(CONF)
        CONF.set_override("host", "compute1")  # RG101

    @mock.patch.object(CONF, "host", "compute1")
    def test_patch_object_reverts_by_construction(self):
        with mock.patch.object(CONF, "region", "north"):
            pass

    def test_helper_is_reported_at_the_helper_line(self):
        self._use_compute1()

    def _use_compute1(self):
        CONF.set_override("host", "compute1")  # RG101


class TestSetUpAndTearDown:
    def setUp(self):
        CONF.set_override("host", "compute1")

    def tearDown(self):
        CONF.clear_override("host")

    def test_uses_host(self):
        assert CONF.host == "compute1"


class TestSharedSetUpIsPairedPerTest:
    def setUp(self):
        CONF.set_override("host", "compute1")  # RG101

    def test_reverts(self):
        self.addCleanup(CONF.clear_override, "host")

    def test_does_not_revert(self):
        assert CONF.host


@pytest.fixture
def compute_host():
    CONF.set_override("host", "compute1")
    yield "compute1"
    CONF.clear_override("host")


@pytest.fixture
def leaky_host():
    CONF.set_override("host", "leaky")  # RG101
    yield "leaky"  # noqa: PT022


@pytest.fixture
def finalized_host(request):
    CONF.set_override("host", "compute1")
    request.addfinalizer(lambda: CONF.clear_override("host"))  # noqa: PT021
    return "compute1"


def test_with_fixtures(compute_host, leaky_host, finalized_host, monkeypatch):
    monkeypatch.setattr(CONF, "region", "north")


@pytest.fixture
def config():
    fixture = config_fixture.Config(CONF)
    fixture.setUp()
    yield fixture
    fixture.cleanUp()


def test_with_a_config_fixture_set_up_by_hand(config):
    config.config(region="south")
    CONF.set_override("host", "compute1")


def test_ignore_comment_is_honoured():
    CONF.set_override("host", "x")  # reviewgate: ignore[RG101]
