"""Review texts of the benchmark corpus, in the shapes of shared/review-samples.

Numbered bold findings with CWE ids, line anchors (most exact, some a line or two off, some
stale), backticked and call-style symbols, inline ``expect:`` lines for every static rule with
and without ``on`` targets, ``status: open``, module-level expectations and some front matter.
"""

from __future__ import annotations

import random

from corpus_modules import Def, Module

CWE_NAMES = {
    284: "Improper Access Control", 435: "Improper Interaction Between Multiple Entities",
    664: "Improper Control of a Resource Through its Lifetime", 682: "Incorrect Calculation",
    691: "Insufficient Control Flow Management", 693: "Protection Mechanism Failure",
    697: "Incorrect Comparison", 703: "Improper Check or Handling of Exceptional Conditions",
    707: "Improper Neutralization", 710: "Improper Adherence to Coding Standards",
    404: "Improper Resource Shutdown or Release", 798: "Use of Hard-coded Credentials",
}
# rule -> (code, issues it is about, CWE ids reviewers cite, titles)
RULES = {
    "config-reverted-via-fixtures": ("RG101", ("config-override", "config-assign", "config-flags",
                                               "config-override-cleanup"), (664, 664, 691),
                                     ("Global State Manipulation", "Configuration Changes During Tests")),
    "env-reverted-via-fixtures": ("RG102", ("env-write", "env-fixture", "monkeypatch-setenv"), (664, 693),
                                  ("Environment Variables Leak Between Tests", "Global State Manipulation")),
    "no-unreverted-monkeypatch": ("RG103", ("monkeypatch-assign", "monkeypatch-setattr"), (664, 710),
                                  ("Module Attributes Replaced Without Restore", "Improper Mocking in Tests")),
    "mocks-undone": ("RG201", ("mock-start-leak", "mock-start-cleanup"), (664, 664, 691),
                     ("Mocks Started Without Being Stopped", "Improper Mocking in Tests")),
    "mocks-autospecced": ("RG202", ("mock-no-autospec", "mockpatch-fixture"), (710, 697),
                          ("Mocks That May Drift From the Real Code", "Improper Mocking in Tests")),
    "patch-targets-exist": ("RG203", ("patch-target-missing", "patch-target"), (710, 435),
                            ("Patch Targets That No Longer Exist", "Code Clarity and Maintenance Issues")),
    "cleanup-registered": ("RG301", ("tempdir-leak", "tempdir-cleanup", "mock-start-leak"), (664, 664, 703),
                           ("Resource Control and Exception Handling", "Temporary Files Are Not Removed")),
    "no-hardcoded-uuids": ("RG302", ("uuid",), (710, 707), ("Hard-coded UUIDs", "Use of Hard-coded Values")),
    "tests-assert": ("RG303", ("no-assert",), (703, 697), ("Tests Without Assertions", "Incomplete Verification")),
    "error-paths-tested": ("RG304", ("raises",), (703, 703), ("Exception Handling Is Not Tested",
                                                              "Improper Check or Handling of Exceptional Conditions")),
}
SAYS = {
    "config-override": ("calls `CONF.set_override` and nothing reverts it", "CONF.set_override"),
    "config-override-cleanup": ("overrides an option and registers `CONF.clear_override` with addCleanup",
                                "CONF.clear_override"),
    "config-assign": ("assigns a configuration attribute directly and restores it by hand", ""),
    "config-flags": ("changes configuration through self.flags()", "self.flags()"),
    "env-write": ("writes to `os.environ` directly, so the variable persists into other tests", "os.environ"),
    "env-fixture": ("sets an environment variable through `fixtures.EnvironmentVariable`",
                    "fixtures.EnvironmentVariable"),
    "monkeypatch-setenv": ("sets an environment variable with monkeypatch.setenv()", "monkeypatch.setenv"),
    "monkeypatch-assign": ("replaces the module's `LOG` by assignment and never restores it", ""),
    "monkeypatch-setattr": ("replaces a module attribute through monkeypatch.setattr()", "monkeypatch.setattr"),
    "mock-start-leak": ("starts a patcher with start() without ever stopping it", "mock.patch"),
    "mock-start-cleanup": ("starts a patcher and stops it with `addCleanup`", "addCleanup"),
    "mock-no-autospec": ("patches without autospec, so the mock accepts any signature", "mock.patch"),
    "mockpatch-fixture": ("uses `fixtures.MockPatch` to replace a method", "fixtures.MockPatch"),
    "patch-target-missing": ("patches an attribute that may no longer exist in the code under test", "mock.patch"),
    "patch-target": ("patches a method of the code under test", "mock.patch"),
    "tempdir-leak": ("creates a temporary directory with tempfile.mkdtemp() and never removes it",
                     "tempfile.mkdtemp()"),
    "tempdir-cleanup": ("creates a temporary directory and removes it with shutil.rmtree in a cleanup",
                        "shutil.rmtree"),
    "uuid": ("uses hard-coded UUIDs instead of generating them", ""),
    "no-assert": ("calls the code under test but never asserts anything about the result", ""),
    "raises": ("checks the failure path with assertRaises", "assertRaises"),
}
DEFECTS = {"config-override", "config-assign", "env-write", "monkeypatch-assign", "mock-start-leak",
           "mock-no-autospec", "patch-target-missing", "tempdir-leak", "uuid", "no-assert"}
