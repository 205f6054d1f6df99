"""The watched tests come from the review's one analysis: its result names them and their files."""

from __future__ import annotations

from pathlib import Path

import pytest

from pytest_reviewgate.integration.session import STATE

BASE = """
import os
import unittest


class ProjectTestCase(unittest.TestCase):
    def setUp(self):
        super().setUp()
        self.ready = bool(os.sep)
"""

MODULE = """
import base


def _helper():
    return 1


class TestThing(base.ProjectTestCase):
    def test_uses_helper(self):
        assert _helper() == 1

    def test_other(self):
        pass


def test_plain(fixed):
    assert fixed
"""

CONFTEST = """
import pytest


@pytest.fixture
def fixed():
    return True
"""


@pytest.fixture
def tree(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makepyfile(base=BASE, test_thing=MODULE)
    pytester.makeconftest(CONFTEST)
    pytester.syspathinsert()
    return pytester


def _analysis(reprec: pytest.HookRecorder) -> object:
    session = reprec.getcalls("pytest_collection_finish")[0].session
    analyses = session.config.stash[STATE].analyses
    assert len(analyses) == 1
    return next(iter(analyses.values()))


def test_a_runtime_result_lists_the_watched_tests_with_their_closure_files(tree: pytest.Pytester) -> None:
    tree.makefile(".review.txt", test_thing="1. **Env**: `_helper` is called.\n   expect: env-restored\n")
    reprec = tree.inline_run("-p", "no:cacheprovider", "-p", "no:randomly")
    reprec.assertoutcome(passed=6)  # 3 tests, review, anchors, env-restored
    results = _analysis(reprec).results  # type: ignore[attr-defined]
    watched = {key: result.watched for key, result in results.items() if result.watched}
    root = Path(tree.path)
    files = tuple(sorted(str(root / name) for name in ("base.py", "conftest.py", "test_thing.py")))
    assert watched == {"finding-1::env-restored": (("TestThing.test_uses_helper", files),)}


def test_the_module_is_parsed_once_for_its_review_and_its_watches(
    tree: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from pytest_reviewgate.analysis import index
    from pytest_reviewgate.integration import items, watches  # noqa: F401 - loaded before patching

    parsed: list[str] = []
    real = index.parse_module

    def counting(source: bytes, path: str) -> index.ModuleIndex:
        parsed.append(Path(path).name)
        return real(source, path)

    for name, module in list(sys.modules.items()):  # every module that imported the function
        if name.startswith("pytest_reviewgate") and getattr(module, "parse_module", None) is real:
            monkeypatch.setattr(module, "parse_module", counting)
    tree.makefile(".review.txt", test_thing="expect: env-restored, no-leaked-patches\n")
    reprec = tree.inline_run("-p", "no:cacheprovider", "-p", "no:randomly")
    reprec.assertoutcome(passed=6)  # 3 tests, review, two expectations
    assert parsed.count("test_thing.py") == 1
    results = _analysis(reprec).results  # type: ignore[attr-defined]
    names = [name for name, _ in results["expect::env-restored"].watched]
    assert names == ["TestThing.test_uses_helper", "TestThing.test_other", "test_plain"]


def test_a_cached_result_keeps_its_watched_tests(tree: pytest.Pytester) -> None:
    tree.makefile(".review.txt", test_thing="1. **Env**: `_helper` is called.\n   expect: env-restored\n")
    tree.makepyfile(
        test_thing=MODULE.replace("assert _helper() == 1", "assert _helper() == 1\n        import os\n"
                                  "        os.environ['RG_WATCHED_LEAK'] = '1'")
    )
    for _ in range(2):  # the second run restores the analysis from pytest's cache
        result = tree.runpytest_subprocess("-p", "no:randomly")
        result.assert_outcomes(passed=6, errors=1)
        result.stdout.fnmatch_lines(["*ERROR at teardown of TestThing.test_uses_helper*"])
    result.stdout.fnmatch_lines(["analysis: * (1 from cache)"])
