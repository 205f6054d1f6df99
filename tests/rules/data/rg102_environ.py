"""Changes to os.environ: flagged unless a patch, fixture or restore undoes them."""

import os
from os import environ
from unittest import mock

import fixtures
import pytest


class TestEnviron:
    def test_changes(self):
        os.environ["HTTP_PROXY"] = "http://proxy:3128"  # RG102
        del os.environ["HOME"]  # RG102
        os.environ.update({"LANG": "C"})  # RG102
        os.environ.update(LC_ALL="C")  # RG102
        os.environ.pop("TZ", None)  # RG102
        os.environ.setdefault("TERM", "dumb")  # RG102
        os.environ.clear()  # RG102
        os.putenv("EDITOR", "vi")  # RG102
        os.unsetenv("PAGER")  # RG102
        environ["USER"] = "tester"  # RG102
        os.environ["A"] += ":/x"  # RG102

    def test_reading_is_fine(self):
        assert os.environ.get("HOME") is not None
        assert os.getenv("PATH")
        env = dict(os.environ)
        env["HOME"] = "/tmp"

    def test_environment_variable_fixture(self):
        self.useFixture(fixtures.EnvironmentVariable("HTTP_PROXY", "http://proxy:3128"))
        self.useFixture(fixtures.EnvironmentVariable("HOME"))
        os.environ["HOME"] = "/tmp"

    @mock.patch.dict(os.environ, {"LANG": "C"})
    def test_patch_dict_decorator(self):
        os.environ["LC_ALL"] = "C"
        self._set_tz()

    def _set_tz(self):
        os.environ["TZ"] = "UTC"  # RG102

    def test_patch_dict_with_block(self):
        with mock.patch.dict("os.environ", clear=True):
            os.environ["TZ"] = "UTC"
            self._set_tz()
        os.environ["LANG"] = "C"  # RG102

    def test_started_patcher(self):
        patcher = mock.patch.dict(os.environ)
        patcher.start()
        self.addCleanup(patcher.stop)
        os.environ["TZ"] = "UTC"

    def test_save_and_restore_in_finally(self):
        saved = os.environ.copy()
        try:
            os.environ["TZ"] = "UTC"
        finally:
            os.environ.clear()
            os.environ.update(saved)

    def test_restore_by_key_in_finally(self):
        old = os.environ.get("TZ")
        os.environ["TZ"] = "UTC"
        try:
            pass
        finally:
            if old is None:
                del os.environ["TZ"]
            else:
                os.environ["TZ"] = old

    def test_restored_in_the_body_only_reports_the_change(self):
        old = os.environ.get("TZ")
        saved = dict(os.environ)
        os.environ["TZ"] = "UTC"  # RG102
        os.environ["LANG"] = "C"  # RG102
        os.environ["TZ"] = old
        os.environ.update(saved)

    def test_registered_cleanups(self):
        os.environ["TZ"] = "UTC"
        self.addCleanup(os.environ.pop, "TZ", None)
        os.environ["LANG"] = "C"
        self.addCleanup(os.environ.__setitem__, "LANG", "en_US.UTF-8")

    def test_cleanup_for_another_variable_does_not_count(self):
        os.environ["TZ"] = "UTC"  # RG102
        self.addCleanup(os.environ.pop, "LANG", None)


class TestCleanupFunctions:
    def setUp(self):
        def cleanup():
            for name in ("TZ", "LANG"):
                os.environ.pop(name, None)

        self.addCleanup(cleanup)
        self.addCleanup(self._restore_home, os.environ.get("HOME"))

    def _restore_home(self, home):
        os.environ["HOME"] = home

    def test_tz(self):
        os.environ["TZ"] = "UTC"
        os.environ["HOME"] = "/tmp"


class TestTearDown:
    def setUp(self):
        os.environ["TZ"] = "UTC"

    def tearDown(self):
        del os.environ["TZ"]

    def test_tz(self):
        assert os.environ["TZ"] == "UTC"


@pytest.fixture
def utc():
    os.environ["TZ"] = "UTC"
    yield
    del os.environ["TZ"]


@pytest.fixture
def leaky_tz():
    os.environ["TZ"] = "UTC"  # RG102
    return "UTC"


def test_monkeypatch(monkeypatch, utc, leaky_tz):
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.delenv("HOME", raising=False)
    os.environ["TZ"] = "Europe/Paris"


def test_plain_function():
    os.environ["TZ"] = "UTC"  # RG102
