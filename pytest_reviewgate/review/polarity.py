"""Whether a finding reports a defect, says there is none, or only advises; the review's verdict (SPEC 3.2).

Text is folded (lowercase, contractions expanded, CWE labels and Markdown dropped, phrases made
single tokens, see ``lexicon``), cut into sentences and clauses, and each clause is read word by
word: a negator flips the next word that carries meaning ("nothing restores it" is a defect,
"there is no leak here" is clean), so the sense, not the presence of a word, decides. A clause
is a *defect* when it says the code does something wrong or omits a fix, or that it could
cause a named harm; *clean* when it says the code fixes, checks or handles the matter, or that
there is no problem; a *hedge* when its harm hangs on hypotheticals ("might drift over time",
"not a defect per se"); advice ("consider", "should", "would help") and clauses under "if" or
"when" say nothing about the code as it is. A finding is a defect when any clause is, unless a
later "no problem" clause introduced by "but"/"so"/"however" resolves it; else a note when any
clause hedges or only complains of style or speed ("long", "slow"); else clean when any clause is
clean; else a note. A CWE id or a title that names a weakness category decides nothing: titles
count only when the body says nothing either way. Past ``READ_MAX`` characters, the head and tail
of a text are what is read.

The verdict is ``clean`` when some sentence of the module-level text states that no defects were
found and is not qualified ("no *critical* vulnerabilities", "no *other* issues", "apart from",
"otherwise"), and no sentence says some were ("the following defects should be addressed",
"are real defects", "bugs worth fixing").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Polarity, Verdict
from . import lexicon as lx
from .text import code_spans

# No finding or conclusion runs this long; past it, the head and the tail are what is read, so the
# cost is bounded however large a review is (max-review-bytes allows megabytes).
READ_MAX = 64 * 1024
_CWE = re.compile(r"\bCWE[-\u2010\u2011\u2013 ]?[0-9]+(?:[ \t]*\([^()\n]*\))?")
_LIST = re.compile(r"[ \t]*(?:[-*+]|[0-9]{1,9}[.)])[ \t]")
_WORD = re.compile(r"§|[a-z0-9_]+(?:['-][a-z0-9_]+)*|[.,;:!?()]")
_INNER_DOT = re.compile(r"(?<=\w)\.(?=\w)")
_CODE_PUNCTUATION = re.compile(r"[^\w\s]+")  # code is names to polarity: "shutdown()" must not cut a clause
# (any of these must occur, pattern, replacement): the needles spare a pass over text that cannot match
_CONTRACTIONS: tuple[tuple[tuple[str, ...], re.Pattern[str], str], ...] = (
    (("can't", "cannot"), re.compile(r"\bcan't\b|\bcannot\b"), "can not"),
    (("won't",), re.compile(r"\bwon't\b"), "will not"),
    (("n't",), re.compile(r"n't\b"), " not"),
    (("'s",), re.compile(r"\b(it|there|that|what)'s\b"), r"\1 is"),
    (("e.g.", "i.e.", "etc.", "vs."), re.compile(r"\be\.g\.|\bi\.e\.|\betc\.|\bvs\."), " "),
)
_EMPHATIC = re.compile(r"\b(?:actually|really) ")
_SENTENCE_END = frozenset(".!?;")
_CLAUSE_END = frozenset(",:()")
_CHECKING = frozenset({"asserts", "asserted", "checks", "checked", "verifies", "verified", "expects",
                       "ensures", "confirms"})
_OTHER = frozenset({"else", "other", "others", "further", "additional", "remaining", "more"})
_ONLY_CHECKS = frozenset({"checks", "asserts", "covers", "tests", "verifies", "exercises"})
# a check or fix of nothing is none: "asserts nothing", "checks no result"; "asserts no error is raised" is one
_OF_NOTHING = frozenset({"nothing", "no"})
_CHECKED_ABSENCE = frozenset({"error", "errors", "exception", "exceptions", "warning", "warnings", "call", "calls"})
_OPENS = lx.CLAUSE_WORDS | frozenset({",", ":", "and"})  # "only" after these opens its clause
_ASSURED = frozenset({"guaranteed", "ensured", "assured"})  # "cleanup is not guaranteed": a fix not made sure
# "asserts only once", "checks only that ...": no narrow check
_NOT_A_SCOPE = frozenset({"once", "twice", "that", "if", "when", "whether", "after", "before"})
# what puts a change back: a clause saying something does it answers one saying the test does not
_UNDOES = frozenset({"restore", "revert", "undo", "reset", "stop", "unpatch", "remove", "delete", "clear", "close",
                     "restores", "restored", "reverts", "reverted", "undoes", "undone", "resets", "stops", "stopped",
                     "unpatches", "unpatched", "removes", "removed", "deletes", "deleted", "clears", "cleared",
                     "cleanup_v", "closes", "closed"})
_COVERED = frozenset({"covered", "tested", "exercised", "checked", "verified"})


def _plain(line: str) -> str:
    """A line with code spans as ``§ name`` (dots kept inside as ``_``) and without emphasis."""
    pieces, last = [], 0
    for start, end in code_spans(line) if "`" in line else []:
        inner = _CODE_PUNCTUATION.sub(" ", line[start:end].strip("`").replace(".", "_"))
        pieces += [line[last:start], " § ", inner, " "]
        last = end
    pieces.append(line[last:])
    return "".join(pieces).replace("**", " ").replace("__", " ")


def fold(text: str, phrases: bool = True) -> str:
    """Lowercase words with one space between them, each list item and paragraph a new sentence."""
    if len(text) > READ_MAX:
        text = text[: READ_MAX // 2] + "\n\n" + text[-READ_MAX // 2 :]
    lines = []
    for line in _CWE.sub(" ", text).split("\n"):
        if not line.strip() or _LIST.match(line):
            lines.append(" . ")
        lines.append(_plain(line))
    folded = " ".join(lines).lower().replace("\u2019", "'").replace("\u2018", "'")
    folded = folded.replace("\u2014", " , ").replace("\u2013", " , ")
    for needles, pattern, replacement in _CONTRACTIONS:
        if any(map(folded.__contains__, needles)):
            folded = pattern.sub(replacement, folded)
    folded = " ".join(_INNER_DOT.sub("_", folded).split()).replace(" :", ":")
    if "actually" in folded or "really" in folded:
        folded = _EMPHATIC.sub("", folded)  # "nothing is actually left behind" reads as "nothing is left behind"
    for needles, pattern, replacement in lx.PHRASES if phrases else ():
        if any(map(folded.__contains__, needles)):
            folded = pattern.sub(replacement, folded)
    return folded


def _sentences(folded: str) -> list[list[str]]:
    sentences: list[list[str]] = [[]]
    for token in _WORD.findall(folded):
        if token in _SENTENCE_END:
            sentences.append([])
        else:
            sentences[-1].append(token)
    return [s for s in sentences if s]


def _mark_only(sentence: list[str]) -> list[str]:
    """``only`` before a check ("only covers the happy path") or beside a fix that waits for a
    condition ("only closed when garbage collected", "restores it only if the test passes")."""
    out = list(sentence)
    for i, token in enumerate(sentence):
        if token != "only" or (i and sentence[i - 1] == "not"):
            continue
        after = sentence[i + 1 : i + 5]
        if after[:1] and after[0] in _ONLY_CHECKS:
            out[i] = "gc_late"
        elif i and sentence[i - 1] in _CHECKING and after[:1] and after[0] not in _NOT_A_SCOPE:
            out[i] = "gc_late"  # "asserts only `Code.SUCCESS`", "checks only the status code"
        elif (i == 0 or sentence[i - 1] in _OPENS) and after[:1] != ["then"] \
                and any(t in _COVERED for t in sentence[i + 1 : i + 8]):
            out[i] = "gc_late"  # "only the happy path is covered", "because only `self.context` is checked"
        elif any(t in lx.ONLY_AFTER for t in after) and any(t in lx.FIX_CLAIMS for t in sentence[: i + 3]):
            out[i] = "gc_late"
    return out


@dataclass
class _Clause:
    lead: str = ""  # the connective it starts with, if any
    tokens: list[str] = field(default_factory=list)
    opens: bool = False  # starts its sentence or follows a colon: where an imperative can stand


def _clauses(sentence: list[str]) -> list[_Clause]:
    clauses = [_Clause(opens=True)]
    for token in sentence:
        if token in _CLAUSE_END:
            clauses.append(_Clause(opens=token == ":"))
        elif token in lx.CLAUSE_WORDS:
            clauses.append(_Clause(lead=token))
        else:
            clauses[-1].tokens.append(token)
    return [c for c in clauses if c.tokens or c.lead]


@dataclass
class _Reading:
    defect: bool = False  # something wrong, said firmly
    weak: bool = False  # only a later test seeing a change
    modal: bool = False  # a harm the code could cause
    clean: bool = False
    clean_global: bool = False  # "no problem", "nothing leaks": can resolve an earlier defect
    okay: bool = False  # a whole-clause "no problem" phrase ("collisions cannot happen", "this is fine")
    aside: bool = False  # the phrase is a relative clause: "..., which is fine"
    unfixed: bool = False  # a fix or check said not to happen ("nothing restores it")
    harm: bool = False  # a problem said to happen ("it leaks"), or a check or fix of nothing
    not_undone: bool = False  # an undoing said not to happen ("does not restore it"), and nothing worse
    claimed: bool = False  # an undoing said to happen ("the fixture reverts it")
    mild: bool = False  # only style or speed: "long", "slow", "tedious"
    advice: bool = False


def _read(tokens: list[str]) -> _Reading:
    """One clause, word by word: a negator reaches the next word(s) that carry meaning."""
    r = _Reading()
    reach, negator, modal_at, checking = 0, "", -10, False
    for i, token in enumerate(tokens):
        if token == "soft_marker":
            continue  # read per sentence, in ``_labels``
        if token == "ok_aside":
            r.aside = True
            continue
        if token in lx.ADVICE:
            r.advice = True
            continue
        if token in lx.MODALS:
            modal_at = i
            continue
        if token in lx.NEGATE_ONE or token in lx.NEGATE_THREE:
            reach, negator = (1 if token in lx.NEGATE_ONE else 3), token
            if tokens[i + 1 : i + 2] in (["a"], ["an"], ["any"]):
                reach = 3  # "not an information leak": the negation covers the noun phrase
            continue
        if token == "rather" and tokens[i + 1 : i + 2] == ["than"]:
            reach, negator = 1, "rather"
            continue
        if reach and token == "only":
            reach = 0  # "not only"
            continue
        if reach and token in lx.EVIDENCE:
            reach, negator = len(tokens), "evidence"
            continue
        if reach and token == "§" and negator == "without":
            r.defect = r.unfixed = True  # "without `O_EXCL`": a named safeguard the code lacks
            reach = 0
            continue
        if reach and token in lx.LIGHT:
            reach = max(reach, 3)  # "does not represent a security defect": the object is negated
            continue
        if reach and (token in lx.SKIP or token == "than"):
            continue
        if reach and negator in lx.NEGATE_THREE and token in ("test", "tests", "one"):
            continue  # "no test mutates them": the negation is about what the tests do
        if token in _CHECKING and tokens[i + 1 : i + 2] == ["that"]:
            checking = True  # "asserts that the call fails": the failure is what is checked
        negated = reach > 0
        after_to = i > 0 and tokens[i - 1] == "to"
        if token == "ok_global":
            r.clean = r.clean_global = r.okay = True
        elif token in lx.PROBLEMS:
            if negated:
                if negator != "rather":
                    r.clean = True
                    r.clean_global = r.clean_global or negator in lx.GLOBAL_NEGATORS or negator == "evidence"
                after = tokens[i + 1 : i + 3]
                of_problem = after[:1] == ["of"] and after[1:2] != [] and after[1] in lx.PROBLEMS
                if after[:1] and (after[0] in lx.PROBLEMS or of_problem):
                    reach = 2  # "no collision risk", "no risk of collision": one noun phrase, one negation
                    continue
            elif checking:
                pass
            elif modal_at >= 0:
                r.modal = True
            elif token in lx.WEAK_PROBLEMS:
                r.weak = True
            else:
                r.defect = r.harm = True
        elif token in lx.FIXES:
            if negated:
                r.defect = r.unfixed = True
                if token in _UNDOES:
                    r.not_undone = True
                else:
                    r.harm = True
            elif _of_nothing(tokens, i):
                r.defect = r.unfixed = r.harm = True
                reach = 0
                break
            elif token in lx.FIX_CLAIMS and not after_to and modal_at < 0 and not (
                i and tokens[i - 1] in lx.DETERMINERS
            ):
                r.clean = True
                r.claimed = r.claimed or token in _UNDOES
        elif token in lx.PRAISE:
            if negated:
                r.defect = r.unfixed = True
            elif modal_at < 0:
                r.clean = True
        elif token in lx.DENIABLE:
            if negated and negator != "rather":
                r.clean = True
        elif token in lx.MILD:
            if not negated:
                r.mild = True
        elif reach and negator == "without":
            r.defect = r.unfixed = True  # "without a lock": a safeguard the code goes without
        elif reach and token in _ASSURED:
            r.defect = r.unfixed = True
        elif reach:
            reach -= 1
            continue
        else:
            continue
        reach = 0  # a negation ends at the word it reached
    if reach and negator == "evidence":
        r.clean = r.clean_global = True  # "there is no evidence", said of nothing in particular
    return r


def _of_nothing(tokens: list[str], i: int) -> bool:
    """A check or fix verb whose object is nothing: "asserts nothing", "verifies no result"."""
    after = tokens[i + 1 : i + 3]
    if not after or after[0] not in _OF_NOTHING or (i and tokens[i - 1] in lx.DETERMINERS):
        return False
    return after[0] == "nothing" or not (after[1:] and (after[1] in lx.PROBLEMS or after[1] in _CHECKED_ABSENCE))


def _label(r: _Reading, soft: bool, advice: bool) -> str:
    """D defect, U a fix said not to happen and nothing worse, S hedge, C clean, F a fix said to happen, G clean
    that resolves, A advice, "" nothing."""
    if advice:
        return "A"
    if r.okay and not r.unfixed:
        return "G"  # the phrase speaks of the problem words beside it: "collisions cannot happen"
    if r.defect:
        return "U" if r.not_undone and not r.harm else "D"
    if r.modal:
        return "S" if soft else "D"
    if r.clean:
        if soft and not r.okay:
            return "S"  # "not a defect per se", "covered indirectly"
        return "G" if r.clean_global else ("F" if r.claimed and not r.okay else "C")
    if r.weak:
        return "D"
    return "S" if r.mild else ""


def _labels(text: str) -> list[tuple[str, str]]:
    """(label, lead) of every clause that has one, in order."""
    out: list[tuple[str, str]] = []
    for raw in _sentences(fold(text)):
        sentence = _mark_only(raw)
        soft = "soft_marker" in sentence
        advice = fixed = False
        sentence_start = len(out)
        for clause in _clauses(sentence):
            if clause.lead in lx.CONTRAST or clause.lead in ("which", "because", "since", "whereas"):
                advice = False
            reading = _read(clause.tokens)
            first = next((t for t in clause.tokens if t != "§"), "")
            advice = advice or reading.advice or (clause.opens and first in lx.IMPERATIVES)
            if clause.lead in lx.HYPOTHETICAL:
                continue
            label = _label(reading, soft, advice)
            if clause.lead == "but" and clause.tokens[:1] == ["not"] and fixed:
                label = "D"  # "the files are removed, but not the thumbnails"
            if label in ("G", "F") and _OTHER & set(clause.tokens):
                label = "C"  # "nothing else leaks", "no other issue": says nothing of what came before
            if label == "F" and (clause.lead or not clause.opens):
                label = "C"  # "..., and it restores `y`": a fix beside the complaint, not its answer
            if label == "G" and reading.aside:
                # "`Manager` is built without `x`, which is fine.": a relative clause approves what its own
                # sentence says, and nothing an earlier sentence complains of
                own = out[sentence_start:]
                out[sentence_start:] = [("C" if mark in ("D", "U") else mark, lead) for mark, lead in own]
                label = "C"
            fixed = fixed or label in ("C", "G", "F")
            if label:
                out.append((label, clause.lead))
    return out


def _last_defect(labels: list[tuple[str, str]]) -> int:
    return max((i for i, (label, _) in enumerate(labels) if label in ("D", "U")), default=-1)


def _decide(labels: list[tuple[str, str]]) -> Polarity | None:
    defects = 0
    for label, lead in labels:
        if label in ("D", "U"):
            defects += 1
        elif label == "G" and defects and (lead in lx.CONTRAST or lead in lx.RESULT):
            defects = 0  # "..., but the base class stops every patch, so nothing leaks"
    closing = [label for label, _ in labels[_last_defect(labels) + 1 :]]
    if defects and "G" in closing and set(closing) <= {"G", "C"}:
        # the finding's closing word: "... never stopped explicitly. No leak occurs in practice.", also with
        # the reason after it: "Fix: none needed, the base class already removes it."
        defects = 0
    if defects and "F" in closing and set(closing) <= {"G", "C", "F"} and "D" not in {label for label, _ in labels}:
        # "... does not restore it by hand; the base class fixture reverts it": what the code does not do
        # itself, the closing sentence says something else does
        defects = 0
    found = {label for label, _ in labels}
    if defects:
        return "defect"
    if "S" in found:
        return "note"
    if found & {"C", "G", "F"}:
        return "clean"
    return None


def polarity(text: str, title: str = "") -> Polarity:
    """``defect``, ``clean`` or ``note`` for a finding's body; its title counts only when the body is silent."""
    return _decide(_labels(text)) or _decide(_labels(title)) or "note"


