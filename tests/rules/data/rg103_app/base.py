"""A project base test class: a ``stub_out`` helper over fixtures.MonkeyPatch, resets in setUp."""

import fixtures

from rg103_app import registry


class TestCase:
    def setUp(self):
        registry.STRICT = False
        registry.LIMITS = {}

    def stub_out(self, old, new):
        self.useFixture(fixtures.MonkeyPatch(old, new))
