"""What a finding is about (its subjects) and which rules check each: the one table of subjects.

A subject is read from a finding's whole text (a topic and a claim in one sentence, the sense of
that sentence), its CWE ids, the names it recommends or says are absent, and the code its anchors
point at; never from one word. ``--reviewgate-triage``, ``--reviewgate-suggest`` and the rules
docs read this table.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..analysis.index import ModuleIndex, chain_of, walk
from ..model import Finding
from ..review.polarity import polarity

UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
# what a finding claims when it says state outlives a test
LEAK = (r"persist\w*|leak\w*|outliv\w*|bleed\w*|carr(?:y|ies|ied) over|pollut\w*|spill\w*|"
        r"affect\w* (?:\w+ )?(?:other|subsequent|later|following|unrelated|next) (?:tests?|runs?|operations?)|"
        r"order[- ]dependen\w*|"
        r"(?:not|never|n't) (?:be |being |been |get |gets )?(?:revert\w*|restor\w*|reset\w*|undo\w*|undone"
        r"|unregister\w*|clear\w*|clean\w* up|torn down)|"
        r"(?:not|never|n't) (?:\w+ )?put\w* (?:it |them |\w+ )?back|"
        r"(?:nothing|nobody|no one|no \w+) (?:ever )?(?:revert|restor|reset|undo|undoes|clear|clean)\w*|"
        r"left (?:in place|behind|active|set|enabled|installed|over)|"
        r"remains? (?:set|active|installed|in (?:place|effect))|"
        r"without (?:reverting|restoring|resetting|undoing|clearing|cleaning|removing|unsetting|stopping)|global state")


@dataclass(frozen=True)
class Subject:
    """One thing a finding may be about, and the rules that check it (none: not checkable)."""

    name: str  # "config-leak": the key in JSON and SARIF
    label: str  # "configuration changes that outlive a test": for people
    topic: str  # regex: words that name the subject
    claim: str = ""  # regex: what a finding says about it; with the topic in one sentence it decides
    rules: tuple[str, ...] = ()  # static rules that check it
    runtime: tuple[str, ...] = ()  # runtime rules: checkable when the tests run
    cwes: frozenset[int] = frozenset()
    fixes: frozenset[str] = frozenset()  # names whose recommendation or absence implies the subject
    absent: str = ""  # "configuration change": for "no configuration change in `test_x`"
    site: Callable[[ast.AST, ModuleIndex], bool] | None = field(default=None, compare=False)
    tests: bool = False  # its rules judge tests: a helper or setUp anchored stands for the tests that run it

    @property
    def checkable(self) -> bool:
        return bool(self.rules or self.runtime)

    def pattern(self, which: str) -> re.Pattern[str]:
        return _compiled(self.topic if which == "topic" else self.claim)


_CACHE: dict[str, re.Pattern[str]] = {}


def _compiled(text: str) -> re.Pattern[str]:
    if text not in _CACHE:
        _CACHE[text] = re.compile(rf"(?:{text})" if text else r"(?!x)x", re.I)
    return _CACHE[text]


CONFIG_CALLS = frozenset({"set_override", "set_default", "flags", "config", "register_opt", "register_opts",
                          "clear_override", "override_settings"})


def _config_site(node: ast.AST, index: ModuleIndex) -> bool:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        owner = (chain_of(node.func.value) or "").lower()
        if node.func.attr == "flags":
            return owner in ("self", "cls")  # nova's ``self.flags(...)``, not any ``x.flags()``
        if node.func.attr == "config":
            return any(w in owner for w in ("fixture", "conf", "cfg"))  # ``self.config_fixture.config(...)``
        return node.func.attr in CONFIG_CALLS
    if isinstance(node, ast.Assign):
        return any((chain_of(t) or "").split(".")[0] in ("CONF", "settings") for t in node.targets)
    return False


def _env_site(node: ast.AST, index: ModuleIndex) -> bool:
    spelled = chain_of(node.func) if isinstance(node, ast.Call) else None
    if spelled and index.qualify(spelled).startswith(("os.environ", "os.putenv", "os.unsetenv")):
        return True
    if spelled and spelled.rpartition(".")[2] in ("setenv", "delenv", "EnvironmentVariable"):
        return True
    if isinstance(node, ast.Assign | ast.Delete):
        return any(isinstance(t, ast.Subscript) and chain_of(t.value) == "os.environ" for t in node.targets)
    return False


_PATCH_NAME = re.compile(r"(?:^|[._])(?:patch|patcher|patchers|mockpatch|mockpatchobject)(?:$|[._])|^mocker\.", re.I)


def _mock_site(node: ast.AST, index: ModuleIndex) -> bool:
    """A patch (``mock.patch``, ``MockPatch``, ``mocker.patch``) or the ``start()`` of one, not ``dispatch``."""
    if not isinstance(node, ast.Call):
        return False
    spelled = chain_of(node.func)
    if spelled is None:
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "start" and isinstance(func.value, ast.Call):
            return _mock_site(func.value, index)  # ``mock.patch(...).start()``
        return False
    if spelled.endswith(".start"):
        owner = spelled[: -len(".start")]
        return "patch" in owner.lower() or "mock" in owner.lower() or owner in _patchers(index)
    return bool(_PATCH_NAME.search(index.qualify(spelled)))


def _patchers(index: ModuleIndex) -> set[str]:
    """Names the module binds to a patch: ``p = mock.patch(...)`` makes ``p.start()`` a patch's start."""
    out: set[str] = set()
    for node in walk(index.tree) if index.tree is not None else ():
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            called = chain_of(node.value.func)
            if called and _PATCH_NAME.search(index.qualify(called)):
                out.update(chain_of(t) or "" for t in node.targets)
    return out


