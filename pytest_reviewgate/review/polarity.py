"""Whether a finding reports a defect, says there is none, or only advises; the review's verdict.

Text is folded first (lowercase, one space between words, straight apostrophes), so the
patterns are case-sensitive and cheap: ``re.IGNORECASE`` costs several times more per character.
"""

from __future__ import annotations

import re

from ..model import Polarity, Verdict

_PROBLEMS = r"(?:defects?|issues?|problems?|vulnerabilit(?:y|ies)|weakness(?:es)?|flaws?)"
_QUALIFIER = r"(?:(?:explicit|obvious|apparent|direct|significant|clear|evident|major|critical) )?"
_CLEAN = re.compile(
    r"\b(?:is not|isn't|there is no|there's no|no|without) (?:any )?"
    r"(?:direct |apparent |obvious |explicit |clear )?evidence\b"
    r"|\b(?:does not|doesn't|do not|don't) (?:seem|appear)\b"
    r"|\bno (?:apparent|obvious|evident)\b"
    r"|\bthis is (?:correct|fine|appropriate|handled correctly)\b"
    rf"|\bno {_PROBLEMS} (?:was |were |is |are )?(?:found|detected|identified|present)\b"
    r"|\bis (?:correctly|properly) (?:handled|cleaned up|reverted|restored|stopped)\b"
)
# the code is fine, said of something named: holds even beside a CWE id, unless a defect is named too
_FINE = re.compile(
    r"\b(?:which|that) (?:restores|reverts|undoes|stops|cleans up) (?:it|them|the \w+)\b"
    r"|\b(?:the \w+ |pytest-mock |pytest )?(?:undoes|restores|reverts) (?:it|them|each|every|after)\b"
    r"|\b(?:is|are) (?:restored|reverted|undone|stopped|cleaned up) (?:by|through|via|when|after)\b"
    r"|\bthis is (?:correct|fine|appropriate)\b"
)
_DEFECT = re.compile(
    r"\b(?:lacks?|lacking|missing|never|leaks?|leaked|leaking|persists?|hard-?coded|unsafe|vulnerab\w*"
    r"|fails? to|not (?:stopped|reverted|restored|cleaned|checked|handled|validated|tested)"
    r"|does not (?:check|handle|stop|revert|restore|clean|validate|verify|test)"
    r"|(?:could|can|may|might) (?:lead|allow|cause|leak|persist|mask|result)"
    r"|without (?:being )?(?:stopp|revert|restor|clean)\w*)\b"
)
_VERDICT_CLEAN = re.compile(
    rf"\b(?:does not|doesn't|do not|don't) (?:exhibit|contain|have|show|present) (?:any )?{_QUALIFIER}"
    rf"(?:security )?{_PROBLEMS}\b"
    rf"|\bno {_QUALIFIER}(?:security )?{_PROBLEMS} (?:(?:are|were|was|is|have been|has been) )?"
    r"(?:detected|found|identified|present)\b"
    rf"|\bthere (?:are|were|is|was) no {_QUALIFIER}(?:security )?{_PROBLEMS}\b"
    rf"|\b(?:did not|didn't|could not|couldn't) (?:find|identify|detect|spot) any {_QUALIFIER}"
    rf"(?:security )?{_PROBLEMS}\b"
    rf"|\bis free (?:of|from) {_QUALIFIER}(?:security )?{_PROBLEMS}\b"
)


def _fold(text: str) -> str:
    return " ".join(text.lower().replace("\u2019", "'").split())


def polarity(text: str, has_cwe: bool) -> Polarity:
    """``clean`` when the finding says there is no problem, ``defect`` when it names one."""
    text = _fold(text)
    defect = _DEFECT.search(text) is not None
    if not has_cwe and _CLEAN.search(text):
        return "clean"
    if not defect and _FINE.search(text):
        return "clean"  # a finding can cite a CWE only to say the code handles it
    if has_cwe or defect:
        return "defect"
    return "note"


def verdict(module_text: str) -> Verdict:
    """``clean`` when the module-level text states that no defects were found."""
    return "clean" if _VERDICT_CLEAN.search(_fold(module_text)) else "defects"
