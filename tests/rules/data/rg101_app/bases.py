"""Project bases for the RG101 data files: a setUp that installs the project's config fixture."""

from oslo_config import cfg

from rg101_app import fixtures as app_fixtures

CONF = cfg.CONF


class ConfiguredTestCase:
    def setUp(self):
        self.useFixture(app_fixtures.ConfFixture(CONF))


class Mixin:
    def setUp(self):
        super().setUp()
        self.region = "north"
