"""RG103 `no-unreverted-monkeypatch`: messages, dead monkeypatches, reset-globals, end to end."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import Any

import pytest

from pytest_reviewgate.model import Violation
from pytest_reviewgate.rules.rg103_no_unreverted_monkeypatch import NoUnrevertedMonkeypatch
from pytest_reviewgate.testing import check_rule


def check(
    source: str, files: Mapping[str, str] | None = None, options: Mapping[str, Any] | None = None
) -> list[Violation]:
    config = {"rules": {"RG103": dict(options)}} if options else None
    return check_rule(NoUnrevertedMonkeypatch, source, config=config, files=files)


MANAGER = "from inventory import manager\n\n"


def test_an_unrestored_module_attribute_gets_a_fix() -> None:
    [violation] = check(MANAGER + "def test_x():\n    manager.LOG = None\n")
    assert (violation.rule, violation.line, violation.definition) == ("RG103", 4, "test_x")
    assert violation.message == (
        "`manager.LOG = ...` is never restored -> use `monkeypatch.setattr(manager, 'LOG', ...)` "
        "or `mock.patch.object(...)`"
    )


def test_a_dead_monkeypatch_says_it_tests_nothing() -> None:
    project = {"inventory/__init__.py": "", "inventory/manager.py": "import logging\n\nLOG = logging.getLogger()\n"}
    violations = check(MANAGER + "def test_x():\n    manager.LOGGER = None\n    manager.LOG = 1\n", project)
    dead, live = violations
    assert dead.message.startswith(
        "`manager.LOGGER = ...` is never restored, and `inventory.manager` does not define "
        "`LOGGER`, so this dead monkeypatch tests nothing -> "
    )
    assert "dead" not in live.message


def test_unknown_modules_are_never_called_dead() -> None:
    [violation] = check(MANAGER + "def test_x():\n    manager.LOGGER = None\n")
    assert "dead" not in violation.message


def test_a_testcase_is_told_to_use_mock_patch_object_or_the_fixture() -> None:
    source = MANAGER + "class TestX(TestCase):\n    def test_x(self):\n        manager.LOG = 1\n"
    [violation] = check(source)
    assert "`self.useFixture(fixtures.MockPatchObject(manager, 'LOG', ...))`" in violation.message


def test_reset_globals_accepts_names_and_patterns() -> None:
    source = MANAGER + "def test_x():\n    manager.LOG = 1\n    manager.cache = {}\n"
    assert len(check(source)) == 2
    assert check(source, options={"reset-globals": ["inventory.manager.LOG", "*.cache"]}) == []
    assert [v.line for v in check(source, options={"reset-globals": "inventory.*.LOG"})] == [5]


def test_objects_the_test_made_config_and_environ_are_not_its_business() -> None:
    source = """
        import os
        from oslo_config import cfg
        from inventory.models import Widget

        def test_x():
            widget = Widget()
            widget.colour = "blue"
            cfg.CONF.host = "x"
            os.environ["TZ"] = "UTC"
        """
    assert check(source) == []


def test_a_started_patcher_of_the_same_attribute_covers_the_assignment() -> None:
    source = MANAGER + textwrap.dedent(
        """
        from unittest import mock

        class TestX:
            def setUp(self):
                patcher = mock.patch.object(manager, "LOG")
                patcher.start()
                self.addCleanup(patcher.stop)

            def test_x(self):
                manager.LOG = None
        """
    )
    assert check(source) == []


def test_review_item_reports_the_monkeypatch(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_patch="""
        import colorsys

        def test_hsv():
            colorsys.rgb_to_hsv = lambda r, g, b: (0, 0, 0)
        """
    )
    pytester.makefile(
        ".review.txt",
        test_patch="""
        Review of test_patch.py.

        1. **Global state**: `test_hsv` replaces a function of `colorsys`.
           expect: no-unreverted-monkeypatch
        """,
    )
    result = pytester.runpytest("-p", "no:cacheprovider", "test_patch.review.txt")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["*test_patch.py:4 in test_hsv: `colorsys.rgb_to_hsv = ...` is never restored -> *"])


GUARD = """
_ENFORCER = None


def reset():
    global _ENFORCER
    _ENFORCER = None
"""
BASE = """
import unittest

from app import guard


class BaseTestCase(unittest.TestCase):
    def setUp(self):
        super().setUp()
        {cleanup}
"""
HELPER_TEST = """
from app import guard
from app.tests import base


class GuardTest(base.BaseTestCase):
    def install(self):
        guard._ENFORCER = object()

    def test_x(self):
        self.install()
        self.assertIsNotNone(guard._ENFORCER)
"""


@pytest.mark.parametrize(("cleanup", "flagged"), [("self.addCleanup(guard.reset)", []), ("pass", [8])])
def test_a_helper_runs_under_the_cleanups_its_class_setup_registers(cleanup: str, flagged: list[int]) -> None:
    """The helper is judged alone too (every function is a target): the base setUp's cleanup resets the global."""
    files = {
        "app/__init__.py": "",
        "app/guard.py": GUARD,
        "app/tests/__init__.py": "",
        "app/tests/base.py": textwrap.dedent(BASE).replace("{cleanup}", cleanup),
    }
    found = check_rule(NoUnrevertedMonkeypatch, HELPER_TEST, files=files, module="app/tests/test_guard.py")
    assert sorted({v.line for v in found}) == flagged


