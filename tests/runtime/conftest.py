"""Runtime test fixtures: a pytester project whose conftest installs watches from markers."""

from __future__ import annotations

import json

import pytest

# Stands in for the review layer: `@pytest.mark.watch("RG903")` on a test or class
# makes a Watch for it, as a review finding with `expect: config-restored` would.
WATCHING_CONFTEST = """
import json
import os

import pytest

from pytest_reviewgate.integration import runtime

RULES = {"RG901": "no-leaked-patches", "RG902": "env-restored", "RG903": "config-restored"}


def pytest_addhooks(pluginmanager):
    caller = getattr(pluginmanager.hook, "pytest_reviewgate_runtime_probes", None)
    if caller is None or not caller.has_spec():
        from pytest_reviewgate.integration import hookspecs

        pluginmanager.add_hookspecs(hookspecs)


def pytest_addoption(parser):
    parser.addini("rg_probes", "runtime-probes entries", type="linelist", default=[])


WORKER = False


def pytest_configure(config):
    global WORKER
    WORKER = hasattr(config, "workerinput")
    config.addinivalue_line("markers", "watch(rule, open=False, options=None): watched")


def pytest_collection_modifyitems(config, items):
    watches = {}
    for item in items:
        for mark in item.iter_markers("watch"):
            rule = mark.args[0]
            watches.setdefault(item.nodeid, []).append(
                runtime.Watch(
                    rule=rule,
                    name=RULES.get(rule, rule),
                    review="test_x.review.txt",
                    finding=mark.kwargs.get("finding", "finding-3"),
                    title="Global State Manipulation",
                    line=9,
                    open=mark.kwargs.get("open", False),
                    options=mark.kwargs.get("options") or {},
                )
            )
    specs = config.getini("rg_probes") or ["oslo_config.cfg:CONF"]
    runtime.install(config, watches, runtime_probes=specs)


def pytest_runtest_logreport(report):
    if WORKER:
        return  # the controller writes, from the reports the workers send
    path = os.path.join(os.path.dirname(__file__), "violations.jsonl")
    with open(path, "a") as out:
        for key, value in report.user_properties:
            if key == runtime.VIOLATION_KEY:
                data = {"nodeid": report.nodeid, "when": report.when, **value}
                out.write(json.dumps(data) + "\\n")
"""

# `-p no:reviewgate`: these tests drive `runtime.install` themselves, apart from
# the review layer, which would otherwise install watches of its own.
ISOLATED = ("-p", "no:reviewgate", "-p", "no:cacheprovider")


class Project:
    """A pytester project whose tests marked ``@pytest.mark.watch(rule)`` are watched."""

    def __init__(self, pytester: pytest.Pytester) -> None:
        self.pytester = pytester
        pytester.makeconftest(WATCHING_CONFTEST)

    def run(self, *args: str) -> pytest.RunResult:
        """Run in a subprocess: the probes watch real process state."""
        return self.pytester.runpytest_subprocess(*ISOLATED, "-rA", *args)

    def violations(self) -> list[dict[str, object]]:
        """The ``reviewgate_violation`` user properties of the last runs' reports."""
        path = self.pytester.path / "violations.jsonl"
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text().splitlines()]

    def clear(self) -> None:
        (self.pytester.path / "violations.jsonl").unlink(missing_ok=True)


@pytest.fixture
def project(pytester: pytest.Pytester) -> Project:
    return Project(pytester)
