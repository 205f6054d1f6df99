"""Terminal escape sequences and control characters in reviews, rules and probes (SPEC 8).

A review title such as ``\\x1b[2J`` would clear the screen of whoever runs the suite. Every output
(terminal failure text, short summary, warnings, the reviewgate summary, JUnit, SARIF) shows such
text stripped of escape sequences, with the other control characters written as ``\\xNN``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from pytest_reviewgate.report.escapes import printable

if TYPE_CHECKING:
    from conftest import Tree

# Raw control characters, and what is left of an escape sequence when only its ESC is dropped.
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]|\\\\u001b|\\[31m|\\[2J|]8;;|]0;")

PAYLOADS = {
    "colour": "\x1b[31mred\x1b[0m",
    "clear-screen": "\x1b[2J\x1b[Hcleared",
    "hyperlink": "\x1b]8;;https://example.invalid\x07link\x1b]8;;\x07",
    "window-title": "\x1b]0;pwned\x1b\\title",
    "c1-csi": "\u009b2Jeight-bit",
    "bidi-override": "\u202eevil",
    "carriage-return": "\rPASSED fake",
    "backspaces": "x\b\b\bbell\x07",
}


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain text, tabs\tand\nnewlines", "plain text, tabs\tand\nnewlines"),
        ("é 中文 🙂", "é 中文 🙂"),
        ("\x1b[31mred\x1b[0m", "red"),
        ("\x1b[1;38;5;196mbold\x1b[m", "bold"),
        ("\x1b[2J\x1b[Hcleared", "cleared"),
        ("\x1b]8;;https://x.invalid\x07link\x1b]8;;\x07", "link"),
        ("\x1b]0;title\x1b\\after", "after"),
        ("\x1bPdevice\x1b\\after", "after"),
        ("\u009b2Jafter", "after"),
        ("end\x1b", "end"),
        ("a\rb", "a\\x0db"),
        ("nul\x00del\x7f", "nul\\x00del\\x7f"),
        ("c1\x85", "c1\\x85"),
        ("\u202eevil\u2066x\u2069", "\\u202eevil\\u2066x\\u2069"),
        ("line\u2028sep", "line\\u2028sep"),
    ],
    ids=lambda value: repr(value)[:24],
)
def test_printable_strips_escape_sequences_and_shows_other_controls(text: str, shown: str) -> None:
    assert printable(text) == shown
    assert RAW.search(printable(text)) is None


def test_printable_returns_clean_text_itself() -> None:
    text = "nothing to do here " * 100
    assert printable(text) is text


def review_with(payload: str) -> str:
    """A review whose title, directive and front matter carry ``payload``."""
    quoted = payload.replace("\\", "\\\\").encode("unicode_escape").decode("ascii").replace('"', '\\"')
    return (
        "---\n"
        "expect:\n"
        "  - rule: tests-assert\n"
        f'    when: "{quoted} >= 1"\n'
        "---\n"
        f"1. **Title {payload} end**: `test_plain` line 9\n"
        f"   expect: no-such-rule{payload}\n"
        "\n"
        f"2. **Second {payload}**: `test_plain` line 1\n"
        "   expect: tests-assert\n"
    )


@pytest.mark.parametrize("payload", sorted(PAYLOADS))
def test_review_text_reaches_no_output_with_its_escape_sequences(tree: Tree, payload: str) -> None:
    text = PAYLOADS[payload]
    tree.write("test_plain.review.txt", review_with(text))
    # an unknown rule key is a warning: the key reaches the warnings summary
    tree.pytester.makepyprojecttoml(f'[tool.reviewgate.severity]\n"zz{toml_escaped(text)}" = "warning"\n')
    result = tree.run("-v", "--junitxml=out/junit.xml", "--reviewgate-sarif=out/report.sarif", "-W", "always")
    tree.survived(result, changed=("out/junit.xml", "out/report.sarif"))
    output = result.stdout.str() + result.stderr.str()
    for name, shown in (("terminal", output), *((path, (tree.path / path).read_text()) for path in tree.changed)):
        found = RAW.search(shown)
        assert found is None, f"{name}: {found.group()!r} in\n{shown[max(found.start() - 200, 0):found.end() + 200]}"
    result.stdout.fnmatch_lines(["test_plain.review.txt:1: review", "  test_plain.review.txt:*: RG003 review-valid: *"])
    result.stdout.fnmatch_lines(["test_plain.review.txt:6: finding 1: Title*"])
    result.stdout.fnmatch_lines(["*ReviewgateWarning: [[]tool.reviewgate[]] severity.zz*: unknown rule*"])
    result.assert_outcomes(passed=3, failed=3)
    # suggest and triage run the review items only, and print the review's titles
    result = tree.run("--reviewgate-suggest", "--reviewgate-triage", "--reviewgate-triage-json=out/triage.json")
    result.stdout.fnmatch_lines(["triage: 2 findings: *"])
    written = (tree.path / "out/triage.json").read_text()
    for name, shown in (("terminal", result.stdout.str()), ("triage.json", written)):
        found = RAW.search(shown)
        assert found is None, f"{name}: {found.group()!r} in\n{shown[max(found.start() - 200, 0):found.end() + 200]}"


def toml_escaped(text: str) -> str:
    return "".join(f"\\u{ord(ch):04x}" if RAW.match(ch) or ch in '"\\' else ch for ch in text)


RULE_CONFTEST = '''
import os

from pytest_reviewgate import Rule, Violation


class Loud(Rule):
    """Loud \\x1b[31mred\\x1b[0m rule.

    ## What it does
    Shouts \\x1b]0;pwned\\x07.

    ## Why is this bad?
    Because.

    ## Example
    ```python
    x = 1
    ```

    Use instead:
    ```python
    x = 2
    ```
    """

    code = "XY001"
    name = "loud"
    summary = "Loud \\x1b[2J rule"
    cwe = 664

    def check(self, context):
        yield Violation(self.code, "shouts \\x1b[31mred\\x1b[0m -> whisper", context.index.path, 1, "test_plain")


class Probe:
    rule = "env-restored"
    name = "probe \\x1b[31mred"
    hint = "hint \\x1b[2J"

    def snapshot(self):
        return os.urandom(4)

    def diff(self, before, after):
        return ["changed \\x1b]8;;https://x.invalid\\x07link\\u202e"]


def pytest_reviewgate_register_rules(registry):
    registry.add(Loud)


def pytest_reviewgate_runtime_probes(config):
    return [Probe()]
'''


def test_a_custom_rules_and_probes_text_reaches_no_output_with_its_escape_sequences(tree: Tree) -> None:
    tree.write("conftest.py", RULE_CONFTEST)
    tree.pytester.makepyprojecttoml('[tool.reviewgate]\nseverity = { loud = "warning" }\n')
    tree.write("test_plain.review.txt", "1. **Plain**: `test_plain` line 1\n   expect: loud, env-restored\n")
    result = tree.run("-v", "--junitxml=out/junit.xml", "--reviewgate-sarif=out/report.sarif")
    tree.survived(result, changed=("out/junit.xml", "out/report.sarif"))
    for shown in (result.stdout.str(), result.stderr.str(), *((tree.path / p).read_text() for p in tree.changed)):
        assert RAW.search(shown) is None, shown
    result.stdout.fnmatch_lines(["*ReviewgateWarning: XY001 in test_plain: shouts red -> whisper"])
    result.stdout.fnmatch_lines(["*ERROR at teardown of test_plain*", "  - changed link\\u202e"])
    listed = tree.run("--reviewgate-rules")
    assert RAW.search(listed.stdout.str()) is None
    listed.stdout.fnmatch_lines(["XY001  loud * Loud  rule"])
    explained = tree.run("--reviewgate-explain", "loud")
    assert RAW.search(explained.stdout.str()) is None
