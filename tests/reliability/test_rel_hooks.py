"""Rules, probes and hooks that misbehave (SPEC 5, 8): raise anything, return garbage, never return.

Each fails the one item it belongs to, naming the file and line; ``KeyboardInterrupt`` alone stops
the session. Rules, probes and hook calls have a time limit (``rule-timeout``, ``--reviewgate-timeout``)
enforced with SIGALRM in the main thread, whose handler never stays installed.
"""

from __future__ import annotations

import fnmatch
import math
import signal
import threading
import time
from typing import TYPE_CHECKING

import pytest

from pytest_reviewgate.engine import checks
from pytest_reviewgate.engine.limits import TimeLimitExceeded, time_limit

if TYPE_CHECKING:
    from collections.abc import Iterator

    from conftest import Tree

POSIX_ALARM = pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="the time limit needs SIGALRM")

RULES_CONFTEST = '''
import sys
import threading
import time

from pytest_reviewgate import Rule, Violation

DOCS = """{{summary}}.

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


class Stop(BaseException):
    pass


def rule(number, name, body):
    def check(self, context):
        yield from body(context)

    attributes = {{"__doc__": DOCS.format(summary=name), "code": f"XY{{number:03d}}", "name": name,
                  "summary": name, "cwe": 664, "check": check}}
    return type(name.title().replace("-", ""), (Rule,), attributes)

{bodies}

RULES = [rule(n, name.replace("_", "-"), body) for n, (name, body) in enumerate(sorted(BODIES.items()), 1)]


def pytest_reviewgate_register_rules(registry):
    for one in RULES:
        registry.add(one)
'''

RAISING = '''
def exits(context):
    sys.exit(3)
    yield


def bare_base_exception(context):
    raise BaseException("bare")
    yield


def own_base_exception(context):
    raise Stop("stopped")
    yield


def generator_exit(context):
    raise GeneratorExit("closed")
    yield


def calls_pytest_exit(context):
    import pytest
    pytest.exit("asked to exit")
    yield


def recursion(context):
    def down(n):
        return down(n + 1)
    down(0)
    yield


def works(context):
    yield Violation("XY007", "found it -> fix it", context.index.path, 2, "helper")


BODIES = {body.__name__: body for body in (
    exits, bare_base_exception, own_base_exception, generator_exit, calls_pytest_exit, recursion, works)}
'''

HELPER = "def helper():\n    return 1\n"


def rules_review(names: list[str]) -> str:
    return f"1. **Helper**: `helper` line 1\n   expect: {', '.join([*names, 'tests-assert'])}\n"


def failure_of(result: pytest.RunResult, item: str) -> str:
    """The failure section of one item: its header line up to the next one."""
    text = result.stdout.str()
    start = text.find(f" {item} _")
    assert start != -1, item
    end = min(i for i in (text.find("\n___", start), text.find("\n===", start), len(text)) if i != -1)
    return text[start:end]


def test_a_rule_raising_any_base_exception_fails_only_its_own_item_with_a_short_traceback(tree: Tree) -> None:
    """``SystemExit``, ``GeneratorExit``, ``pytest.exit`` and a bare ``BaseException`` used to escape the
    analysis and fail every item of the review with thousands of lines each."""
    tree.write("conftest.py", RULES_CONFTEST.format(bodies=RAISING))
    tree.write("helper.py", HELPER)
    names = ["bare-base-exception", "calls-pytest-exit", "exits", "generator-exit", "own-base-exception", "recursion"]
    tree.write("helper.review.txt", rules_review([*names, "works"]))
    handler = signal.getsignal(signal.SIGALRM) if hasattr(signal, "SIGALRM") else None
    result = tree.run("-v")
    tree.survived(result)  # the rule's frames only: no frame of reviewgate
    if handler is not None:  # in this process: every rule ran under the time limit, now gone
        assert signal.getsignal(signal.SIGALRM) is handler
    result.stdout.fnmatch_lines(
        [
            "helper.review.txt::review PASSED*",
            "helper.review.txt::finding-1::anchors PASSED*",
            *(f"helper.review.txt::finding-1::{name} FAILED*" for name in names),
            "helper.review.txt::finding-1::works FAILED*",
            "helper.review.txt::finding-1::tests-assert PASSED*",
        ]
    )
    expected = {
        "bare-base-exception": "BaseException: bare",
        "exits": "SystemExit: 3",
        "generator-exit": "GeneratorExit: closed",
        "own-base-exception": "*Stop: stopped",
        "calls-pytest-exit": "*Exit: asked to exit",
        "recursion": "RecursionError: maximum recursion depth exceeded*",
    }
    for number, name in enumerate(sorted(expected), 1):
        section = failure_of(result, f"XY{number:03d} finding-1::{name}")
        lines = section.splitlines()
        assert len(lines) < 60, section  # a RecursionError keeps its innermost frames only
        assert any(line.startswith(f"XY{number:03d} {name} raised:") for line in lines), section
        assert any(fnmatch.fnmatchcase(line, expected[name]) for line in lines), section
        assert 'conftest.py", line' in section  # the rule's own frames
    result.stdout.fnmatch_lines(["  helper.py:2 in helper: found it -> fix it"])
    result.assert_outcomes(passed=4, failed=7)


