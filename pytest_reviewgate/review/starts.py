"""Which titles start a finding: ordinals ("3.", "Finding 3:"), CWE ids and severity tags lead one;
field labels ("**Location:**") and section labels ("**Summary**") never do.

Pure word lists and patterns; the parser decides where a title may stand.
"""

from __future__ import annotations

import re

from .text import clean_title

# "Finding 3:", "Issue #2 -", "Observation 4." : a word that names a finding, then its number
LABELLED = re.compile(
    r"(?:finding|issue|problem|observation|concern|defect|bug|risk|weakness|vulnerability|item)"
    r"[ \t]*(?:#|no\.?[ \t]*)?([0-9]{1,9})(?:[ \t]*[(\[][^()\[\]\n]{1,24}[)\]])?"  # "Finding 1 (High):"
    r"(?:[ \t]*[:.)\-\u2013\u2014][ \t]*|[ \t]*$)",
    re.I,
)
CWE_LEAD = re.compile(r"\(?CWE[- ]?[0-9]{1,6}\b", re.I)
# "W1 —", "H-01:", "[M2]", "S3." : a report's own id of a finding (capitals and a number), then a mark
ID_LEAD = re.compile(r"(?:\[[A-Z]{1,3}-?[0-9]{1,3}\][ \t]*(?:[:.)\-\u2013\u2014][ \t]*)?"
                     r"|[A-Z]{1,3}-?[0-9]{1,3}[ \t]*(?:[:.)]|[-\u2013\u2014](?=[ \t]))[ \t]*)(?=\S)")
# "CWE-459 (Incomplete Cleanup): ...", "CWE-20 - ...": a list item led by a CWE id and its name, then a colon or dash
CWE_LABEL = re.compile(
    r"\(?CWE[-\u2010\u2011 ]?[0-9]{1,6}\)?(?:[ \t]*\([^()\n]{1,100}\))?[ \t]*(?::|[-\u2013\u2014](?=[ \t]))"
)
# "[HIGH] ...", "High: ...", "(Medium) ...", "LOW - ..." : a tag, not the start of a sentence
SEVERITY = re.compile(
    r"(?:\[(?:critical|high|medium|moderate|low|minor|major|info|informational)\]"
    r"|\((?:critical|high|medium|moderate|low|minor|major|info|informational)\)"
    r"|(?:critical|high|medium|moderate|low|minor|major|info|informational)[ \t]*(?:severity)?[ \t]*[:\-\u2013\u2014])"
    r"[ \t]*(?=\S)",
    re.I,
)

SEVERITIES = frozenset("critical high medium moderate low minor major info informational".split())


def is_severity(label: str) -> bool:
    """``High``, ``[LOW]``, ``(Medium)``, ``High severity``: a severity tag and nothing else."""
    return " ".join(words(PARENTHESES.sub(lambda m: m.group()[1:-1], label))) in SEVERITIES | {
        f"{s} severity" for s in SEVERITIES}


# the labels of a finding's parts: "- **Location:** line 4" is part of a finding, not a new one.
# One word, or a modifier and one word ("Suggested fix", "Affected lines"): "Config issue" is a title.
FIELDS = frozenset("""
    location locations file files line lines where severity priority impact likelihood risk
    description details evidence example examples snippet recommendation recommendations fix fixes
    remediation mitigation suggestion suggestions status cwe category type confidence rationale reason
    why explanation reference references consequence consequences effort cause issue problem finding
    observation code
""".split())
MODIFIERS = frozenset("affected suggested proposed recommended root potential security code risk relevant".split())

# the labels of a review's sections: they delimit, they are no findings
SECTIONS = frozenset("""
    summary overview conclusion conclusions findings recommendations observations strengths weaknesses
    verdict assessment overall scope context introduction background notes note analysis review
    comments tldr tl;dr positives positive negatives general minor other others additional final
    disclaimer methodology approach result results references appendix
""".split())


# Conventional Comments' labels (a pull request review's "**nit:** ...", "**issue (blocking):** ..."): each
# comment is a finding. Those that are no field or section word lead one on their own; the others ("issue",
# "suggestion", "note") only with a decoration ("(blocking)") or inside a run of such comments.
CONVENTIONAL = frozenset("""
    nit nits nitpick nitpicks praise question thought todo chore typo polish quibble suggestion issue note
""".split())

# a heading that holds findings: its sub-headings are findings whatever their form
CONTAINERS = frozenset("findings issues observations problems concerns defects vulnerabilities weaknesses".split())

