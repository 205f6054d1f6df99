"""Django settings: assignments are flagged; override_settings and the settings fixture are not."""

from django.conf import settings
from django.test import TestCase, override_settings


class TestSettings(TestCase):
    def test_assignment(self):
        settings.DEBUG = True  # RG101
        setattr(settings, "TIME_ZONE", "UTC")  # noqa: B010  # RG101

    @override_settings(DEBUG=True)
    def test_override_settings(self):
        assert settings.DEBUG

    def test_context_managers(self):
        with self.settings(DEBUG=True), override_settings(TIME_ZONE="UTC"):
            assert settings.DEBUG


def test_pytest_django_fixture(settings):
    settings.DEBUG = True
