"""The words polarity reads: problems, fixes, praise, negators, hedges, advice, and phrases folded into tokens.

Data only. Phrases are rewritten into single marker tokens before the text is cut into words, so
the classifier in ``polarity`` sees "garbage collected" as one problem and "puts it back" as a fix.
"""

from __future__ import annotations

import re

# Words that name something wrong with the code. "error" and "failure" are not here: "error
# handling" and "failure modes" are subjects, not complaints; the plurals and verbs are.
PROBLEMS = frozenset("""
    leak leaks leaked leaking leakage persist persists persisted persisting survive survives survived
    outlive outlives outlived linger lingers lingering bleed bleeds pollute pollutes polluted pollution
    clobber clobbers clobbered overwrite overwrites overwritten collide collides collision collisions
    conflict conflicts race races racy flaky flakiness fail fails failing errors breaks broken
    vulnerable vulnerability vulnerabilities defect defects issue issues problem problems bug bugs flaw
    flaws weakness weaknesses risk risks risky concern concerns improper improperly incorrect incorrectly
    wrong wrongly unsafe insecure stale dangling leftover swallow swallows swallowed swallowing hide hides
    hiding hidden hanging mask masks masking untested uncovered unchecked unhandled unclosed unreleased unbounded
    uncontrolled unrestored unreverted unstopped unjoined unvalidated unverified bypass bypassed bypasses
    expose exposed exposes exposure misleading unpredictable unpredictably nondeterministic crash crashes
    hang hangs deadlock deadlocks drift drifts diverge diverges missing absent lacks lack lacking omits
    forgets neglects compromise escalate inject injects injected injection
    carries accumulates accumulated accumulating unnoticed undetected
    gc_late order_dependent spill masks_failure swallows_errors real_resource hardcoded_secret
    leaves_state still_live shared_state fails_to import_time too_much accepts_anything passes_anyway
""".split())

# Changes a test may make on purpose: neutral when said, clean when denied ("no test mutates them").
DENIABLE = frozenset("""
    hard-coded hardcoded mutate mutates mutated modify modifies modified touch touches touched share shares
    shared write writes written committed stored logged printed
""".split())

# Complaints about style or speed: a finding that only has these is a note ("slow rather than unsafe").
MILD = frozenset("""
    tedious verbose long lengthy awkward cumbersome slow noisy duplicated repetitive convoluted complex clunky
    inconsistent unclear confusing hard_to_read dead_code unused uneven
""".split())

# a fix word right after one of these is a noun ("several asserts", "its teardown"), not a claim
DETERMINERS = frozenset({"the", "a", "an", "several", "some", "many", "all", "two", "three", "its", "their",
                         "these", "those", "every", "each", "his", "her", "our", "your", "any"})

# Of these, only "spill" is weak: a clause that also says the code restores things is clean.
WEAK_PROBLEMS = frozenset({"spill"})

# Fixing and checking verbs. Inflected forms count as a claim ("the fixture restores it"); base forms
# ("the handle", "the check", "a stop") count only when negated or after "to".
FIX_CLAIMS = frozenset("""
    restores restored reverts reverted undoes undone stops stopped cleanup_v closes closed removes removed
    deletes deleted resets released releases joins joined terminates terminated rollback unpatches
    unpatched unfreezes reinstalls reinstalled clears cleared checks checked asserts asserted verifies
    verified validates validated tested tries tried exercised covers covered handles handled inspects
    catches caught teardown restoring reverting cleaning undoing stopping closing joining deleting
    removing resetting releasing handling checking validating verifying recreated recreates rebuilt rebuilds
    drops dropped truncates truncated shutdown_v autospecced
""".split())
FIX_BASE = frozenset("""
    restore revert undo stop close remove delete reset release join terminate unpatch check assert verify
    validate test cover handle catch inspect clean cleanup addcleanup stopall finally teardownclass
    assertion assertions validation verification shutdown lock locks timeout autospec spec spec_set
""".split())
FIXES = FIX_CLAIMS | FIX_BASE

