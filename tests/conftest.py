"""What every test of this suite shares."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _asked_for_reviewgate(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """pytester sessions ask for the plugin, as a user does with ``-p reviewgate``: installed but not
    asked for, it stays off (tests of that switch take the variable away again). Set after pytester
    has cleared ``PYTEST_ADDOPTS`` for its sessions."""
    if "pytester" in request.fixturenames:
        request.getfixturevalue("pytester")
        monkeypatch.setenv("PYTEST_ADDOPTS", "-p reviewgate")
