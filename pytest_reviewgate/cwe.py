"""The CWE catalog shipped as package data, what ``cwe-taxonomy`` allows, and RG002's words.

Pure. The catalog (``data/cwe_catalog.tsv``, see ``scripts/update_cwe_catalog.py``) is read on
first use, when a review cites a CWE id, and kept for the process: it never changes while it runs.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources

PILLARS = frozenset((284, 435, 664, 682, 691, 693, 697, 703, 707, 710))  # the ten pillars of CWE-1000
DATA = "data/cwe_catalog.tsv"
MAX_SUGGESTIONS = 3
MIN_TYPO_DIGITS = 3  # one digit off a one- or two-digit id matches dozens of ids: no typo is likely


@dataclass(frozen=True)
class Catalog:
    version: str
    names: Mapping[int, str]


def parse_catalog(text: str) -> Catalog:
    """``id<TAB>name`` lines; ``#`` lines are comments, the first says ``CWE catalog version X``."""
    version = ""
    names: dict[int, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith("#"):
            words = line[1:].split()
            if not version and words[:3] == ["CWE", "catalog", "version"] and len(words) > 3:
                version = words[3]
            continue
        if not line.strip():
            continue
        cwe_id, tab, name = line.partition("\t")
        if not tab or not cwe_id.isdigit() or not name.strip():
            raise ValueError(f"line {number}: expected `id<TAB>name`, got {line[:80]!r}")
        names[int(cwe_id)] = name.strip()
    return Catalog(version, names)


@functools.cache
def catalog() -> Catalog:
    """The shipped catalog, read once per process."""
    text = resources.files(__package__ or "pytest_reviewgate").joinpath(DATA).read_text(encoding="utf-8")
    return parse_catalog(text)


def cwe_name(cwe_id: int) -> str | None:
    """The catalog's name of a weakness, category or view, e.g. 772 -> 'Missing Release of Resource ...'."""
    return catalog().names.get(cwe_id)


def describe(cwe_id: int) -> str:
    """``CWE-664 (Improper Control of a Resource Through its Lifetime)``, or ``CWE-664`` when unnamed."""
    name = cwe_name(cwe_id)
    return f"CWE-{cwe_id} ({name})" if name else f"CWE-{cwe_id}"


def closest(cwe_id: int, known: Iterable[int]) -> list[int]:
    """The known ids closest to ``cwe_id``, one keystroke away (a digit extra, missing, wrong, or two swapped).

    Closest is an extra digit (the commonest slip), then a swap, a wrong digit, a missing digit; among
    those, the longest common prefix, as a slip late in a number is likelier than one early. Only the
    closest tie is kept (at most ``MAX_SUGGESTIONS``), so `CWE-6640` gives 664, not 640 or 660.
    Deprecated catalog entries are never suggested.
    """
    typed = str(cwe_id)
    if len(typed) < MIN_TYPO_DIGITS:
        return []
    names = catalog().names
    ranked: list[tuple[int, int, int]] = []
    for candidate in set(known):
        kind = _slip(typed, str(candidate))
        if kind is None or names.get(candidate, "").startswith("DEPRECATED:"):
            continue
        ranked.append((kind, -_common_prefix(typed, str(candidate)), candidate))
    best = min(ranked, default=None)
    return [c for kind, prefix, c in sorted(ranked) if best and (kind, prefix) == best[:2]][:MAX_SUGGESTIONS]


@dataclass(frozen=True)
class Taxonomy:
    """The CWE ids ``cwe-taxonomy`` allows: the catalog's (when ``catalog``) and ``ids``.

    ``label`` is the configured word (``catalog``, ``pillars``) or empty for a list of ids.
    """

    catalog: bool = True
    ids: frozenset[int] = frozenset()
    label: str = "catalog"

    def __contains__(self, cwe_id: object) -> bool:
        return cwe_id in self.ids or (self.catalog and cwe_id in catalog().names)

    def extended(self, ids: Iterable[int]) -> Taxonomy:
        return Taxonomy(self.catalog, self.ids | frozenset(ids), self.label)

    def key(self) -> list[object]:
        """What the settings digest hashes; the catalog's contents come with the plugin's version."""
        return [self.label, self.catalog, sorted(self.ids)]

    def problem(self, cwe_id: int) -> str:
        """RG002's message for an id outside the taxonomy, with the likely ids when it looks like a typo."""
        known = catalog().names
        pool: Iterable[int] = self.ids
        if self.catalog:
            head, pool = f"CWE-{cwe_id} is not in the CWE catalog", [*known, *self.ids]
        elif cwe_id in known:  # a real id the team left out: name it, suggest nothing
            return f"{describe(cwe_id)} is not in cwe-taxonomy{self._quoted()}"
        else:
            head = f"CWE-{cwe_id} is in neither cwe-taxonomy{self._quoted()} nor the CWE catalog"
        suggestions = [describe(c) for c in closest(cwe_id, pool)]
        if not suggestions:
            return head
        listed = ", ".join(suggestions[:-1]) + " or " + suggestions[-1] if len(suggestions) > 1 else suggestions[0]
        return f"{head}; did you mean {listed}?"

    def _quoted(self) -> str:
        return f' ("{self.label}")' if self.label else ""


CATALOG = Taxonomy()


def _slip(typed: str, candidate: str) -> int | None:
    """Which one-keystroke slip turns ``candidate`` into ``typed``: 0 extra, 1 swap, 2 wrong, 3 missing digit."""
    if len(typed) == len(candidate) + 1:
        return 0 if any(typed[:i] + typed[i + 1 :] == candidate for i in range(len(typed))) else None
    if len(typed) + 1 == len(candidate):
        return 3 if any(candidate[:i] + candidate[i + 1 :] == typed for i in range(len(candidate))) else None
    if len(typed) != len(candidate) or typed == candidate:
        return None
    diff = [i for i, (a, b) in enumerate(zip(typed, candidate, strict=True)) if a != b]
    if len(diff) == 1:
        return 2
    if len(diff) == 2 and diff[1] == diff[0] + 1:
        i, j = diff
        return 1 if typed[i] == candidate[j] and typed[j] == candidate[i] else None
    return None


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n
