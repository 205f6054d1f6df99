"""Mixins of mixins (here, or imported from the project) stop their patchers through the stopall
base of the test cases that finally use them; one plain user is enough to report."""

# settings: {"stopall-bases": ["oslotest.base.BaseTestCase"]}

import unittest
from unittest import mock

from oslotest import base
from rg201_app import mixins


class RouterTestsMixin:
    def make_router(self):
        return {"name": "r1"}


class RouterTestsBase(RouterTestsMixin):
    def test_update(self):
        mock.patch("os.getcwd", return_value="/srv").start()


class SchedulerTestsMixin(mixins.ApiTestsMixin, RouterTestsBase):
    def test_schedule(self):
        mock.patch("os.getpid", return_value=7).start()


class TestRouter(RouterTestsBase, base.BaseTestCase):
    pass


class TestScheduler(SchedulerTestsMixin, base.BaseTestCase):
    pass


class QuotaTestsMixin:
    def count(self):
        return 3


class QuotaTestsBase(QuotaTestsMixin):
    def test_quota(self):
        mock.patch("os.getcwd", return_value="/srv").start()  # RG201


class TestQuotaStopped(QuotaTestsBase, base.BaseTestCase):
    pass


class TestQuotaPlain(QuotaTestsBase, unittest.TestCase):
    pass
