"""A rule written in a conftest.py works exactly like a built-in one."""

from __future__ import annotations

import pytest

CONFTEST = '''
import ast

from pytest_reviewgate import Rule, Violation


class NoSleep(Rule):
    """Tests do not sleep.

    ## What it does
    Flags `time.sleep` calls in the targets.

    ## Why is this bad?
    Sleeping makes tests slow and flaky.

    ## Example
    ```python
    import time

    def test_x():
        time.sleep(1)
    ```

    Use instead:
    ```python
    def test_x():
        pass
    ```
    """

    code = "XY001"
    name = "no-sleep"
    summary = "Tests do not sleep"
    cwe = 1088

    def check(self, context):
        for scope in context.scopes():
            for node in ast.walk(scope.node):
                if isinstance(node, ast.Call) and scope.index.qualify(ast.unparse(node.func)) == "time.sleep":
                    yield Violation(self.code, "`time.sleep` in a test -> use a fake clock",
                                    scope.index.path, node.lineno, scope.definition.qualname)


def pytest_reviewgate_register_rules(registry):
    registry.add(NoSleep)
'''

MODULE = """
import time


def test_fast():
    assert True


def test_slow():
    time.sleep(0)
    assert True
"""


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_timing=MODULE)
    return pytester


def test_a_conftest_rule_gates_a_review_like_a_builtin(project: pytest.Pytester) -> None:
    project.makefile(".review.txt", test_timing="1. **Slow**: `test_slow` sleeps.\n   expect: no-sleep\n")
    result = project.runpytest("-k", "XY001 or no-sleep", "-v")
    result.assert_outcomes(failed=1, deselected=4)
    result.stdout.fnmatch_lines(
        [
            "*test_timing.review.txt::finding-1::no-sleep FAILED*",
            "  XY001 no-sleep: Tests do not sleep",
            "  test_timing.py:9 in test_slow: `time.sleep` in a test -> use a fake clock",
            "      time.sleep(0)",
        ]
    )


def test_a_conftest_rule_is_explained_and_listed(project: pytest.Pytester) -> None:
    result = project.runpytest("--reviewgate-rules")
    result.stdout.fnmatch_lines(["XY001  no-sleep *Tests do not sleep"])
    result = project.runpytest("--reviewgate-explain", "XY001")
    result.stdout.fnmatch_lines(["XY001 no-sleep*", "## What it does"])


def test_a_rule_that_raises_fails_its_own_item_with_its_traceback(project: pytest.Pytester) -> None:
    raising = "raise KeyError('boom')\n        for scope in context.scopes():"
    project.makeconftest(CONFTEST.replace("for scope in context.scopes():", raising))
    project.makefile(".review.txt", test_timing="1. **Slow**: `test_slow` sleeps.\n   expect: no-sleep\n")
    result = project.runpytest("test_timing.review.txt")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["*XY001 no-sleep raised:*", "*KeyError: 'boom'"])
    result.stdout.no_fnmatch_line("*INTERNALERROR*")


def test_a_duplicate_rule_code_fails_the_review_item(project: pytest.Pytester) -> None:
    project.makeconftest(CONFTEST.replace('code = "XY001"', 'code = "RG101"'))
    project.makefile(".review.txt", test_timing="1. **Slow**: `test_slow` sleeps.\n")
    result = project.runpytest("test_timing.review.txt")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*RG101 is already taken by ConfigRevertedViaFixtures*"])


def test_a_conftest_rule_is_invisible_to_reviews_outside_its_directory(pytester: pytest.Pytester) -> None:
    sub = pytester.mkdir("sub")
    (sub / "conftest.py").write_text(CONFTEST)
    pytester.makepyfile(test_timing=MODULE)
    pytester.makefile(".review.txt", test_timing="1. **Slow**: `test_slow` sleeps.\n   expect: no-sleep\n")
    result = pytester.runpytest("test_timing.review.txt")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*unknown rule 'no-sleep'*"])
