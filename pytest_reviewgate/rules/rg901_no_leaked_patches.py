"""RG901 `no-leaked-patches`: no mock patch is still active after a targeted test."""

from __future__ import annotations

from .base import Rule


class NoLeakedPatches(Rule):
    """No `unittest.mock` patch is still active after a targeted test.

    ## What it does
    While the tests whose closure contains a target run in the same session,
    records the active `unittest.mock` patches (and those of the `mock`
    backport) before each test's setup and after its teardown. A patch still
    active afterwards fails the test's teardown, naming the patch and the
    review finding that asked for the check. Patches started by
    `setUpClass` or by class-, module- or session-scoped fixtures are
    compared around that fixture instead.

    ## Why is this bad?
    A patcher started and never stopped stays in place for every later test
    in the process: they pass or fail depending on test order, and under
    pytest-xdist on which worker they land.

    ## Example
    ```python
    from unittest import mock


    def test_colour():
        mock.patch("colorsys.rgb_to_hsv").start()
    ```

    Use instead:
    ```python
    from unittest import mock


    def test_colour():
        with mock.patch("colorsys.rgb_to_hsv"):
            pass
    ```
    """

    code = "RG901"
    name = "no-leaked-patches"
    summary = "No mock patch is still active after a targeted test"
    cwe = 664
    kind = "runtime"