def _attr_site(node: ast.AST, index: ModuleIndex) -> bool:
    if isinstance(node, ast.Assign):
        return any(isinstance(t, ast.Attribute) and not (chain_of(t) or "self.").startswith(("self.", "cls."))
                   for t in node.targets)
    return isinstance(node, ast.Call) and (chain_of(node.func) or "").endswith(("setattr", "patch.object"))


def _uuid_site(node: ast.AST, index: ModuleIndex) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and bool(UUID.search(node.value))


def _assert_site(node: ast.AST, index: ModuleIndex) -> bool:
    if isinstance(node, ast.Assert):
        return True
    func = node.func if isinstance(node, ast.Call) else None
    last = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    return last.startswith("assert") or last == "fail"


def _error_site(node: ast.AST, index: ModuleIndex) -> bool:
    if isinstance(node, ast.Call):
        spelled = chain_of(node.func) or ""
        return spelled.endswith(("assertRaises", "raises", "ExpectedException", "assertRaisesRegex"))
    return False


RESOURCE_CALLS = frozenset({"open", "mkdtemp", "mkstemp", "NamedTemporaryFile", "TemporaryDirectory", "Thread",
                            "Popen", "socket", "create_connection", "Timer"})


def _resource_site(node: ast.AST, index: ModuleIndex) -> bool:
    if not isinstance(node, ast.Call):
        return False
    spelled = chain_of(node.func) or ""
    return spelled.rpartition(".")[2] in RESOURCE_CALLS


_MOCK = r"mock\w*|patch\w*|stub\w*|monkey ?patch\w*"