def test_a_rule_raising_keyboard_interrupt_stops_the_session_and_leaves_no_alarm_handler(tree: Tree) -> None:
    body = "def interrupts(context):\n    raise KeyboardInterrupt\n    yield\n\n\nBODIES = {'interrupts': interrupts}\n"
    tree.write("conftest.py", RULES_CONFTEST.format(bodies=body))
    tree.write("helper.py", HELPER)
    tree.write("helper.review.txt", rules_review(["interrupts"]))
    handler = signal.getsignal(signal.SIGALRM) if hasattr(signal, "SIGALRM") else None
    result = tree.pytester.runpytest("-p", "no:hypothesispytest", no_reraise_ctrlc=True)
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(["*KeyboardInterrupt*"])
    assert "INTERNALERROR" not in result.stdout.str() + result.stderr.str()
    if handler is not None:
        assert signal.getsignal(signal.SIGALRM) is handler
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


HANGING = '''
def sleeps(context):
    while True:  # and swallows what it can
        try:
            time.sleep(30)
        except Exception:
            pass
    yield


def spins(context):
    while True:
        pass
    yield


def waits_for_a_lock(context):
    lock = threading.Lock()
    lock.acquire()
    lock.acquire()
    yield


def waits_for_an_event(context):
    threading.Event().wait()
    yield


def returns(context):
    return
    yield


BODIES = {"sleeps": sleeps, "spins": spins, "waits-for-a-lock": waits_for_a_lock,
          "waits-for-an-event": waits_for_an_event, "returns": returns}
'''
HANGING_NAMES = ["returns", "sleeps", "spins", "waits-for-a-lock", "waits-for-an-event"]


@POSIX_ALARM
@pytest.mark.parametrize(
    "how",
    [("--reviewgate-timeout", "1"), ("pyproject",), ("-p", "xdist", "-n", "2", "--reviewgate-timeout", "1")],
    ids=["option", "pyproject", "xdist"],
)
def test_a_rule_that_never_returns_fails_its_item_at_the_time_limit(tree: Tree, how: tuple[str, ...]) -> None:
    tree.write("conftest.py", RULES_CONFTEST.format(bodies=HANGING))
    tree.write("helper.py", HELPER)
    tree.write("helper.review.txt", rules_review([n for n in HANGING_NAMES if n != "returns"] + ["returns"]))
    if how == ("pyproject",):
        tree.pytester.makepyprojecttoml("[tool.reviewgate]\nrule-timeout = 1\n")
        how = ()
    result = tree.run(*how, subprocess=True, timeout=120)
    tree.survived(result)
    for number, name in enumerate(n for n in HANGING_NAMES if n != "returns"):
        section = failure_of(result, f"XY{number + 2:03d} finding-1::{name}")
        assert f"XY{number + 2:03d} {name} did not return within 1 s (rule-timeout, --reviewgate-timeout)" in section
        assert 'conftest.py", line' in section  # where it was when the time ran out
    result.assert_outcomes(passed=5, failed=4)


