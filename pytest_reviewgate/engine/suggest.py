"""``--reviewgate-suggest``: the lines to add to a review, from its triage, each with where it goes.

Read-only. A confirmed finding gets ``status: open`` and the ``expect:`` lines of the rules that
found its problem (open: the items expect the failure, so pasting keeps CI green until the defect
is fixed, and then asks to close the finding); a refuted one gets ``status: closed`` and the
``expect:`` lines that keep its claim false, with the evidence as a ``#`` line for the reader (the
review format has no comments: do not paste those). A finding that says there is no problem while
a rule finds one gets no block: it needs a person.
A rule is suggested only when the finding's subject maps to it (``engine.subjects``).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Finding, Review
from ..rules.base import RuleRegistry
from .triage import Triage


def from_triage(review: Review, found: Sequence[Triage], registry: RuleRegistry) -> list[str]:
    """Suggestion blocks for the findings without ``expect:`` lines, in review order."""
    findings = {f.key: f for f in review.findings}
    out: list[str] = []
    for verdict in found:
        finding = findings.get(verdict.finding)
        if finding is None or finding.expectations or verdict.verdict not in ("confirmed", "refuted"):
            continue
        if verdict.contradicts:
            continue
        out.extend(_block(review, finding, verdict, registry))
    return out


def _block(review: Review, finding: Finding, verdict: Triage, registry: RuleRegistry) -> list[str]:
    rules = [r for r in verdict.rules if registry.get(r) is not None]
    if not rules:
        return []
    head = (f"{review.path}:{finding.last_line}: finding {finding.key} ({finding.title}) is {verdict.verdict}; "
            f"add after line {finding.last_line}:")
    lines = [head]
    if verdict.verdict == "confirmed":
        if finding.status != "open":
            lines.append("    status: open")
        lines.append(f"    expect: {', '.join(rules)}")
        why = verdict.evidence[0].text if verdict.evidence else verdict.reason
        lines.append(f"    # fails today: {why}")
    else:
        if finding.status != "closed":
            lines.append("    status: closed")
        lines.append(f"    expect: {', '.join(rules)}")
        for evidence in verdict.evidence[:2]:
            lines.append(f"    # refuted: {evidence.text}")
    for runtime in verdict.runtime:
        lines.append(f"    # also `expect: {runtime.split(':')[0]}`, checked when the tests run")
    return lines
