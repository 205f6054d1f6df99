"""The rule protocol, the check context and the registry that the register hook fills.

A rule is a class: its code, name, summary, CWE, options and docs (the docstring) are the
single source of ``--reviewgate-explain``, the README table and SARIF ``rules[]``.
"""

from __future__ import annotations

import inspect
import re
import textwrap
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from ..analysis.closures import Scope
from ..model import Violation

if TYPE_CHECKING:
    from pathlib import Path

    from ..analysis.index import Definition, ModuleIndex
    from ..config import Settings

DOC_SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "Use instead:")
CODE = re.compile(r"^[A-Z]{2,}[0-9]{3}$")
NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
RESERVED = re.compile(r"^RG[0-9]{3}$")


class Project(Protocol):
    """Facts from the project's own source, resolved without importing (SPEC 3.5)."""

    def inherits(self, index: ModuleIndex, class_qualname: str, bases: Sequence[str]) -> bool | None:
        """Whether the class derives from one of ``bases`` (qualified names); None when unknown."""

    def defines(self, qualified: str) -> bool | None:
        """Whether ``pkg.module.attr`` names something the project's source defines; None when
        the module is outside the project or cannot be read."""

    def find(self, dotted: str) -> Path | None:
        """The source file of the project's module ``pkg.module``; None when it has none."""


@dataclass
class Context:
    """What a static rule sees: the index, the targets, each target's closure, its options."""

    index: ModuleIndex
    targets: Sequence[Definition]  # the expectation's targets (definitions of ``index``)
    closures: Mapping[str, Sequence[Scope]]  # target qualname -> its closure, the target first
    options: Mapping[str, Any]  # the rule's options, defaults merged with [tool.reviewgate.rules]
    settings: Settings
    project: Project
    module_level: bool = False  # the expectation covers the whole module (RG302 reads statements too)
    flow: Any = None  # one ``flow.Flow`` per analysed module, shared by every rule (walk each function once)

    def scopes(self) -> list[Scope]:
        """Every function of every closure once, in a stable order (worked out once per context)."""
        known = self.__dict__.get("_scopes")
        if known is None:
            known = self.__dict__["_scopes"] = self._scopes()
        return list(known)

    def _scopes(self) -> list[Scope]:
        seen: set[tuple[str, str]] = set()
        out: list[Scope] = []
        for qualname in sorted(self.closures):
            for scope in self.closures[qualname]:
                key = (scope.index.path, scope.definition.qualname)
                if key not in seen:
                    seen.add(key)
                    out.append(scope)
        return out


@dataclass(frozen=True)
class Evidence:
    """Why a rule passes on its targets: a construct that makes the concern moot, where it is.

    ``text`` reads as a clause: "changes go through `self.flags` (line 186), reverted by the config
    fixture that `TestCase.setUp` installs". Triage quotes it to refute a finding.
    """

    path: str  # the file the construct is in (module, conftest or base module), as the index has it
    line: int
    text: str


class Rule:
    """Base class of every rule. Subclasses set the class attributes and implement ``check``."""

    code: ClassVar[str] = ""
    name: ClassVar[str] = ""
    summary: ClassVar[str] = ""
    severity: ClassVar[str] = "error"  # default: error | warning
    cwe: ClassVar[int | None] = None
    # how often a report of this rule is right on real suites: very-high | high | medium | low
    precision: ClassVar[str] = "medium"
    kind: ClassVar[str] = "static"  # static | runtime | review
    version: ClassVar[str] = "1"  # bump when results change, so caches are invalidated
    options: ClassVar[Mapping[str, Any]] = {}  # option name -> default
    implemented: ClassVar[bool] = True

    def check(self, context: Context) -> Iterable[Violation]:
        """Yield the violations in the context's targets; raise only for bugs."""
        return ()

    def evidence(self, context: Context) -> Iterable[Evidence]:
        """Optional: why the targets pass, for triage (``--reviewgate-triage``).

        Called only when ``check`` found nothing. Yield the constructs that make the rule's concern
        moot (the fixture that reverts a change, the assertion a test makes); yield nothing when
        the targets hold nothing of the rule's subject, and triage says so itself.
        """
        return ()

    @classmethod
    def docs(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def section(cls, title: str) -> str:
        """The text of one docs section (``## Example`` or ``Use instead:``), code fences stripped."""
        docs = cls.docs()
        start = docs.find(title)
        if start < 0:
            return ""
        rest = docs[start + len(title) :]
        following = [rest.find(t) for t in (*DOC_SECTIONS, "## ") if t != title and rest.find(t) > 0]
        body = rest[: min(following)] if following else rest
        match = re.search(r"```(?:python)?\n(.*?)```", body, re.S)
        return textwrap.dedent(match.group(1)) if match else body.strip()


class RuleError(Exception):
    """A duplicate or malformed rule registration."""


class RuleRegistry:
    """Rules by code and by name; filled through ``pytest_reviewgate_register_rules``."""

    def __init__(self) -> None:
        self._by_key: dict[str, type[Rule]] = {}
        self._rules: list[type[Rule]] = []
        self.problems: list[str] = []

    def add(self, rule: type[Rule]) -> None:
        problem = self._problem(rule)
        if problem:
            self.problems.append(problem)
            return
        self._by_key[rule.code] = rule
        self._by_key[rule.name] = rule
        self._rules.append(rule)

    def _problem(self, rule: type[Rule]) -> str:
        label = getattr(rule, "__qualname__", repr(rule))
        if not (isinstance(rule, type) and issubclass(rule, Rule)):
            return f"{label} is not a subclass of pytest_reviewgate.Rule"
        if not CODE.match(rule.code):
            return f"rule {label}: code {rule.code!r} is not letters followed by three digits"
        if not NAME.match(rule.name):
            return f"rule {label}: name {rule.name!r} is not kebab-case"
        for key in (rule.code, rule.name):
            if key in self._by_key and self._by_key[key] is not rule:
                return f"rule {label}: {key} is already taken by {self._by_key[key].__qualname__}"
        if rule.code in self._by_key:
            return f"rule {label} is registered twice"
        if RESERVED.match(rule.code) and not rule.__module__.startswith("pytest_reviewgate."):
            return f"rule {label}: codes RG + three digits are reserved for built-in rules"
        if not rule.summary or not rule.docs():
            return f"rule {label}: a rule needs a summary and docs (its docstring)"
        return ""

    def get(self, key: str) -> type[Rule] | None:
        return self._by_key.get(key)

    def closest(self, key: str) -> str:
        import difflib

        close = difflib.get_close_matches(key, list(self._by_key), n=1)
        return f"; did you mean {close[0]!r}?" if close else ""

    def __iter__(self) -> Iterator[type[Rule]]:
        return iter(sorted(self._rules, key=lambda r: r.code))

    def __len__(self) -> int:
        return len(self._rules)
