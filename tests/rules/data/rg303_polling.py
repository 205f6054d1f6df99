"""A test checks through a project function that raises a conditional exception on timeout."""

import unittest

from rg303_app import polling


class Queue:
    def __init__(self):
        self.items = ["job"]


class TestQueue(unittest.TestCase):
    def setUp(self):
        self.queue = Queue()

    def _drained(self):
        polling.wait_until(lambda: self.queue.items.pop() or True)

    def test_drains(self):
        self._drained()

    def test_waits_directly(self):
        polling.wait_until(lambda: True, error=RuntimeError("stuck"))

    def test_only_skips(self):  # RG303
        polling.skip_unless(self.queue.items)

    def test_validates(self):  # RG303
        polling.validate_names(["a", "b"])

    def test_parses(self):  # RG303
        polling.parse_pairs("a=1;b=2")
