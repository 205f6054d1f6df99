"""Resources released by a with-block, a registered cleanup, tearDown, finally or a fixture."""
# ruff: noqa: F841, PT009, PT018, PT022, RUF059  (data for the rule tests: the patterns are the point)
# settings: {"rules": {"cleanup-registered": {"acquire": ["socket.socket"]}}}

import contextlib
import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import unittest
from unittest import mock

import pytest


class TestDirectories(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.tmp)
        self.leak = tempfile.mkdtemp()  # RG301
        fd, path = tempfile.mkstemp()
        self.addCleanup(os.remove, path)
        self.addCleanup(os.close, fd)
        spare_fd, spare_path = tempfile.mkstemp()  # RG301
        self.dirs = []
        self.dirs.append(tempfile.mkdtemp())
        self.scratch = tempfile.mkdtemp()

    def tearDown(self):
        for path in self.dirs:
            shutil.rmtree(path)
        self._remove_scratch()

    def _remove_scratch(self):
        shutil.rmtree(self.scratch)

    def _make_dir(self):
        return tempfile.mkdtemp()

    def test_dirs(self):
        self.assertTrue(os.path.isdir(self.tmp))


class TestFiles(unittest.TestCase):
    def test_open(self):
        with open(__file__) as handle:
            handle.read()
        with contextlib.closing(open(__file__)) as handle:
            handle.read()
        text = open(__file__).read()  # RG301
        kept = open(__file__)
        self.addCleanup(kept.close)
        closed_late = open(__file__)
        closed_late.close()
        open(__file__).close()
        json.load(open(__file__))  # RG301
        entered = open(__file__)
        with entered:
            self.assertTrue(text)

    def test_stack(self):
        with contextlib.ExitStack() as stack:
            stack.enter_context(open(__file__))

    def test_finally(self):
        handle = open(__file__)
        try:
            handle.read()
        finally:
            handle.close()


class TestThreadsAndProcesses(unittest.TestCase):
    def test_threads(self):
        joined = threading.Thread(target=print)
        joined.start()
        self.addCleanup(joined.join)
        loose = threading.Thread(target=print)
        loose.start()  # RG301
        threading.Thread(target=print).start()  # RG301
        timer = threading.Timer(1.0, print)
        timer.start()
        self.addCleanup(timer.cancel)

    def test_processes(self):
        loose = subprocess.Popen(["true"])  # RG301
        with subprocess.Popen(["true"]) as managed:
            managed.wait()
        waited = subprocess.Popen(["true"])
        try:
            self.assertTrue(loose)
        finally:
            waited.wait()

    def test_acquire_option(self):
        sock = socket.socket()  # RG301
        other = socket.socket()
        self.addCleanup(other.close)

    def test_patchers(self):
        mock.patch("os.getcwd").start()  # RG301
        patcher = mock.patch("os.listdir")
        patcher.start()
        self.addCleanup(patcher.stop)


@pytest.fixture
def workdir():
    path = tempfile.mkdtemp()
    yield path
    shutil.rmtree(path)


@pytest.fixture
def leaky_dir():
    return tempfile.mkdtemp()  # RG301


@pytest.fixture
def leaky_file():
    yield open(__file__)  # RG301


def test_fixtures(workdir, leaky_dir, leaky_file):
    assert workdir and leaky_dir and leaky_file
