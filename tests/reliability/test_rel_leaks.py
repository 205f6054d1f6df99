"""Runtime leaks are never lost (SPEC 5): an xfail test's leak fails, ``--lf`` and ``-k`` recheck it,
and only the test's own changes count, the same serially and under xdist.

Every run is a subprocess: the probes watch real process state.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Tree

LEAKS = """\
import os

import pytest


def test_leaks():
    os.environ["RG_LEAKED"] = "yes"


@pytest.mark.xfail(reason="a known bug")
def test_xfail_leaks():
    os.environ["RG_XFAIL_LEAKED"] = "yes"
    assert False


def test_clean(monkeypatch):
    monkeypatch.setenv("RG_CLEAN", "1")
"""

LEAKS_REVIEW = """\
1. **Environment (CWE-664)**: the tests write `os.environ` and leave it so.
   expect: env-restored on test_leaks, test_xfail_leaks, test_clean
"""


@pytest.fixture
def leaks(tree: Tree) -> Tree:
    tree.write("test_leaks.py", LEAKS)
    tree.write("test_leaks.review.txt", LEAKS_REVIEW)
    return tree


def _errors(result: pytest.RunResult) -> list[str]:
    return sorted(re.sub(r" - .*", "", line) for line in result.outlines if line.startswith("ERROR "))


def test_a_leak_in_an_xfail_test_fails_its_teardown_and_the_session(leaks: Tree) -> None:
    result = leaks.run(subprocess=True)
    leaks.survived(result)
    result.assert_outcomes(passed=7, xfailed=1, errors=2)  # two tests, plain, four review items
    assert _errors(result) == ["ERROR test_leaks.py::test_leaks", "ERROR test_leaks.py::test_xfail_leaks"]
    result.stdout.fnmatch_lines(
        [
            "*_ ERROR at teardown of test_xfail_leaks _*",
            'RG902 env-restored: the test left state changed (review test_leaks.review.txt:1, finding-1 "Environment*',
            "  - RG_XFAIL_LEAKED: set to 'yes'",
        ]
    )


@pytest.mark.parametrize(
    "rerun",
    [
        pytest.param(("--lf",), id="last-failed"),
        pytest.param(("-k", "xfail_leaks or test_leaks"), id="keyword"),
        pytest.param(("test_leaks.py",), id="module-only"),
        pytest.param(("test_leaks.py::test_xfail_leaks", "test_leaks.py::test_leaks"), id="node-ids"),
    ],
)
def test_a_rerun_of_the_leaking_tests_checks_them_again(leaks: Tree, rerun: tuple[str, ...]) -> None:
    first = leaks.run(subprocess=True)
    assert _errors(first) == ["ERROR test_leaks.py::test_leaks", "ERROR test_leaks.py::test_xfail_leaks"]
    again = leaks.run(*rerun, subprocess=True)
    assert "INTERNALERROR" not in again.stdout.str() + again.stderr.str()
    assert again.ret == pytest.ExitCode.TESTS_FAILED
    assert _errors(again) == ["ERROR test_leaks.py::test_leaks", "ERROR test_leaks.py::test_xfail_leaks"]
    for leak in ("  - RG_LEAKED: set to 'yes'", "  - RG_XFAIL_LEAKED: set to 'yes'"):
        again.stdout.fnmatch_lines([leak])
    if rerun == ("--lf",):
        again.stdout.fnmatch_lines(["run-last-failure: rerun previous 2 failures*"])
        third = leaks.run("--lf", subprocess=True)  # still failing: still rerun
        assert _errors(third) == _errors(again)


def test_a_fixed_leak_leaves_the_last_failed_list(leaks: Tree) -> None:
    leaks.run(subprocess=True)
    leaks.write("test_leaks.py", LEAKS.replace('os.environ["RG_LEAKED"] = "yes"', "pass"))
    fixed = leaks.run("--lf", subprocess=True)
    assert _errors(fixed) == ["ERROR test_leaks.py::test_xfail_leaks"]
    after = leaks.run("--lf", subprocess=True)
    after.stdout.fnmatch_lines(["run-last-failure: rerun previous 1 failure*"])
    after.assert_outcomes(xfailed=1, errors=1)


# A library that registers its options on first use, and tests that leave config state to others.
LIBRARY = """\
from oslo_config import cfg

