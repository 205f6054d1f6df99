"""A base class of the project whose setUp installs a config fixture, and its flags() helper."""

from oslo_config import cfg
from rg101_app import base

CONF = cfg.CONF


class TestWithProjectBase(base.TestCase):
    def test_override_under_the_base_fixture(self):
        CONF.set_override("host", "compute1")

    def test_flags(self):
        self.flags(host="compute1", group="api")


class TestWithoutBase:
    def test_override(self):
        CONF.set_override("host", "compute1")  # RG101
