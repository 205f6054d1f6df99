"""RG002 `cwe-known`: every CWE id a review cites is in the configured taxonomy."""

from __future__ import annotations

from .base import Rule


class CweKnown(Rule):
    """Every CWE id of a review is in `cwe-taxonomy`.

    ## What it does
    Collects the CWE ids a review cites (`CWE-664`, `CWE 664`, `(CWE-703)`)
    and checks each against the `cwe-taxonomy` option. By default that is the
    whole CWE catalog shipped with the plugin: every weakness, category and
    view, with its name. An unknown id that is one keystroke away from known
    ones (a digit extra, missing, wrong or two swapped) names the closest:
    `CWE-6640 is not in the CWE catalog; did you mean CWE-664 (Improper
    Control of a Resource Through its Lifetime)?`.

    ## Why is this bad?
    LLM reviews mistype or invent CWE ids, or cite ones outside the categories
    the team asked about; reports and dashboards grouped by CWE then mislead,
    and a reader who looks the id up finds an unrelated weakness.

    ## Example
    ```text
    1. **Patcher never stopped (CWE-7720)**: line 3
    ```

    Use instead:
    ```text
    1. **Patcher never stopped (CWE-772)**: line 3
    ```

    ## Options
    `cwe-taxonomy` (default `"catalog"`): `"catalog"` accepts every id of the
    shipped CWE catalog, `"pillars"` only the ten pillars of CWE-1000
    (284, 435, 664, 682, 691, 693, 697, 703, 707, 710), `"any"` every id, and
    a list of numbers exactly those. `extend-cwe-taxonomy` adds ids to the
    chosen taxonomy, e.g. an id newer than the shipped catalog.
    """

    code = "RG002"
    name = "cwe-known"
    summary = "CWE ids of the review are in the configured taxonomy"
    cwe = 1059
    kind = "review"
