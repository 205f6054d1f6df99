"""Resets, stubs, mocks and module reset functions: not leaks; what they do not cover still is."""

from unittest import mock

import pytest
from rg103_app import base, registry


class TestResetInSetUp:
    def setUp(self):
        registry.STRICT = True  # a constant every test of the class starts from
        registry.LIMITS = {}
        registry.ENDPOINT = "http://test"
        registry.BACKEND = mock.Mock()  # RG103

    def test_strict(self):
        registry.STRICT = False  # the module's own value: nothing changes
        registry.ENDPOINT = "http://other"  # RG103
        assert registry.describe()


class TestClassAttributes:
    def test_same_value_as_the_class(self):
        registry.Policy.enforce = True
        registry.Policy.rules = ()

    def test_other_value(self):
        registry.Policy.enforce = False  # RG103


class TestStubs(base.TestCase):
    def setUp(self):
        super().setUp()
        self.stub_out("rg103_app.registry.Policy", mock.Mock())

    def test_configures_the_stub(self):
        registry.Policy.enforce = False  # an attribute of the stub setUp installed

    def test_stub_out_in_a_helper(self):
        self._fake_backend()
        registry.BACKEND.timeout = 3

    def _fake_backend(self):
        self.stub_out("rg103_app.registry.BACKEND", object())


class TestMocksTheTestMade:
    def test_configures_its_mock(self):
        registry.BACKEND = mock.MagicMock()  # RG103
        registry.BACKEND.timeout = 3
        registry.BACKEND.connect.return_value = None

    def test_a_patcher_start_result(self):
        registry.BACKEND = mock.patch("rg103_app.registry.Policy").start()  # RG103
        registry.BACKEND.enforce = False


class TestCleanupCallsTheModuleReset:
    def test_reset_registered(self):
        self.addCleanup(registry.reset)
        registry.REGISTRY = {"a": 1}
        registry.BACKEND = object()

    def test_reset_does_not_cover_other_names(self):
        self.addCleanup(registry.reset)
        registry.ENDPOINT = "http://elsewhere"  # RG103

    def test_reset_in_teardown_only_when_called_there(self):
        registry.REGISTRY = {"b": 2}  # RG103
        registry.reset()


@pytest.fixture(autouse=True)
def quiet():
    registry.STRICT = True
    registry.ENDPOINT = "http://fixture"


@pytest.fixture
def loud():
    registry.ENDPOINT = "http://loud"  # RG103


def test_with_loud(loud):
    assert registry.describe()


class TestSavedCopy:
    def setUp(self):
        self.saved_limits = list(registry.ORDER)
        registry.ORDER = sorted(self.saved_limits, reverse=True)  # RG103

    def test_back_to_the_saved_copy(self):
        registry.ORDER = self.saved_limits  # the copy setUp saved: a restore, not a change

    def test_other(self):
        registry.ORDER = tuple(["c"])  # RG103