@POSIX_ALARM
def test_the_time_limit_raises_in_the_block_and_restores_the_handler_and_timer_before_it() -> None:
    calls: list[int] = []

    def previous(signum: int, frame: object) -> None:
        calls.append(signum)

    old = signal.signal(signal.SIGALRM, previous)
    try:
        signal.setitimer(signal.ITIMER_REAL, 30.0)
        started = time.monotonic()
        with pytest.raises(TimeLimitExceeded, match=r"did not return within 0\.2 s"), time_limit(0.2):
            time.sleep(10)
        assert time.monotonic() - started < 5
        assert signal.getsignal(signal.SIGALRM) is previous
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 25 < left <= 30  # what was left of the outer timer
        with time_limit(0.5):
            pass
        assert signal.getsignal(signal.SIGALRM) is previous
        assert 25 < signal.getitimer(signal.ITIMER_REAL)[0] <= 30
        assert calls == []
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@POSIX_ALARM
def test_the_time_limit_steps_aside_for_an_earlier_timer_a_thread_and_zero() -> None:
    old = signal.signal(signal.SIGALRM, signal.SIG_IGN)
    try:
        signal.setitimer(signal.ITIMER_REAL, 5.0)
        with time_limit(60) as limit:  # someone else's timer fires first: theirs rules
            assert limit is None
            assert signal.getsignal(signal.SIGALRM) == signal.SIG_IGN
        signal.setitimer(signal.ITIMER_REAL, 0)
        with time_limit(0) as limit:
            assert limit is None
        seen: list[object] = []

        def in_thread() -> None:
            with time_limit(1) as limit:
                seen.append(limit)

        thread = threading.Thread(target=in_thread)
        thread.start()
        thread.join()
        assert seen == [None]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@POSIX_ALARM
def test_code_that_swallows_the_first_alarm_gets_another_one() -> None:
    old = signal.getsignal(signal.SIGALRM)
    swallowed = 0

    def body() -> Iterator[None]:
        nonlocal swallowed
        try:
            time.sleep(10)
        except BaseException:
            swallowed += 1
        time.sleep(10)
        yield None

    with pytest.raises(TimeLimitExceeded):
        with time_limit(0.1):
            list(body())
    assert swallowed == 1
    assert signal.getsignal(signal.SIGALRM) is old
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_a_rules_traceback_keeps_its_innermost_frames_and_none_of_the_engines() -> None:
    def down(n: int) -> int:
        return down(n + 1)

    try:
        down(0)
    except RecursionError as exc:
        text = checks.short_traceback(exc)
    assert text.count("in down") <= checks.FRAMES
    assert text.splitlines()[-1].startswith("RecursionError: maximum recursion depth exceeded")
    assert checks.__file__ not in text
    assert len(text.splitlines()) < 3 * checks.FRAMES


CRASHING_ANALYSIS = """
import pytest_reviewgate.engine.analyse as analyse


def crash(*args, **kwargs):
    def down(n):
        return down(n + 1)
    down(0)


analyse.analyse = crash
"""


def test_a_crash_of_reviewgate_itself_fails_each_item_of_the_review_briefly(tree: Tree) -> None:
    """A bug of ours is not the user's: still no INTERNALERROR, and the analysis is not retried per item."""
    tree.write("conftest.py", CRASHING_ANALYSIS)
    tree.write("helper.py", HELPER)
    tree.write("helper.review.txt", rules_review([]))
    result = tree.run("-v", subprocess=True)  # the conftest replaces a function of reviewgate for good
    tree.survived(result, plugin_traceback=True)
    result.stdout.fnmatch_lines(["reviewgate could not analyse this review*", "helper.review.txt:1: review"])
    for item in ("RG003 review", "RG001 finding-1::anchors", "RG303 finding-1::tests-assert"):
        assert len(failure_of(result, item).splitlines()) < 80
    result.assert_outcomes(passed=1, failed=3)


# -- pytest_reviewgate_register_rules -----------------------------------------------------------

GOOD_RULE = '''
from pytest_reviewgate import Rule


class Quiet(Rule):
    """Never complains.

    ## What it does
    Nothing.

    ## Why is this bad?
    It is not.

    ## Example
    ```python
    x = 1
    ```

    Use instead:
    ```python
    x = 2
    ```
    """

    code = "XY009"
    name = "quiet"
    summary = "Never complains"
    cwe = 664

    def check(self, context):
        return iter(())


def pytest_reviewgate_register_rules(registry):
    registry.add(Quiet)
'''

BROKEN_REGISTRATIONS = {
    "raises": ('raise RuntimeError("no rules today")', "raised RuntimeError: no rules today"),
    "exits": ("import sys\n    sys.exit(2)", "raised SystemExit: 2"),
    "base-exception": ('raise BaseException("bare")', "raised BaseException: bare"),
    "unprintable": ("raise type('Odd', (Exception,), {'__str__': lambda self: 1/0})()", "raised Odd: <str() failed>"),
}


