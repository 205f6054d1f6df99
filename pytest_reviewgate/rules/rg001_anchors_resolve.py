"""RG001 `anchors-resolve`: the lines and names a finding cites still point at real code."""

from __future__ import annotations

from .base import Rule


class AnchorsResolve(Rule):
    """Every anchor of a finding still points at real code.

    ## What it does
    Checks each line anchor (`lines 85-101`, `L85`, `test_foo.py:85`) and each
    symbol anchor (`` `_create_mdev` ``, `_create_mdev()`, `self.flags`) of a
    finding against the module's source, without importing it. A line anchor
    paired with a definition the finding names must lie within that
    definition, give or take `line-tolerance` lines; a symbol must occur as
    code. Failures are located in the review file.

    ## Why is this bad?
    A review that points at code that moved or vanished rots silently: nobody
    can tell whether the finding still applies, and a later reader trusts
    line numbers that describe another function.

    ## Example
    ```python
    # test_foo.review.txt: "1. **Leak**: `_helper` (lines 1-2) leaks."
    def test_first():
        assert True


    def _helper():
        return 1
    ```

    Use instead:
    ```python
    # test_foo.review.txt: "1. **Leak**: `_helper` (lines 5-6) leaks."
    def test_first():
        assert True


    def _helper():
        return 1
    ```

    ## Options
    `line-tolerance` (default 2): how many lines a paired anchor may stray
    outside its definition; LLM reviews are usually one or two lines off.
    """

    code = "RG001"
    name = "anchors-resolve"
    summary = "Line and symbol anchors of a finding resolve against the module"
    cwe = 1059
    kind = "review"
