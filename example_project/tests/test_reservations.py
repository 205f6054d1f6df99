"""InventoryService with an in-memory backend (plain pytest style)."""

import pytest

from inventory import conf
from inventory import service

CONF = conf.CONF


@pytest.fixture
def svc(fake_client):
    return service.InventoryService(fake_client, clock=lambda: 1000.0)


@pytest.fixture(autouse=True)
def _no_region_env(monkeypatch):
    monkeypatch.delenv(service.REGION_ENV, raising=False)


def test_reserve_takes_stock_from_the_current_region(svc, fake_client):
    reservation = svc.reserve("widget", 2)

    assert reservation.region == "north"
    assert fake_client.get_stock("north", "widget") == 3


def test_region_can_come_from_the_environment(svc, fake_client, monkeypatch):
    monkeypatch.setenv(service.REGION_ENV, "south")

    svc.reserve("widget", 1)

    assert fake_client.get_stock("south", "widget") == 0


def test_out_of_stock_reserves_nothing(svc, fake_client):
    with pytest.raises(service.OutOfStock) as excinfo:
        svc.reserve("widget", 6)

    assert excinfo.value.available == 5
    assert fake_client.reservations == {}


def test_region_override_through_the_config_fixture(svc, config):
    config.config(region="south")

    assert svc.reserve("widget", 1).region == "south"


def test_reservation_expires_after_the_configured_ttl(svc):
    CONF.set_override("reservation_ttl", 30)

    reservation = svc.reserve("widget", 1)

    assert reservation.expires_at == 1030.0
    CONF.clear_override("reservation_ttl")


def test_release_returns_the_stock(svc, fake_client, mocker):
    spy = mocker.spy(fake_client, "release")
    reservation = svc.reserve("widget", 5)

    assert svc.release(reservation) is True
    spy.assert_called_once_with("north", reservation.id)
    assert fake_client.get_stock("north", "widget") == 5


def test_release_of_a_released_reservation_is_false(svc, mocker):
    mocker.patch.object(svc.client, "release", side_effect=service.backend.NotFound("r-9"))
    reservation = service.Reservation("r-9", "north", "widget", 1, 0.0)

    assert svc.release(reservation) is False
