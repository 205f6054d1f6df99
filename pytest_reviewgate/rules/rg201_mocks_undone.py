"""RG201 `mocks-undone`: every patcher started in a closure is stopped by a registered cleanup."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Violation
from . import _state as reverts
from ._patches import Start, at_call, judged_closures, patchers, stopall_base, unique
from .base import Context, Evidence, Rule


class MocksUndone(Rule):
    """Every started patcher is stopped.

    ## What it does
    Finds `mock.patch*(...).start()` and `patcher.start()` calls in the
    targets' closures (setUp, helpers, fixtures, base classes the project
    defines) and checks that the same closure stops the patcher when the test
    ends: `addCleanup(patcher.stop)`, `addCleanup(mock.patch.stopall)`,
    `patcher.stop()` or `mock.patch.stopall()` in `tearDown`, a `finally` or
    after a fixture's `yield`, or a test class that derives from a class in
    `stopall-bases` (by default oslotest's `BaseTestCase`; a mixin counts when
    every class of its module that mixes it in does). A base that cannot be
    resolved from source counts as not stopping. Patches used as
    decorators or context managers, `fixtures.MockPatch*`, `useFixture`,
    `mocker` and `monkeypatch` are undone by construction. A cleanup that
    cannot work is reported even under `stopall-bases`: after
    `self.m = patcher.start()`, `addCleanup(self.m.stop)` calls `stop` on the
    mock that `start()` returned.

    ## Why is this bad?
    A started patcher that is never stopped stays active after the test: the
    mock leaks into every later test in the process, which then passes or
    fails depending on order (and under pytest-xdist, on scheduling).

    ## Example
    ```python
    import unittest
    from unittest import mock


    class TestClient(unittest.TestCase):
        def setUp(self):
            patcher = mock.patch("inventory.backend.Client", autospec=True)
            self.client = patcher.start()
    ```

    Use instead:
    ```python
    import unittest
    from unittest import mock


    class TestClient(unittest.TestCase):
        def setUp(self):
            patcher = mock.patch("inventory.backend.Client", autospec=True)
            self.client = patcher.start()
            self.addCleanup(patcher.stop)
    ```

    ## Known problems
    Patchers are followed by the name they are bound to (`p`, `self.p`, a
    loop variable over a literal list of patches): a name rebound to a second
    patcher in the same function counts as one, and patchers kept in other
    containers or passed to other functions are not seen. A helper that
    returns its started patcher hands it to the caller and is not reported.
    """

    code = "RG201"
    name = "mocks-undone"
    version = "2"
    summary = "Every started patcher is stopped"
    cwe = 772
    kind = "static"

    def evidence(self, context: Context) -> list[Evidence]:
        """Why the targets pass, for triage (see ``_evidence.started``)."""
        from ._evidence import started

        return started(context)

    def check(self, context: Context) -> Iterator[Violation]:
        return unique(self._check(context))

    def _check(self, context: Context) -> Iterator[Violation]:
        facts = reverts.shared_flow(context)
        known: dict[str, bool] = {}
        for target, closure in judged_closures(context):
            if not closure:
                continue
            found = patchers(facts.closure(closure), stopall_base(context, target, known))
            for start in found.starts:
                if start.status in ("unstopped", "unsafe"):
                    yield at_call(self.code, start.call, _unstopped(start))
            for call in found.noops:
                shown = f"cleanup `{call.spelled}`" if call.how == "registered" else f"`{call.spelled}()`"
                yield at_call(
                    self.code,
                    call,
                    f"{shown} calls `stop` on the mock that `start()` returned, which does "
                    "nothing -> register the patcher's `stop` instead "
                    "(`self.addCleanup(patcher.stop)`)",
                )


def _unstopped(start: Start) -> str:
    fix = (
        f"register `self.addCleanup({start.key}.stop)` right after `start()`"
        if start.key
        else "keep the patcher and register `self.addCleanup(patcher.stop)`"
    )
    if start.status == "unsafe":
        return f"patcher {start.label} is stopped at line {start.stop_line} only when the test gets that far -> {fix}"
    return (
        f"patcher {start.label} is started and never stopped -> {fix}, or patch with a decorator, "
        "a `with` block, `fixtures.MockPatch` or `mocker`"
    )
