"""Project fixtures for the RG101 data files: one built on oslo.config's Config, one not."""

import fixtures
from oslo_config import fixture as config_fixture


class ConfFixture(config_fixture.Config):
    def setUp(self):
        super().setUp()
        self.conf.set_default("host", "fake-mini")


class ProjectConfig(ConfFixture):
    """Two hops from oslo.config's Config."""


class TempConf(fixtures.Fixture):
    """Not a config fixture at all."""
