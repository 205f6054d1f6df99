"""Method resolution order over the classes the project defines, read from source (C3).

Bases outside the project (``testtools.TestCase``) are opaque and left out.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from .index import Definition, ModuleIndex

MAX_BASES = 64  # classes one linearisation may visit: broken code can loop
Key = tuple[str, str]  # (module path, class qualname)


class Mro:
    """Linearisations, each computed once; ``project`` resolves base spellings to project classes
    (``SourceProject.resolve_class``), else only bases of the same module are followed."""

    def __init__(self, project: object = None) -> None:
        self.project = project
        self._orders: dict[Key, list[Key]] = {}
        self._classes: dict[Key, tuple[ModuleIndex, Definition]] = {}

    def of(self, index: ModuleIndex, class_qualname: str) -> list[tuple[ModuleIndex, Definition]]:
        """The class, then its bases in Python's method resolution order; a hierarchy C3 cannot
        order (or a cycle in broken code) falls back to depth-first order."""
        cls = index.by_qualname.get(class_qualname)
        if cls is None or cls.kind != "class":
            return []
        return [self._classes[key] for key in self._linearise((index.path, class_qualname), index, cls, set())]

    def _linearise(self, key: Key, index: ModuleIndex, cls: Definition, visiting: set[Key]) -> list[Key]:
        known = self._orders.get(key)
        if known is not None:
            return known
        self._classes[key] = (index, cls)
        if key in visiting or len(visiting) > MAX_BASES:
            return [key]
        visiting.add(key)
        bases = list(self._bases(index, cls))
        sequences = [self._linearise(k, i, c, visiting) for k, i, c in bases]
        order = c3(key, [*sequences, [k for k, _, _ in bases]])
        visiting.discard(key)
        self._orders[key] = order
        return order

    def _bases(self, index: ModuleIndex, cls: Definition) -> Iterator[tuple[Key, ModuleIndex, Definition]]:
        resolve = getattr(self.project, "resolve_class", None)
        for base in cls.bases:
            module, inner = (index, base) if base in index.by_qualname else (None, "")
            if module is None and callable(resolve):
                _, module, inner = resolve(index, base)
            found = module.by_qualname.get(inner) if module is not None else None
            if module is not None and found is not None and found.kind == "class":
                yield (module.path, inner), module, found


def lookup(
    order: Sequence[tuple[ModuleIndex, Definition]], name: str, after: Key | None = None
) -> tuple[ModuleIndex, Definition] | None:
    """The method ``name`` of the first class of ``order`` that defines it; past the class
    ``after`` for ``super()``, None when ``after`` is not in the order."""
    start = 0
    if after is not None:
        keys = [(i.path, c.qualname) for i, c in order]
        if after not in keys:
            return None
        start = keys.index(after) + 1
    for index, cls in order[start:]:
        found = index.by_qualname.get(f"{cls.qualname}.{name}")
        if found is not None and found.kind == "function":
            return index, found
    return None


def c3(key: Key, sequences: list[list[Key]]) -> list[Key]:
    """C3 merge: ``key`` then its bases' linearisations; depth-first when they conflict."""
    order = [key]
    pending = [list(s) for s in sequences if s]
    while pending:
        head = next((s[0] for s in pending if not any(s[0] in t[1:] for t in pending)), None)
        if head is None:  # no consistent order: keep each class once, depth first
            order += [k for s in pending for k in s if k not in order and k != key]
            return list(dict.fromkeys(order))
        if head != key:
            order.append(head)
        pending = [t for t in ([*s[1:]] if s[0] == head else s for s in pending) if t]
    return order
