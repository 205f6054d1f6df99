"""A project base class that registers ``mock.patch.stopall`` as a cleanup, like oslotest's."""

import unittest
from unittest import mock


class TestCase(unittest.TestCase):
    def setUp(self):
        super().setUp()
        self.addCleanup(mock.patch.stopall)
