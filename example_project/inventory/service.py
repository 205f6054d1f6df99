"""Reservations of stock: the service the rest of the system calls."""

import dataclasses
import os
import time

from inventory import backend
from inventory import conf

CONF = conf.CONF

REGION_ENV = "INVENTORY_REGION"


class OutOfStock(Exception):
    def __init__(self, sku, wanted, available):
        super().__init__(f"{sku}: wanted {wanted}, {available} available")
        self.sku = sku
        self.wanted = wanted
        self.available = available


@dataclasses.dataclass(frozen=True)
class Reservation:
    id: str
    region: str
    sku: str
    quantity: int
    expires_at: float


def current_region():
    """The region to serve: ``$INVENTORY_REGION`` wins over ``[DEFAULT] region``."""
    return os.environ.get(REGION_ENV) or CONF.region


class InventoryService:
    def __init__(self, client=None, clock=time.time):
        self.client = client if client is not None else backend.Client()
        self.clock = clock

    def available(self, sku):
        return self.client.get_stock(current_region(), sku)

    def reserve(self, sku, quantity):
        if quantity < 1:
            raise ValueError(f"quantity must be positive, got {quantity}")
        region = current_region()
        available = self.client.get_stock(region, sku)
        if available < quantity:
            raise OutOfStock(sku, quantity, available)
        ttl = CONF.reservation_ttl
        reservation_id = self.client.reserve(region, sku, quantity, ttl=ttl)
        return Reservation(reservation_id, region, sku, quantity, self.clock() + ttl)

    def release(self, reservation):
        try:
            self.client.release(reservation.region, reservation.id)
        except backend.NotFound:
            return False
        return True
