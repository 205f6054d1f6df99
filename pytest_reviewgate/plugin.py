"""pytest11 entry point ``reviewgate``: each hook delegates to the layer that owns it."""

from __future__ import annotations

import fnmatch
import gc
import os
import shlex
from collections.abc import Generator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from .config import ConfigError, read_table
from .integration import hookspecs, reporter
from .integration.session import STATE, State, settings_of

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
    group.addoption("--reviewgate-sarif-root", metavar="DIR",
                    help="make SARIF and Code Quality paths relative to DIR (default: the git work tree, "
                         "else the rootdir).")
    group.addoption("--reviewgate-sarif-skip-open", action="store_true",
                    help="leave results of open (acknowledged) findings out of SARIF.")
    group.addoption("--reviewgate-codequality", metavar="PATH",
                    help="write a GitLab Code Quality report (JSON) to PATH.")
    group.addoption("--reviewgate-baseline", metavar="PATH", help="fail only on violations beyond this baseline.")
    group.addoption("--reviewgate-update-baseline", action="store_true", help="write the baseline from this run.")
    group.addoption("--reviewgate-suggest", action="store_true",
                    help="print the expect:/status: lines to add to each finding (implies --reviewgate-only).")
    group.addoption("--reviewgate-triage", action="store_true",
                    help="say which findings hold: confirmed, refuted, not checkable or clean, with evidence "
                         "(read-only; implies --reviewgate-only).")
    group.addoption("--reviewgate-triage-json", metavar="PATH",
                    help="with or without --reviewgate-triage: write the verdicts to PATH as JSON.")
    group.addoption("--reviewgate-fix", action="store_true", help="rewrite stale line anchors in reviews.")
    group.addoption("--reviewgate-pin", action="store_true", help="write pins: of anchored code into reviews.")
    group.addoption("--reviewgate-diff", action="store_true",
                    help="with --reviewgate-fix or --reviewgate-pin: print the change as a diff, write nothing.")
    group.addoption(
        "--reviewgate-timeout",
        metavar="SECONDS",
        type=float,
        help="time limit of each rule check, custom probe call and hook call (default: rule-timeout, 60; 0: none).",
    )


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "reviewgate: an item made by pytest-reviewgate from a review file")
    try:
        table = read_table(config.rootpath)
    except ConfigError as exc:
        raise pytest.UsageError(f"reviewgate: {exc}") from None
    if table is None and not _asked_for(config):
        return  # installed but not asked for: collect nothing, cost nothing
    settings = settings_of(config, table)
    if settings.required_version:
        from packaging.specifiers import SpecifierSet

        from ._version import __version__

        if not SpecifierSet(settings.required_version).contains(__version__, prereleases=True):
            raise pytest.UsageError(
                f"reviewgate: required-version {settings.required_version} is not met by {__version__}"
            )
    reporter.check_rule_keys(config, settings.severity, settings.rules)
    state = State(config=config, settings=settings, only=_review_only(config))
    reporter.check_baseline_options(config, settings.baseline or "")
    state.baseline = state.load_baseline()
    config.stash[STATE] = state
    # a review-only session keeps what it makes to the end: the cyclic collector is spared it (``gc.freeze``),
    # unless the process froze objects of its own. Registered first, the thaw runs last: after pytest's
    # own cleanups have collected garbage
    state.freezing = state.only and gc.get_freeze_count() == 0
    if state.freezing:
        config.add_cleanup(state.thaw)
    if any(config.getoption(name, None) for name in ("reviewgate_triage", "reviewgate_triage_json",
                                                     "reviewgate_suggest")):
        config.args[:] = _reviews_for_modules(config.args, settings.glob)
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
    if file_path.name.endswith(".reviewgate-tmp"):  # left by a write that was killed: gone once seen
        from .files import remove_stale_temp

        remove_stale_temp(file_path)
    if _is_review(parent.config, file_path):
        from .integration.items import ReviewFile

        return [ReviewFile.from_parent(parent, path=file_path)]
    state = parent.config.stash.get(STATE, None)
    return [] if state is not None and state.only else collectors


@pytest.hookimpl(tryfirst=True)
def pytest_collect_directory(path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    state = parent.config.stash.get(STATE, None)
    if state is not None and state.only:
        return pytest.Dir.from_parent(parent, path=path)
    return None


def pytest_collection_finish(session: pytest.Session) -> None:
    state = session.config.stash.get(STATE, None)
    if state is None:
        return  # not asked for
    if state.reviews_collected:
        reporter.warn_unknown_rule_keys(session.config, state)
    if state.freezing:
        # no test of the user's runs in this process: what collection made lives to the end, and each
        # full pass of the cyclic collector need not traverse it again (``State.thaw`` undoes it)
        gc.freeze()
    if state.only:
        return
    from .integration.watches import collection_finish

    collection_finish(session)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    report = yield
    state = item.config.stash.get(STATE, None)
    if state is not None and state.reviews_collected:
        from .integration.items import skip_location

        skip_location(item, report)
    return report


def _reviews_for_modules(args: list[str], glob: str) -> list[str]:
    """Under triage and suggest, a test module named on the command line stands for the reviews
    beside it (``test_y.py`` -> ``test_y.review.txt``): they run no test, so that is what it can mean."""
    out: list[str] = []
    for arg in args:
        path = Path(arg.split("::", 1)[0])
        if path.suffix != ".py" or not path.is_file():
            out.append(arg)
            continue
        beside = sorted(p for p in path.parent.glob(f"{path.stem}.*")
                        if p != path and fnmatch.fnmatch(p.name, glob) and p.is_file())
        if not beside:
            raise pytest.UsageError(f"reviewgate: no review beside {arg} (matching {glob!r}); "
                                    "--reviewgate-triage and --reviewgate-suggest read reviews and run no tests")
        out.extend(str(p) for p in beside)
    return out


def _review_only(config: pytest.Config) -> bool:
    """``--reviewgate-only``, or an option that reads reviews and runs no tests (triage, suggest)."""
    option = config.getoption
    return any(bool(option(name, None)) for name in
               ("reviewgate_only", "reviewgate_triage", "reviewgate_triage_json", "reviewgate_suggest"))


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Under ``-n`` with the default ``--dist load``: the items of one review on one worker."""
    state = config.stash.get(STATE, None)
    if state is None or config.getoption("dist", None) != "load":
        return None
    from .integration.scheduling import make_scheduler

    return make_scheduler(config, log, state.settings.glob)


def _asked_for(config: pytest.Config) -> bool:
    """``-p reviewgate`` (command line, ``PYTEST_ADDOPTS`` or ``addopts``) or any ``--reviewgate-*`` option."""
    given = (value for name, value in vars(config.option).items() if name.startswith("reviewgate_"))
    if any(value is not None and value is not False for value in given):
        return True
    args = [*config.invocation_params.args, *shlex.split(os.environ.get("PYTEST_ADDOPTS", ""))]
    args += config.getini("addopts")
    return any(
        arg in ("-previewgate", "-p=reviewgate", "--plugin=reviewgate")
        or (arg == "-p" and args[i + 1 : i + 2] == ["reviewgate"])
        for i, arg in enumerate(args)
    )


def _is_review(config: pytest.Config, path: Path) -> bool:
    state = config.stash.get(STATE, None)
    return state is not None and fnmatch.fnmatch(path.name, state.settings.glob)
