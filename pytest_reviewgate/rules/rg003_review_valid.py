"""RG003 `review-valid`: the review, its front matter, directives and targets are valid."""

from __future__ import annotations

from .base import Rule


class ReviewValid(Rule):
    """The review file is one reviewgate can check.

    ## What it does
    Fails the review's `::review` item when the reviewed module is missing or
    does not parse, the front matter is not valid YAML or has unknown keys, a
    line starting with `expect:`, `status:` or `id:` does not parse, a rule
    is unknown, `requires:` is not met, or the review exceeds
    `max-review-bytes` / `max-findings`. Expectation items fail with this
    code when a target matches nothing.

    ## Why is this bad?
    A directive that does not parse gates nothing; silently ignoring it would
    let a team believe a rule is enforced when it is not.

    ## Example
    ```text
    1. **Leak**: line 3
       expect: the tests to clean up
    ```

    Use instead:
    ```text
    1. **Leak**: line 3
       expect: config-reverted-via-fixtures
    ```
    """

    code = "RG003"
    name = "review-valid"
    summary = "The review, its front matter, directives and targets are valid"
    cwe = 1059
    kind = "review"
