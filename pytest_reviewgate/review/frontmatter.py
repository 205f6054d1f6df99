"""YAML front matter: the pure-Python safe loader, bounded in size, depth and aliases.

PyYAML's C loader overflows the C stack on deeply nested documents, so it is never used.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

from ..model import Expectation, Problem

MAX_BYTES = 64 * 1024
MAX_DEPTH = 32
MAX_ALIASES = 64
KEYS = ("module", "requires", "expect", "pins")
EXPECT_KEYS = ("rule", "on", "severity", "when", "status")


@dataclass
class FrontMatter:
    module: str | None = None
    requires: str | None = None
    expectations: list[Expectation] = field(default_factory=list)
    pins: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def find(lines: tuple[str, ...]) -> tuple[int, int] | None:
    """0-based indexes of the opening and closing ``---`` lines, if the text starts with them."""
    if not lines or lines[0].rstrip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return 0, index
    return None


def parse(source: str, first_line: int) -> FrontMatter:
    """Parse the text between the ``---`` lines; ``first_line`` is its 1-based line in the review."""
    result = FrontMatter()
    if len(source.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        result.problems.append(Problem(first_line, f"front matter is larger than {MAX_BYTES} bytes"))
        return result
    try:
        document = _load(source)
    except _Bounded as exc:
        result.problems.append(Problem(first_line + exc.line, f"front matter: {exc}"))
        return result
    except Exception as exc:  # every PyYAML error: report, never raise
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = first_line + (mark.line if mark is not None else 0)
        problem = getattr(exc, "problem", None) or str(exc)
        context = getattr(exc, "context", None)
        text = f"{context}: {problem}" if context else str(problem)
        result.problems.append(Problem(line, f"front matter is not valid YAML: {text}"))
        return result
    if document is None:
        return result
    if not isinstance(document, dict):
        result.problems.append(Problem(first_line, "front matter must be a mapping"))
        return result
    _read(document, _Locator(source, first_line), result)
    return result


class _Locator:
    """Finds the review line of a key or value, since constructed YAML keeps no marks."""

    def __init__(self, source: str, first_line: int) -> None:
        self.lines = source.split("\n")
        self.first_line = first_line

    def __call__(self, needle: object) -> int:
        text = str(needle)
        for index, line in enumerate(self.lines):
            if text in line:
                return self.first_line + index
        return self.first_line


class _Bounded(Exception):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def _load(source: str) -> Any:
    loader = _loader_class()(source)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


@functools.cache
def _loader_class() -> Any:
    import yaml

    class Loader(yaml.SafeLoader):
        """Pure-Python safe loader; YAML 1.2 booleans, so ``on:`` stays a key."""

        def __init__(self, stream: str) -> None:
            super().__init__(stream)
            self.depth = 0
            self.aliases = 0

        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                self.aliases += 1
                if self.aliases > MAX_ALIASES:
                    raise _Bounded(f"more than {MAX_ALIASES} aliases", self.peek_event().start_mark.line)
            self.depth += 1
            try:
                if self.depth > MAX_DEPTH:
                    raise _Bounded(f"nested deeper than {MAX_DEPTH} levels", self.peek_event().start_mark.line)
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            seen: set[Any] = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                try:
                    duplicate = key in seen
                    seen.add(key)
                except TypeError:
                    raise _Bounded("a mapping key must be a plain value", key_node.start_mark.line) from None
                if duplicate:
                    raise _Bounded(f"duplicate key {key!r}", key_node.start_mark.line)
            return super().construct_mapping(node, deep=deep)

    bool_tag = "tag:yaml.org,2002:bool"
    Loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != bool_tag]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    Loader.add_implicit_resolver(bool_tag, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
    return Loader


def _read(document: dict[Any, Any], at: _Locator, out: FrontMatter) -> None:
    for key, value in document.items():
        if key not in KEYS:
            hint = _close(str(key), KEYS)
            out.problems.append(Problem(at(f"{key}:"), f"front matter: unknown key {key!r}{hint}"))
            continue
        if key in ("module", "requires"):
            if not isinstance(value, str) or not value.strip():
                out.problems.append(Problem(at(f"{key}:"), f"front matter: {key} must be a string"))
            elif key == "module":
                out.module = value
            else:
                out.requires = value
        elif key == "pins":
            if value is None:
                continue
            if not isinstance(value, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in value.items()
            ):
                out.problems.append(Problem(at("pins:"), "front matter: pins must map strings to strings"))
            else:
                out.pins = dict(value)
        else:
            _read_expect(value, at, out)


def _read_expect(value: Any, at: _Locator, out: FrontMatter) -> None:
    if value is None:
        return
    if not isinstance(value, list):
        out.problems.append(Problem(at("expect:"), "front matter: expect must be a list of {rule: ...} entries"))
        return
    for entry in value:
        if isinstance(entry, str):
            entry = {"rule": entry}
        if not isinstance(entry, dict):
            out.problems.append(Problem(at(entry), f"front matter: expect entry {entry!r} is not a mapping"))
            continue
        unknown = [k for k in entry if k not in EXPECT_KEYS]
        if unknown:
            hint = _close(str(unknown[0]), EXPECT_KEYS)
            out.problems.append(Problem(at(f"{unknown[0]}:"), f"front matter: unknown key {unknown[0]!r} in expect{hint}"))
            continue
        rule, targets = entry.get("rule"), entry.get("on", [])
        if isinstance(targets, str):
            targets = [targets]
        severity, when, status = entry.get("severity"), entry.get("when"), entry.get("status")
        if not isinstance(rule, str) or not rule:
            out.problems.append(Problem(at("expect:"), "front matter: expect entry without a rule"))
        elif not isinstance(targets, list) or not all(isinstance(t, str) and t for t in targets):
            out.problems.append(Problem(at(rule), f"front matter: on of {rule} must be a list of targets"))
        elif severity not in (None, "error", "warning", "off"):
            out.problems.append(Problem(at(rule), f"front matter: severity of {rule} must be error, warning or off"))
        elif status not in (None, "open", "closed"):
            out.problems.append(Problem(at(rule), f"front matter: status of {rule} must be open or closed"))
        elif when is not None and not isinstance(when, str):
            out.problems.append(Problem(at(rule), f"front matter: when of {rule} must be a string"))
        else:
            out.expectations.append(
                Expectation(
                    rule=rule,
                    targets=tuple(t.strip() for t in targets),
                    line=at(rule),
                    status=status,
                    severity=severity,
                    when=when,
                    source="front-matter",
                )
            )


def _close(word: str, choices: tuple[str, ...]) -> str:
    import difflib

    match = difflib.get_close_matches(word, choices, n=1)
    return f"; did you mean {match[0]!r}?" if match else ""
