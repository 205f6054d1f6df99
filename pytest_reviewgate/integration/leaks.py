"""How runtime leaks are reported: where (sites of tests and fixtures), as what (violation data),
and the teardown reports that must fail whatever the test expects.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable, Generator
from typing import Any, Protocol

import pytest

from ..probes.watching import Watch

Site = tuple[str, int, str]  # path, 1-based line, definition


class _Leaked(Protocol):
    leaked: pytest.Item | None  # the test whose teardown just failed with a leak


class LeakReports:
    """Turns the teardown report of a leaking test back into a failure.

    pytest's ``xfail`` handling makes any exception of an ``xfail`` test, its
    teardown's included, an expected failure (``XFAIL``, exit status 0), and
    ``--lf`` then forgets the test. A leak is reviewgate's finding, not the
    failure the test expects.
    """

    def __init__(self, runtime: _Leaked) -> None:
        self.runtime = runtime

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        report = yield
        if call.when == "teardown" and self.runtime.leaked is item:
            self.runtime.leaked = None
            if not report.failed:
                report.outcome = "failed"
                if hasattr(report, "wasxfail"):
                    del report.wasxfail
        return report


def violation(watch: Watch, message: str, site: Site) -> dict[str, Any]:
    """Plain data for the controller (SARIF); the keys of ``model.Violation`` plus the finding."""
    path, line, definition = site
    return {
        "rule": watch.rule,
        "message": message,
        "path": path,
        "line": line,
        "definition": definition,
        "source": "",
        "suppressed": "open" if watch.open else "",
        "review": watch.review,
        "review_line": watch.line,
        "finding": watch.finding,
    }


def item_site(item: pytest.Item) -> Site:
    path, line, name = item.location
    return path, (line or 0) + 1, name.split("[")[0]


def item_file(item: pytest.Item) -> tuple[str, int]:
    return str(item.path), (item.location[1] or 0) + 1


# pytest's own fixtures for xunit hooks: name prefix -> (label, hook to locate)
_XUNIT = {
    "_unittest_setUpClass_fixture_": ("setUpClass/tearDownClass of {}", "setUpClass"),
    "_xunit_setup_class_fixture_": ("setup_class/teardown_class of {}", "setup_class"),
    "_xunit_setup_module_fixture_": ("setup_module/teardown_module of {}", "setup_module"),
}


def describe(
    fixturedef: pytest.FixtureDef[Any], request: pytest.FixtureRequest, root: os.PathLike[str]
) -> tuple[str, Callable[[], Site]]:
    """A label for messages and a lazy ``(path, line, definition)`` of a higher-scoped fixture."""
    func: Any = fixturedef.func
    owner, label = "", f"{fixturedef.scope}-scoped fixture `{fixturedef.argname}`"
    for prefix, (pattern, hook) in _XUNIT.items():
        if fixturedef.argname.startswith(prefix):
            holder = request.cls if fixturedef.scope == "class" else request.module
            owner = getattr(holder, "__qualname__", "")
            label = pattern.format(fixturedef.argname[len(prefix) :])
            func = getattr(holder, hook, None) or getattr(holder, "setUpModule", None) or func
            break

    def where() -> Site:
        target = inspect.unwrap(getattr(func, "__func__", func))
        path = os.path.relpath(inspect.getsourcefile(target) or "", root)
        name = f"{owner}.{target.__name__}" if owner else target.__name__
        return path.replace(os.sep, "/"), inspect.getsourcelines(target)[1], name

    return label, where


def site_of(where: Callable[[], Site], item: pytest.Item) -> Site:
    try:
        return where()
    except Exception:  # no source to point at: point at the test that finalized it
        return item_site(item)