def test_attributes_of_a_request_local_proxy_are_the_current_requests() -> None:
    source = """
        import pecan

        from shop import api, state


        class WidgetController(pecan.rest.RestController):
            def empty(self):
                api.response.status_code = 204
                pecan.response.headers = {}
                return ""

            def leak(self):
                state.status_code = 500
                api.registry.status_code = 500
        """
    files = {
        "shop/__init__.py": "",
        "shop/api.py": "import pecan\n\nresponse = pecan.response  # the current request's\nregistry = {}\n",
        "shop/state.py": "status_code = 200\n",
    }
    found = check_rule(NoUnrevertedMonkeypatch, source, files=files)
    assert [v.line for v in found] == [14, 15]


def test_a_helper_runs_before_the_cleanup_its_class_setup_registers() -> None:
    source = """
        from shop import state


        class TestStrip:
            def setUp(self):
                self._old = state.hook
                self.addCleanup(self._restore)

            def _restore(self):
                state.hook = self._old

            def _strip(self):
                del state.hook

            def test_strip(self):
                self._strip()


        class TestNoRestore:
            def _strip(self):
                del state.hook

            def test_strip(self):
                self._strip()
        """
    files = {"shop/__init__.py": "", "shop/state.py": "hook = None\n"}
    found = check_rule(NoUnrevertedMonkeypatch, source, files=files)
    assert [(v.line, v.definition) for v in found] == [(22, "TestNoRestore._strip")]


REQUEST_ALIASES = {
    "shop/__init__.py": "",
    "shop/reexport.py": "from pecan import response\n",
    "shop/renamed.py": "import pecan as pc\n\nresponse = pc.response\n",
    "shop/relative.py": "from .renamed import response\n",
    "shop/rebound.py": (
        "import pecan\n\nresponse = pecan.response\n\n\ndef install(fake):\n    global response\n    response = fake\n"
    ),
    "shop/twice.py": "import pecan\n\nresponse = pecan.response\nresponse = make_response()\n",
    "shop/guarded.py": (
        "import pecan\n\nresponse = pecan.response\ntry:\n    import flask as response\nexcept ImportError:\n    pass\n"
    ),
    "shop/told.py": '"""Docs.\n\nresponse = pecan.response\n"""\nfrom shop.real import response\n',
    "shop/real.py": "class R:\n    status = 200\n\n\nresponse = R()\n",
}


@pytest.mark.parametrize(
    ("module", "flagged"),
    [
        ("reexport", False),  # ``from pecan import response``
        ("renamed", False),  # ``response = pc.response``
        ("relative", False),  # a project module's alias, imported again
        ("rebound", True),  # a function rebinds it under ``global``
        ("twice", True),  # bound again at module level
        ("guarded", True),  # bound again under ``try``
        ("told", True),  # only a docstring says so: the binding is a project object
    ],
)
def test_a_request_local_alias_is_the_modules_one_binding_to_the_proxy(module: str, flagged: bool) -> None:
    source = f"from shop import {module}\n\n\ndef test_a():\n    {module}.response.status = 500\n"
    assert bool(check(source, REQUEST_ALIASES)) is flagged


@pytest.mark.parametrize("in_test", [False, True])
def test_a_finally_in_setup_restores_before_the_test_changes_anything(in_test: bool) -> None:
    change = "state.hook = 1" if in_test else "self._strip()"
    source = f"""
        from shop import state


        class TestStrip:
            def setUp(self):
                old = state.hook
                try:
                    pass
                finally:
                    state.hook = old

            def _strip(self):
                state.hook = 1

            def test_strip(self):
                {change}
        """
    if in_test:
        source = source.replace("state.hook = 1\n", "pass\n", 1)
    files = {"shop/__init__.py": "", "shop/state.py": "hook = None\n"}
    found = check(textwrap.dedent(source), files)
    assert [v.definition for v in found] == ["TestStrip.test_strip" if in_test else "TestStrip._strip"]


def test_a_finally_in_a_helper_the_test_calls_still_restores() -> None:
    source = """
        from shop import state


        class TestStrip:
            def _stripped(self):
                old = state.hook
                try:
                    state.hook = 1
                finally:
                    state.hook = old

            def test_strip(self):
                self._stripped()
        """
    files = {"shop/__init__.py": "", "shop/state.py": "hook = None\n"}
    assert check(textwrap.dedent(source), files) == []


def test_an_attribute_of_a_request_local_proxy_set_under_a_computed_name_is_the_requests() -> None:
    source = """
        import uuid

        import flask

        from shop import state


        class TestHooks:
            def test_before_request(self):
                name = uuid.uuid4().hex

                def hook():
                    setattr(flask.g, name, True)
                    setattr(flask, name, True)
                    setattr(state, name, True)

                self.app.before_request(hook)
        """
    files = {"shop/__init__.py": "", "shop/state.py": "status_code = 200\n"}
    found = check_rule(NoUnrevertedMonkeypatch, source, files=files)
    assert sorted({v.line for v in found}) == [15, 16]