@pytest.mark.parametrize("case", sorted(BROKEN_REGISTRATIONS))
def test_a_conftest_whose_register_rules_hook_raises_fails_the_review_item_not_the_collection(
    tree: Tree, case: str
) -> None:
    """The other implementations still register their rules: a sub-folder's rule still gates."""
    body, message = BROKEN_REGISTRATIONS[case]
    tree.write("conftest.py", f"def pytest_reviewgate_register_rules(registry):\n    {body}\n")
    tree.write("sub/conftest.py", GOOD_RULE)
    tree.write("sub/helper.py", HELPER)
    tree.write("sub/helper.review.txt", "1. **Helper**: `helper` line 1\n   expect: quiet\n")
    result = tree.run("-v")
    tree.survived(result)
    result.stdout.fnmatch_lines(
        [
            "sub/helper.review.txt::review FAILED*",
            "sub/helper.review.txt::finding-1::anchors PASSED*",
            "sub/helper.review.txt::finding-1::quiet PASSED*",
        ]
    )
    line = 2 if case != "exits" else 3
    result.stdout.fnmatch_lines(
        [f"*RG003 review-valid: conftest.py:{line}: pytest_reviewgate_register_rules {message} -> fix the hook*"]
    )
    result.assert_outcomes(passed=3, failed=1)


def test_a_failing_register_rules_hook_is_listed_by_reviewgate_rules(tree: Tree) -> None:
    tree.write("conftest.py", 'def pytest_reviewgate_register_rules(registry):\n    raise ValueError("bad")\n')
    result = tree.run("--reviewgate-rules")
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["RG101  config-*", "error: conftest.py:2: *raised ValueError: bad*"])


def test_a_failing_register_rules_hook_does_not_break_the_check_of_rule_keys(tree: Tree) -> None:
    """With a ``severity`` table the hook is also called while pytest configures."""
    tree.pytester.makepyprojecttoml('[tool.reviewgate]\nseverity = { tests-assert = "warning" }\n')
    tree.write("conftest.py", 'def pytest_reviewgate_register_rules(registry):\n    raise ValueError("bad")\n')
    tree.write("helper.py", HELPER)
    tree.write("helper.review.txt", rules_review([]))
    result = tree.run()
    tree.survived(result)
    result.assert_outcomes(passed=3, failed=1)


@POSIX_ALARM
def test_a_register_rules_hook_that_never_returns_is_waited_for_once(tree: Tree) -> None:
    """Called once per reviewed folder; after the first time-out, the problem is repeated, not the wait."""
    hook = (
        "import os, time\n\n\ndef pytest_reviewgate_register_rules(registry):\n"
        "    with open(os.path.join(os.path.dirname(__file__), 'calls.txt'), 'a') as out:\n"
        "        out.write('call\\n')\n"
        "    time.sleep(60)\n"
    )
    tree.write("conftest.py", hook)
    for folder in ("a", "b"):
        tree.write(f"{folder}/helper.py", HELPER)
        tree.write(f"{folder}/helper.review.txt", rules_review([]))
    result = tree.run("--reviewgate-timeout=1", subprocess=True, timeout=60)
    tree.survived(result, changed=("calls.txt",))
    message = "*RG003 review-valid: conftest.py:7: pytest_reviewgate_register_rules did not return within 1 s*"
    result.stdout.fnmatch_lines([message, message])
    assert (tree.path / "calls.txt").read_text() == "call\n"
    result.assert_outcomes(passed=5, failed=2)


# -- pytest_reviewgate_runtime_probes -----------------------------------------------------------

WATCHED = "import os\n\n\ndef test_watched():\n    assert os.sep\n"
WATCHED_REVIEW = "1. **Env**: `test_watched` line 4\n   expect: env-restored\n"

GOOD_PROBE = '''
import os


class EnvProbe:
    rule = "env-restored"
    name = "custom-env"

    def snapshot(self):
        return os.environ.get("RG_CUSTOM")

    def diff(self, before, after):
        return [] if before == after else [f"RG_CUSTOM {before!r} -> {after!r}"]
'''

BROKEN_PROBE_HOOKS = {
    "raises": ('raise RuntimeError("no probes")', "conftest.py:{raise_line}: * raised RuntimeError: no probes"),
    "exits": ("import sys\n    sys.exit(2)", "conftest.py:{exit_line}: * raised SystemExit: 2"),
    "int": ("return 42", "conftest.py:{def_line}: * returned 42, not a list of probes"),
    "str": ('return "probe"', "conftest.py:{def_line}: * returned 'probe', not a list of probes"),
    "dict": ('return {"rule": "env-restored"}', "conftest.py:{def_line}: * returned {'rule'*, not a list of probes"),
    "not-a-probe": ("return [EnvProbe(), 42]", "conftest.py:{def_line}: * returned 42: a probe has rule, name*"),
    "rule-not-a-string": (
        "probe = EnvProbe()\n    probe.rule = 902\n    return [probe]",
        "conftest.py:{def_line}: * returned <*EnvProbe*>: a probe has rule, name*",
    ),
    "generator-raises": (
        'yield EnvProbe()\n    raise OSError("half way")',
        "conftest.py:{def_line}: * returned an iterable that raised OSError: half way",
    ),
    "endless": (
        "while True:\n        yield EnvProbe()",
        "conftest.py:{def_line}: * returned more than 1000 probes",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN_PROBE_HOOKS))
