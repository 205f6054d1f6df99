"""Assertions the test reaches indirectly: super(), imported helpers, installed fakes, raising
helpers, checking keywords, mocks reached by subscript or call; skipped placeholders."""
# ruff: noqa: PT009, PT027, PT015, PT017  (data for the rule tests: the patterns are the point)

import unittest
from unittest import mock

import pytest
from rg303_app import testing
from rg303_app.testing import compare
from shop import machine_types
from shop.testing import verify_totals


class Store:
    def __init__(self, calls=None):
        self.calls = calls

    def post(self, path, body, check_response_status=None):
        return path, body, check_response_status


class Base(unittest.TestCase):
    def test_sum(self):
        self.assertEqual(2, 1 + 1)


class TestSuper(Base):
    def test_sum(self):
        self.flavour = "large"
        super().test_sum()


class Checked(unittest.TestCase):
    def _verify(self, result):
        self.assertTrue(result)


class TestSuperAlias(Checked):
    def _verify(self, result):
        parent = super(TestSuperAlias, self)
        parent._verify(result)

    def test_through_the_parent(self):
        self._verify(1)


class FakeManager(Store):
    def test_method(self):  # named like a test, in a class that is no test
        return "manager"


class TestSkipped(unittest.TestCase):
    @unittest.skip("covered by the functional suite")
    def test_placeholder(self):
        pass

    @pytest.mark.skip(reason="flaky")
    def test_marked(self):
        Store().post("/a", {})

    def test_skipped_first(self):
        raise unittest.SkipTest("not on this platform")

    @unittest.skipIf(True, "may run elsewhere")
    def test_conditional(self):  # RG303
        pass


@unittest.skip("removed API")
class TestRemoved(unittest.TestCase):
    def test_gone(self):
        pass


def _ensure_positive(value):
    if value <= 0:
        raise AssertionError(f"{value} is not positive")


def _not_written_yet(value):
    raise NotImplementedError


class TestInstalledFake(unittest.TestCase):
    def setUp(self):
        def fake_post(path, body, check_response_status=None):
            self.assertEqual("/orders", path)

        self.store = Store()
        self.store.post = fake_post

    def test_through_the_installed_fake(self):
        self.store.post("/orders", {})


class TestIndirect(unittest.TestCase):
    def test_imported_helper(self):
        verify_totals(Store())

    def test_imported_function_that_asserts(self):
        compare(self, {"a": 1}, {"a": 1})
        testing.compare(self, {"a": 1}, {"a": 1})

    def test_imported_function_that_does_not(self):  # RG303
        testing.build({"a": 1})

    def test_code_under_test_named_like_a_check(self):  # RG303
        machine_types.check_supported("q35")

    @mock.patch("shop.notify", new_callable=mock.NonCallableMock)
    def test_a_mock_that_must_not_be_called(self, notify):
        Store().post("/orders", {})

    def test_raising_helper(self):
        _ensure_positive(1)

    def test_checking_keyword(self):
        Store().post("/orders", {}, check_response_status=[400])

    def test_mock_by_subscript(self):
        mocks = {"post": mock.Mock()}
        mocks["post"]("/orders")
        mocks["post"].assert_called_once_with("/orders")

    def test_mock_by_call(self):
        factory = mock.Mock()
        factory()("/orders")
        factory().assert_called_once_with("/orders")


class TestNotAssertions(unittest.TestCase):
    def test_helper_that_is_not_written(self):  # RG303
        _not_written_yet(1)

    def test_fake_that_raises(self):  # RG303
        def fake_post(path, body):
            if path:
                raise ValueError(path)

        Store().post = fake_post

    def test_keyword_switched_off(self):  # RG303
        Store().post("/orders", {}, check_response_status=None)


def _compare(test, result, expected):
    test.assertEqual(expected, result)


class LocalCase(unittest.TestCase):
    def compare_obj(self, result, expected):
        _compare(self, result, expected)


class _ThingMixin(object):  # noqa: UP004  (nova spells its mixins so)
    def test_through_the_combining_class(self):
        self.compare_obj(1, 1)

    def test_through_nothing(self):  # RG303
        self.build(1)


class TestThing(LocalCase, _ThingMixin):
    def build(self, value):
        return value
