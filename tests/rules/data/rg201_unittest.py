"""Patchers that unittest-style tests start, and the cleanups that stop them (or do not)."""
# ruff: noqa: PT009  (data for the rule tests: the patterns are the point)

import os
import unittest
from unittest import mock


class TestStartedInSetUp(unittest.TestCase):
    def setUp(self):
        patcher = mock.patch("os.getcwd", autospec=True)
        self.getcwd = patcher.start()
        self.addCleanup(patcher.stop)
        self.listdir = mock.patch("os.listdir").start()  # RG201
        self.chdir_patcher = mock.patch.object(os, "chdir")
        self.chdir_patcher.start()
        self.rmdir_patcher = mock.patch.object(os, "rmdir")
        self.rmdir_patcher.start()  # RG201
        umask = mock.patch("os.umask")
        self.umask = umask.start()
        self.addCleanup(lambda: umask.stop())

    def tearDown(self):
        self.chdir_patcher.stop()

    def test_uses_them(self):
        self.assertTrue(self.getcwd)


class TestNoopCleanup(unittest.TestCase):
    def setUp(self):
        self.mock_sep = mock.patch("os.sep").start()
        self.addCleanup(self.mock_sep.stop)  # RG201
        patcher = mock.patch("os.name")
        self.mock_name = patcher.start()
        self.addCleanup(self.mock_name.stop)  # RG201

    def test_sep(self):
        self.assertTrue(self.mock_sep)


class TestStoppedByStopall(unittest.TestCase):
    def setUp(self):
        self.addCleanup(mock.patch.stopall)
        mock.patch("os.getpid").start()

    def test_pid(self):
        self.assertTrue(os.getpid())


class TestStopallInOneTestOnly(unittest.TestCase):
    def setUp(self):
        mock.patch("os.getppid").start()  # RG201

    def test_registers_stopall(self):
        self.addCleanup(mock.patch.stopall)

    def test_does_not(self):
        self.assertTrue(os.getppid())


class TestStoppedInBody(unittest.TestCase):
    def test_stop_at_the_end(self):
        patcher = mock.patch("os.getuid")
        patcher.start()  # RG201
        self.assertTrue(os.getuid())
        patcher.stop()

    def test_stop_in_finally(self):
        patcher = mock.patch("os.getgid")
        patcher.start()
        try:
            self.assertTrue(os.getgid())
        finally:
            patcher.stop()


class TestHelpers(unittest.TestCase):
    def setUp(self):
        self._start_patches()
        self.addCleanup(self._stop_patches)

    def _start_patches(self):
        self.kill_patcher = mock.patch("os.kill")
        self.kill_patcher.start()
        self.nice_patcher = mock.patch("os.nice")
        self.nice_patcher.start()

    def _stop_patches(self):
        self.kill_patcher.stop()

    def tearDown(self):
        self._really_stop()

    def _really_stop(self):
        self.nice_patcher.stop()

    def test_kill(self):
        self.assertTrue(os.kill)


class TestClassLevel(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sync_patcher = mock.patch("os.sync")
        cls.sync_patcher.start()
        cls.fsync_patcher = mock.patch("os.fsync")
        cls.fsync_patcher.start()  # RG201

    @classmethod
    def tearDownClass(cls):
        cls.sync_patcher.stop()

    def test_sync(self):
        self.assertTrue(os.sync)


class TestLoops(unittest.TestCase):
    def setUp(self):
        for patcher in (mock.patch("os.getcwd"), mock.patch("os.listdir")):
            patcher.start()
            self.addCleanup(patcher.stop)
        for loose in [mock.patch("os.chdir"), mock.patch("os.rmdir")]:
            loose.start()  # RG201

    def test_loops(self):
        self.assertTrue(os.getcwd)