def test_a_probes_hook_that_raises_or_returns_garbage_fails_the_runtime_items(tree: Tree, case: str) -> None:
    """It used to be an INTERNALERROR (or a usage error ending the session). The tests still run, and
    so do the built-in probes."""
    body, message = BROKEN_PROBE_HOOKS[case]
    conftest = GOOD_PROBE + f"\n\ndef pytest_reviewgate_runtime_probes(config):\n    {body}\n"
    tree.write("conftest.py", conftest)
    tree.write("test_env.py", WATCHED)
    tree.write("test_env.review.txt", WATCHED_REVIEW)
    result = tree.run("-v")
    tree.survived(result)
    lines = conftest.splitlines()
    def_line = lines.index("def pytest_reviewgate_runtime_probes(config):") + 1
    where = {"{def_line}": def_line, "{raise_line}": def_line + 1, "{exit_line}": def_line + 2}
    for key, line in where.items():
        message = message.replace(key, str(line))
    result.stdout.fnmatch_lines(
        [
            "test_env.py::test_watched PASSED*",
            "test_env.review.txt::finding-1::env-restored FAILED*",
            "test_env.review.txt:1: finding 1: Env",
            "  " + message.replace("* ", "pytest_reviewgate_runtime_probes ", 1),
        ]
    )
    result.assert_outcomes(passed=4, failed=1)


def test_the_good_probes_of_a_hook_still_watch_when_another_of_its_probes_is_garbage(tree: Tree) -> None:
    conftest = GOOD_PROBE + (
        "\n\ndef pytest_reviewgate_runtime_probes(config):\n    return [EnvProbe(), 'garbage']\n"
    )
    tree.write("conftest.py", conftest)
    tree.write("test_env.py", 'import os\n\n\ndef test_watched():\n    os.environ["RG_CUSTOM"] = "x"\n')
    tree.write("test_env.review.txt", WATCHED_REVIEW)
    result = tree.run("-v", subprocess=True)  # the test leaks for real
    tree.survived(result)
    result.stdout.fnmatch_lines(["*ERROR at teardown of test_watched*", "  - RG_CUSTOM None -> 'x'"])
    result.stdout.fnmatch_lines(["  conftest.py:*: pytest_reviewgate_runtime_probes returned 'garbage': *"])
    result.assert_outcomes(passed=4, failed=1, errors=1)


PROBE_CALLS = '''
import sys
import time


class Probe:
    rule = "env-restored"
    name = "troubled"

    def snapshot(self):
        {snapshot}
        return object()  # never equal: diff() is called

    def diff(self, before, after):
        {diff}
        return []

    def configure(self, options):
        {configure}
        return self


def pytest_reviewgate_runtime_probes(config):
    return [Probe()]
'''


@pytest.mark.parametrize(
    ("call", "body", "message"),
    [
        ("snapshot", "time.sleep(60)", "probe troubled raised TimeoutError: snapshot() did not return within 1 s*"),
        ("diff", "while True: pass", "probe troubled raised TimeoutError: diff() did not return within 1 s*"),
        ("configure", "time.sleep(60)", "probe troubled raised RuntimeError: TimeoutError in configure(): *1 s*"),
        ("snapshot", "sys.exit(4)", "probe troubled raised RuntimeError: snapshot() raised SystemExit: 4"),
        ("diff", "raise BaseException('x')", "probe troubled raised RuntimeError: diff() raised BaseException: x"),
    ],
    ids=["snapshot-hangs", "diff-spins", "configure-hangs", "snapshot-exits", "diff-base-exception"],
)
def test_a_probe_that_never_returns_or_exits_errors_the_watched_test(
    tree: Tree, call: str, body: str, message: str
) -> None:
    if "1 s" in message and not hasattr(signal, "setitimer"):
        pytest.skip("the time limit needs SIGALRM")
    bodies = {"snapshot": "pass", "diff": "pass", "configure": "pass", call: body}
    tree.write("conftest.py", PROBE_CALLS.format(**bodies))
    tree.write("test_env.py", WATCHED)
    tree.write("test_env.review.txt", WATCHED_REVIEW)
    if call == "configure":  # configure() is called only for a rule with options
        tree.pytester.makepyprojecttoml('[tool.reviewgate.rules.env-restored]\nignore = ["X"]\n')
    result = tree.run("-v", "--reviewgate-timeout=1", subprocess=True, timeout=60)
    tree.survived(result)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_watched*",
            'RG902 env-restored: could not check the test (review test_env.review.txt:1, finding-1 "Env")',
            f"  - {message}",
        ]
    )
    result.assert_outcomes(passed=5, errors=1)


