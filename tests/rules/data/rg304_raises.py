"""A test that expects an error satisfies the rule for every target."""
# ruff: noqa: PT009, PT027  (data for the rule tests: the patterns are the point)

import unittest


def _create(state):
    return {"state": state}


class TestServers(unittest.TestCase):
    def test_create(self):
        self.assertEqual(_create("ACTIVE")["state"], "ACTIVE")

    def test_create_without_state(self):
        with self.assertRaisesRegex(TypeError, "state"):
            _create()
