"""Patches need autospec, spec, spec_set or a replacement; patch.dict and mocker.spy are out of scope."""
# ruff: noqa: PT008, PT009  (data for the rule tests: the patterns are the point)

import os
import unittest
from unittest import mock
from unittest.mock import DEFAULT, patch

import fixtures
import testtools


@mock.patch("os.getcwd")  # RG202
@mock.patch("os.listdir", autospec=True)
@mock.patch("os.chdir", spec=True)
@mock.patch("os.rmdir", spec_set=os.rmdir)
@mock.patch("os.mkdir", new=lambda path: None)
@mock.patch("os.remove", mock.Mock(return_value=None))
@mock.patch("os.rename", new_callable=mock.PropertyMock)
def test_decorators(*mocks):
    assert mocks


def test_weak_specs():
    with patch("os.getpid", autospec=False):  # RG202
        pass
    with patch("os.getppid", spec=None):  # RG202
        pass
    with patch("os.getuid", new=DEFAULT):  # RG202
        pass
    with patch("os.getgid", mock.DEFAULT):  # RG202
        pass
    with patch.object(  # RG202
        os,
        "getegid",
    ):
        pass


def test_unknown_arguments():
    options = {"autospec": True}
    with mock.patch("os.getpid", **options):
        pass


def test_out_of_scope(mocker):
    with mock.patch.dict(os.environ, {"A": "1"}):
        pass
    with mock.patch.multiple(os, getcwd=DEFAULT):
        pass
    mocker.spy(os, "getcwd")


def test_mocker(mocker):
    mocker.patch("os.getcwd")  # RG202
    mocker.patch.object(os, "listdir", autospec=True)


@mock.patch.object(os, "getcwd")  # RG202
class TestDecoratedClass(unittest.TestCase):
    def test_one(self, getcwd):
        self.assertTrue(getcwd)

    def test_two(self, getcwd):
        self.assertTrue(getcwd)


class TestFixtures(testtools.TestCase):
    def setUp(self):
        super().setUp()
        self.useFixture(fixtures.MockPatch("os.getcwd"))  # RG202
        self.useFixture(fixtures.MockPatchObject(os, "listdir", autospec=True))
        self.useFixture(fixtures.MockPatch("os.chdir", lambda path: None))

    def test_it(self):
        self.assertTrue(os.getcwd)
