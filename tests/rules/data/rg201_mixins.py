"""A mixin's patchers are stopped by the stopall base of the classes that mix it in."""

# settings: {"stopall-bases": ["oslotest.base.BaseTestCase"]}

from unittest import mock

from oslotest import base


class AgentTests:
    def setUp(self):
        super().setUp()
        mock.patch("os.getcwd", return_value="/tmp").start()

    def test_agent(self):
        pass


class TestAgent(AgentTests, base.BaseTestCase):
    pass


class LonelyTests:
    def setUp(self):
        mock.patch("os.getcwd", return_value="/tmp").start()  # RG201

    def test_lonely(self):
        pass
