"""Tests written in a mixin run as tests of the classes that combine it with a test case."""

# settings: {"reverting-bases": ["nova.test.TestCase"]}

from nova import test
from oslo_config import cfg

CONF = cfg.CONF


class AgentTests:
    def setUp(self):
        super().setUp()
        CONF.set_override("host", "compute1")

    def test_agent(self):
        CONF.set_override("region", "r1")


class TestAgent(AgentTests, test.TestCase):
    pass


class StandaloneTests:
    def test_alone(self):
        CONF.set_override("region", "r1")  # RG101


class HalfMixedTests:
    def test_half(self):
        CONF.set_override("region", "r1")  # RG101


class TestHalfReverting(HalfMixedTests, test.TestCase):
    pass


class TestHalfPlain(HalfMixedTests):
    pass
