"""RG902 `env-restored`: os.environ after a targeted test equals what it was before."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from .base import Rule


class EnvRestored(Rule):
    """`os.environ` after a targeted test is what it was before.

    ## What it does
    Compares `os.environ` before each targeted test's setup with the value
    after its teardown, ignoring `PYTEST_CURRENT_TEST` (pytest sets it around
    every test) and the names in option `ignore`. A variable added, removed
    or changed fails the test's teardown with the variable and both values.

    ## Why is this bad?
    The environment is process-wide: a variable a test leaves behind changes
    the behaviour of every later test and of subprocesses they start.

    ## Example
    ```python
    import os


    def test_region():
        os.environ["REGION"] = "north"
    ```

    Use instead:
    ```python
    def test_region(monkeypatch):
        monkeypatch.setenv("REGION", "north")
    ```

    ## Options
    `ignore` (default `[]`): variable names that may change.
    """

    code = "RG902"
    name = "env-restored"
    summary = "os.environ after a targeted test equals what it was before"
    cwe = 664
    kind = "runtime"
    options: ClassVar[Mapping[str, Any]] = {"ignore": ()}
