"""A dead monkeypatch: the project's module does not define the attribute."""

import logging

from rg103_app import manager


def test_dead_monkeypatch():
    manager.LOGGER = logging.getLogger("test")  # RG103


def test_live_monkeypatch():
    manager.LOG = logging.getLogger("test")  # RG103
