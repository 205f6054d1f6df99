"""A Nova-style base test class: installs a config fixture in setUp, so overrides are reset."""

from oslo_config import cfg
from oslo_config import fixture as config_fixture

CONF = cfg.CONF


class TestCase:
    def setUp(self):
        self.useFixture(config_fixture.Config(CONF))

    def flags(self, **kw):
        group = kw.pop("group", None)
        for key, value in kw.items():
            CONF.set_override(key, value, group)