# The one table: subject -> rules. Checkable subjects first, then those no rule covers.
SUBJECTS: tuple[Subject, ...] = (
    Subject(
        "config-leak", "configuration changes that outlive a test",
        topic=r"\bconfig\w*|\bCONF\b|set_override|\bsettings\b(?! up)|\bsetting (?:of|for)\b|\boption values?\b"
              r"|\bflags\b(?! (?:an?|the|this|that|it|them)\b)|\boverrid(?:e|es|den|ing)\b(?!\s*`)",
        claim=LEAK, rules=("config-reverted-via-fixtures",), runtime=("config-restored",),
        cwes=frozenset({664}), fixes=frozenset({"flags", "self.flags", "config_fixture.Config", "ConfFixture",
                                                "override_settings", "clear_override"}),
        absent="configuration change", site=_config_site,
    ),
    Subject(
        "env-leak", "environment variables that outlive a test",
        topic=r"\benviron\w*|environment variables?|\benv vars?\b|\bputenv\b|\bsetenv\b",
        claim=LEAK, rules=("env-reverted-via-fixtures",), runtime=("env-restored",),
        cwes=frozenset({664}), fixes=frozenset({"monkeypatch.setenv", "setenv", "delenv", "EnvironmentVariable",
                                                "mock.patch.dict"}),
        absent="change to the environment", site=_env_site,
    ),
    Subject(
        "monkeypatch-leak", "attributes of modules or classes replaced and never restored",
        topic=r"monkey ?-?patch\w*|\breassign\w*|\boverwrit\w*|\breplac\w* (?:a |the )?(?:module|class|function|method)"
              r"|\b(?:overrid|replac|swap|reassign|rebind)\w*\s+`[^`]+`"
              r"|module attributes?|class attributes?|global (?:function|variable|name)s?",
        claim=LEAK, rules=("no-unreverted-monkeypatch",), runtime=("no-leaked-patches",),
        cwes=frozenset({664}), fixes=frozenset({"monkeypatch", "monkeypatch.setattr", "mock.patch.object",
                                                "MockPatchObject"}),
        absent="replaced module or class attribute", site=_attr_site,
    ),
    Subject(
        "mock-leak", "patches that are started and never stopped",
        topic=_MOCK,
        claim=LEAK + r"|(?:not|never|n't) (?:be |being |been )?stopped|without (?:a )?stop\w*|\.start\(\)|stopall"
              r"|remain\w* (?:active|in (?:place|effect|force))",
        rules=("mocks-undone",), runtime=("no-leaked-patches",), cwes=frozenset({772}),
        fixes=frozenset({"addCleanup", "stop", "stopall", "patcher.stop", "MockPatch"}),
        absent="patch", site=_mock_site,
    ),
    Subject(
        "mock-fidelity", "mocks that may diverge from what they replace",
        topic=_MOCK + r"|\bfakes?\b|\bdoubles?\b",
        # "mocks mask the real API's failures"; not "a failing mock would hide the later assertions" (control flow)
        claim=r"autospec\w*|\bspec(?:_set)?\b|signatures?|diverg\w*|drift\w*|out of (?:sync|date)"
              r"|(?:mask\w*|hid(?:e|es|ing))(?! (?:the |any |all )?(?:later |subsequent |following |remaining )?"
              r"(?:assertions?|asserts|checks|steps)\b)"
              r"|(?:real|actual|production) (?:behaviou?r|interface|api|implementation|code)",
        rules=("mocks-autospecced",), cwes=frozenset(), fixes=frozenset({"autospec", "spec", "spec_set",
                                                                         "create_autospec"}),
        absent="patch", site=_mock_site,
    ),
    Subject(
        "patch-target", "patches of names that do not exist",
        topic=_MOCK,
        claim=r"(?:wrong|stale|missing|nonexistent|non-existent|renamed|misspel\w*"
              r"|typo\w*) (?:\w+ )?(?:targets?|names?|paths?|attributes?)"
              r"|(?:does|do) not exist|no longer exists?|dead (?:mock|patch)\w*",
        rules=("patch-targets-exist",), cwes=frozenset({561}), fixes=frozenset(), absent="patch", site=_mock_site,
    ),
    Subject(
        "hardcoded-uuid", "UUIDs spelled out in tests",
        topic=r"\buuids?\b|\bguids?\b|\bidentifiers?\b",
        # the rule reads literals: a claim about a UUID a caller passes (collisions, validation) is no claim
        claim=r"hard[- ]?-?cod\w*|literals?|spelled out|\b(?:repeat|reus|duplicat|cop(?:y|ies|ied))\w*"
              r"|\b[0-9a-f]{8}-[0-9a-f]{4}-|\b[0-9a-f]{4,12}(?:\.{3}|\u2026)"  # the UUID quoted: "e1c2..."
              r"|\b(?:fixed|static|constant|magic)\s+(?:\w+\s+)?(?:uuids?|guids?|ids?|identifiers?|values?|strings?)\b"
              r"|same (?:uuid|id) (?:in|across|for) (?:every|each|all|several)",
        rules=("no-hardcoded-uuids",), cwes=frozenset({1106}),
        fixes=frozenset({"uuids", "uuidsentinel", "uuid4", "uuid.uuid4", "generate_uuid"}),
        absent="hard-coded UUID", site=_uuid_site,
    ),
    Subject(
        "no-assertions", "tests that assert nothing",
        topic=r"\bassert\w*|\btests?\b|verif\w*",
        claim=r"(?:no|without|missing|lacks?|lacking|lack of|absence of|zero)\s+(?:\w+\s+){0,2}(?:assert\w*"
              r"|verification)"
              r"|(?:does|do|did)(?: not|n't) (?:\w+ ){0,2}(?:assert|verify)\b"
              # the active verb: "X is never verified" is one property left unchecked, no test without asserts
              r"|(?:not|never) (?:\w+ )?(?:asserts?|verif(?:y|ies))\b"
              r"|asserts? nothing|checks? nothing|verif(?:y|ies) nothing|smoke tests?|(?:does|do) not check (?:the )?"
              r"(?:result|outcome|return|response|output)",
        rules=("tests-assert",), cwes=frozenset({710}),
        fixes=frozenset({"assert", "assertEqual", "assertTrue", "assert_called_once_with"}),
        absent="test", site=_assert_site, tests=True,
    ),
    Subject(
        "error-paths", "failure paths that no test exercises",
        topic=r"\berrors?\b|exception\w*|failures?|\bfail\w*|edge[- ]cases?|corner[- ]cases?|negative|unhappy"
              r"|invalid inputs?"
              r"|exceptional conditions?",
        claim=r"untested|not (?:\w+ )?(?:tested|covered|exercised)|never (?:tested|covered|exercised)"
              r"|only (?:\w+ )?(?:the )?"
              r"(?:happy|success\w*|positive)|happy[- ]path|no (?:negative|failure|error) (?:tests?|cases?|scenarios?)"
              r"|(?:should|could|must|would|also|never|not|n't)\s+(?:\w+\s+)?test(?:s|ed|ing)?\s+(?:with |for |the )?"
              r"(?:\w+ ){0,5}(?:errors?|failures?|exceptions?|edge cases?)"
              r"|(?:error|failure) scenarios?"
              r"|(?:error|failure|exception|unhappy) paths? (?:is |are )?(?:not|never) (?:\w+ )?"
              r"(?:asserted|checked|verified)",
        rules=("error-paths-tested",), cwes=frozenset({703, 754, 755}),
        fixes=frozenset({"assertRaises", "pytest.raises", "ExpectedException", "side_effect"}),
        absent="test", site=_error_site, tests=True,
    ),
    Subject(
        "resource-cleanup", "resources a test acquires and never releases",
        topic=r"clean ?-?ups?|cleaned up|\bresources?\b|temp(?:orary)? ?(?:files?|dir\w*)|tempfile"
              r"|file handles?|\bthreads?\b"
              r"|subprocess\w*|\bsockets?\b|\bconnections?\b",
        claim=r"(?:\bno\b|\bnot\b|\bnever\b|without|missing|lacks?|lacking|lack of|absence of|n't)[^.;]{0,60}"
              r"(?:clean ?-?ups?|clean(?:ed)? up|clos\w*|releas\w*|remov\w*|delet\w*|join\w*|terminat\w*)"
              r"|leak\w* (?:\w+ )?(?:files?|threads?|process\w*|sockets?|temp\w*|resources?|handles?|connections?)"
              r"|left (?:behind|open|running)|resource leak\w*|\bun(?:joined|closed|released|removed|deleted)\b"
              r"|(?:files?|threads?|process\w*|sockets?|handles?|connections?) (?:\w+ )?leak\w*",
        rules=("cleanup-registered",), cwes=frozenset({772, 404, 459, 401}),
        fixes=frozenset({"addCleanup", "tmp_path", "tmpdir", "TempDir", "with", "addfinalizer"}),
        absent="acquired resource (file, temporary directory, thread, process)", site=_resource_site,
    ),
    # recognised, but no rule covers them: triage says "not checkable" and names them
    Subject("access-control", "access control and authorisation",
            topic=r"access control|authori[sz]\w*|authenticat\w*|privilege\w*|permission\w*|unauthori[sz]ed",
            cwes=frozenset({284, 285, 269, 287, 862, 863, 732})),
    Subject("interaction", "interaction between components and conflicts",
            topic=r"conflict\w*|interaction\w*|race conditions?|concurren\w*|thread[- ]safe\w*"
                  r"|\block (?:ordering|contention)|deadlock\w*",
            cwes=frozenset({435, 362, 366, 367})),
    Subject("calculation", "calculations and counts",
            topic=r"calculat\w*|arithmetic|overflow\w*|\bcounts? (?:is|are|of)\b|number of",
            cwes=frozenset({682, 190, 191, 369, 131})),
    Subject("comparison", "comparisons", topic=r"compar\w*|equivalen\w*", cwes=frozenset({697, 1023, 1025, 597})),
    Subject("validation", "input validation and defensive checks",
            topic=r"validat\w*|neutrali[sz]\w*|saniti[sz]\w*|defensive|check (?:if|whether|that|for)"
                  r"|\bnone (?:checks?|values?)|\bnull (?:checks?|values?|pointers?)"
                  r"|exists? before|invalid\b",
            cwes=frozenset({20, 707, 74, 476, 1284, 1287, 693})),
    Subject("exception-handling", "exception handling in the code",
            topic=r"exception handling|error handling|handl\w* (?:the |any |of )?(?:case|errors?|exceptions?|failures?)"
                  r"|try/except|\bcatch\w*|failure handling",
            cwes=frozenset({703, 754, 755, 390, 391, 248, 392})),
    Subject("clarity", "naming, clarity and maintainability",
            topic=r"clarity|readab\w*|maintain\w*|maintenance|convoluted|naming|complex\w*"
                  r"|hard(?:er)? to (?:understand|read)"
                  r"|coding standards?|(?:code|coding) style|style guides?|magic numbers?|duplicat\w* code",
            cwes=frozenset({710, 1078, 1076, 1041, 1164})),
    Subject("control-flow", "control flow and ordering of steps",
            topic=r"control flow|flow of control|\blinear\b|dependent on (?:the )?success"
                  r"|order of (?:operations|steps)",
            cwes=frozenset({691, 696, 705, 670})),
    Subject("transport-security", "transport security and cryptography",
            topic=r"\btls\b|\bssl\b|encrypt\w*|certificat\w*|crypto\w*|(?:weak|password) hash\w*"
                  r"|hash(?:ing)? algorithms?|plain ?text",
            cwes=frozenset({295, 319, 326, 327, 311})),
    Subject("secrets", "secrets and information exposure",
            topic=r"\bsecrets?\b|passwords?|credentials?|sensitive|(?:auth|access|api|bearer|session|secret) tokens?"
                  r"|information exposure",
            cwes=frozenset({200, 532, 798, 259, 522})),
)