# -- options and user properties ----------------------------------------------------------------


@pytest.mark.parametrize("value", ["-1", "nan", "inf", "soon"])
def test_a_wrong_reviewgate_timeout_is_a_usage_error(tree: Tree, value: str) -> None:
    tree.write("test_plain.review.txt", "1. **Plain**: `test_plain` line 1\n")
    result = tree.run(f"--reviewgate-timeout={value}")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "INTERNALERROR" not in result.stdout.str() + result.stderr.str()
    message = "invalid float value" if value == "soon" else "--reviewgate-timeout: expected a number of seconds"
    result.stderr.fnmatch_lines([f"*{message}*"])


@pytest.mark.parametrize("value", ["-1", '"60"', "true", "inf", "nan"])
def test_a_wrong_rule_timeout_is_a_usage_error_naming_the_key(tree: Tree, value: str) -> None:
    tree.pytester.makepyprojecttoml(f"[tool.reviewgate]\nrule-timeout = {value}\n")
    tree.write("test_plain.review.txt", "1. **Plain**: `test_plain` line 1\n")
    result = tree.run()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: *[[]tool.reviewgate[]] rule-timeout: expected a number of seconds*"])


def test_a_zero_time_limit_means_none(tree: Tree) -> None:
    tree.pytester.makepyprojecttoml("[tool.reviewgate]\nrule-timeout = 0\n")
    tree.write("conftest.py", RULES_CONFTEST.format(bodies=RAISING))
    tree.write("helper.py", HELPER)
    tree.write("helper.review.txt", rules_review(["works"]))
    result = tree.run()
    tree.survived(result)
    result.assert_outcomes(passed=4, failed=1)


RECORDING = """
import pytest

NAMES = ["reviewgate_review", "reviewgate_violation", "review", "violation", "ignored", "warning", "fix", "pin",
         "suggest"]
VALUES = [5, None, "text", [1, 2], {"review": 3}, {"rule": "RG101", "message": "m", "path": "p", "line": "NaN"},
          {"review": "x.review.txt", "findings": "many"}, -3]


@pytest.mark.parametrize("name", [n if n.startswith("reviewgate_") else "reviewgate:" + n for n in NAMES])
def test_records(record_property, name):
    for value in VALUES:
        record_property(name, value)
"""


@pytest.mark.parametrize("xdist", [False, True], ids=["serial", "xdist"])
def test_a_test_recording_properties_with_reviewgates_names_is_never_read_as_reviewgates(
    tree: Tree, xdist: bool
) -> None:
    """It used to be an INTERNALERROR; now only our own items' properties count, each checked."""
    tree.write("test_recording.py", RECORDING)
    tree.write("test_plain.review.txt", "1. **Plain**: `test_plain` line 1\n")
    args = ("-p", "xdist", "-n", "2") if xdist else ()
    result = tree.run(*args, "--junitxml=out/junit.xml", "--reviewgate-sarif=out/report.sarif", subprocess=xdist)
    tree.survived(result, pytest.ExitCode.OK, changed=("out/junit.xml", "out/report.sarif"))
    result.stdout.fnmatch_lines(
        [
            "reviews: 1 (0 clean, 1 with defects)",
            "items: 2 passed",
            "warnings: 0; suppressed: 0 ignored",
            "SARIF written to out/report.sarif (0 results)",
        ]
    )
    result.assert_outcomes(passed=12)


def test_nan_is_not_a_time_limit() -> None:
    from pytest_reviewgate.config import ConfigError, settings_from_table

    assert settings_from_table({"rule-timeout": 2.5}).rule_timeout == 2.5
    assert settings_from_table({}).rule_timeout == 60
    with pytest.raises(ConfigError, match="rule-timeout"):
        settings_from_table({"rule-timeout": math.nan})
