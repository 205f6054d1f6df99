"""A project fixture derived from oslo.config's Config counts as the config fixture, through super()."""

from oslo_config import cfg
from rg101_app import bases
from rg101_app import fixtures as app_fixtures

CONF = cfg.CONF


class TestProjectFixture:
    def flags(self, **kw):
        for key, value in kw.items():
            CONF.set_override(key, value)  # a helper: its class's setUp installs the fixture first

    def setUp(self):
        self.useFixture(app_fixtures.ConfFixture(CONF))
        self.flags(host="compute1")

    def test_override(self):
        CONF.set_override("host", "compute2")


class TestTwoHops:
    def test_override(self):
        self.useFixture(app_fixtures.ProjectConfig(CONF))
        CONF.set_default("host", "compute2")


class TestNotAConfigFixture:
    def test_override(self):
        self.useFixture(app_fixtures.TempConf())
        CONF.set_override("host", "compute2")  # RG101


class TestOverridesSetUpAndCallsSuper(bases.ConfiguredTestCase):
    def setUp(self):
        super().setUp()
        self.region = "south"

    def test_override(self):
        CONF.set_override("host", "compute3")


class TestThroughAMixin(bases.Mixin, bases.ConfiguredTestCase):
    def setUp(self):
        super(TestThroughAMixin, self).setUp()

    def test_override(self):
        CONF.set_override("host", "compute4")


class TestOverridesSetUpWithoutSuper(bases.ConfiguredTestCase):
    def setUp(self):
        self.region = "west"  # the base's setUp, and its fixture, never run

    def test_override(self):
        CONF.set_override("host", "compute5")  # RG101