BY_NAME = {s.name: s for s in SUBJECTS}


def subjects_of_rule(rule: str) -> list[Subject]:
    """The subjects a rule (name) checks, statically or at runtime: for the rules docs."""
    return [s for s in SUBJECTS if rule in s.rules or rule in s.runtime]


@dataclass(frozen=True)
class Match:
    """A subject as one finding speaks of it."""

    subject: Subject
    score: int
    cues: tuple[str, ...]  # what decided: "claim: `persist`", "CWE-664", "recommends `self.flags`"
    negated: bool = False  # the finding says this is not a problem
    said: tuple[str, ...] = ()  # polarity of each sentence that speaks of it: "defect", "note"


_CWE_LABEL = re.compile(r"\bCWE[-\u2010\u2011\u2013 ]?[0-9]+(?:[ \t]*\([^()\n]*\))?")
_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n\s*(?:[-*+]|[0-9]{1,3}[.)])\s+|\n{2,}")


# clauses a contrast joins are claims of their own: "does not touch the environment, but the config persists"
_CONTRAST = re.compile(r",?\s+\b(?:but|however|whereas|although|though|yet)\b,?\s+", re.I)
# a change the clause denies, before its claim: "is not modified in a way that persists" claims nothing
_DENIED_CHANGE = re.compile(r"\b(?:not|never|n't|no longer)\s+(?:\w+\s+)?(?:modif|touch|chang|mutat|alter|overrid"
                            r"|patch|set\b|writ)\w*", re.I)


