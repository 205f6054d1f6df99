"""The generated parts of README.md and docs/: rules, configuration keys, command-line options.

``python -m pytest_reviewgate.docs`` rewrites each marked block from the code; ``--check`` only
compares and exits 1 when a file is stale. A block sits between ``<!-- NAME -->`` and ``<!-- /NAME -->``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import MISSING, dataclass, fields
from importlib import metadata
from pathlib import Path
from typing import Any, cast

from .config import ConfigError, Settings, settings_from_table
from .rules import BUILTIN_RULES
from .rules.base import Rule

RULES_PAGE = "docs/rules.md"
CWE_URL = "https://cwe.mitre.org/data/definitions/{}.html"

# What ``Settings`` cannot say about a key: its meaning. A field without an entry fails the docs test.
KEY_DOCS: dict[str, str] = {
    "autospec-bases": (
        "Classes (qualified names) whose tests run with mock's signature checking switched on for every "
        "patch, as oslotest's `patch_mock_module()` does. `mocks-autospecced` finds that switch itself "
        "when the module, a conftest or package above it, or a project base class calls it; list a base "
        "here when the switch is made some other way."
    ),
    "rule-timeout": (
        "The time limit of each rule check, custom probe call and hook call, in seconds (0: no limit). "
        "A rule or probe that runs longer fails its own item, and the session goes on. The limit is "
        "kept with a timer signal in the main thread (xdist workers included); it is not enforced on "
        "Windows or off the main thread, and it steps aside for an earlier timer such as "
        "pytest-timeout's. `--reviewgate-timeout SECONDS` overrides it."
    ),
    "gate-inherited": (
        "A review gates its own module. A violation located in another file that a closure reaches (a "
        "project base class's `setUp`, a conftest fixture, a helper module) does not fail the reviews "
        "that reach it: it is reported once per session, at its own file and line, as a warning saying "
        "how many reviewed modules inherit it (in the summary and in SARIF, level `warning`). `true` "
        "makes such violations fail every review that reaches them."
    ),
    "required-version": (
        "A version specifier (`\">=0.2\"`) that this plugin's version must meet; otherwise the run "
        "stops with a usage error. Reviews can ask the same with `requires:` in their front matter."
    ),
    "glob": (
        "File name pattern of review files. `X<suffix>` reviews the sibling `X.py`, where `<suffix>` is "
        "the literal tail of the glob: `*.review.txt` pairs `test_foo.review.txt` with `test_foo.py`, "
        "`*.review.md` pairs `test_foo.review.md` with it. A pattern, not a path: no `/`."
    ),
    "default-rules": (
        "Rules every review gets without asking. `anchors-resolve` makes the `::anchors` items and "
        "`cwe-known` checks CWE ids in `::cwe-known`; leave one out to switch it off. A static or runtime "
        "rule listed here gets an `::expect::<name>` item covering the whole module of every review."
    ),
    "line-tolerance": (
        "How many lines a line anchor that pairs with a definition may stray outside it (LLM reviews "
        "are usually one or two lines off)."
    ),
    "cwe-taxonomy": (
        "The CWE ids a review may cite (checked by `cwe-known`). `\"catalog\"` (the default) accepts "
        "every id of the CWE catalog shipped with the plugin (4.14, with names), so a typo such as "
        "CWE-6640 fails and names the closest real id; `\"pillars\"` accepts the ten pillars of CWE-1000 "
        "(284, 435, 664, 682, 691, 693, 697, 703, 707, 710); `\"any\"` accepts every id; a list accepts "
        "those ids; `extend-cwe-taxonomy` adds ids."
    ),
    "config-objects": (
        "Qualified names of global configuration objects that `config-reverted-via-fixtures` (RG101) "
        "watches. Besides these, any global named `CONF` counts (`nova.conf.CONF`, `CONF = cfg.CONF`)."
    ),
    "reverting-calls": (
        "Helpers of your own test code that revert what they change by construction, so RG101 does not "
        "look inside them: `override`, `self.override`, `Base.override`, `pkg.base.Base.override`, or a "
        "glob. A name matches a helper the targets call by its name, its qualified name or a dotted suffix."
    ),
    "reverting-bases": (
        "Qualified names of test base classes whose `setUp` reverts every configuration override (for "
        "example a base that installs oslo.config's `Config` fixture). A test class inheriting one, "
        "through any chain of bases read from source, passes RG101 for overrides."
    ),
    "stopall-bases": (
        "Qualified names of test base classes that register `mock.patch.stopall` as a cleanup. A test "
        "class inheriting one passes `mocks-undone` (RG201) for started patchers."
    ),
    "runtime-probes": (
        "Configuration objects that `config-restored` (RG903) snapshots around each watched test, as "
        "`module:attribute` (`\"oslo_config.cfg:CONF\"`). An object is probed only when its module is "
        "already imported."
    ),
    "baseline": (
        "Path of a baseline file, relative to the rootdir (the same as `--reviewgate-baseline`, which "
        "wins): static violations listed there, up to their count, do not fail."
    ),
    "max-review-bytes": "A review larger than this fails its `::review` item and makes no other item.",
    "max-findings": "A review with more findings than this fails its `::review` item and makes no other item.",
    "severity": (
        "A table of rule code or name -> `\"error\"`, `\"warning\"` or `\"off\"`: the default severity "
        "of that rule's expectations in every review. A `severity:` in a review's front matter wins. "
        "The review rules take it too: `anchors-resolve` (RG001) for the `::anchors` items, `cwe-known` "
        "(RG002) for `::cwe-known`, `review-valid` (RG003) for `::review`; at `\"warning\"` their "
        "problems become warnings at the review's lines, at `\"off\"` they are not checked."
    ),
    "rules": (
        "One table per rule, `[tool.reviewgate.rules.<code or name>]`, of that rule's options; see "
        "[Rule options](#rule-options)."
    ),
}

# TOML types of ``Settings`` annotations; an annotation missing here fails the docs test.
TYPE_NAMES: dict[str, str] = {
    "bool": "boolean",
    "float": "number of seconds >= 0 (0: no limit)",
    "str": "string",
    "str | None": "string",
    "int": "integer >= 0",
    "tuple[str, ...]": "list of strings",
    "Taxonomy | None": '`"catalog"`, `"pillars"`, `"any"`, or a list of integers',
    "Mapping[str, str]": "table",
    "Mapping[str, Mapping[str, Any]]": "table of tables",
}

# What each ``--reviewgate-*`` option does, beyond its one-line help; a missing entry fails the docs test.
CLI_DOCS: dict[str, str] = {
    "--reviewgate-only": (
        "Collect and run only the review items. Directories are collected as plain directories, so no "
        "package `__init__.py` is imported, and no test module is collected or imported. `conftest.py` "
        "files are still imported, because custom rules live there: add `--noconftest` for trees whose "
        "conftests cannot be imported. Runtime expectations are skipped (no test runs)."
    ),
    "--reviewgate-rules": (
        "Print every rule, one line each, and exit 0: the built-in ones, those of installed plugins, and "
        "those of the `conftest.py` files pytest loads at start-up (the rootdir's and those of the paths "
        "given). Registration problems (a duplicate code, a rule without docs) follow as `error:` lines."
    ),
    "--reviewgate-explain": (
        "Print one rule's documentation (by code or name) and its option defaults, and exit 0. An "
        "unknown name is a usage error that suggests the closest one."
    ),
    "--reviewgate-sarif": (
        "Write a SARIF 2.1.0 log to PATH (relative to the current directory) at the end of the session: "
        "one run, the rules with their docs and CWE tags, one result per violation. Static and runtime "
        "results point at the test module, RG001-RG003 results at the review file, and each result "
        "carries the finding as a related location and fingerprints that survive edits elsewhere in the "
        "file. Violations the baseline or `status: open` suppresses carry `suppressions` (those an ignore "
        "comment suppresses are left out, and only counted in the terminal summary); "
        "results of open findings are `note`-level, so GitHub code scanning does not show them as "
        "errors. Rules carry `helpUri`, `precision`, `security-severity` and the tags `security` and "
        "`external/cwe/cwe-N`; the run's `automationDetails.id` is `reviewgate/`. Written on the "
        "controller from test reports, so it is complete under pytest-xdist. Write it as "
        "`--reviewgate-sarif=PATH`: pytest reads a bare path argument as a place to collect from."
    ),
    "--reviewgate-codequality": (
        "Write a GitLab Code Quality report to PATH (relative to the current directory) at the end of "
        "the session: a JSON array with one issue per violation, as SARIF has one result per "
        "violation: `description` (rule, definition, message and finding), `check_name` (the rule "
        "code), `fingerprint` (SARIF's `partialFingerprints`, stable across edits elsewhere in the "
        "file), `severity` (`major` for a failing violation, `minor` at severity warning, `info` for "
        "one that `status: open` or the baseline accepts) and `location.path` / `location.lines.begin`, "
        "relative to the same root as SARIF's URIs (`--reviewgate-sarif-root`, else the git work tree, "
        "else the rootdir). Written on the controller from test reports, so it is complete under "
        "pytest-xdist. Give it to GitLab as `artifacts:reports:codequality`."
    ),
    "--reviewgate-timeout": (
        "The time limit of each rule check, custom probe call and hook call, in seconds (0: no limit), "
        "over `rule-timeout` of `[tool.reviewgate]` (default 60). A negative or non-number value is a "
        "usage error."
    ),
    "--reviewgate-sarif-root": (
        "The directory SARIF URIs are relative to. By default the git work tree that holds the "
        "rootdir (where `.git` is), else the rootdir: code scanning resolves URIs against the "
        "repository root. No absolute path of the machine is written. Code Quality paths "
        "(`--reviewgate-codequality`) are relative to the same directory."
    ),
    "--reviewgate-sarif-skip-open": (
        "Leave the results of open (acknowledged) findings out of the SARIF log, instead of writing "
        "them as `note`-level results marked `reviewgate/suppressed: open`."
    ),
    "--reviewgate-baseline": (
        "A baseline file (JSON), relative to the rootdir; the same as the `baseline` key. A static "
        "violation's identity is rule + module + enclosing definition + the offending line with its "
        "whitespace collapsed, mapped to a count: the run fails only where a count grows, so existing "
        "debt does not block and line moves do not matter. Only static rule violations can be "
        "baselined. RG001-RG003 (anchors, CWE ids, the review file) are about the review itself: the "
        "fix is a one-line edit of the review (`--reviewgate-fix` does most), and a baselined stale "
        "anchor would gate the wrong code. Runtime leaks (RG901-RG903) have no source line to key them "
        "on and depend on test order: acknowledge them with `status: open` on the finding instead. A "
        "file that does not exist, cannot be read or is not a baseline (JSON errors name their line) "
        "is a usage error (exit 4) before collection. Entries that nothing matched in the modules and "
        "rules the run checked are listed at the end of the `reviewgate` section, with a hint to "
        "rewrite the file; a `-k` or node-id subset does not call the entries of what it left out "
        "unused."
    ),
    "--reviewgate-update-baseline": (
        "Write the baseline (`--reviewgate-baseline` or `baseline`) from this run's static violations "
        "instead of reading it, atomically, at the end of the session; the file may not exist yet. "
        "Without a baseline path it is a usage error (exit 4) before collection."
    ),
    "--reviewgate-suggest": (
        "Read-only; implies `--reviewgate-only`. Triages each finding that has no `expect:` line (see "
        "`--reviewgate-triage`) and prints, in the `reviewgate` summary, the lines to add to it: for a "
        "confirmed finding the `expect:` line of the rules that find its problem; for a refuted one "
        "`status: closed` and the `expect:` line that keeps its claim false. Each block names the review "
        "file and the line to add after (`test_x.review.txt:12: finding 3 (...) is refuted; add after "
        "line 12:`). Lines starting with `#` give the evidence, for the reader: reviews have no comments, "
        "so paste only the others. A rule is suggested only when the finding's subject maps to it (the "
        "subjects table, see [triage](triage.md)), never for a single word."
    ),
    "--reviewgate-triage": (
        "Read-only; needs no `expect:` lines and implies `--reviewgate-only`. For every finding of every "
        "collected review, print a verdict and its evidence in the `reviewgate` summary: **confirmed** "
        "(a rule its subject maps to finds the problem at its anchors; the violation, file and line), "
        "**refuted** (those rules pass on its anchors; the construct that makes the claim false and its "
        "line, or that the anchored code holds nothing of the subject), **not checkable** (no rule "
        "covers what it speaks of; the subjects recognised) or **clean** (the finding says there is no "
        "problem). The counts head the list. Each verdict is also a SARIF result (kind `informational`, "
        "level `none`, property `reviewgate/triage`) at the finding in the review file when "
        "`--reviewgate-sarif` is given, and a `reviewgate:triage` JUnit property of the review's "
        "`::review` item. Works under pytest-xdist. See [triage](triage.md)."
    ),
    "--reviewgate-triage-json": (
        "Write the verdicts to PATH as JSON (implies the triage, printed or not): `version`, `counts` "
        "per verdict and `findings`, one object per finding with `review`, `finding`, `line`, `title`, "
        "`verdict` (`confirmed`, `refuted`, `not-checkable`, `clean`), `rules`, `subjects`, `runtime`, "
        "`reason` and `evidence` (a list of `file`, `line`, `text`). Paths are relative to the rootdir. "
        "See [triage](triage.md#json)."
    ),
    "--reviewgate-fix": (
        "Rewrite failing line anchors: each line is paired with the definition the finding names that "
        "holds it or is nearest to it in the code, and only the digits change (`Lines 40-44` -> "
        "`Lines 50-54`). A line as near to two named definitions, or to a name defined twice, is left "
        "alone, and its failure says why. Pins of rewritten anchors move with them. Each change is "
        "printed at the end of the session (`review.txt:12: lines 40-44 -> lines 50-54`)."
    ),
    "--reviewgate-pin": (
        "Write `pins:` into each review's front matter (creating it when needed): "
        "`<finding-id>/<anchor text>` -> a short hash of the code lines the anchor covers. From then on "
        "`anchors-resolve` also fails when pinned code changed, and says where identical code moved. "
        "Together with `--reviewgate-fix`, anchors are pinned as they read once fixed, in one write."
    ),
    "--reviewgate-diff": (
        "With `--reviewgate-fix` or `--reviewgate-pin`: print what would change in each review as a "
        "unified diff, and write nothing."
    ),
}

# The options that rewrite reviews; the command-line page says how for each.
REWRITERS = ("--reviewgate-fix", "--reviewgate-pin", "--reviewgate-diff")


# ---------------------------------------------------------------- rules


def rule_anchor(rule: type[Rule] | str) -> str:
    """The stable fragment of a rule on the rules page: ``rg101`` (``docs/rules.md#rg101``)."""
    code = rule if isinstance(rule, str) else rule.code
    return code.lower()


def _cwe(rule: type[Rule]) -> str:
    return f"[CWE-{rule.cwe}]({CWE_URL.format(rule.cwe)})" if rule.cwe else ""


def rules_table(rules: Iterable[type[Rule]] = BUILTIN_RULES, link: str = RULES_PAGE) -> str:
    """The README's table: one line per rule, its code linking to its section of the rules page."""
    lines = ["| code | name | kind | CWE | summary |", "|---|---|---|---|---|"]
    for rule in sorted(rules, key=lambda r: r.code):
        cwe = f"CWE-{rule.cwe}" if rule.cwe else ""
        code = f"[{rule.code}]({link}#{rule_anchor(rule)})" if link else rule.code
        lines.append(f"| {code} | `{rule.name}` | {rule.kind} | {cwe} | {rule.summary} |")
    return "\n".join(lines)


def _docs_markdown(rule: type[Rule]) -> str:
    """The rule's docstring as a section body: its ``## `` headings one level down."""
    out = []
    for line in rule.docs().splitlines():
        out.append("#" + line if line.startswith("## ") else line)
    return "\n".join(out).strip()


def _toml(value: Any) -> str:
    """A default as it is written in ``pyproject.toml``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, frozenset):
        return _toml(sorted(value))
    if hasattr(value, "label") and hasattr(value, "ids"):  # a cwe-taxonomy: its word, else its ids
        return _toml(value.label) if value.label else _toml(sorted(value.ids))
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + "}"
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    raise TypeError(f"no TOML spelling for {value!r}")


def rules_reference(rules: Iterable[type[Rule]] = BUILTIN_RULES) -> str:
    """Every rule: an index table, then a section per rule (anchor ``#rg101``) from its class."""
    ordered = sorted(rules, key=lambda r: r.code)
    parts = [_index_table(ordered)]
    for rule in ordered:
        meta = [f"kind: {rule.kind}", f"default severity: {rule.severity}"]
        if rule.cwe:
            meta.append(_cwe(rule))
        section = [
            f"## {rule.code}",
            "",
            f"**`{rule.name}`**: {rule.summary}. <sub>{'; '.join(meta)}</sub>",
            "",
        ]
        subjects = _subjects(rule)
        if subjects:
            section += [subjects, ""]
        section.append(_docs_markdown(rule))
        if rule.options:
            section += ["", "### Option defaults", "", "```toml", f"[tool.reviewgate.rules.{rule.name}]"]
            section += [f"{key} = {_toml(value)}" for key, value in rule.options.items()]
            section.append("```")
        parts.append("\n".join(section))
    return "\n\n".join(parts)


def _subjects(rule: type[Rule]) -> str:
    """The subjects of findings that triage maps to the rule (``engine.subjects``, the one table)."""
    from .engine.subjects import subjects_of_rule

    found = subjects_of_rule(rule.name)
    if not found:
        return ""
    how = " (checkable when the tests run)" if rule.kind == "runtime" else ""
    names = ", ".join(f"{s.label} (`{s.name}`)" for s in found)
    return f"Findings it checks{how}, for [triage](triage.md): {names}."


def subjects_table() -> str:
    """Triage's table of subjects: what a finding may speak of, and the rules that check it."""
    from .engine.subjects import SUBJECTS

    lines = ["| subject | what findings speak of | rules | when the tests run | CWE |", "|---|---|---|---|---|"]
    for subject in SUBJECTS:
        rules = ", ".join(f"`{r}`" for r in subject.rules) or "none: not checkable"
        runtime = ", ".join(f"`{r}`" for r in subject.runtime)
        cwes = ", ".join(f"CWE-{c}" for c in sorted(subject.cwes))
        lines.append(f"| `{subject.name}` | {subject.label} | {rules} | {runtime} | {cwes} |")
    return "\n".join(lines)


def _index_table(rules: Sequence[type[Rule]]) -> str:
    lines = ["| code | name | kind | summary |", "|---|---|---|---|"]
    for rule in rules:
        lines.append(f"| [{rule.code}](#{rule_anchor(rule)}) | `{rule.name}` | {rule.kind} | {rule.summary} |")
    return "\n".join(lines)


def expect_vocabulary(rules: Iterable[type[Rule]] = BUILTIN_RULES) -> str:
    """The names a reviewer may write after ``expect:``, one per line (the writing guide's prompt)."""
    lines = []
    for rule in sorted(rules, key=lambda r: r.code):
        if rule.kind != "review":
            runtime = " (checked while the tests run)" if rule.kind == "runtime" else ""
            lines.append(f"- {rule.name}: {rule.summary[0].lower()}{rule.summary[1:]}{runtime}")
    return "\n".join(lines)


# ---------------------------------------------------------------- configuration


@dataclass(frozen=True)
class Key:
    """One ``[tool.reviewgate]`` key, derived from a ``Settings`` field."""

    name: str  # kebab-case, as written in pyproject.toml
    field: str  # the Settings attribute
    type: str
    default: str  # as written in TOML, or a phrase when there is no value
    extendable: bool  # ``extend-<key>`` adds to the default
    doc: str


def _accepts_extend(key: str, sample: Any) -> bool:
    try:
        settings_from_table({f"extend-{key}": sample})
    except ConfigError:
        return False
    return True


def settings_keys() -> list[Key]:
    """Every key of ``[tool.reviewgate]``, in ``Settings`` order; KeyError when a field has no doc or type."""
    defaults = Settings()
    keys = []
    for item in fields(Settings):
        name = item.name.replace("_", "-")
        annotation = str(item.type)
        value = getattr(defaults, item.name)
        if value is None:
            default = "not set"
        elif isinstance(value, Mapping) and not value:
            default = "empty"
        else:
            default = f"`{_toml(value)}`"
        sample: Any = [] if annotation == "tuple[str, ...]" else [1] if "frozenset[int]" in annotation else None
        extendable = sample is not None and _accepts_extend(name, sample)
        if item.default is MISSING and item.default_factory is MISSING:
            raise KeyError(f"Settings.{item.name} has no default")
        keys.append(Key(name, item.name, TYPE_NAMES[annotation], default, extendable, KEY_DOCS[name]))
    return keys


def settings_reference() -> str:
    """The configuration page's table of keys and a section per key."""
    keys = settings_keys()
    lines = ["| key | type | default |", "|---|---|---|"]
    lines += [f"| [`{k.name}`](#{k.name}) | {k.type} | {k.default} |" for k in keys]
    sections = ["\n".join(lines)]
    for key in keys:
        body = [f"### `{key.name}`", "", f"Type: {key.type}. Default: {key.default}."]
        if key.extendable:
            body[-1] += f" `extend-{key.name}` adds to the default instead of replacing it."
        body += ["", key.doc]
        sections.append("\n".join(body))
    return "\n\n".join(sections)


def rule_options_reference(rules: Iterable[type[Rule]] = BUILTIN_RULES) -> str:
    """The options each built-in rule takes under ``[tool.reviewgate.rules.<rule>]``, with defaults."""
    lines = ["| rule | option | default |", "|---|---|---|"]
    for rule in sorted(rules, key=lambda r: r.code):
        for option, value in rule.options.items():
            link = f"[{rule.code} `{rule.name}`](rules.md#{rule_anchor(rule)})"
            lines.append(f"| {link} | `{option}` | `{_toml(value)}` |")
    return "\n".join(lines)


# ---------------------------------------------------------------- command line


@dataclass(frozen=True)
class Option:
    """One command-line option as the plugin's ``pytest_addoption`` declares it."""

    names: tuple[str, ...]
    metavar: str | None
    help: str

    @property
    def name(self) -> str:
        return self.names[0]

    @property
    def usage(self) -> str:
        return f"{self.name} {self.metavar}" if self.metavar else self.name


class _Recorder:
    """Stands in for ``pytest.Parser`` (and its groups) and records what ``pytest_addoption`` adds."""

    def __init__(self) -> None:
        self.options: list[Option] = []

    def getgroup(self, name: str, description: str = "", after: str | None = None) -> _Recorder:
        return self

    def addoption(self, *names: str, **attrs: Any) -> None:
        self.options.append(Option(tuple(names), attrs.get("metavar"), str(attrs.get("help", ""))))

    def addini(self, *args: Any, **kwargs: Any) -> None:
        pass


def plugin_module() -> Any:
    """The module the ``pytest11`` entry point ``reviewgate`` names (wherever it lives)."""
    import importlib

    for entry in metadata.entry_points(group="pytest11"):
        if entry.name == "reviewgate":
            return importlib.import_module(entry.value.split(":")[0])
    return importlib.import_module("pytest_reviewgate.plugin")


def cli_options() -> list[Option]:
    """The plugin's options, read by calling its ``pytest_addoption`` on a recorder."""
    recorder = _Recorder()
    plugin_module().pytest_addoption(cast(Any, recorder))
    return recorder.options


def cli_reference() -> str:
    """The command-line page: a table of options, then a section per option."""
    options = cli_options()
    lines = ["| option | what it does |", "|---|---|"]
    lines += [f"| [`{o.usage}`](#{_slug(o.name)}) | {o.help} |" for o in options]
    sections = ["\n".join(lines)]
    for option in options:
        text = CLI_DOCS[option.name]
        if option.name in REWRITERS:
            text += (
                " Each review is written once, on the controller, at the end of the session, atomically, "
                "keeping its encoding, byte order mark, line endings and mode, and following symlinks; a "
                "review changed since the analysis read it is left alone and reported."
            )
        sections.append("\n".join([f"### `{option.name}`", "", f"Usage: `{option.usage}`", "", text]))
    return "\n\n".join(sections)


def _slug(text: str) -> str:
    """GitHub's heading anchor of a heading made only of ``text`` in backticks."""
    return "".join(ch for ch in text.lower() if ch.isalnum() or ch in "-_ ").replace(" ", "-")


# ---------------------------------------------------------------- blocks


@dataclass(frozen=True)
class Block:
    """A generated block of a file: the text between ``<!-- name -->`` and ``<!-- /name -->``."""

    path: str  # relative to the repository root
    name: str
    build: Callable[[], str]


BLOCKS: tuple[Block, ...] = (
    Block("README.md", "rules-table", rules_table),
    Block("docs/rules.md", "rules", rules_reference),
    Block("docs/configuration.md", "settings", settings_reference),
    Block("docs/configuration.md", "rule-options", rule_options_reference),
    Block("docs/cli.md", "options", cli_reference),
    Block("docs/triage.md", "subjects", subjects_table),
    Block("docs/writing-reviews.md", "expect-vocabulary", lambda: f"```text\n{expect_vocabulary()}\n```"),
)


def fill(text: str, name: str, content: str) -> str:
    """``text`` with block ``name`` replaced by ``content``; ValueError when the markers are missing."""
    start, end = f"<!-- {name} -->\n", f"<!-- /{name} -->"
    head, found, rest = text.partition(start)
    if not found or end not in rest:
        raise ValueError(f"no block '<!-- {name} -->' ... '<!-- /{name} -->'")
    return head + start + content.strip("\n") + "\n" + end + rest.split(end, 1)[1]


def rendered(root: Path, blocks: Sequence[Block] = BLOCKS) -> dict[Path, tuple[str, str]]:
    """Each file with blocks -> (its text now, its text with every block built afresh)."""
    out: dict[Path, tuple[str, str]] = {}
    for block in blocks:
        path = root / block.path
        if path not in out:
            text = path.read_text(encoding="utf-8")
            out[path] = (text, text)
        current, new = out[path]
        try:
            out[path] = (current, fill(new, block.name, block.build()))
        except ValueError as exc:
            raise ValueError(f"{block.path}: {exc}") from None
    return out


def stale(root: Path, blocks: Sequence[Block] = BLOCKS) -> list[str]:
    """Files whose generated blocks differ from what the code gives, relative to ``root``."""
    return [path.relative_to(root).as_posix() for path, (old, new) in rendered(root, blocks).items() if old != new]


def update(root: Path, blocks: Sequence[Block] = BLOCKS) -> list[str]:
    """Rewrite the stale files; returns them."""
    written = []
    for path, (old, new) in rendered(root, blocks).items():
        if old != new:
            path.write_text(new, encoding="utf-8", newline="\n")
            written.append(path.relative_to(root).as_posix())
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pytest_reviewgate.docs",
        description="Rebuild the generated blocks of README.md and docs/ from the code.",
    )
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 when a file is stale")
    root = Path(__file__).resolve().parent.parent
    parser.add_argument("--root", type=Path, default=root, help="the repository (default: %(default)s)")
    args = parser.parse_args(argv)
    try:
        files = stale(args.root) if args.check else update(args.root)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.check:
        for name in files:
            print(f"{name} is stale: run python -m pytest_reviewgate.docs")
        return 1 if files else 0
    for name in files:
        print(f"{name} written")
    return 0


if __name__ == "__main__":
    sys.exit(main())


__all__ = [
    "BLOCKS",
    "cli_options",
    "cli_reference",
    "expect_vocabulary",
    "fill",
    "main",
    "rule_anchor",
    "rule_options_reference",
    "rules_reference",
    "rules_table",
    "settings_keys",
    "settings_reference",
    "stale",
    "subjects_table",
    "update",
]
