"""Patch calls are matched by qualified name, whatever the import; self-undoing patches pass."""
# ruff: noqa: PT009, UP026  (data for the rule tests: the patterns are the point)

import os
import unittest
from unittest import mock as um
from unittest.mock import patch

import fixtures
import mock
import testtools


class TestAliases(unittest.TestCase):
    def test_backport(self):
        mock.patch("os.getcwd").start()  # RG201

    def test_from_import(self):
        patch("os.getcwd").start()  # RG201

    def test_module_alias(self):
        started = um.patch.object(os, "getcwd")
        started.start()  # RG201

    def test_object_with_the_same_method_name(self):
        worker = Worker()
        worker.start()

    @patch("os.getcwd")
    def test_decorator(self, getcwd):
        self.assertTrue(getcwd)

    def test_context_manager(self):
        with um.patch("os.getcwd") as getcwd:
            self.assertTrue(getcwd)


class Worker:
    def start(self):
        return self


class TestFixtures(testtools.TestCase):
    def setUp(self):
        super().setUp()
        self.useFixture(fixtures.MockPatch("os.getcwd"))
        self.useFixture(fixtures.MockPatchObject(os, "listdir"))

    def test_cwd(self):
        self.assertTrue(os.getcwd)


def test_mocker(mocker):
    mocker.patch("os.getcwd")
    mocker.patch.object(os, "listdir")


def test_monkeypatch(monkeypatch):
    monkeypatch.setattr(os, "getcwd", lambda: "/")
