"""YAML front matter: the pure-Python safe loader, bounded in size, depth and aliases.

PyYAML's C loader overflows the C stack on deeply nested documents, so it is never used.
Values are never printed whole: aliases can make a small document expand enormously.
"""

from __future__ import annotations

import bisect
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


class _Bounded(Exception):
    def __init__(self, message: str, index: int) -> None:
        super().__init__(message)
        self.index = index


class _Lines:
    """Review lines of character indexes: PyYAML also breaks lines at U+2028 and NEL; we do not."""

    def __init__(self, source: str, first_line: int) -> None:
        self.breaks = [m.start() for m in re.finditer("\n", source)]
        self.first_line = first_line

    def at(self, index: int | None) -> int:
        return self.first_line + (bisect.bisect_left(self.breaks, index) if index is not None else 0)

    def mark(self, mark: Any) -> int:
        return self.at(getattr(mark, "index", None))


def parse(source: str, first_line: int) -> FrontMatter:
    """Parse the text between the ``---`` lines; ``first_line`` is its 1-based line in the review."""
    result = FrontMatter()
    lines = _Lines(source, first_line)
    if len(source.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        result.problems.append(Problem(first_line, f"front matter is larger than {MAX_BYTES} bytes"))
        return result
    try:
        document, node = _load(source)
    except _Bounded as exc:
        result.problems.append(Problem(lines.at(exc.index), f"front matter: {exc}"))
        return result
    except Exception as exc:  # every PyYAML error (and int() limits): report, never raise
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = lines.mark(mark) if mark is not None else lines.at(getattr(exc, "position", None))
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
    _read(document, node, lines, result)
    return result


def _load(source: str) -> tuple[Any, Any]:
    loader = _loader_class()(source)
    try:
        node = loader.get_single_node()
        return (None, None) if node is None else (loader.construct_document(node), node)
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
            event = self.peek_event()  # type: ignore[no-untyped-call]
            if isinstance(event, yaml.AliasEvent):
                self.aliases += 1
                if self.aliases > MAX_ALIASES:
                    raise _Bounded(f"more than {MAX_ALIASES} aliases", _index(event))
            self.depth += 1
            try:
                if self.depth > MAX_DEPTH:
                    raise _Bounded(f"nested deeper than {MAX_DEPTH} levels", _index(event))
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

        def construct_object(self, node: Any, deep: bool = False) -> Any:
            try:
                return super().construct_object(node, deep=deep)
            except yaml.YAMLError:
                raise
            except (ValueError, OverflowError) as exc:  # int() over 4,300 digits: report at the value
                raise yaml.constructor.ConstructorError(None, None, str(exc), node.start_mark) from None

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            seen: set[Any] = set()
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue  # ``<<: *base``: merged keys may be overridden
                key = self.construct_object(key_node, deep=True)
                try:
                    duplicate = key in seen
                    seen.add(key)
                except TypeError:
                    raise _Bounded("a mapping key must be a plain value", _index(key_node)) from None
                if duplicate:
                    raise _Bounded(f"duplicate key {_describe(key)}", _index(key_node))
            return super().construct_mapping(node, deep=deep)

    dropped = ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:value")
    Loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag not in dropped]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    Loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
    )
    return Loader


def _index(node: Any) -> int:
    return int(getattr(getattr(node, "start_mark", None), "index", 0))


def _describe(value: Any) -> str:
    """A short, bounded description: never the repr of a container."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | set):
        return "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:60] + "\u2026"


def _keys(node: Any) -> dict[str, tuple[Any, Any]]:
    """Spelling of each key of a mapping node -> (key mark, value node)."""
    pairs = getattr(node, "value", None)
    if getattr(node, "id", "") != "mapping" or not isinstance(pairs, list):
        return {}
    out: dict[str, tuple[Any, Any]] = {}
    for key_node, value_node in pairs:
        if isinstance(key_node.value, str):
            out.setdefault(key_node.value, (key_node.start_mark, value_node))
    return out


def _read(document: dict[Any, Any], node: Any, lines: _Lines, out: FrontMatter) -> None:
    keys = _keys(node)
    for key, value in document.items():
        mark, value_node = keys.get(str(key), (None, None))
        line = lines.mark(mark)
        if key not in KEYS:
            out.problems.append(Problem(line, f"front matter: unknown key {_describe(key)}{_close(str(key), KEYS)}"))
        elif key in ("module", "requires"):
            if not isinstance(value, str) or not value.strip():
                out.problems.append(Problem(line, f"front matter: {key} must be a string"))
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
                out.problems.append(Problem(line, "front matter: pins must map strings to strings"))
            else:
                out.pins = dict(value)
        elif value is not None:
            _read_expect(value, value_node, line, lines, out)


def _read_expect(value: Any, node: Any, line: int, lines: _Lines, out: FrontMatter) -> None:
    if not isinstance(value, list):
        out.problems.append(Problem(line, "front matter: expect must be a list of {rule: ...} entries"))
        return
    items = node.value if getattr(node, "id", "") == "sequence" else []
    for index, entry in enumerate(value):
        entry_node = items[index] if index < len(items) else None
        at = lines.mark(entry_node.start_mark) if entry_node is not None else line
        if isinstance(entry, str):
            entry = {"rule": entry}
        if not isinstance(entry, dict):
            out.problems.append(Problem(at, f"front matter: expect entry {_describe(entry)} is not a mapping"))
            continue
        keys = _keys(entry_node)
        unknown = [k for k in entry if k not in EXPECT_KEYS]
        if unknown:
            where = lines.mark(keys.get(str(unknown[0]), (None,))[0]) if keys else at
            hint = _close(str(unknown[0]), EXPECT_KEYS)
            out.problems.append(Problem(where, f"front matter: unknown key {_describe(unknown[0])} in expect{hint}"))
            continue
        rule, targets = entry.get("rule"), entry.get("on", [])
        targets = [targets] if isinstance(targets, str) else targets
        severity, when, status = entry.get("severity"), entry.get("when"), entry.get("status")
        if not isinstance(rule, str) or not rule.strip():
            out.problems.append(Problem(at, "front matter: expect entry without a rule"))
        elif not isinstance(targets, list) or not all(isinstance(t, str) and t.strip() for t in targets):
            out.problems.append(Problem(at, f"front matter: on of {rule} must be a list of targets"))
        elif severity not in (None, "error", "warning", "off"):
            out.problems.append(Problem(at, f"front matter: severity of {rule} must be error, warning or off"))
        elif status not in (None, "open", "closed"):
            out.problems.append(Problem(at, f"front matter: status of {rule} must be open or closed"))
        elif when is not None and not isinstance(when, str):
            out.problems.append(Problem(at, f"front matter: when of {rule} must be a string"))
        else:
            out.expectations.append(Expectation(
                rule=rule.strip(), targets=tuple(t.strip() for t in targets), line=at,
                status=status, severity=severity, when=when, source="front-matter",
            ))


def _close(word: str, choices: tuple[str, ...]) -> str:
    import difflib

    match = difflib.get_close_matches(word[:100], choices, n=1)
    return f"; did you mean {match[0]!r}?" if match else ""
