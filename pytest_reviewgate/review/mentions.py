"""Which cited names are mentions, not anchors: names a review recommends, says the code lacks, or marks.

- *Recommended*: every name after a recommendation cue, to the end of its clause (the next ``.``,
  ``;``, ``!``, ``?``, the end of a bold title, or a word that opens a clause: but, because, since, so, which, where,
  when, whereas, while, although, though, unless, if, otherwise). Cues: ``use`` (the verb, not
  "the use of"), consider, prefer, recommend, suggest, instead of, rather than, replace, switch
  to, should, better/safer/best to, good practice to, "a fixture such as" / "something like" (an
  indefinite thing: "helpers such as `_create_mdev`" describes the module), a ``Fix:`` or
  ``Recommendation:`` label, an imperative that opens a clause (add, call, register, wrap, ...), and a name
  followed by "would do", "would be (a) better/shorter/...", "would reduce repetition", "is preferable", "is the
  usual way", and one that opens its clause ("; `matchers.Equals` would pin the list", "a helper `_same` would keep
  them consistent") followed by "would" and what it would improve (keep, pin, make, ensure, catch, verify, ...).
  "`_helper` leaks the patch; use `addCleanup`" keeps ``_helper`` as an anchor.
- *Absent*: the names right after an absence cue (without, lacks, missing, there is no, has no,
  does not call/use/register/..., never calls/stops/..., no, nor), through small words ("a call
  to", "the", "or"), and a name followed by "is missing", "is never called", "is not used", and one said to come from
  prose the code lacks ("`x` mentioned in the docstring does not exist").
- *Marked*: a code span followed at once by ``{.noanchor}`` (Pandoc attribute syntax).

A name that follows a recommended one after "in", "for", "instead of", "rather than", ... says where the
advice applies or what it replaces: it stays an anchor.
A cue whose clause runs past the end of a line carries on into the next line of the same bullet.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

_RECOMMEND = re.compile(
    r"\b(?:use|consider(?:ing)?|prefer(?:ably|ring)?|recommend(?:s|ed|ing)?|suggest(?:s|ed|ing)?|instead of"
    r"|rather than|replac(?:e|ing)|switch(?:ing)? to|migrat(?:e|ing) to|opt(?:ing)? for|should|ought to"
    r"|(?:better|best|safer|preferable|advisable|wiser|cleaner) to|good (?:practice|idea) to"
    r"|\ban? [\w-]+(?: [\w-]+)? (?:such as|like)|\bsomething (?:such as|like))(?!\w)"
    r"|\b(?:recommendations?|suggestions?|suggested fix|fix|remediation|mitigation)\**:",
    re.IGNORECASE,
)
_IMPERATIVE = re.compile(
    r"\b(?:add|call|register|wrap|move|stop|restore|revert|apply|adopt|employ|reset|decorate|try|ensure"
    r"|make sure|use|replace|prefer|consider)(?!\w)",
    re.IGNORECASE,
)
_NOUN_BEFORE_USE = frozenset({"the", "of", "its", "their", "this", "that", "a", "extensive", "heavy", "no", "any",
                              "such", "for", "in", "and", "whose", "his", "her", "our", "your"})
_ABSENT = re.compile(
    r"\b(?:without|lacks?|lacking|missing|omits?|there (?:is|are|was|were) no|there's no|(?:has|have|had) no"
    r"|(?:does|do|did) ?n[o']t (?:call|use|register|invoke|define|have|implement|include|stop|restore|revert|add)"
    r"|never (?:calls?|uses?|invokes?|registers?|defines?|stops?|restores?|reverts?|adds?)"
    r"|nothing (?:calls|stops|restores|reverts|undoes|registers)|no|nor"
    r"|(?:forgets?|fails?|neglects?) to (?:call|use|register|stop|restore|revert|add))(?!\w)",
    re.IGNORECASE,
)
_POSTPOSED = re.compile(
    r"[ \t]*(?:(?:is|are)[ \t]+(?:missing|absent|never (?:called|used|invoked|registered|added)"
    r"|not (?:called|used|invoked|registered|added))(?!\w)(?![ \t]+(?:an? |the )?`)"  # not "is missing `x`"
    # "`_helper` mentioned in the docstring does not exist": a name from prose the code never had ("`test_x`
    # no longer exists" alone stays an anchor: the review cites a test that went stale)
    r"|,?[ \t]*\(?(?:mentioned|named|cited|referenced|quoted)[ \t]+(?:in|by)[ \t]+(?:the[ \t]+|its[ \t]+)?[\w.]+\)?,?"
    r"[ \t]*(?:(?:does|do)[ \t]*n[o']t[ \t]+exist|(?:is|are)[ \t]+(?:not[ \t]+defined|undefined|nowhere)))(?!\w)",
    re.IGNORECASE,
)
# "`uuids.share_network` would do", "a `fixtures.MonkeyPatch` would be shorter", "`tmp_path` is the usual way"
_POSTPOSED_RECOMMEND = re.compile(
    r"[ \t]*(?:(?:would|could|might)[ \t]+(?:do|work|suffice|help|be[ \t]*$|be[ \t]+(?:an?[ \t]+)?"
    r"(?:(?:much|far|a[ \t]+lot)[ \t]+)?"  # "would be" may wrap; "would be a clearer name"
    r"(?:better|safer|cleaner|simpler|shorter|clearer|preferable|enough|more[ \t]+\w+)"
    r"|(?:reduce|remove|avoid|simplify|shorten)[ \t]+(?:the[ \t]+)?(?:repetition|duplication|boilerplate|copies))"
    r"|(?:is|are)[ \t]+(?:preferable|preferred|recommended"
    r"|the[ \t]+(?:idiomatic|usual|standard|right|safer|better)[ \t]+(?:way|choice|tool|fix|option)))(?!\w)",
    re.IGNORECASE,
)
# "a shared helper `_assert_same` would keep them consistent", "; `matchers.Equals` would pin the list": a name that
# opens its clause (or a phrase "a/an ...") and "would" plus what it would improve is advice, not the module's code
_WOULD_IMPROVE = re.compile(
    r"[ \t]*would[ \t]+(?:also[ \t]+)?(?:keep|pin|make|ensure|guarantee|enforce|tighten|isolate|prevent|guard"
    r"|clarify|express|document|lock|catch|assert|verify|check|state)(?!\w)",
    re.IGNORECASE,
)
_INDEFINITE_LEAD = re.compile(r"(?:^|[.;:!?(][ \t]*)(?:an?|one)(?:[ \t]+[\w-]+){0,3}[ \t]*$", re.IGNORECASE)
# after a recommended name, a preposition of place or purpose says where the advice applies, and "instead of",
# "rather than" or "over" what it replaces: the names they govern are the module's ("use `tmp_path` in `test_c`",
# "use `self.flags` instead of `CONF.set_override`")
_PLACE = re.compile(r"\b(?:in|inside|within|for|on|at|from|over|instead[ \t]+of|rather[ \t]+than)\b", re.IGNORECASE)
_CLAUSE_END = re.compile(
    r"(?<!\be\.g)(?<!\bi\.e)(?<!\bE\.g)[.!?;](?=\s|$)|\*\*:|__:"  # a bold title ends its clause
    r"|\b(?:but|because|since|so|which|where|when|whereas|while|although|though|unless|if|otherwise)(?!\w)",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z_][\w.]*(?:\(\))?")
FILLERS = frozenset({"a", "an", "the", "any", "call", "calls", "to", "of", "or", "and", "nor", "its", "their",
                     "matching", "corresponding", "explicit", "single", "method", "function", "fixture", "hook",
                     "either", "such"})
_WALK_MAX = 12  # words an absence cue reaches past; also keeps "nor nor nor ..." linear
_ATTRIBUTES = re.compile(r"\{[^{}\n]*\}")
_LIST_NUMBER = re.compile(r"[ \t]*(?:[-*+][ \t]*)?(?:#|step[ \t]*)?[0-9]{1,9}[.)]?", re.IGNORECASE)


@dataclass
class Carry:
    """A cue whose clause ran past the end of a line: it governs the start of the next line."""

    role: str = ""


def noanchor(text: str, end: int) -> int:
    """The end of a ``{.noanchor}`` block right after a code span ending at ``end``, else 0."""
    if end >= len(text) or text[end] != "{":
        return 0
    block = _ATTRIBUTES.match(text, end)
    return block.end() if block and ".noanchor" in block.group()[1:-1].split() else 0


def _at_clause_start(prose: str, start: int) -> bool:
    lead = prose[max(0, start - 80) : start].rstrip(" \t*_")  # bounded: many cues stay linear
    # a list number opens a clause ("2) add `x`"); a line number ends a subject ("Lines 47 and 67-68 call `x`")
    return not lead or lead[-1] in ".;:!?(-+" or _LIST_NUMBER.fullmatch(lead) is not None


def _opens_clause(prose: str, start: int) -> bool:
    """Whether the name at ``start`` opens its clause, alone or after an indefinite phrase ("a shared helper")."""
    lead = prose[max(0, start - 80) : start].rstrip(" \t*_")
    return _at_clause_start(prose, start) or _INDEFINITE_LEAD.search(lead) is not None


def _recommended(prose: str, carry: Carry) -> tuple[list[tuple[int, int]], str]:
    """Spans a recommendation governs, and the role it carries to the next line."""
    ends: list[int] | None = None  # where clauses end: read once a cue asks (most lines have none)
    scopes: list[tuple[int, int]] = []
    if carry.role == "recommended":
        ends = [m.start() for m in _CLAUSE_END.finditer(prose)]
        scopes.append((0, ends[0] if ends else len(prose)))
    for pattern, anywhere in ((_RECOMMEND, True), (_IMPERATIVE, False)):
        for cue in pattern.finditer(prose):
            word = cue.group().lower()
            if word == "use":
                before = prose[max(0, cue.start() - 40) : cue.start()].split()[-1:]
                after = prose[cue.end() : cue.end() + 40].split()[:1]
                if (before and before[0].lower() in _NOUN_BEFORE_USE) or after == ["of"]:
                    continue  # "the use of mocks": a noun
            if not anywhere and not _at_clause_start(prose, cue.start()):
                continue
            if ends is None:
                ends = [m.start() for m in _CLAUSE_END.finditer(prose)]
            index = bisect.bisect_left(ends, cue.end())
            scopes.append((cue.end(), ends[index] if index < len(ends) else len(prose)))
    carried = "recommended" if any(end == len(prose) for _, end in scopes) else ""
    return scopes, carried


def _walk(text: str, start: int, spans: dict[int, int], starts: dict[int, int], marked: set[int]) -> bool:
    """Mark the names right after an absence cue; True when the line ended before it reached any name."""
    pos, found = start, False
    for _ in range(_WALK_MAX):
        while pos < len(text) and text[pos] in " \t,":
            pos += 1
        if pos >= len(text):
            return not found
        if pos in spans:
            if pos in starts:
                marked.add(starts[pos])
                found = True
            pos = spans[pos]
            continue
        word = _WORD.match(text, pos)
        if word is None:
            return False
        if pos in starts:
            marked.add(starts[pos])
            found = True
        elif word.group().lower() not in FILLERS:
            return False
        pos = word.end()
    return False


def roles(text: str, prose: str, names: list[tuple[int, int]], spans: list[tuple[int, int]],
          carry: Carry | None = None) -> list[str]:
    """The role of each name (``(start, end)`` in the line, a code span's whole extent): "" or a mention.

    ``prose`` is ``text`` with code spans blanked; ``carry`` is read and updated for the next line.
    """
    carry = carry if carry is not None else Carry()
    out = [""] * len(names)
    starts = {start: i for i, (start, _) in enumerate(names)}
    span_ends = dict(spans)
    for i, (start, _) in enumerate(names):
        if start in span_ends and noanchor(text, span_ends[start]):
            out[i] = "marked"
    absent: set[int] = set()
    if carry.role == "absent":
        _walk(text, 0, span_ends, starts, absent)
    carried = ""
    for cue in _ABSENT.finditer(prose):
        carried = "absent" if _walk(text, cue.end(), span_ends, starts, absent) else ""
    postposed: set[int] = set()
    for i, (_, end) in enumerate(names):
        if _POSTPOSED.match(text, end):
            absent.add(i)
        elif _POSTPOSED_RECOMMEND.match(text, end):
            postposed.add(i)
        elif _WOULD_IMPROVE.match(text, end) and _opens_clause(prose, names[i][0]):
            postposed.add(i)
    scopes, recommended = _recommended(prose, carry)
    merged: list[tuple[int, int]] = []
    for a, b in sorted(scopes):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    firsts = [a for a, _ in merged]
    previous = (-1, 0)  # (scope, end) of the last recommended name
    for i, (start, end) in enumerate(names):
        if out[i]:
            continue
        j = bisect.bisect_right(firsts, start) - 1
        scoped = j >= 0 and start < merged[j][1]
        if scoped and previous[0] == j and _PLACE.search(prose, previous[1], start):
            scoped = False  # "use `useFixture` for the patch started in `setUp`": where, not what to use
        if i in absent:
            out[i] = "absent"
        elif scoped or i in postposed:
            out[i] = "recommended"
            previous = (j, end) if scoped else previous
    carry.role = recommended or carried
    return out