PRAISE = frozenset("""
    correctly properly appropriately safely correct proper appropriate fine safe sound acceptable
    harmless isolated fresh independent exist exists
""".split())

# A negator's reach: "not" and "never" take the next word that carries meaning; "no", "nothing",
# "without", "avoids" take the next three (a noun phrase and its verb: "no test closes it").
NEGATE_ONE = frozenset({"not", "never", "nor", "neither"})
NEGATE_THREE = frozenset({"no", "nothing", "nobody", "none", "without", "avoids", "avoid", "avoided",
                          "prevents", "prevent", "prevented", "eliminates"})
GLOBAL_NEGATORS = frozenset({"no", "nothing", "nobody", "none"})
# words a negation reaches past: "not properly" stops at "properly", "is not ever" does not
SKIP = frozenset("""
    a an the any be been being is are was were ever always explicitly explicit actually really yet fully
    automatically anywhere appear appears seem seems to it its their them this that direct clear
    obvious apparent real actual single such § here at all
""".split())
# verbs a negation passes through to their object: "does not call `stop`", "does not perform checks"
LIGHT = frozenset("""
    call calls invoke invokes use uses have has register registers perform performs do does include
    includes add adds show shows contain contains get gets provide provides define defines represent
    represents constitute constitutes indicate indicates mean means pose poses imply implies cause causes
    lead leads result results introduce introduces create creates amount amounts correspond corresponds
    see seen observe observed notice noticed
""".split())
EVIDENCE = frozenset({"evidence", "sign", "signs", "indication", "indications", "trace", "proof"})
MODALS = frozenset({"could", "can", "may", "might", "would", "will"})
ADVICE = frozenset({"should", "consider", "considering", "recommend", "recommended", "recommends",
                    "suggest", "suggested", "suggests", "ensure", "ensuring", "advice_marker"})
IMPERATIVES = frozenset({"use", "prefer", "try", "add", "replace", "move", "wrap", "register", "adopt",
                         "switch", "patch", "call", "pass", "avoid"})
# clause starts whose clause says nothing about the code as it is ("if the suite runs across midnight")
HYPOTHETICAL = frozenset({"if", "unless", "when", "whenever", "until", "once", "whether"})
# connectives that start a new clause; the first group also lets a later "no problem" resolve a defect
CONTRAST = frozenset({"but", "however", "although", "though", "whereas", "yet", "nevertheless", "except"})
RESULT = frozenset({"so", "therefore", "thus", "hence", "consequently"})
CLAUSE_WORDS = CONTRAST | RESULT | HYPOTHETICAL | frozenset({"which", "because", "since", "while",
                                                                "where"})
ONLY_AFTER = frozenset({"if", "when", "once", "after", "on", "by", "gc_late", "at"})


_CODE = r"(?:§ )?"
_LABEL = r"(?:^|(?<=[.:] )|(?<=[-*+] )|(?<=[0-9][.)] ))"  # where a list item or sentence opens


def _p(needles: str, pattern: str, replacement: str) -> tuple[tuple[str, ...], re.Pattern[str], str]:
    return tuple(needles.split("|")), re.compile(pattern), replacement


