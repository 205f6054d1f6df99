"""Classes under stopall-bases need no stop; unknown bases do not count; a no-op cleanup never does."""
# ruff: noqa: PT009  (data for the rule tests: the patterns are the point)
# settings: {"extend-stopall-bases": ["rg201_app.base.TestCase"]}

from unittest import mock

from oslotest import base
from rg201_app import base as project_base
from rg201_app.star import *  # noqa: F403


class TestUnderOslotest(base.BaseTestCase):
    def setUp(self):
        super().setUp()
        mock.patch("os.getcwd").start()
        self.m = mock.patch("os.listdir").start()
        self.addCleanup(self.m.stop)  # RG201

    def test_it(self):
        self.assertTrue(self.m)


class TestUnderProjectBase(project_base.TestCase):
    def test_it(self):
        mock.patch("os.getcwd").start()


class TestUnderUnknownBase(StarBase):  # noqa: F405
    def test_it(self):
        mock.patch("os.getcwd").start()  # RG201