def sentences(finding: Finding) -> list[str]:
    """The finding's title and text, cut into sentences and contrasted clauses, CWE labels dropped (a
    category is no claim)."""
    out = []
    for part in (finding.title, finding.text):
        plain = _CWE_LABEL.sub(" ", part.replace("**", "").replace("__", ""))
        for sentence in _SENTENCE.split(plain):
            out += [c.strip() for c in _CONTRAST.split(sentence or "") if c and c.strip()]
    return out


_CODE = re.compile(r"`[^`\n]*`")
# code that says what is done, not what is named: a keyword argument (`autospec=True`) or a bare method (`.start()`)
_SAYING = re.compile(r"`(?:[a-z_]+=[^`]*|\.\w+\(\))`")


def _uncoded(sentence: str) -> str:
    """A sentence with its code spans blanked: `test_leak` names a test, it claims no leak; "without
    `autospec=True`" and "patched with `.start()`" keep what they say."""
    return _CODE.sub(lambda m: m.group(0)[1:-1] if _SAYING.fullmatch(m.group(0)) else "`x`", sentence)


def _denied(sentence: str, claim: re.Pattern[str]) -> bool:
    """The clause denies the change its claim is about: "the environment is not modified in a way that persists"."""
    found, denied = claim.search(_uncoded(sentence)), _DENIED_CHANGE.search(sentence)
    return bool(found and denied and denied.start() < found.start())