CONSEQUENCES = (
    "If an assertion fails in between, the change leaks into every later test.",
    "This could lead to difficult-to-track bugs in unrelated tests that run afterwards.",
    "While this does not represent a security defect per se, it could mask issues in production.",
    "This could allow the tests to pass even though the system is not operating correctly.",
    "Adding proper cleanup would make the tests more reliable and indicative of real-world behaviour.",
)
INTROS = {
    "cwe-list": "The following security defects are found in the code:",
    "observations": "The provided code does not exhibit explicit security defects in the specific CWE categories "
                    "provided. However, there are a few areas where improvements could be made to ensure better "
                    "test isolation and robustness:",
    "vpmem": "The code provided does not exhibit explicit security defects related to the CWE categories listed. "
             "There are some general observations and potential areas for improvement, albeit not necessarily "
             "security defects:",
}


def write_review(rng: random.Random, mod: Module, module_name: str) -> str:
    style = rng.choice(("cwe-list", "observations", "vpmem", "gated", "gated"))
    out: list[str] = []
    if style == "gated" or rng.random() < 0.1:
        out += _front_matter(rng, mod)
    intro = INTROS.get(style, f"Review of {module_name} (security and test hygiene).")
    out += [intro, ""]
    if rng.random() < 0.2:
        out += ["### Key Observations:", ""]
    count = min(40, rng.randint(2, 7) + len(mod.lines) // 1500)
    for number in range(1, count + 1):
        out += _finding(rng, mod, style, number)
        if style != "cwe-list":
            out.append("")
    if rng.random() < 0.2:
        out += ["", "### Conclusion:"]
    out += ["", "These observations highlight areas where the code could be improved for robustness and isolation."]
    if rng.random() < 0.1:
        rule = rng.choice(("no-hardcoded-uuids", "tests-assert", "mocks-undone", "RG302", "mocks-autospecced"))
        out += ["No test in this module should leave state behind or carry magic values:", f"expect: {rule}"]
    return "\n".join(out) + "\n"


def _front_matter(rng: random.Random, mod: Module) -> list[str]:
    out = ["---", 'requires: ">=0.1"', "expect:"]
    for rule in rng.sample(sorted(RULES), rng.randint(1, 3)):
        out.append(f"  - rule: {rule}")
        if mod.classes and rng.random() < 0.5:
            out.append(f'    on: ["{rng.choice(mod.classes)}.test_*"]')
        if rng.random() < 0.7:
            out.append("    severity: warning")
        elif rng.random() < 0.3:
            out.append("    status: open")
    return [*out, "---"]


def _pick(rng: random.Random, mod: Module) -> tuple[str, Def, str, bool]:
    """A rule, a definition, its issue, and whether that issue is what the rule is about."""
    rule = rng.choice(sorted(RULES))
    kinds = RULES[rule][1]
    having = [(d, k) for d in mod.defs for k in d.kinds if k in kinds]
    if having and rng.random() < 0.9:
        d, kind = rng.choice(having)
        return rule, d, kind, True
    d = rng.choice([d for d in mod.defs if d.is_test] or mod.defs)
    return rule, d, next(iter(d.kinds), ""), False


def _anchor_lines(rng: random.Random, d: Def, kind: str, mod: Module) -> tuple[int, int]:
    """The span (or line) a reviewer cites: mostly right, sometimes a little off, sometimes stale."""
    start, end = (d.kinds[kind], d.kinds[kind]) if kind in d.kinds and rng.random() < 0.5 else (d.def_line, d.end)
    roll = rng.random()
    if roll < 0.85:
        return start, end
    if roll < 0.96:
        start = max(1, start + rng.choice((-2, -1, 1)))
        return start, max(start, end + rng.choice((0, 1, 2)))
    shift = rng.randint(6, 40) * rng.choice((-1, 1))
    return max(1, start + shift), max(1, end + shift)


def _lines_text(a: int, b: int, form: str) -> str:
    if a == b:
        return f"Line {a}" if form == "cwe-list" else f"line {a}"
    return f"lines {a}-{b}"


def _symbol(rng: random.Random, d: Def) -> str:
    roll = rng.random()
    if roll < 0.02:
        return "`self.current_host`"  # a symbol that is nowhere in the code
    if roll < 0.5:
        return f"`{d.name}`"
    if roll < 0.75 and "." in d.qualname:
        return f"`{d.qualname}`"
    return f"{d.name}()"


def _expectation(rng: random.Random, mod: Module, rule: str, d: Def, defect: bool) -> list[str]:
    code = RULES[rule][0]
    names = code if rng.random() < 0.2 else rule
    if rng.random() < 0.1:
        names += ", " + rng.choice([r for r in sorted(RULES) if r != rule])
    roll = rng.random()
    cls = d.qualname.partition(".")[0] if "." in d.qualname else ""
    if roll < 0.45:
        on = ""
    elif roll < 0.65:
        on = d.qualname
    elif roll < 0.75 and cls:
        on = f"{cls}.test_*"
    elif roll < 0.82 and cls:
        on = cls
    elif roll < 0.9:
        on = f"lines {d.def_line}-{d.end}"
    else:
        on = ", ".join(sorted({d.qualname, rng.choice(mod.defs).qualname}))
    out = [f"expect: {names}" + (f" on {on}" if on else "")]
    if defect and rng.random() < 0.9:  # an acknowledged defect
        out.append("status: open")
    if rng.random() < 0.02 and d.is_test:
        out.append(f"expect: env-restored on {d.qualname}")
    return out


def _finding(rng: random.Random, mod: Module, style: str, number: int) -> list[str]:
    rule, d, kind, matched = _pick(rng, mod)
    _, _, cwes, titles = RULES[rule]
    cwe = rng.choice(cwes) if rng.random() > 0.02 else rng.choice((404, 798))  # RG002 fails on these
    says, construct = SAYS.get(kind, ("does more than its name suggests", ""))
    if mod.style == "pytest":  # the pytest spellings of the same things
        says = says.replace("assertRaises", "pytest.raises").replace("with `addCleanup`", "in teardown_method")
        construct = {"assertRaises": "pytest.raises", "addCleanup": ""}.get(construct, construct)
    a, b = _anchor_lines(rng, d, kind, mod)
    symbol = _symbol(rng, d)
    extra = f" through `{construct}`" if construct and kind in d.kinds and rng.random() < 0.5 else ""
    sentence = f"{symbol} {says}{extra}. {rng.choice(CONSEQUENCES)}"
    if style == "cwe-list":
        cwe_text = f"CWE-{cwe}" if rng.random() < 0.9 else f"CWE {cwe}"
        head = f"{number}. **{cwe_text} ({CWE_NAMES[cwe]})**: {_lines_text(a, b, style)}"
        body = [f"   - The {d.name}() method {says}. {rng.choice(CONSEQUENCES)}"]
    elif style == "vpmem":
        other = rng.choice(mod.defs)
        head = f"{number}. **{rng.choice(titles)} (CWE-{cwe})**:"
        body = [f"   - The test {says} (e.g., lines {a}-{b}, and lines {other.def_line}-{other.end}). "
                f"{rng.choice(CONSEQUENCES)}"]
    elif style == "gated":
        head = f"{number}. **{rng.choice(titles)} (CWE-{cwe})**: {_lines_text(a, b, style)}"
        body = [f"   - {sentence}"]
    else:
        head = f"{number}. **{rng.choice(titles)}**:"
        body = [f"   - In the method {symbol} ({_lines_text(a, b, style)}), the code {says}{extra}. "
                f"{rng.choice(CONSEQUENCES)}"]
    if rng.random() < 0.15:
        body.append(f"   - There isn't any direct evidence that `{d.name}` is affected beyond this.")
    if matched and rng.random() < (0.85 if style == "gated" else 0.6):
        body += ["   " + line for line in _expectation(rng, mod, rule, d, kind in DEFECTS)]
    return [head, *body]
