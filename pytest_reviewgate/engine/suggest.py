"""``--reviewgate-suggest``: ``expect:`` lines that fit ungated findings, and whether they pass today.

Read-only. Subjects come from the finding's words; a subject's code sites come from the AST,
so an anchor that points at code unrelated to the finding's subject is named as such.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..analysis.index import ModuleIndex, chain_of, walk
from ..model import Finding

UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
CONFIG_CALLS = frozenset({"set_override", "set_default", "flags", "config", "register_opt", "register_opts",
                          "clear_override", "override_settings"})


@dataclass(frozen=True)
class Subject:
    name: str  # words for the message: "configuration changes"
    words: re.Pattern[str]
    rules: tuple[str, ...]
    site: Callable[[ast.AST, ModuleIndex], bool] | None = None


def _config_site(node: ast.AST, index: ModuleIndex) -> bool:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr in CONFIG_CALLS
    if isinstance(node, ast.Assign):
        return any((chain_of(t) or "").split(".")[0] in ("CONF", "settings") for t in node.targets)
    return False


def _env_site(node: ast.AST, index: ModuleIndex) -> bool:
    spelled = chain_of(node.func) if isinstance(node, ast.Call) else None
    if spelled and index.qualify(spelled).startswith(("os.environ", "os.putenv", "os.unsetenv")):
        return True
    if isinstance(node, ast.Assign | ast.Delete):
        targets = node.targets
        return any(isinstance(t, ast.Subscript) and chain_of(t.value) == "os.environ" for t in targets)
    return False


def _mock_site(node: ast.AST, index: ModuleIndex) -> bool:
    spelled = chain_of(node.func) if isinstance(node, ast.Call) else None
    return spelled is not None and (spelled.endswith(".start") or "patch" in index.qualify(spelled).lower())


def _uuid_site(node: ast.AST, index: ModuleIndex) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and bool(UUID.search(node.value))


SUBJECTS = (
    Subject("configuration changes", re.compile(r"\bconfig|\bCONF\b|set_override|global state|settings", re.I),
            ("config-reverted-via-fixtures", "config-restored"), _config_site),
    Subject("environment changes", re.compile(r"environ|environment variable|\benv\b", re.I),
            ("env-reverted-via-fixtures", "env-restored"), _env_site),
    Subject("mocks", re.compile(r"\bmock|\bpatch", re.I), ("mocks-undone", "no-leaked-patches"), _mock_site),
    Subject("hard-coded UUIDs", re.compile(r"uuid", re.I), ("no-hardcoded-uuids",), _uuid_site),
    Subject("assertions", re.compile(r"\bassert|no check", re.I), ("tests-assert",)),
    Subject("error paths", re.compile(r"exception|error|fail|happy path|edge case", re.I), ("error-paths-tested",)),
    Subject("resources", re.compile(r"clean ?up|temporary|tempfile|resource|thread|subprocess", re.I),
            ("cleanup-registered",)),
)


def subjects(finding: Finding) -> list[Subject]:
    text = f"{finding.title}\n{finding.text}"
    return [s for s in SUBJECTS if s.words.search(text)]


def sites(index: ModuleIndex, subject: Subject) -> list[int]:
    if subject.site is None or index.tree is None:
        return []
    return sorted({getattr(n, "lineno", 0) for n in walk(index.tree) if subject.site(n, index)} - {0})


def unrelated(finding: Finding, index: ModuleIndex, subject: Subject) -> list[str]:
    """Notes for line anchors whose lines hold none of the subject's code sites."""
    found = sites(index, subject)
    if not found or subject.site is None:
        return []
    notes = []
    for anchor in finding.line_anchors:
        if anchor.error or any(anchor.start <= line <= anchor.end for line in found):
            continue
        nearest = min(found, key=lambda line: min(abs(line - anchor.start), abs(line - anchor.end)))
        where = index.enclosing(nearest)
        inside = f" in `{where.qualname}`" if where is not None else ""
        notes.append(
            f"finding {finding.key} speaks of {subject.name}; {anchor.text} change none; the nearest is "
            f"`{index.source_line(nearest)}` at line {nearest}{inside}"
        )
    return notes


def suggest(
    finding: Finding, index: ModuleIndex, verdict: Callable[[str], str], known: Sequence[str]
) -> list[str]:
    """Lines for one ungated-by-expectation finding: ``expect:`` lines and notes."""
    lines = []
    for subject in subjects(finding):
        for rule in subject.rules:
            if rule in known:
                lines.append(f"    expect: {rule:<32} # {verdict(rule)}")
        lines.extend(f"  {note}" for note in unrelated(finding, index, subject))
    if not lines:
        return []
    return [f"finding {finding.key} ({finding.title}): suggested", *lines]
