# settings: {"rules": {"error-paths-tested": {"extend-error-assertions": ["'ERROR'"]}}}
# Nova functional tests wait for the ERROR state positionally: counted with the option above.
import unittest


class ServerTests(unittest.TestCase):
    def test_boot_fails(self):
        server = self._create_server()
        self._wait_for_state_change(server, "ERROR")

    def _create_server(self):
        return {}

    def _wait_for_state_change(self, server, state):
        return server