_P = r"(?:defects?|issues?|problems?|vulnerabilit(?:y|ies)|weakness(?:es)?|flaws?|bugs?|concerns?)"
_ANY = r"(?:[a-z0-9_-]+ ){0,3}?"  # qualifiers: "explicit security", "high-severity"
_NONE_FOUND = re.compile(
    rf"\b(?:does|do|did) not (?:exhibit|contain|have|show|present|indicate|reveal|introduce|pose) (?:any )?{_ANY}{_P}\b"
    rf"|\bno {_ANY}{_P} (?:(?:are|were|was|is|have been|has been) )?"
    r"(?:detected|found|identified|present|observed|noted|spotted|to report)\b"
    rf"|\bthere (?:are|were|is|was) no {_ANY}{_P}\b"
    rf"|\b(?:did|could|do) not (?:find|identify|detect|spot|see|observe|notice) any {_ANY}{_P}\b"
    rf"|\b(?:found|identified|detected) no {_ANY}{_P}\b"
    rf"|\b(?:has|have|contains?) no {_ANY}{_P}\b"
    rf"|\bis free (?:of|from) {_ANY}{_P}\b"
    rf"|^no {_ANY}{_P}$"
    r"|\bnothing (?:of concern|to report|to flag)\b"
    # "the module is clean", "the tests look good", "LGTM": said of the whole module, unqualified
    r"|\b(?:the (?:test )?(?:module|code|file|suite|tests?)|everything|it|this module) (?:is|are|looks?|seems?) "
    r"(?:clean|fine|sound|good|correct|ok|okay|well[- ]written)(?: overall)?$"
    r"|^(?:lgtm|looks good(?: to me)?)$"
)
# "no critical vulnerabilities", "no other issues", "no further defects": some, but not these
_QUALIFIED = re.compile(
    r"\b(?:critical|major|serious|severe|high-severity|high-risk|other|further|additional|remaining|more|new)\b"
    r"|\bhigh (?:severity|risk)\b"
)
_EXCEPT = re.compile(r"\b(?:apart from|except|other than|aside from|besides|save for|otherwise|beyond)\b")
_COUNT = r"(?:the following|these|several|some|a few|multiple|a number of|many|various|two|three|four|five|six|[0-9]+)"
_SOME_FOUND = re.compile(
    rf"\b{_COUNT} (?:[a-z0-9_-]+ ){{0,2}}?{_P} (?:(?:are|were|was|is|have been|has been) )?"
    r"(?:found|identified|detected|present|noted|observed|remain|exist|need|needs|require|should|must)\b"
    rf"|\bthere (?:are|is|were|was|remain|remains) (?:still )?(?:several|some|a few|multiple|a number of|many|two|three"
    rf"|four|five|[0-9]+|a|an|one) (?:[a-z0-9_-]+ ){{0,2}}?{_P}\b"
    rf"|\bthe following (?:[a-z0-9_-]+ ){{0,2}}?{_P}\b"
    r"|\b(?:should|must|need to) be (?:addressed|fixed|resolved)\b"
    r"|\b(?:needs?|requires?) (?:attention|fixing|to be fixed|to be addressed)\b"
    rf"|(?<!\bno )(?<!\bnot )(?<!\bany )\b(?:real|genuine|actual) {_P}\b"
    rf"|\b{_P} (?:(?:that|which) (?:need|needs|are|is) )?(?:worth|need|needs) (?:fixing|addressing|a fix)\b"
)


def verdict(module_text: str) -> Verdict:
    """``clean`` when the module-level text states, unqualified, that no defects were found, and
    nowhere says some were: "no critical vulnerabilities were found, but ..." is ``defects``."""
    clean = False
    for tokens in _sentences(fold(module_text, phrases=False)):
        sentence = " ".join(tokens)
        if _SOME_FOUND.search(sentence):
            return "defects"
        found = _NONE_FOUND.search(sentence)
        if found and not _QUALIFIED.search(found.group()) and not _EXCEPT.search(sentence):
            clean = True
    return "clean" if clean else "defects"