_OPTS = [cfg.StrOpt("url"), cfg.IntOpt("retries", default=3)]


def connect(conf=cfg.CONF):
    conf.register_opts(_OPTS, group="rg_messaging")
    conf.register_opt(cfg.BoolOpt("use_stderr", default=False))
    conf.set_default("retries", 5, group="rg_messaging")
    return conf.rg_messaging.url
"""

BASE = """\
import unittest

from oslo_config import cfg, fixture


class TestCase(unittest.TestCase):
    \"\"\"The project's base class: its config fixture resets every override at cleanup.\"\"\"

    def setUp(self):
        super().setUp()
        config = fixture.Config(cfg.CONF)
        config.setUp()
        self.addCleanup(config.cleanUp)
        if "use_stderr" in cfg.CONF:  # registered by the library once a test connected
            config.config(use_stderr=False)
"""

SUITE = """\
import os
import unittest

from oslo_config import cfg

import rg_base
import rg_library

cfg.CONF.register_opt(cfg.StrOpt("rg_region", default="north"))


class TestMessaging(rg_base.TestCase):
    def test_first_connect(self):
        rg_library.connect()

    def test_connect_again(self):
        rg_library.connect()


class TestUnreviewed(unittest.TestCase):
    def test_leaks_an_override(self):
        cfg.CONF.set_override("rg_region", "leaked")

    def test_leaks_env(self):
        os.environ["RG_UNREVIEWED"] = "1"


class TestReviewed(rg_base.TestCase):
    def test_a(self):
        assert cfg.CONF.rg_region in ("north", "leaked")

    def test_b(self):
        os.environ.pop("RG_UNREVIEWED", None)

    def test_c(self):
        cfg.CONF.register_opt(cfg.StrOpt("rg_own"))
"""

SUITE_REVIEW = """\
1. **Global state (CWE-664)**: the reviewed tests must leave configuration and environment as found.
   expect: config-restored, env-restored on TestMessaging, TestReviewed
"""


def _suite(tree: Tree) -> None:
    tree.write("rg_library.py", LIBRARY)
    tree.write("rg_base.py", BASE)
    tree.write("test_suite.py", SUITE)
    tree.write("test_suite.review.txt", SUITE_REVIEW)


def _outcomes(result: pytest.RunResult) -> tuple[dict[str, int], list[str]]:
    counts = {k: v for k, v in result.parseoutcomes().items() if k not in ("warnings", "warning")}
    return counts, _errors(result)


def test_only_the_tests_own_changes_fail_it(tree: Tree) -> None:
    """Lazy registration by a library, values equal before and after, an override an unwatched test
    leaked and the base class's fixture clears: none is a watched test's leak."""
    _suite(tree)
    result = tree.run("-p", "no:randomly", subprocess=True)
    tree.survived(result)
    assert _errors(result) == ["ERROR test_suite.py::TestReviewed::test_c"]
    result.stdout.fnmatch_lines(
        [
            "*_ ERROR at teardown of TestReviewed.test_c _*",
            "RG903 config-restored: the test left state changed*",
            "  - option 'rg_own' registered and never unregistered",
            "*ReviewgateWarning: state was already changed when test_suite.py::TestReviewed::test_a started"
            " after test_suite.py::TestUnreviewed::test_leaks_env ran; not counted as its leak:",
            "    RG902 env-restored: RG_UNREVIEWED: set to '1'",
            "    RG903 config-restored: rg_region: 'north' -> 'leaked' (set_override never cleared)",
        ]
    )
    for noise in ("*rg_messaging*", "*use_stderr*", "*(cleared)*", "*removed (was*"):
        result.stdout.no_fnmatch_line(noise)


def test_the_outcomes_are_the_same_serially_and_under_xdist_run_after_run(tree: Tree) -> None:
    _suite(tree)
    serial = _outcomes(tree.run("-p", "no:randomly", subprocess=True))
    assert serial[1] == ["ERROR test_suite.py::TestReviewed::test_c"]
    for mode in ("load", "loadfile", "load"):
        assert _outcomes(tree.run("-n", "2", "--dist", mode, subprocess=True)) == serial, mode
