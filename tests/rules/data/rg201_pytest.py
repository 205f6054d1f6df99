"""Patchers started in pytest fixtures and tests: stopped after the yield, in finally, or not."""
# ruff: noqa: PT021  (data for the rule tests: the patterns are the point)

import os
from unittest import mock

import pytest


@pytest.fixture
def stopped_after_yield():
    patcher = mock.patch("os.getcwd")
    yield patcher.start()
    patcher.stop()


@pytest.fixture
def never_stopped():
    patcher = mock.patch("os.listdir")
    return patcher.start()  # RG201


@pytest.fixture
def finalizer(request):
    patcher = mock.patch("os.chdir")
    patcher.start()
    request.addfinalizer(patcher.stop)


@pytest.fixture
def stopall_after_yield():
    mock.patch("os.rmdir").start()
    yield
    mock.patch.stopall()


def test_fixtures(stopped_after_yield, never_stopped, finalizer):
    assert os.getcwd() is stopped_after_yield


def test_stopall_stops_every_patcher_of_the_closure(never_stopped, stopall_after_yield):
    assert never_stopped


def test_finally():
    patcher = mock.patch("os.getpid")
    patcher.start()
    try:
        assert os.getpid()
    finally:
        patcher.stop()


def test_nested_cleanup(request):
    patcher = mock.patch("os.getppid")
    patcher.start()

    def undo():
        patcher.stop()

    request.addfinalizer(undo)


def test_loose():
    patcher = mock.patch("os.getuid")
    patcher.start()  # RG201
    assert os.getuid()


def _started(target):
    patcher = mock.patch(target)
    patcher.start()
    return patcher


def test_helper_hands_the_patcher_over(request):
    patcher = _started("os.getgid")
    request.addfinalizer(patcher.stop)


@pytest.fixture
def returns_a_started_patcher():
    patcher = mock.patch("os.getegid")
    patcher.start()  # RG201
    return patcher
