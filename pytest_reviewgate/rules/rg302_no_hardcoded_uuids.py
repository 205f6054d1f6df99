"""RG302 `no-hardcoded-uuids`: no UUID string literals in the targets.

Each UUID is reported at its own physical line, also inside multi-line and joined strings.
"""

from __future__ import annotations

import fnmatch
import re
import uuid as uuids
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, ClassVar

from ..analysis.index import ModuleIndex
from ..analysis.state import references
from ..analysis.strings import Literal, literals, sixteen_byte_literals
from ..model import Violation
from . import _evidence
from .base import Context, Evidence, Rule

UUID = re.compile(
    r"(?<![0-9A-Fa-f-])[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}(?![0-9A-Fa-f-])"
)


class NoHardcodedUuids(Rule):
    """No hard-coded UUID literals in the targeted tests.

    ## What it does
    Finds string literals in the targets that contain a UUID in its canonical
    8-4-4-4-12 hexadecimal form (any case, also inside f-strings, multi-line
    and implicitly joined strings) and reports each at its own physical line.
    When the expectation covers the whole module, module-level statements and
    class bodies are read too. Docstrings and other bare string statements are
    documentation and are skipped. So are name-based UUIDs (version 3 or 5,
    `uuid.uuid5(namespace, name)`): they are derived from their inputs, and a
    test that checks a derivation has to spell the expected value. So is a
    UUID whose 16 bytes the same function also writes as a `bytes` literal
    (in order, or in the little-endian field order of Microsoft's GUIDs, as
    LDAP's `objectGUID`): the test checks a conversion between the two forms.

    ## Why is this bad?
    Copied UUIDs couple tests to each other and to fixtures: two tests that
    share a literal id can pass or fail depending on order, a collision with
    generated ids goes unnoticed, and the reader cannot tell which ids must
    match. Generated ids (`uuid.uuid4()`, oslo's `uuidsentinel`) say what is
    the same object and what is not.

    ## Example
    ```python
    def test_lookup(api):
        server = api.get("4b2c6a3e-9f1d-4c1e-8a7b-2d5e6f708192")
        assert server is None
    ```

    Use instead:
    ```python
    import uuid


    def test_lookup(api):
        server = api.get(str(uuid.uuid4()))
        assert server is None
    ```

    ## Options
    `allow` (default `[]`): UUIDs that may appear. An entry with `*`, `?` or
    `[` is a case-insensitive glob (`"00000000-0000-0000-0000-*"`), any other
    entry a literal UUID compared case-insensitively.
    """

    code = "RG302"
    name = "no-hardcoded-uuids"
    summary = "No hard-coded UUID literals"
    version = "3"
    cwe = 1106
    kind = "static"
    options: ClassVar[Mapping[str, Any]] = {"allow": []}

    def evidence(self, context: Context) -> list[Evidence]:
        """Why the targets pass, for triage (see ``_evidence.uuids``)."""
        return _evidence_of(context)

    def check(self, context: Context) -> Iterator[Violation]:
        allowed = _Allow(context.options.get("allow", []))
        index = context.index
        strings = literals(index)
        if context.module_level and index.tree is not None:
            found = list(strings.found)
        else:
            # each target as the index keeps it: the first of the definitions under its name
            kept = [index.by_qualname[t.qualname] for t in context.targets if t.qualname in index.nodes]
            found = [literal for d in kept for literal in strings.between(d.first_line, d.end_line)]
        seen: set[tuple[int, str]] = set()
        for line, uuid in _uuids(index, found):
            if (line, uuid.lower()) in seen or allowed(uuid) or _name_based(uuid):
                continue
            seen.add((line, uuid.lower()))
            owner = index.enclosing(line)
            if owner is not None and _spelled_in_binary(index, owner.qualname, uuid):
                continue
            yield Violation(
                rule=self.code,
                message=(
                    f"hard-coded UUID `{uuid}` -> generate it (`str(uuid.uuid4())`, "
                    "`oslo_utils.fixture.uuidsentinel`) or list it under the rule's `allow` option"
                ),
                path=index.path,
                line=line,
                definition=owner.qualname if owner is not None else "",
                source=index.source_line(line),
            )


