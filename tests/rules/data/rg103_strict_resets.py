"""``strict-resets`` reports constants set in shared setup hooks and autouse fixtures too."""

# settings: {"rules": {"no-unreverted-monkeypatch": {"strict-resets": true}}}

import pytest
from rg103_app import registry


class TestStrict:
    def setUp(self):
        registry.ENDPOINT = "http://test"  # RG103
        registry.STRICT = False  # the module's own value stays unreported

    def test_it(self):
        assert registry.describe()


@pytest.fixture(autouse=True)
def endpoint():
    registry.ENDPOINT = "http://fixture"  # RG103
