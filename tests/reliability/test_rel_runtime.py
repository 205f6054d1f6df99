"""Faults at run time (SPEC 5, 8): leaking tests, probes and custom rules that raise, every report path.

A fault fails the item or teardown it belongs to, naming what broke; never an INTERNALERROR.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Tree

LEAKY = """\
import os
from unittest import mock

from oslo_config import cfg

CONF = cfg.CONF
CONF.register_opt(cfg.StrOpt("rg_region", default="north"))


def test_leaks_env():
    os.environ["RG_LEAKED"] = "yes"


def test_leaks_config():
    CONF.set_override("rg_region", "leaked")


def test_leaks_patch():
    mock.patch("colorsys.rgb_to_hsv").start()


def test_after_the_leaks():
    assert os.environ["RG_LEAKED"] == "yes"
"""

LEAKY_REVIEW = """\
1. **Environment (CWE-664)**: `test_leaks_env` line 10
   expect: env-restored

2. **Configuration (CWE-664)**: `test_leaks_config` line 14
   expect: config-restored

3. **Mocks (CWE-664)**: `test_leaks_patch` line 18
   expect: no-leaked-patches
"""


def test_tests_that_leak_on_purpose_error_at_teardown_and_the_session_goes_on(tree: Tree) -> None:
    """In a subprocess: the leaks are real process state (os.environ, oslo.config's CONF, mock)."""
    tree.write("test_leaky.py", LEAKY)
    tree.write("test_leaky.review.txt", LEAKY_REVIEW)
    result = tree.run(subprocess=True)
    tree.survived(result)
    result.stdout.fnmatch_lines(
        [
            "*_ ERROR at teardown of test_leaks_env _*",
            'RG902 env-restored: the test left state changed (review test_leaky.review.txt:1, finding-1 "Environment*',
            "  - RG_LEAKED: set to 'yes'",
            "*_ ERROR at teardown of test_leaks_config _*",
            "RG903 config-restored: the test left state changed (review test_leaky.review.txt:4, finding-2 *",
            "  - rg_region: 'north' -> 'leaked' (set_override never cleared) (at test_leaky.py:*)",
            "*_ ERROR at teardown of test_leaks_patch _*",
            "RG901 no-leaked-patches: the test left state changed (review test_leaky.review.txt:7, finding-3 *",
            "  - patch of `colorsys.rgb_to_hsv` still active (at test_leaky.py:*)",
        ]
    )
    result.stdout.fnmatch_lines(["PASSED test_leaky.py::test_after_the_leaks"])
    result.stdout.fnmatch_lines(["PASSED test_leaky.review.txt::cwe-known"])  # with ::review, 3 anchors, 3 expectations
    result.assert_outcomes(passed=13, errors=3)


PROBE_CONFTEST = """
class Probe:
    rule = "env-restored"
    name = "exploding"

    def __init__(self):
        self.snapshots = 0

    def snapshot(self):
        self.snapshots += 1
        if {snapshot_raises} and self.snapshots > 1:
            raise OSError("snapshot broke")
        return self.snapshots

    def diff(self, before, after):
        {diff}

    def configure(self, options):
        {configure}


def pytest_reviewgate_runtime_probes(config):
    return [Probe()]
"""

WATCHED = "import os\n\n\ndef test_watched():\n    assert os.sep\n\n\ndef test_unwatched():\n    assert os.sep\n"
WATCHED_REVIEW = "1. **Env**: `test_watched` line 4\n   expect: env-restored\n"


def probe(
    tree: Tree,
    *,
    snapshot_raises: bool = False,
    diff: str = "return []",
    configure: str = "return self",
    options: bool = False,
) -> pytest.RunResult:
    tree.write("conftest.py", PROBE_CONFTEST.format(snapshot_raises=snapshot_raises, diff=diff, configure=configure))
    tree.write("test_env.py", WATCHED)
    tree.write("test_env.review.txt", WATCHED_REVIEW)
    if options:
        tree.pytester.makepyprojecttoml('[tool.reviewgate.rules.env-restored]\nignore = ["RG_IGNORED"]\n')
    return tree.run("-v")


def probe_error(tree: Tree, result: pytest.RunResult, error: str) -> None:
    """The watched test's teardown errors naming the probe; every other item passes."""
    tree.survived(result)
    result.stdout.fnmatch_lines(
        [
            "*_ ERROR at teardown of test_watched _*",
            'RG902 env-restored: could not check the test (review test_env.review.txt:1, finding-1 "Env")',
            f"  - probe exploding raised {error}",
        ]
    )
    result.assert_outcomes(passed=6, errors=1)


def test_a_probe_whose_snapshot_raises_errors_the_watched_test_naming_the_probe(tree: Tree) -> None:
    probe_error(tree, probe(tree, snapshot_raises=True), "OSError: snapshot broke")


def test_a_probe_whose_diff_raises_errors_the_watched_test_naming_the_probe(tree: Tree) -> None:
    probe_error(tree, probe(tree, diff='raise KeyError("diff broke")'), "KeyError: 'diff broke'")


def test_a_probe_whose_configure_raises_is_reported_as_that_probes_error(tree: Tree) -> None:
    result = probe(tree, configure='raise RuntimeError("configure broke")', options=True)
    probe_error(tree, result, "RuntimeError: RuntimeError in configure(): configure broke")


def test_a_probe_whose_configure_returns_no_probe_is_reported_as_that_probes_error(tree: Tree) -> None:
    result = probe(tree, configure="return None", options=True)
    probe_error(tree, result, "RuntimeError: RuntimeError in configure(): it returned NoneType, not a probe")


def test_a_probe_whose_diff_breaks_the_protocol_is_reported_as_that_probes_error(tree: Tree) -> None:
    result = probe(tree, diff="return [42]")
    tree.survived(result)
    result.stdout.fnmatch_lines(["  - probe exploding *42*"])


CUSTOM_RULES = '''
from pytest_reviewgate import Rule, Violation

DOCS = """{summary}.

    ## What it does
    Something.

    ## Why is this bad?
    Because.

    ## Example
    ```python
    x = 1
    ```

    Use instead:
    ```python
    x = 2
    ```
    """


class Unprintable(Exception):
    def __str__(self):
        raise RuntimeError("no str")

    def __repr__(self):
        raise RuntimeError("no repr")


class Raises(Rule):
    __doc__ = DOCS.format(summary="Raises")
    code = "XY001"
    name = "raises"
    summary = "Raises"
    cwe = 664

    def check(self, context):
        yield Violation(self.code, "first -> fix", context.index.path, 1, "helper")
        raise ZeroDivisionError("the rule broke midway")


class RaisesUnprintable(Rule):
    __doc__ = DOCS.format(summary="Raises an unprintable exception")
    code = "XY002"
    name = "raises-unprintable"
    summary = "Raises an unprintable exception"
    cwe = 664

    def check(self, context):
        raise Unprintable()


class Recurses(Rule):
    __doc__ = DOCS.format(summary="Recurses")
    code = "XY003"
    name = "recurses"
    summary = "Recurses"
    cwe = 664

    def check(self, context):
        def down():
            return down()
        return down()


class Works(Rule):
    __doc__ = DOCS.format(summary="Works")
    code = "XY004"
    name = "works"
    summary = "Works"
    cwe = 664

    def check(self, context):
        return iter(())


def pytest_reviewgate_register_rules(registry):
    for rule in (Raises, RaisesUnprintable, Recurses, Works):
        registry.add(rule)
'''


def test_a_custom_rule_that_raises_fails_only_its_own_item(tree: Tree) -> None:
    tree.write("conftest.py", CUSTOM_RULES)
    tree.write("helper.py", "def helper():\n    return 1\n")
    tree.write(
        "helper.review.txt",
        "1. **Helper**: `helper` line 1\n   expect: raises, raises-unprintable, recurses, works, tests-assert\n",
    )
    result = tree.run("-v")
    tree.survived(result, plugin_traceback=True)  # a rule that raises shows its traceback (SPEC 5)
    result.stdout.fnmatch_lines(
        [
            "helper.review.txt::review PASSED*",
            "helper.review.txt::finding-1::anchors PASSED*",
            "helper.review.txt::finding-1::raises FAILED*",
            "helper.review.txt::finding-1::raises-unprintable FAILED*",
            "helper.review.txt::finding-1::recurses FAILED*",
            "helper.review.txt::finding-1::works PASSED*",
            "helper.review.txt::finding-1::tests-assert PASSED*",
        ]
    )
    result.stdout.fnmatch_lines(["XY001 raises raised:", "*ZeroDivisionError: the rule broke midway"])
    result.stdout.fnmatch_lines(["XY002 raises-unprintable raised:", "*Unprintable*"])
    result.stdout.fnmatch_lines(["XY003 recurses raised:", "RecursionError: maximum recursion depth exceeded*"])
    result.assert_outcomes(passed=5, failed=3)


BAD_TREE = {
    "binary.review.txt": b"1. **X**: line 1\n\xff\xfe\x00\x00",
    "yaml.review.txt": b"---\nmodule: !!python/object/apply:os.system ['true']\n---\n1. **X**: `test_plain` line 1\n",
    "ranges.review.txt": (
        b"---\nmodule: test_plain.py\n---\n1. **X**: `test_plain` lines 9-3\n\n2. **Y**: `test_plain` line 0\n"
    ),
    "broken.py": b"def helper(:\n",
    "broken.review.txt": b"1. **X**: `helper` line 1\n   expect: tests-assert\n",
}


@pytest.mark.parametrize(
    "options",
    [
        ("--tb=long",),
        ("--tb=native",),
        ("--tb=line",),
        ("--tb=no",),
        ("-vv", "--showlocals", "--full-trace"),
        ("--junitxml=out/junit.xml", "--reviewgate-sarif=out/report.sarif", "--durations=0"),
    ],
    ids=["long", "native", "line", "no", "full-trace", "junit-sarif"],
)
def test_every_report_path_formats_failing_review_items_without_raising(tree: Tree, options: tuple[str, ...]) -> None:
    """``repr_failure``, ``reportinfo`` and the report hooks run on each of these paths; none may raise."""
    for name, data in BAD_TREE.items():
        tree.write(name, data)
    result = tree.run(*options)
    written = tuple(o.split("=", 1)[1] for o in options if o.startswith(("--junitxml", "--reviewgate-sarif")))
    tree.survived(result, changed=written, plugin_traceback="--full-trace" in options)
    result.assert_outcomes(passed=2, failed=5, skipped=2)


# Calls what pytest and other plugins may call on any item, in every style, and fails loudly
# (an INTERNALERROR) if one of them raises or answers with something unprintable.
PROBING_CONFTEST = """
import pytest

STYLES = ("auto", "long", "short", "line", "native", "value", "no")


def pytest_collection_finish(session):
    for item in session.items:
        path, line, name = item.reportinfo()
        assert isinstance(name, str) and (line is None or line >= 0), (item.nodeid, line)
        assert item.location[0] and isinstance(item.location[2], str)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if call.excinfo is not None and "reviewgate" in item.keywords:
        for style in STYLES:
            shown = item.repr_failure(call.excinfo, style=style) if style != "auto" else item.repr_failure(call.excinfo)
            assert str(shown).strip(), (item.nodeid, style)
    return report
"""


def test_reportinfo_and_repr_failure_answer_for_every_item_in_every_style(tree: Tree) -> None:
    for name, data in BAD_TREE.items():
        tree.write(name, data)
    tree.write("conftest.py", PROBING_CONFTEST + CUSTOM_RULES)
    tree.write("raising.py", "def helper():\n    return 1\n")
    tree.write(
        "raising.review.txt", "1. **Helper**: `helper` line 1\n   expect: raises, raises-unprintable, recurses\n"
    )
    result = tree.run()
    tree.survived(result, plugin_traceback=True)
    result.assert_outcomes(passed=4, failed=8, skipped=2)
