"""InventoryService against a mocked backend client (testtools style)."""

import fixtures

from inventory import backend
from inventory import conf
from inventory import service
from tests import base

CONF = conf.CONF

NO_SUCH_RESERVATION = "00000000-0000-0000-0000-000000000000"


class InventoryServiceTests(base.TestCase):
    def setUp(self):
        super().setUp()
        self.client = self.useFixture(
            fixtures.MockPatch("inventory.backend.Client", autospec=True)
        ).mock.return_value
        self.client.get_stock.return_value = 5
        self.client.reserve.return_value = "r-1"
        self.useFixture(fixtures.EnvironmentVariable(service.REGION_ENV))
        self.service = service.InventoryService(clock=lambda: 1000.0)

    def test_reserve_uses_configured_region_and_ttl(self):
        self.flags(region="south", reservation_ttl=60)

        reservation = self.service.reserve("widget", 2)

        self.client.reserve.assert_called_once_with("south", "widget", 2, ttl=60)
        self.assertEqual("south", reservation.region)
        self.assertEqual(1060.0, reservation.expires_at)

    def test_reserve_more_than_available_raises(self):
        self.client.get_stock.return_value = 1

        error = self.assertRaises(service.OutOfStock, self.service.reserve, "widget", 2)

        self.assertEqual(1, error.available)
        self.client.reserve.assert_not_called()

    def test_reserve_rejects_non_positive_quantity(self):
        self.assertRaises(ValueError, self.service.reserve, "widget", 0)

    def test_release_of_unknown_reservation_returns_false(self):
        self.client.release.side_effect = backend.NotFound(NO_SUCH_RESERVATION)
        reservation = service.Reservation(NO_SUCH_RESERVATION, "north", "widget", 1, 0.0)

        self.assertFalse(self.service.release(reservation))

    def test_region_from_environment_wins_over_config(self):
        self.flags(region="south")
        self.useFixture(fixtures.EnvironmentVariable(service.REGION_ENV, "east"))

        self.assertEqual("east", service.current_region())


class ServiceDefaultsTests(base.TestCase):
    def test_default_client_reads_backend_group(self):
        CONF.set_override("endpoint", "https://stock.test/", group="backend")
        CONF.set_override("timeout", 1.5, group="backend")
        request = self.useFixture(fixtures.MockPatchObject(backend.Client, "_request"))

        svc = service.InventoryService()
        svc.available("widget")

        self.assertEqual("https://stock.test", svc.client.endpoint)
        self.assertEqual(1.5, svc.client.timeout)
        request.mock.assert_called_once_with("GET", "/regions/north/stock/widget")