# (any of these must occur, pattern, replacement) over folded text, in order. The needles spare a
# pass over text that cannot match; every pattern is bounded: no repetition nests in another.
PHRASES: tuple[tuple[tuple[str, ...], re.Pattern[str], str], ...] = (
    _p("not happen|not occur|not arise", r"\b(?:can|could|will) not (?:happen|occur|arise)\b", " ok_global "),
    _p(": none|: nothing|: n/a",
       r"\b(?:issues?|problems?|defects?|risks?|impact|findings?|concerns?): (?:none|nothing|n/a)\b", " ok_global "),
    _p(": none", r"\b(?:fix(?:es)?|changes?|actions?|remediation): none\b(?! of\b)", " ok_global "),
    # a verdict word alone closing a finding: "... reverted by the base class. ok", "...; acceptable."
    _p("ok|fine|acceptable",
       r"(?:^|(?<=[.;!?] ))(?:ok|okay|fine|acceptable)(?=[.;!]?$|[.;!] )", " ok_global "),
    _p("needed|required|necessary",
       r"\b(?:no (?:changes?|action|fix(?:es)?)|nothing) (?:is |are )?(?:needed|required|necessary)\b", " ok_global "),
    _p("nothing", r"\bnothing (?:else )?to (?:change|fix|report|do|worry about|clean up|restore|undo)\b",
       " ok_global "),
    _p("nothing", r"\bnothing (?:here |else )?(?:needs?|requires?)(?: \S+){0,2}? "
       r"(?:restor|revert|undo|clean|fix|chang|stop)[a-z_]*", " ok_global "),
    _p("not need", r"\b(?:does|do|did) not need (?:to be )?(?:restor|revert|undo|clean|stop|clos)[a-z_]*",
       " ok_global "),
    _p("no need", r"\bno need to\b", " ok_global "),
    _p("matter", r"\b(?:does|do|did) not (?:seem to |appear to )?matter\b", " ok_global "),
    _p(" to ", r"\b(?:scopes?|scoped|confines?|confined|limits?|limited|local|restricted|restricts?)\b(?: \S+){0,4}? "
       r"to (?:the|each|every|its|a|one|that) (?:with )?(?:block|test|function|method|class|fixture|context|scope)\b",
       " ok_global "),
    _p("from", r"\bkeeps? (?:\S+ ){0,3}?from\b", " prevents "),
    _p("risk|chance|likelihood|possibility|potential for", r"\b(?:(?:increases?|raises?) )?the (?:risk|chance"
       r"|likelihood|possibility) of\b|\bpotential for\b", " could "),
    _p("with|after|end of", r"\b(?:ends?|goes away|go away|disappears?|dies|expires?|is undone|are undone) (?:with"
       r"|after|at the end of) (?:the|each|every) test\b", " ok_global "),
    _p("optional|taste|nice to have|up to you", r"\b(?:is |are )?optional\b|\ba matter of taste\b"
       r"|\bnice to have\b|\bup to you\b", " advice_marker "),
    _p("no ", r"\bno (?:\S+ )?(?:tests?|checks?|assertions?|coverage) (?:for|of|on|that|covering|where|exercises?)\b",
       " untested "),
    _p("dead code", r"\bdead code\b", " dead_code "),
    # a test that stays green when the code is wrong: "a removed entry passes silently", "passes even if ..."
    _p("pass|succeed|green", r"\b(?:pass(?:es)?|succeeds?|stays? green) (?:silently|anyway|regardless)\b"
       r"|\bsilently (?:pass(?:es)?|succeeds?)\b|\b(?:still )?pass(?:es)? even (?:if|when|though)\b",
       " passes_anyway "),
    _p("applicable|apply|relevant", r"\bnot (?:applicable|relevant)\b|\b(?:does|do) not apply\b", " ok_global "),
    _p("dummy|placeholder|made|throwaway",
       r"\b(?:is|are) (?:a |an |only )?(?:dummy|placeholder|made[- ]up|throwaway)\b", " ok_global "),
    _p("as long as", r"\bas long as\b", " provided "),
    # a test that injects a fault exercises an error path: the injection is the technique, not the flaw
    _p("inject", r"\binject(?:s|ed|ing)? (?:an? |the )?(?:[a-z_]+ )?(?:exception|error|fault|failure|timeout)s?\b",
       " fault_injected "),
    _p("hard to", r"\b(?:(?:more )?(?:hard|harder|difficult)) to (?:read|follow|understand|maintain|debug|diagnose)\b",
       " hard_to_read "),
    # ", which is fine": a relative clause approves what its own sentence names (read in ``polarity._labels``)
    _p("which", r"\bwhich (?:is|looks|seems) (?:fine|correct|ok|okay|safe|appropriate|acceptable|harmless|expected"
       r"|intended)\b", " ok_global ok_aside "),
    _p("fine|correct|ok|safe|appropriate|acceptable|harmless|expected|intended",
       r"\b(?:this|that|it) (?:is|looks|seems) (?:fine|correct|ok|okay|safe|appropriate|acceptable"
       r"|harmless|expected|intended)\b", " ok_global "),
    # labels that open a list item or sentence ("**Issue**: ...") are no complaint themselves
    _p(":", _LABEL + r"(?:issues?|problems?|risks?|impact|defects?|findings?|concerns?|observations?|location"
       r"|evidence|details?|notes?|where|why|what|context|severity|cwe|category):", " : "),
    _p(":", _LABEL + r"(?:recommendations?|suggestions?|suggested fix|fix|remediation|mitigation|advice"
       r"|improvements?):", " : advice_marker "),
    _p("not necessarily|not directly", r"\bnot (?:necessarily|directly)\b", " soft_marker not "),
    _p("per se|future|over time|theor|potentially|if |world|context|unlikely|seen as|indirectly",
       r"\bper se\b|\bin the future\b|\bover time\b|\bin theory\b|\btheoretically\b|\bpotentially\b"
       r"|\bif (?:nobody|no one|someone|anyone)\b|\bif not (?:carefully |properly )?(?:managed|maintained|handled"
       r"|kept)\b|\bin a (?:broader|wider|real-world|real world) (?:context|scenario)\b|\breal-world\b"
       r"|\bunlikely\b|\bcould be seen as\b|\bindirectly\b", " soft_marker "),
    _p(" to", r"\b(?:it is|it would be|it's|would be|is) (?:\S+ ){0,2}?(?:good practice|a good idea|better|best"
       r"|safer|advisable|recommended|preferable|crucial|important|worth|wise) to\b", " advice_marker "),
    _p("would|could|might|can ", r"\b(?:would|could|might|can) (?:help|make|be better|be safer|be cleaner"
       r"|improve|read better|cut|simplify|have|say|mention|explain|document|describe|benefit)\b", " advice_marker "),
    _p("make sure|want to|improve|could be|worth",
       r"\bmake sure\b|\b(?:may|might) want to\b|\b(?:potential|areas?|room|scope) for improvement\b"
       r"|\bcould be (?:improved|made|enhanced|simplified|strengthened)\b|\bworth (?:adding|considering)\b",
       " advice_marker "),
    _p("garbage|interpreter|process", r"\bgarbage[- ]collect[a-z]*|\buntil (?:the )?(?:interpreter|process)"
       r" (?:exits|ends)\b|\bat (?:interpreter|process) exit\b", " gc_late "),
    _p("clean", r"\bclean(?:s|ed|ing)? up\b", " cleanup_v "),
    _p("shut", r"\bshut(?:s|ting)? down\b", " shutdown_v "),
    _p("left", r"\b(?:is|are|gets|get|was|were|being) left\b(?! to\b)", " leaves_state "),
    _p("carr", r"\bcarr(?:y|ies|ied|ying) over\b", " carries "),
    _p("grow|piling|piles|increasing", r"\bkeeps? (?:growing|accumulating|piling up|increasing)\b|\bpiles? up\b"
       r"|\bgrows? (?:across|between|over|with every|without)\b", " accumulates "),
    _p("time", r"\bat (?:import|module[- ]load|collection|module) time\b", " import_time "),
    _p("too ", r"\btoo (?:tight|short|small|low|strict|loose|broad|coarse|much|many)\b", " too_much "),
    _p("tear|torn", r"\btear(?:s|ing)? down\b|\btorn down\b", " teardown "),
    _p("roll", r"\broll(?:s|ed|ing)? back\b", " rollback "),
    _p("look", r"\blook(?:s|ed)? at\b", " inspects "),
    _p("no one", r"\bno one\b", " nobody "),
    # "the patch target does not exist", "an attribute the module no longer has": a patch of nothing
    _p("exist|no longer", r"\b(?:does|do|did) not exist\b|\bno longer exists?\b|\bnon-?existent\b", " missing "),
    _p("no longer", r"\bno longer (?:has|have|defines?|provides?)\b", " lacks "),
    _p("look|lgtm", r"\blooks? (?:good|fine|correct|right|sound|ok|okay)\b|\blgtm\b", " ok_global "),
    _p("nobody|by nothing", r"\b(\w+) by (?:nobody|nothing)\b", r" never \1 "),
    _p(" back", r"\b(?:sets?|puts?|flips?|turns?|changes?|switch(?:es)?|moves?|brings?)((?: \S+){0,4}?) back\b",
       r" restores\1 "),
    _p("depend|order", r"\bdepend(?:s|ing|ent)? on (?:the )?(?:(?:order|test order|run order|execution order)(?:ing)?"
       r"|ordering of (?:the )?tests|current (?:date|time)|wall clock|time of day|local time(?:zone)?)\b"
       r"|\border[- ]dependent\b"
       r"|\bin (?:a|any) particular order\b", " order_dependent "),
    _p("test|next|rest of", r"\b(?:later|subsequent|following|every later) tests?\b|\bnext (?:test|class|run)\b"
       r"|\btests? (?:that )?(?:are )?(?:collected |run |runs |running |executed )?after (?!each\b|every\b|the test)"
       r"|\brest of the (?:module|session|run|suite|process|class)\b", " spill "),
    _p("still|pass|succeed", r"\bstill (?:\S+ ){0,3}?(?:pass|passes|passing|succeed|succeeds|green)\b"
       r"|\b(?:pass|passes|succeed|succeeds) (?:anyway|regardless|even (?:when|if))\b", " masks_failure "),
    _p("catch|bare", r"\bcatch(?:es|ing)? " + _CODE + r"(?:every |all |any |bare |broad )?" + _CODE
       + r"(?:exceptions?|errors?|baseexception)\b|\bbare except\b", " swallows_errors "),
    _p("real ", r"\breal (?:[a-z-]+ )?(?:service|network|server|database|api|endpoint|internet|filesystem"
       r"|home directory|clock|smtp server|s3)\b", " real_resource "),
    _p("hard|coinciden|accident|chance|literal", r"\bhard-?coded " + _CODE + r"(?:uuids?|ids?|paths?|ports?|passwords?"
       r"|secrets?|keys?|tokens?|credentials?)\b|\bby (?:coincidence|accident|chance)\b"
       # "hard-codes the share network UUID", "are literal UUIDs": the literal is the complaint
       r"|\bhard-?cod(?:es|ing) (?:\S+ ){0,4}?" + _CODE + r"(?:uuids?|ids?|identifiers?|paths?|ports?|passwords?"
       r"|secrets?|keys?|tokens?|credentials?)\b|\bliteral (?:uuids?|identifiers?)\b", " hardcoded_secret "),
    _p("accept", r"\baccepts? (?:any|every|all) (?:\S+ )?(?:calls?|arguments?|signatures?|attributes?|methods?)\b",
       " accepts_anything "),
    _p("leave", r"\bleaves? (?:it|them|(?:the |both |all |its |their |every |each )?(?:§ )?\S+) (?:changed|set|seeded"
       r"|patched|modified|running|open|behind|in place|registered|active|enabled|disabled|installed|dirty|locked"
       r"|blocked|hanging|waiting|alive|stuck|orphaned)\b", " leaves_state "),
    _p("running", r"\bkeeps? running\b", " still_live "),
    _p("stay|remain", r"\b(?:stays?|remains?) (?:in|on|inside|under|around)\b", " still_live "),
    _p("stay|remain|still", r"\b(?:stays?|remains?|is still|are still|still be|still) (?:(?!un|stopped\b|closed\b"
       r"|reverted\b|restored\b|removed\b|deleted\b|cleared\b|undone\b)[a-z]+ed\b|open\b|set\b|active\b"
       r"|running\b|in place\b|behind\b|alive\b|writing\b|around\b)", " still_live "),
    _p("shar", r"\bshar(?:e|es|ed|ing) (?:the |any |global |mutable )?state\b"
       r"|\bshared (?:mutable |global )?state\b|\b(?:is|are) shared (?:between|across|by) (?:tests|test|classes"
       r"|workers|processes)\b", " shared_state "),
    _p("fail", r"\bfail(?:s|ed)? to\b", " fails_to "),
)