PARENTHESES = re.compile(r"\([^()]*\)")


# the header of a table column that holds each finding's title
TITLE_COLUMNS = frozenset("finding issue problem title description observation concern defect weakness summary".split())


def words(title: str) -> list[str]:
    """The lowercase words of a title, Markdown and digits left out."""
    return re.findall(r"[a-z][a-z;']*", clean_title(title).lower())


_words = words


def is_field(label: str) -> bool:
    """``Location``, ``Suggested fix``, ``Affected lines``: a part of a finding."""
    if CWE_LEAD.match(clean_title(label)):
        return False  # "**CWE-362 (Race Condition)** - ..." leads a finding; "**CWE:** 362" is a field
    words = _words(PARENTHESES.sub("", label).rstrip(": "))
    if len(words) == 2 and words[0] in MODIFIERS:
        words = words[1:]
    return len(words) == 1 and words[0] in FIELDS


FILE_NAME = re.compile(r"(?:[\w.\-]+[/\\])*[\w.\-]+\.py")

# "Review: test_utils.py", "Code review — test_x.py": a section word, then what it is about
SUBJECT = re.compile(r"[ \t]*(?::|[-\u2013\u2014][ \t])")


def is_section(title: str) -> bool:
    """``Summary``, ``Key observations``, ``Overall assessment``, ``Review: test_x.py``: a part of the review."""
    words = _words(title.rstrip(": "))
    if not words or FILE_NAME.fullmatch(clean_title(title).rstrip(": ")):
        return True  # "**tests/unit/test_pool.py**": the file a review (or its part) is about
    if _leads(title):
        return False
    if len(words) <= 4 and (words[0] in SECTIONS or words[-1] in SECTIONS):
        return True
    head = SUBJECT.split(clean_title(title), maxsplit=1)[0]
    named = _words(head)
    return head != clean_title(title) and 0 < len(named) <= 3 and named[-1] in SECTIONS


def holds_findings(title: str) -> bool:
    """``Findings``, ``Detailed findings``, ``Issues found``, ``Key observations``."""
    words = _words(PARENTHESES.sub("", title))
    return 0 < len(words) <= 3 and any(word in CONTAINERS for word in words)


def conventional(label: str) -> bool | None:
    """``nit:`` -> True, ``issue (blocking):`` -> True, ``suggestion:`` -> False (a Conventional Comments label
    that leads a comment only inside a run of them), ``Location:`` -> None (no such label)."""
    named = _words(PARENTHESES.sub("", label).rstrip(": "))
    if len(named) != 1 or named[0] not in CONVENTIONAL:
        return None
    return PARENTHESES.search(label) is not None or named[0] not in FIELDS | SECTIONS


def _leads(title: str) -> bool:
    plain = clean_title(title)
    return bool(LABELLED.match(plain) or CWE_LEAD.match(plain) or SEVERITY.match(plain) or ID_LEAD.match(plain))


def lead(content: str) -> tuple[int | None, str] | None:
    """A title that announces a finding by its form: ``(number, title)``, else None.

    ``Finding 3: Mocks leak`` -> (3, "Mocks leak"); ``CWE-664: Resource lifetime`` and
    ``[HIGH] Mocks leak`` keep their words as the title.
    """
    plain = clean_title(content)
    labelled = LABELLED.match(plain)
    if labelled:
        return int(labelled.group(1)), plain[labelled.end() :].strip() or plain
    severity = SEVERITY.match(plain)
    if severity:
        return None, plain[severity.end() :].strip()
    if CWE_LEAD.match(plain):
        return None, plain
    identified = ID_LEAD.match(plain)
    if identified:
        return None, plain[identified.end() :].strip()
    return None


def cwe_label(content: str) -> str | None:
    """``CWE-459 (Incomplete Cleanup): text`` -> ``CWE-459 (Incomplete Cleanup)``: the label a CWE list item opens
    with, else None. "CWE-664 is about ..." opens with no label."""
    labelled = CWE_LABEL.match(content)
    return content[: labelled.end()].rstrip(" \t:-\u2013\u2014") if labelled else None


def sentence(content: str) -> bool:
    """A bold line that is a sentence ("**No other defects were found.**") is no title; one that a label,
    a CWE id, a severity tag or a finding's id leads ("**W1 — Temp files leak (CWE-459), line 55.**") is."""
    plain = clean_title(content).rstrip()
    return (plain.endswith((".", "!", "?")) or len(plain.split()) > 14) and not _leads(plain)