def _spelled_in_binary(index: ModuleIndex, qualname: str, uuid: str) -> bool:
    """Whether the definition holding the UUID also writes its 16 bytes (big-endian, or the
    little-endian fields of Microsoft's GUIDs): the test checks a conversion between the forms,
    and its expected value has to be spelled."""
    found = sixteen_byte_literals(index, qualname)
    if not found:
        return False
    parsed = uuids.UUID(uuid)
    return parsed.bytes in found or parsed.bytes_le in found


def _name_based(uuid: str) -> bool:
    """Whether an RFC 4122 UUID is of version 3 or 5: an MD5/SHA-1 digest of a namespace and a
    name, the same on every run (the version is the 13th hex digit, the variant the 17th)."""
    return uuid[14] in "35" and uuid[19].lower() in "89ab"


class _Allow:
    """The ``allow`` option: literal UUIDs and case-insensitive globs."""

    def __init__(self, entries: str | Sequence[str]) -> None:
        items = [entries] if isinstance(entries, str) else list(entries)
        self.literals = {e.lower() for e in items if not any(ch in e for ch in "*?[")}
        self.globs = [e.lower() for e in items if any(ch in e for ch in "*?[")]

    def __call__(self, uuid: str) -> bool:
        lowered = uuid.lower()
        return lowered in self.literals or any(fnmatch.fnmatchcase(lowered, g) for g in self.globs)


def _uuids(index: ModuleIndex, found: Iterable[Literal]) -> list[tuple[int, str]]:
    """(physical line, UUID) for every UUID in the string literals, in source order."""
    out: list[tuple[int, str]] = []
    search = UUID.search
    for literal in found:
        if search(literal.value) is not None:
            out.extend(_in_string(index, literal))
    return sorted(out)


def _in_string(index: ModuleIndex, literal: Literal) -> list[tuple[int, str]]:
    value = literal.value
    uuids = [m.group(0) for m in UUID.finditer(value)]
    located = _in_source(index, literal)
    if sorted(u.lower() for _, u in located) == sorted(u.lower() for u in uuids):
        return located
    # escapes or joins split a UUID in the source: count the newlines before it in the value
    return [(literal.line + value.count("\n", 0, m.start()), m.group(0)) for m in UUID.finditer(value)]


def _in_source(index: ModuleIndex, literal: Literal) -> list[tuple[int, str]]:
    """UUIDs as written in the literal's source span, each with its physical line."""
    end_line = literal.end_line
    out: list[tuple[int, str]] = []
    for line in range(literal.line, end_line + 1):
        if not 0 < line <= len(index.lines):
            break
        raw = index.lines[line - 1].encode("utf-8")  # ast columns are UTF-8 byte offsets
        stop = literal.end_column if line == end_line and literal.end_column is not None else len(raw)
        start = literal.column if line == literal.line else 0
        text = raw[start:stop].decode("utf-8", "replace")
        out.extend((line, m.group(0)) for m in UUID.finditer(text))
    return out


# ---------------------------------------------------------------- pass-evidence (triage)


UUID_MAKERS = (
    "uuid.uuid1", "uuid.uuid4", "uuid.uuid5", "uuidutils.generate_uuid", "oslo_utils.uuidutils.generate_uuid",
)
SENTINELS = ("uuids", "uuidsentinel", "uuid_sentinel")


def _evidence_of(context: Context) -> list[Evidence]:
    """RG302: UUIDs the targets generate or take from a sentinel instead of spelling them."""
    out: list[Evidence] = []
    for scope in _evidence.scopes(context):
        index = scope.index
        for line, spelled, called in references(index, scope.node):
            if called:
                if index.qualify(spelled) in UUID_MAKERS or spelled.endswith(("generate_uuid", ".uuid4")):
                    text = f"the UUID is generated by `{spelled}()` ({_evidence.where(context, index.path, line)})"
                    out.append(Evidence(index.path, line, text))
            elif spelled.partition(".")[0] in SENTINELS:
                text = f"UUIDs come from the sentinel `{spelled}` ({_evidence.where(context, index.path, line)})"
                out.append(Evidence(index.path, line, text))
    return _evidence.unique(out)
