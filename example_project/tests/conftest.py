"""Fixtures of the plain pytest tests."""

import itertools

import pytest
from oslo_config import fixture as config_fixture

from inventory import backend
from inventory import conf


class FakeClient:
    """An in-memory stock backend with the interface of ``backend.Client``."""

    def __init__(self, stock):
        self.stock = dict(stock)
        self.reservations = {}
        self._ids = itertools.count(1)

    def get_stock(self, region, sku):
        return self.stock.get((region, sku), 0)

    def reserve(self, region, sku, quantity, ttl):
        reservation_id = f"r-{next(self._ids)}"
        self.stock[(region, sku)] -= quantity
        self.reservations[reservation_id] = (region, sku, quantity, ttl)
        return reservation_id

    def release(self, region, reservation_id):
        if reservation_id not in self.reservations:
            raise backend.NotFound(reservation_id)
        _, sku, quantity, _ = self.reservations.pop(reservation_id)
        self.stock[(region, sku)] += quantity


@pytest.fixture
def fake_client():
    return FakeClient({("north", "widget"): 5, ("south", "widget"): 1})


@pytest.fixture
def config():
    """The oslo.config fixture for plain tests: ``config.config(region="south")``."""
    fixture = config_fixture.Config(conf.CONF)
    fixture.setUp()
    yield fixture
    fixture.cleanUp()
