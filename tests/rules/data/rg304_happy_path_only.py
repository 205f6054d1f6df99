"""No test expects a failure: one violation, at the first target's def line."""
# ruff: noqa: PT009  (data for the rule tests: the patterns are the point)

import unittest


def _create(state):  # RG304
    return {"state": state}


class TestServers(unittest.TestCase):
    def test_create(self):
        self.assertEqual(_create("ACTIVE")["state"], "ACTIVE")

    def test_state_keyword_that_is_no_error(self):
        self._wait_for_state(_create("ACTIVE"), expected_state="ACTIVE")

    def _wait_for_state(self, server, expected_state):
        self.assertEqual(server["state"], expected_state)
