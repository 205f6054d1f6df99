"""pytest11 entry point ``reviewgate``: each hook delegates to the layer that owns it."""

from __future__ import annotations

import fnmatch
from collections.abc import Generator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from .config import ConfigError, load_settings
from .integration import hookspecs, reporter
from .integration.session import STATE, State

if TYPE_CHECKING:
    from .rules import RuleRegistry


def pytest_addhooks(pluginmanager: pytest.PytestPluginManager) -> None:
    pluginmanager.add_hookspecs(hookspecs)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("reviewgate", "reviews of test code as pytest items")
    group.addoption("--reviewgate-only", action="store_true", help="collect and run only review items.")
    group.addoption("--reviewgate-rules", action="store_true", help="list the rules and exit.")
    group.addoption("--reviewgate-explain", metavar="RULE", help="print a rule's documentation and exit.")
    group.addoption("--reviewgate-sarif", metavar="PATH", help="write a SARIF 2.1.0 report to PATH.")
    group.addoption("--reviewgate-baseline", metavar="PATH", help="fail only on violations beyond this baseline.")
    group.addoption("--reviewgate-update-baseline", action="store_true", help="write the baseline from this run.")
    group.addoption("--reviewgate-suggest", action="store_true", help="print expect: lines for ungated findings.")
    group.addoption("--reviewgate-fix", action="store_true", help="rewrite stale line anchors in reviews.")
    group.addoption("--reviewgate-pin", action="store_true", help="write pins: of anchored code into reviews.")


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "reviewgate: an item made by pytest-reviewgate from a review file")
    try:
        settings = load_settings(config.rootpath)
    except ConfigError as exc:
        raise pytest.UsageError(f"reviewgate: {exc}") from None
    if settings.required_version:
        from packaging.specifiers import SpecifierSet

        from ._version import __version__

        if not SpecifierSet(settings.required_version).contains(__version__, prereleases=True):
            raise pytest.UsageError(
                f"reviewgate: required-version {settings.required_version} is not met by {__version__}"
            )
    reporter.check_rule_keys(config, settings.severity, settings.rules)
    state = State(config=config, settings=settings, only=bool(config.getoption("reviewgate_only")))
    state.baseline = state.load_baseline()
    config.stash[STATE] = state
    config.pluginmanager.register(reporter.Reporter(config), "reviewgate-reporter")


@pytest.hookimpl(tryfirst=True)  # built-ins first: a plugin that reuses a code is the duplicate
def pytest_reviewgate_register_rules(registry: RuleRegistry) -> None:
    from .rules import BUILTIN_RULES

    for rule in BUILTIN_RULES:
        registry.add(rule)


def pytest_cmdline_main(config: pytest.Config) -> int | None:
    return reporter.rules_command(config)


@pytest.hookimpl(wrapper=True)
def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> Generator[None, Any, Any]:
    """Review files reach reviewgate only (the doctest plugin would run their ``>>>`` lines)."""
    collectors = yield
    if _is_review(parent.config, file_path):
        from .integration.items import ReviewFile

        return [ReviewFile.from_parent(parent, path=file_path)]
    return [] if parent.config.stash[STATE].only else collectors


@pytest.hookimpl(tryfirst=True)
def pytest_collect_directory(path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if parent.config.stash[STATE].only:
        return pytest.Dir.from_parent(parent, path=path)
    return None


def pytest_collection_finish(session: pytest.Session) -> None:
    state = session.config.stash[STATE]
    if state.reviews_collected:
        reporter.warn_unknown_rule_keys(session.config, state)
    if state.only:
        return
    from .integration.watches import collection_finish

    collection_finish(session)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    report = yield
    if item.config.stash[STATE].reviews_collected:
        from .integration.items import skip_location

        skip_location(item, report)
    return report


def _is_review(config: pytest.Config, path: Path) -> bool:
    state = config.stash.get(STATE, None)
    return state is not None and fnmatch.fnmatch(path.name, state.settings.glob)
