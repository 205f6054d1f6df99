"""Bad ``[tool.reviewgate]`` configuration (SPEC 6, 8): a usage error (exit 4) naming the key, never a crash."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Tree

BAD = [
    ("max-review-bytes = -1", "max-review-bytes: expected a non-negative integer, got -1"),
    ('max-findings = "10"', "max-findings: expected a non-negative integer, got '10'"),
    ("max-findings = 1.5", "max-findings: expected a non-negative integer, got 1.5"),
    ("line-tolerance = true", "line-tolerance: expected a non-negative integer, got True"),
    ("glob = 5", "glob: expected a string, got int"),
    ('glob = "*"', "glob: '*' is not a file name pattern"),
    ('glob = "reviews/*.txt"', "glob: 'reviews/*.txt' is not a file name pattern"),
    ('default-rules = "anchors-resolve"', "default-rules: expected a list of strings"),
    ("extend-default-rules = 1", "extend-default-rules: expected a list of strings"),
    ("cwe-taxonomy = [true]", 'cwe-taxonomy: expected "catalog", "pillars", "any" or a list of CWE numbers*'),
    ('cwe-taxonomy = "some"', 'cwe-taxonomy: expected "catalog", "pillars", "any" or a list of CWE numbers*'),
    ("required-version = 1", "required-version: expected a string, got int"),
    ('required-version = "~=1"', "required-version: '~=1' is not a version specifier"),
    ('required-version = ">=1,<<2"', "required-version: '>=1,<<2' is not a version specifier"),
    ("reverting-bases = [1]", "reverting-bases: expected a list of strings"),
    ('baseline = ["a"]', "baseline: expected a string, got list"),
    ("severity = 5", "severity: expected a table of rule -> error|warning|off"),
    ("severity = { RG101 = 1 }", "severity.RG101: expected one of error, warning, off, got 1"),
    ("rules = 5", "rules: expected tables of rule options"),
    ("rules = { RG302 = 5 }", "rules.RG302: expected a table"),
    ("rules = { RG302 = { allow = 5 } }", "rules.RG302.allow: expected a string or a list of strings"),
    ('rules = { RG302 = { colour = "x" } }', "rules.RG302: unknown key 'colour'"),
    ('rules = { RG302 = { ignore = ["X"] } }', "rules.RG302: no-hardcoded-uuids has no option 'ignore'*"),
]


def usage_error(result: pytest.RunResult, message: str) -> None:
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: *{message}"])
    output = result.stdout.str() + result.stderr.str()
    assert "INTERNALERROR" not in output
    assert "Traceback" not in output


@pytest.mark.parametrize(
    ("table", "message"), BAD, ids=[table.split(" =")[0] + f"-{n}" for n, (table, _) in enumerate(BAD)]
)
def test_a_wrong_type_or_value_is_a_usage_error_naming_the_key(tree: Tree, table: str, message: str) -> None:
    tree.pytester.makepyprojecttoml(f"[tool.reviewgate]\n{table}\n")
    tree.write("test_plain.review.txt", "1. **Plain**: `test_plain` line 1\n")
    usage_error(tree.run(), f"[[]tool.reviewgate[]] {message}")


def test_a_reviewgate_entry_that_is_no_table_is_a_usage_error(tree: Tree) -> None:
    tree.pytester.makepyprojecttoml("[tool]\nreviewgate = 5\n")
    usage_error(tree.run(), "[[]tool.reviewgate[]] must be a table")


def test_a_pyproject_that_is_not_toml_is_a_usage_error(tree: Tree) -> None:
    tree.pytester.makepyprojecttoml("[tool.reviewgate]\nglob = [\n")
    usage_error(tree.run(), "*pyproject.toml: *")


RUNTIME_MODULE = "import os\n\n\ndef test_env():\n    assert os.sep\n"
RUNTIME_REVIEW = "1. **Env**: `test_env` line 4\n   expect: env-restored\n"


def test_a_malformed_runtime_probe_entry_is_a_usage_error(tree: Tree) -> None:
    tree.pytester.makepyprojecttoml('[tool.reviewgate]\nruntime-probes = ["oslo_config.cfg.CONF"]\n')
    tree.write("test_env.py", RUNTIME_MODULE)
    tree.write("test_env.review.txt", RUNTIME_REVIEW)
    usage_error(tree.run(), "runtime-probes: runtime probe 'oslo_config.cfg.CONF' is not `module:attribute`*")


def test_a_malformed_runtime_probe_entry_is_a_usage_error_even_when_nothing_is_watched(tree: Tree) -> None:
    tree.pytester.makepyprojecttoml('[tool.reviewgate]\nruntime-probes = ["oslo_config.cfg.CONF"]\n')
    tree.write("test_plain.review.txt", "1. **Plain**: `test_plain` line 1\n")
    usage_error(tree.run(), "runtime-probes: *'oslo_config.cfg.CONF'*")


def test_an_unknown_rule_under_severity_is_a_warning_naming_the_key(tree: Tree) -> None:
    """Not a usage error: a conftest.py outside the paths given may register it (and a near miss is one)."""
    tree.pytester.makepyprojecttoml('[tool.reviewgate.severity]\nnope = "warning"\n')
    tree.write("test_plain.review.txt", "1. **Plain**: `test_plain` line 1\n")
    result = tree.run()
    tree.survived(result, pytest.ExitCode.OK)
    result.stdout.fnmatch_lines(["*pyproject.toml:1: ReviewgateWarning: *severity.nope: unknown rule 'nope'*"])


def test_an_unknown_rule_key_stays_a_warning_when_warnings_are_errors(tree: Tree) -> None:
    tree.pytester.makepyprojecttoml('[tool.reviewgate.severity]\nnope = "off"\n')
    tree.pytester.makeini("[pytest]\nfilterwarnings = error\n")  # and the warning names pyproject.toml, still
    tree.write("test_plain.review.txt", "1. **Plain**: `test_plain` line 1\n")
    result = tree.run()
    tree.survived(result, pytest.ExitCode.OK)
    result.stdout.fnmatch_lines(["*pyproject.toml:1: ReviewgateWarning: *severity.nope: unknown rule 'nope'*"])


def test_a_rule_key_a_conftest_registers_draws_no_warning(tree: Tree) -> None:
    tree.pytester.makepyprojecttoml('[tool.reviewgate.severity]\nno-sleep = "warning"\n')
    tree.write("conftest.py", SUB_CONFTEST)
    tree.write("test_plain.review.txt", "1. **Plain**: `test_plain` line 1\n")
    result = tree.run()
    tree.survived(result, pytest.ExitCode.OK)
    result.stdout.no_fnmatch_line("*unknown rule*")


SUB_CONFTEST = '''
from pytest_reviewgate import Rule


class NoSleep(Rule):
    """Tests do not sleep.

    ## What it does
    Flags nothing.

    ## Why is this bad?
    Sleeping makes tests slow.

    ## Example
    ```python
    x = 1
    ```

    Use instead:
    ```python
    x = 1
    ```
    """

    code = "XY001"
    name = "no-sleep"
    summary = "Tests do not sleep"
    cwe = 1088

    def check(self, context):
        return iter(())


def pytest_reviewgate_register_rules(registry):
    registry.add(NoSleep)
'''


def test_severity_of_a_rule_from_a_subdirectory_conftest_is_accepted_from_the_rootdir(tree: Tree) -> None:
    tree.pytester.makepyprojecttoml('[tool.reviewgate.severity]\nno-sleep = "warning"\n')
    tree.write("sub/conftest.py", SUB_CONFTEST)
    tree.write("sub/test_sub.py", "def test_sub():\n    assert True\n")
    tree.write("sub/test_sub.review.txt", "1. **Sub**: `test_sub` line 1\n   expect: no-sleep\n")
    assert tree.run("sub").ret == pytest.ExitCode.OK  # the same configuration, run on the subdirectory
    result = tree.run("-v")
    tree.survived(result, pytest.ExitCode.OK)
    result.stdout.fnmatch_lines(["sub/test_sub.review.txt::finding-1::no-sleep PASSED*"])
