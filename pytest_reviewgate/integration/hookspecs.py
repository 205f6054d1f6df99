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

    All implementations are called; the return value is ignored.
    """


@pytest.hookspec
def pytest_reviewgate_runtime_probes(config: pytest.Config) -> list[Any]:  # type: ignore[empty-body]
    """Return runtime probes to run around the tests that a review targets.

    Called once per session, on every process that runs tests. Each probe
    follows the probe protocol of :mod:`pytest_reviewgate.probes.base`.

    :param config: the pytest config.
    :returns: a list of probes (possibly empty).

    All implementations are called; the lists are concatenated.
    """
