"""Triage's evidence for a refuted finding: the construct that answers the claim is shown, however
many constructs other rules name, and a change made through a project helper is traced to the config
fixture that reverts it."""

from __future__ import annotations

import pytest

BASE = '''\
"""A base class whose setUp installs a config fixture, and a helper that changes options through it."""
import testtools
from oslo_config import cfg
from oslo_config import fixture as config_fixture

CONF = cfg.CONF


class TestCase(testtools.TestCase):
    def setUp(self):
        super().setUp()
        self.cfg_fixture = self.useFixture(config_fixture.Config(CONF))

    def config(self, **kw):
        self.cfg_fixture.config(**kw)
'''

MODULE = '''\
"""Tests that change an option through the base's helper, under five self-undoing patches."""
from unittest import mock

import base


class TestT(base.TestCase):
    @mock.patch("os.getcwd", autospec=True)
    @mock.patch("os.getpid", autospec=True)
    @mock.patch("os.getuid", autospec=True)
    @mock.patch("os.getgid", autospec=True)
    @mock.patch("os.getppid", autospec=True)
    def test_a(self, *mocks):
        self.config(tempdir="abc")
        self.assertTrue(mocks)

    def test_b(self):
        with mock.patch("builtins.open", mock.mock_open(read_data="1")) as opened:
            self.assertTrue(opened)
'''

REVIEW = """\
Review of test_t.py

1. **Configuration may persist (CWE-664)**: `test_a` changes the configuration with `self.config` \
and the patched attributes are never restored, so later tests see them.

2. **Mocks without autospec (CWE-710)**: `test_b` patches `open` without `autospec`, so a wrong \
call goes unnoticed.
"""


@pytest.fixture
def result(pytester: pytest.Pytester) -> pytest.RunResult:
    pytester.makepyfile(base=BASE, test_t=MODULE)
    pytester.makefile(".review.txt", test_t=REVIEW)
    return pytester.runpytest("-p", "no:cacheprovider", "--reviewgate-triage")


def test_a_change_through_a_helper_is_traced_to_the_fixture_that_reverts_it(result: pytest.RunResult) -> None:
    result.stdout.fnmatch_lines([
        "*finding 1 (Configuration may persist (CWE-664)): refuted*",
        "*test_t.py:14: changes go through `self.config` (line 14): `TestCase.config` hands them to the "
        "config fixture `config_fixture.Config` that `TestCase.setUp` installs (base.py:12), which reverts "
        "them when the test ends",
    ])


def test_each_rule_that_passes_shows_its_first_construct_before_any_shows_its_second(
    result: pytest.RunResult,
) -> None:
    # config-reverted-via-fixtures names two constructs, mocks-undone five: one of each, then the next
    result.stdout.fnmatch_lines([
        "*finding 1 (Configuration may persist (CWE-664)): refuted [[]config-reverted-via-fixtures, mocks-undone[]]",
        "*pass on `TestT.test_a`*",
        "*changes go through `self.config`*",
        "*test_t.py:8: `mock.patch` (line 8) is a decorator, undone when the test ends",
        "*base.py:12: `config_fixture.Config` (base.py:12) is a fixture that reverts the configuration*",
        "*test_t.py:9: `mock.patch` (line 9) is a decorator, undone when the test ends",
    ], consecutive=True)


def test_a_positional_replacement_is_named_as_one(result: pytest.RunResult) -> None:
    result.stdout.fnmatch_lines([
        "*finding 2 (Mocks without autospec (CWE-710)): refuted*",
        "*test_t.py:18: the patch at line 18 replaces the target with its own object (`new`)",
    ])
