"""Each test asserts something, directly or through a helper; non-tests are not checked."""
# ruff: noqa: PT009, PT027  (data for the rule tests: the patterns are the point)

import unittest
from unittest import mock

import pytest
import testtools
from hamcrest import assert_that, equal_to


def _check_result(result):
    assert result


def _nothing(result):
    return result


def helper_without_assert():
    return 1


def test_plain_assert():
    assert 1 + 1 == 2


def test_nothing():  # RG303
    _nothing(1)


def test_through_helper():
    _check_result(_nothing(1))


def test_raises():
    with pytest.raises(ZeroDivisionError):
        _nothing(1 / 0)


def test_mock_assert():
    fake = mock.Mock()
    fake(1)
    fake.assert_called_once_with(1)


def test_hamcrest():
    assert_that(1, equal_to(1))


def test_pytest_fail():
    if _nothing(0):
        pytest.fail("unexpected")


class TestUnittest(unittest.TestCase):
    def setUp(self):
        self.assertTrue(True)

    def _verify(self, value):
        return value

    def _asserting(self, value):
        self.assertEqual(value, 1)

    def test_self_assert(self):
        self.assertEqual(1, 1)

    def test_only_setup_asserts(self):  # RG303
        _nothing(1)

    def test_module_helper_named_like_an_assertion(self):  # RG303
        self._verify(1)

    def test_method_helper(self):
        self._asserting(1)

    def test_inherited_helper_by_name(self):
        self.check_server_state("ACTIVE")

    def test_inherited_helper_not_matching(self):  # RG303
        self.start_server()

    def test_fail(self):
        if _nothing(0):
            self.fail("unexpected")

    def test_assert_raises(self):
        self.assertRaises(ZeroDivisionError, lambda: 1 / 0)


class TestTesttools(testtools.TestCase):
    def test_expected_exception(self):
        self.useFixture(testtools.ExpectedException(ValueError))
        int("x")

    def test_expect_that(self):
        self.expectThat(1, testtools.matchers.Equals(1))

    def test_skip_only(self):  # skipped before it does anything: never runs
        self.skipTest("not yet")


class Helper:
    def test_like_name_but_not_a_test(self):
        return 1
