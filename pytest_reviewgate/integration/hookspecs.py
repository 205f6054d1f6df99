"""Every ``pytest_reviewgate_*`` hook, added to pytest with ``pytest_addhooks``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from ..rules.base import RuleRegistry


@pytest.hookspec
def pytest_reviewgate_register_rules(registry: RuleRegistry) -> None:
    """Register rules that reviews can name after ``expect:``.

    Called once per review file, through the hook caller of the review's own
    directory, so a review sees the rules of installed plugins plus those of
    the ``conftest.py`` files at or above it. The built-in rules are
    registered through this same hook.

    :param registry: call ``registry.add(RuleClass)`` for each rule; a code or
        name that is already taken is an error of the review's ``::review`` item.

    All implementations are called, one at a time; the return value is ignored.
    An implementation that raises (``SystemExit`` too; ``KeyboardInterrupt``
    stops the session) or does not return within ``rule-timeout`` seconds is
    an error of the ``::review`` item of each review that sees it, naming its
    file and line; the other implementations still register their rules. One
    that timed out is not called again in the process. Wrappers are not called.
    """


@pytest.hookspec
def pytest_reviewgate_runtime_probes(config: pytest.Config) -> list[Any]:  # type: ignore[empty-body]
    """Return runtime probes to run around the tests that a review targets.

    Called once per session, on every process that runs watched tests. Each
    probe follows the probe protocol of :mod:`pytest_reviewgate.probes.base`;
    each of its calls (``snapshot``, ``diff``, ``configure``) is limited to
    ``rule-timeout`` seconds, and what it raises (``SystemExit`` too) is that
    probe's error on the tests it watches.

    :param config: the pytest config.
    :returns: a list (any iterable) of probes, or ``None``.

    All implementations are called, one at a time; the lists are concatenated.
    An implementation that raises, returns something that is no list of
    probes, or does not return in time fails every runtime expectation item
    of the session, naming its file and line; the tests still run, watched
    by the other probes.
    """
