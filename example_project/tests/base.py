"""Base class of the testtools tests, in the OpenStack manner."""

import testtools
from oslo_config import fixture as config_fixture

from inventory import conf

CONF = conf.CONF


class TestCase(testtools.TestCase):
    """Every test gets a config fixture: overrides made through it are reset at cleanup."""

    def setUp(self):
        super().setUp()
        self.config_fixture = self.useFixture(config_fixture.Config(CONF))

    def flags(self, **kw):
        """Override options for this test only: ``self.flags(timeout=1, group="backend")``."""
        self.config_fixture.config(**kw)
