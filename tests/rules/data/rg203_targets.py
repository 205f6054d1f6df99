"""Patch targets inside the project must exist; outside it, or when unknowable, they are not judged."""

import os
from unittest import mock

import fixtures
from rg203_app import inventory


class Local:
    colour = "red"

    def __init__(self):
        self.size = 1

    def paint(self):
        return self.colour


class LocalChild(Local):
    pass


@mock.patch("rg203_app.inventory.refresh", autospec=True)
@mock.patch("rg203_app.inventory.refesh", autospec=True)  # RG203
def test_strings(*mocks):
    with mock.patch("rg203_app.inventory.Client.fetch", autospec=True):
        pass
    with mock.patch("rg203_app.inventory.Client.fecth", autospec=True):  # RG203
        pass
    with mock.patch("rg203_app.inventory.Client.session"):
        pass
    with mock.patch("rg203_app.inventory.TIMEOUT", 1):
        pass
    with mock.patch("rg203_app.Client", autospec=True):
        pass
    with mock.patch("rg203_app.missing.Client", autospec=True):  # RG203
        pass
    with mock.patch("rg203_app.dynamic.anything", autospec=True):
        pass
    with mock.patch("os.path.nothing_like_this", autospec=True):
        pass
    with mock.patch("rg203_app.inventory.Clinet", create=True):
        pass
    with mock.patch(
        "rg203_app.inventory.TIMEOUTS",  # RG203
        1,
    ):
        pass


def test_other_forms(monkeypatch):
    with mock.patch.object(inventory, "refresh", autospec=True):
        pass
    with mock.patch.object(inventory, "refesh", autospec=True):  # RG203
        pass
    with mock.patch.dict("rg203_app.inventory.TABLE", {}):  # RG203
        pass
    with mock.patch.multiple("rg203_app.inventory", TIMEOUT=1, refresh=mock.DEFAULT):
        pass
    with mock.patch.multiple("rg203_app.inventory", TIMEOUT=1, LIMIT=2):  # RG203
        pass
    monkeypatch.setattr("rg203_app.inventory.TIMEOUT", 1)
    monkeypatch.setattr("rg203_app.inventory.TIMEOUTS", 1)  # RG203
    monkeypatch.setattr(inventory, "LIMIT", 1)  # RG203
    monkeypatch.setattr(inventory, "LIMIT", 1, raising=False)
    monkeypatch.setattr(os, "nothing_like_this", 1)


def test_local_classes(mocker):
    mocker.patch.object(Local, "paint", autospec=True)
    mocker.patch.object(Local, "colour", "blue")
    mocker.patch.object(Local, "size", 2)
    mocker.patch.object(Local, "paint_it", autospec=True)  # RG203
    mocker.patch.object(LocalChild, "anything", autospec=True)
    mocker.patch("rg203_app.inventory.Client.retries", 1)


class TestFixtures:
    def test_fixture(self, request):
        fixture = fixtures.MockPatch("rg203_app.inventory.Client.fetched")  # RG203
        request.addfinalizer(fixture.cleanUp)


def test_names_that_shadow_an_imported_module(inventory):
    with mock.patch.object(inventory, "refesh", autospec=True):
        pass


def test_locals_that_shadow_an_imported_module():
    os = Local()
    with mock.patch.object(os, "nothing_like_this", autospec=True):
        pass
    for inventory in [Local()]:
        with mock.patch.object(inventory, "paint_it", autospec=True):
            pass
    with mock.patch.object(inventory, "LIMIT", 1):  # a local for the whole function
        pass


def test_decorators_of_a_nested_function_see_the_module():
    @mock.patch.object(inventory, "refesh", autospec=True)  # RG203
    def run(inventory, refesh):
        with mock.patch.object(inventory, "refesh", autospec=True):
            pass

    run(Local())


def test_a_nested_function_sees_the_locals_around_it():
    inventory = Local()

    def run():
        with mock.patch.object(inventory, "paint_it", autospec=True):
            pass

    run()
