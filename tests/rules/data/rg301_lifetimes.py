"""Threads joined in the test, resources a helper or an object owns, temporary files nested in a
directory that a fixture removes."""
# ruff: noqa: F841, PT009, SIM115  (data for the rule tests: the patterns are the point)

import tempfile
import threading
import unittest

import fixtures


class Poller:
    """No test: the object owns its thread, and whoever made it stops it."""

    def __init__(self):
        self.worker = threading.Thread(target=print)
        self.worker.start()

    def stop(self):
        self.worker.join(timeout=5)


def start_worker():
    worker = threading.Thread(target=print)
    worker.start()
    return worker


class TestThreads(unittest.TestCase):
    def test_joined_in_the_body(self):
        worker = threading.Thread(target=print)
        worker.start()
        worker.join(timeout=5)
        self.assertFalse(worker.is_alive())

    def test_joined_through_the_list_that_holds_them(self):
        workers = []
        for _ in range(3):
            worker = threading.Thread(target=print)
            workers.append(worker)
            worker.start()
        for each in workers:
            each.join()

    def test_a_helper_hands_its_thread_over(self):
        worker = start_worker()
        self.addCleanup(worker.join, 5)

    def test_a_helper_thread_nobody_joins(self):
        start_worker()

    def test_never_joined(self):
        worker = threading.Thread(target=print)
        worker.start()  # RG301

    def test_kept_on_the_test_and_never_joined(self):
        self.worker = threading.Thread(target=print)
        self.worker.start()  # RG301


class TestNestedTempfiles(unittest.TestCase):
    def setUp(self):
        super().setUp()
        self.useFixture(fixtures.NestedTempfile())

    def test_directories(self):
        path = tempfile.mkdtemp()
        fd, name = tempfile.mkstemp()
        self.assertTrue(path and name)


class TestTempDirs(unittest.TestCase):
    def test_inside_a_fixture_directory(self):
        root = self.useFixture(fixtures.TempDir()).path
        inner = tempfile.mkdtemp(dir=root)
        fd, name = tempfile.mkstemp(".txt", "x", root)
        self.assertTrue(inner and name)

    def test_inside_a_literal_directory(self):
        path = tempfile.mkdtemp(dir="/tmp")  # RG301
        self.assertTrue(path)