@functools.lru_cache(maxsize=4096)
def _said(sentence: str) -> str:
    try:
        return polarity(sentence)
    except Exception:  # pragma: no cover - the polarity reader is total; triage must be too
        return "note"


def _clean(sentence: str) -> bool:
    return _said(sentence) == "clean"


def read(finding: Finding, anchored_sites: Callable[[Subject], bool] | None = None) -> list[Match]:
    """The subjects the finding speaks of, best first; negated ones marked.

    Score: 2 for a topic and a claim in one sentence; 1 for a topic alone; 1 for a CWE id of the
    subject; 1 for a recommended fix name, 2 for a fix name the finding says is absent; 1 when the
    anchored code holds the subject's constructs. Recognised with 2 from the text, or 1 from the
    text and 3 in all. A subject whose topic-and-claim sentences all read as "no problem" is negated.
    """
    cwes = {cwe for cwe, _ in finding.cwes}
    out: list[Match] = []
    parts = sentences(finding)
    for subject in SUBJECTS:
        topic, claim = subject.pattern("topic"), subject.pattern("claim")
        text = 0
        cues: list[str] = []
        negated_only = False
        said: list[str] = []
        strong = [s for s in parts if topic.search(s) and (not subject.checkable or claim.search(_uncoded(s)))]
        weak = [s for s in parts if topic.search(s)]
        if subject.checkable and strong:
            live = [s for s in strong if not _clean(s) and not _denied(s, claim)]
            said += [_said(s) for s in live]
            if live:
                text = 2
                found = claim.search(_uncoded(live[0]))
                cues.append(f"claim `{found.group(0) if found else live[0][:30]}`")
            else:
                negated_only = True
        elif weak:
            live = [s for s in weak if not _clean(s)]
            said += [_said(s) for s in live]
            if live:
                text = 2 if not subject.checkable else 1
                found = topic.search(live[0])
                cues.append(f"topic `{found.group(0) if found else ''}`")
        for mention in finding.mentions:
            name = mention.name
            if name in subject.fixes or name.rpartition(".")[2] in subject.fixes:
                bonus = 2 if mention.role == "absent" else 1
                if mention.role in ("absent", "recommended"):
                    text = max(text, min(2, text + bonus))
                    cues.append(f"{'says absent' if mention.role == 'absent' else 'recommends'} `{name}`")
        score = text
        if cwes & subject.cwes:
            score += 1
            cues.append("CWE-" + "/".join(str(c) for c in sorted(cwes & subject.cwes)))
        if text and subject.site is not None and anchored_sites is not None and anchored_sites(subject):
            score += 1
            cues.append(f"anchored code holds a {subject.absent}" if subject.absent != "test" else "anchored code")
        if negated_only and not text:
            out.append(Match(subject, 0, ("the finding says it is not a problem",), negated=True))
        elif text >= 2 or (not subject.checkable and text >= 1):
            out.append(Match(subject, score, tuple(cues), said=tuple(dict.fromkeys(said))))
    return sorted(out, key=lambda m: (m.negated, not m.subject.checkable, -m.score))


def sites(index: ModuleIndex, subject: Subject, first: int = 1, last: int = 0) -> list[int]:
    """Lines in ``first..last`` (the whole module by default) that hold the subject's constructs."""
    if subject.site is None or index.tree is None:
        return []
    last = last or len(index.lines)
    found = {getattr(n, "lineno", 0) for n in walk(index.tree) if subject.site(n, index)}
    return sorted(line for line in found if first <= line <= last)


def rules_of(matches: Sequence[Match]) -> list[str]:
    """The static rules of the recognised, not negated subjects, in table order, once each."""
    out: list[str] = []
    for match in matches:
        if not match.negated:
            out.extend(r for r in match.subject.rules if r not in out)
    return out
