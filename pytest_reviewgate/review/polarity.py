"""Whether a finding reports a defect, says there is none, or only advises; the review's verdict."""

from __future__ import annotations

import re

from ..model import Polarity, Verdict

_CLEAN = re.compile(
    r"\b(?:is not|isn't|there is no|there's no|no|without)\s+(?:any\s+)?"
    r"(?:direct\s+|apparent\s+|obvious\s+|explicit\s+|clear\s+)?evidence\b"
    r"|\b(?:does not|doesn't|do not|don't)\s+(?:seem|appear)\b"
    r"|\bno\s+(?:apparent|obvious|evident)\b"
    r"|\bthis is (?:correct|fine|appropriate|handled correctly)\b"
    r"|\bno (?:issues?|problems?|defects?|vulnerabilit(?:y|ies)) (?:was |were |is |are )?"
    r"(?:found|detected|identified|present)\b"
    r"|\bis (?:correctly|properly) (?:handled|cleaned up|reverted|restored|stopped)\b",
    re.IGNORECASE,
)
_DEFECT = re.compile(
    r"\b(?:lacks?|lacking|missing|never|leaks?|leaked|leaking|persists?|hard-?coded|unsafe|vulnerab\w*"
    r"|fails? to|not (?:stopped|reverted|restored|cleaned|checked|handled|validated|tested)"
    r"|does not (?:check|handle|stop|revert|restore|clean|validate|verify|test)"
    r"|(?:could|can|may|might) (?:lead|allow|cause|leak|persist|mask|result)"
    r"|without (?:being )?(?:stopp|revert|restor|clean)\w*)\b",
    re.IGNORECASE,
)
_VERDICT_CLEAN = re.compile(
    r"\b(?:does not|doesn't|do not|don't) (?:exhibit|contain|have|show|present) (?:any )?"
    r"(?:explicit |obvious |apparent |direct |significant )?(?:security )?"
    r"(?:defects?|issues?|vulnerabilit(?:y|ies)|weakness(?:es)?)\b"
    r"|\bno (?:explicit |obvious |apparent |significant )?(?:security )?"
    r"(?:defects?|issues?|vulnerabilit(?:y|ies)|weakness(?:es)?) (?:are|were|was|is|have been) "
    r"(?:detected|found|identified|present)\b",
    re.IGNORECASE,
)


def polarity(text: str, has_cwe: bool) -> Polarity:
    """``clean`` when the finding says there is no problem, ``defect`` when it names one."""
    if _CLEAN.search(text) and not has_cwe:
        return "clean"
    if has_cwe or _DEFECT.search(text):
        return "defect"
    return "note"


def verdict(module_text: str) -> Verdict:
    return "clean" if _VERDICT_CLEAN.search(module_text) else "defects"
