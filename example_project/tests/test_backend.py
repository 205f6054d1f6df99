"""backend.Client against a fake urlopen (testtools style)."""

import io
import json
import socket
import urllib.error

import fixtures

from inventory import backend
from tests import base


def _response(payload):
    return io.BytesIO(json.dumps(payload).encode())


class ClientTests(base.TestCase):
    def setUp(self):
        super().setUp()
        self.flags(endpoint="http://stock.test:8778/", retries=1, group="backend")
        self.urlopen = self.useFixture(
            fixtures.MockPatch("urllib.request.urlopen", autospec=True)
        ).mock
        self.client = backend.Client()

    def _sent(self, call=-1):
        request = self.urlopen.call_args_list[call].args[0]
        return request.get_method(), request.full_url, request.data

    def test_get_stock(self):
        self.urlopen.return_value = _response({"available": 7})

        self.assertEqual(7, self.client.get_stock("north", "widget"))
        self.assertEqual(
            ("GET", "http://stock.test:8778/regions/north/stock/widget", None),
            self._sent(),
        )

    def test_reserve_posts_quantity_and_ttl(self):
        self.urlopen.return_value = _response({"id": "5f0c3a52-8d7e-4a43-9d36-3b8e2c6f1a90"})

        reservation_id = self.client.reserve("north", "widget", 3, ttl=60)

        self.assertEqual("5f0c3a52-8d7e-4a43-9d36-3b8e2c6f1a90", reservation_id)
        method, url, data = self._sent()
        self.assertEqual("POST", method)
        self.assertEqual({"sku": "widget", "quantity": 3, "ttl": 60}, json.loads(data))

    def test_timeout_is_retried_then_reported(self):
        self.urlopen.side_effect = socket.timeout()

        self.assertRaises(backend.BackendError, self.client.get_stock, "north", "widget")
        self.assertEqual(2, self.urlopen.call_count)

    def test_release_of_unknown_reservation_raises_not_found(self):
        self.urlopen.side_effect = urllib.error.HTTPError(
            "http://stock.test", 404, "Not Found", {}, None
        )

        self.assertRaises(
            backend.NotFound,
            self.client.release,
            "north",
            "9b2e4f61-0c5d-4e8a-b7f3-6a1d2c3e4f50",
        )

    def test_timeout_comes_from_the_backend_group(self):
        self.flags(timeout=0.5, group="backend")
        self.urlopen.return_value = _response({"available": 0})

        backend.Client().get_stock("north", "widget")

        self.assertEqual(0.5, self.urlopen.call_args.kwargs["timeout"])
