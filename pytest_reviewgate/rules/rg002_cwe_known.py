"""RG002 `cwe-known`: every CWE id a review cites is in the configured taxonomy."""

from __future__ import annotations

from .base import Rule


class CweKnown(Rule):
    """Every CWE id of a review is in `cwe-taxonomy`.

    ## What it does
    Collects the CWE ids a review cites (`CWE-664`, `CWE 664`, `(CWE-703)`)
    and checks each against the `cwe-taxonomy` option: by default the ten
    pillars of CWE-1000, or `"any"` to accept every id.

    ## Why is this bad?
    LLM reviews invent CWE ids or cite ones outside the categories the team
    asked about; reports grouped by CWE then mislead.

    ## Example
    ```text
    1. **Resource leak (CWE-99999)**: line 3
    ```

    Use instead:
    ```text
    1. **Resource leak (CWE-664)**: line 3
    ```

    ## Options
    `cwe-taxonomy` (default the ten pillars of CWE-1000): a list of numbers or `"any"`.
    """

    code = "RG002"
    name = "cwe-known"
    summary = "CWE ids of the review are in the configured taxonomy"
    cwe = 1059
    kind = "review"
