"""RG903 ``config-restored``: oslo.config options, groups, overrides and defaults stay as they were.

Pure Python; nothing here imports pytest, nor oslo.config.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from itertools import compress
from typing import Any, NamedTuple

from ..config import parse_probe_spec
from .base import show
from .origins import Origins, real_files

__all__ = ["OsloConfigProbe", "parse_spec"]

DEFAULT_SPEC = "oslo_config.cfg:CONF"
_DEFAULT_GROUP = ""  # key of the options registered without a group


parse_spec = parse_probe_spec  # the check ``[tool.reviewgate]`` runs when it is read


class _Group(NamedTuple):
    group: object
    dests: tuple[str, ...]
    infos: tuple[dict[str, Any], ...]  # the live info dicts, compared by identity
    sizes: tuple[int, ...]
    # Copies of the infos with more than `opt` and `cli`: those with an override,
    # a default or the location of one. The others have nothing that can change.
    copies: tuple[dict[str, Any], ...]

    @classmethod
    def of(cls, group: object, opts: dict[str, dict[str, Any]]) -> _Group:
        infos = tuple(opts.values())
        sizes = tuple(map(len, infos))
        # All in C, about 0.1 microsecond per option: no Python code runs per option.
        return cls(group, tuple(opts), infos, sizes, tuple(map(dict.copy, compress(infos, map(_TWO.__lt__, sizes)))))

    def table(self) -> dict[str, dict[str, Any]]:
        """``dest -> info`` as it was at the snapshot."""
        copies = iter(self.copies)
        return {
            dest: next(copies) if size > _TWO else {"opt": info["opt"]}
            for dest, info, size in zip(self.dests, self.infos, self.sizes, strict=True)
        }


_TWO = 2  # every info dict has `opt` and `cli`


class _State(NamedTuple):
    obj: object
    namespace: object  # identity of the parsed command line and config files
    groups: dict[str, _Group]  # by name, "" for the options registered without a group
    attributes: frozenset[str]  # public instance attributes


class OsloConfigProbe:
    """Snapshots an oslo.config ``ConfigOpts`` found at ``module:attribute``.

    oslo.config keeps, per group, a dict ``dest -> {"opt": Opt, "override": ...,
    "default": ...}`` (``ConfigOpts._opts`` and ``OptGroup._opts``, groups in
    ``ConfigOpts._groups``). A snapshot copies those small dicts (about 0.15 ms
    for 1,000 options). Unless the object changed, a snapshot is the previous
    one again, which costs a few microseconds and compares by identity: every
    method that changes options, overrides or defaults empties the object's
    value cache, where the probe keeps a marker entry of its own; groups,
    parsed arguments and assigned attributes are compared directly. The object
    is probed only while ``module`` is imported: the probe never imports it.
    Option defaults changed on the ``Opt`` objects themselves
    (``cfg.set_defaults``) are not seen.

    Only the test's own changes count: an option or group that code outside
    the files given to :meth:`set_own_files` registered (a library that
    registers its options on first use) is initialization, an entry whose
    value is the same before and after is no difference, and an override or
    default that the test cleared (a config fixture's ``reset()`` at cleanup)
    put back the option's own default, undoing a change made before the test.
    """

    rule = "RG903"
    hint = (
        "change configuration with `self.flags()`, the oslo.config `Config` fixture, "
        "`monkeypatch` or `mock.patch.object`, and unregister what the test registers"
    )

    def __init__(self, spec: str = DEFAULT_SPEC) -> None:
        self.module, self.attribute = parse_spec(spec)
        self.name = f"{self.module}:{self.attribute}"
        self._last: _State | None = None
        self._cache: object = None  # the value cache that holds our marker
        self._marker = ("\x00reviewgate-probe", str(id(self)))  # shaped like its (group, name) keys
        self.origins = Origins()
        self._own: frozenset[str] | None = None  # realpaths; None: every registration counts
        self._reals: dict[frozenset[str], frozenset[str]] = {}
        self._keys: dict[str, tuple[str, str]] = {}  # leak of the last diff -> (group, dest)

    def set_own_files(self, files: Iterable[str] | None) -> None:
        """The source files whose registrations count for the next diffs; ``None``: all of them."""
        if files is None:
            self._own = None
            return
        given = frozenset(files)
        if given not in self._reals:
            self._reals[given] = real_files(given)
        self._own = self._reals[given]

    def snapshot(self) -> _State | None:
        module = sys.modules.get(self.module)
        if module is None:
            return None
        obj: Any = module
        for part in self.attribute.split("."):
            obj = getattr(obj, part)
        top, groups = getattr(obj, "_opts", None), getattr(obj, "_groups", None)
        if not isinstance(top, dict) or not isinstance(groups, dict):
            raise TypeError(f"{self.name} is a {type(obj).__name__}, not an oslo.config ConfigOpts")
        self.origins.watch(obj)
        namespace = getattr(obj, "_namespace", None)
        attributes = frozenset(key for key in vars(obj) if not key.startswith("_"))
        cache = vars(obj).get("_ConfigOpts__cache")
        last = self._last
        if (
            last is not None
            and last.obj is obj
            and cache is self._cache
            and isinstance(cache, dict)
            and self._marker in cache
            and last.namespace is namespace
            and last.attributes == attributes
            and last.groups.keys() == groups.keys() | {_DEFAULT_GROUP}
        ):
            return last
        table = {_DEFAULT_GROUP: _Group.of(obj, top)}
        for name, group in groups.items():
            table[name] = _Group.of(group, group._opts)
        self._last = _State(obj, namespace, table, attributes)
        if isinstance(cache, dict):
            cache[self._marker] = None
        self._cache = cache
        return self._last

    def diff(self, before: object, after: object) -> list[str]:
        if before is None or after is None:  # not imported on one side: nothing to compare
            return []
        assert isinstance(before, _State)
        assert isinstance(after, _State)
        if before is after:
            return []
        if before.obj is not after.obj:
            return [f"`{self.name}` replaced by another object"]
        if before == after:
            return []
        if len(self._keys) > 4096:  # leaks of long-gone tests
            self._keys.clear()
        ours = self._ours
        leaks = [
            f"group {name!r} registered and never unregistered"
            for name in after.groups.keys() - before.groups.keys()
            if ours(name, "")
        ]
        leaks += [f"group {name!r} removed" for name in before.groups.keys() - after.groups.keys()]
        leaks.sort()
        for group in sorted(before.groups.keys() | after.groups.keys()):
            old, new = _table(before, group), _table(after, group)
            if old != new:
                leaks += _options(group, old, new, ours, self._keys)
        # `CONF.host = "x"` stores an attribute that hides option `host` from then on;
        # other public attributes (`project`, `prog`, ...) are set by `CONF(...)`.
        names = after.groups.keys() | set(after.groups[_DEFAULT_GROUP].dests)
        for name in sorted((after.attributes - before.attributes) & names):
            leaks.append(f"attribute {name!r} assigned on the config object, hiding the option")
        if before.namespace is not after.namespace:
            if after.namespace is None:
                leaks.append("parsed command line and config files dropped (`reset()` or `clear()`)")
            else:
                leaks.append("command line or config files parsed (`CONF(...)`) and never reset")
        return leaks


    def origin(self, leak: str) -> tuple[tuple[str, int, str], ...]:
        """Where the change ``leak`` (of the last diff) was made: the call stack, innermost first, of the
        last ``set_override``/``set_default`` of its option; ``()`` for the other leaks."""
        key = self._keys.get(leak)
        return self.origins.changes.get(key, ()) if key is not None else ()

    def _ours(self, group: str, dest: str) -> bool:
        """Whether the registration of ``group`` (``dest`` "") or option ``dest`` counts as the test's."""
        own = self._own
        return own is None or not self.origins.outside((group, dest), own)


def _table(state: _State, group: str) -> dict[str, dict[str, Any]]:
    return state.groups[group].table() if group in state.groups else {}


def _options(
    group: str, old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]], ours: Callable[[str, str], bool],
    keys: dict[str, tuple[str, str]],
) -> list[str]:
    """The leaks of one group's options; ``keys`` learns the option of each value change."""
    leaks: list[str] = []
    for dest in sorted(old.keys() | new.keys()):
        key = f"{group}.{dest}" if group else dest
        if dest not in old:
            if ours(group, dest):
                leaks.append(f"option {key!r} registered and never unregistered")
        elif dest not in new:
            leaks.append(f"option {key!r} unregistered and never registered again")
        elif old[dest] != new[dest]:
            changed = _values(key, old[dest], new[dest])
            keys.update((leak, (group, dest)) for leak in changed)
            leaks += changed
    return leaks


_MISSING = object()


def _values(key: str, old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    leaks: list[str] = []
    if old["opt"] is not new["opt"]:
        leaks.append(f"option {key!r} registered again with another definition")
    builtin = getattr(old["opt"], "default", None)
    old_default, new_default = old.get("default", _MISSING), new.get("default", _MISSING)
    base = builtin if old_default is _MISSING else old_default  # the value before, without override
    old_override, new_override = old.get("override", _MISSING), new.get("override", _MISSING)
    leaks += _change(key, old_override, new_override, base, "set_override")
    leaks += _change(f"default of {key}", old_default, new_default, builtin, "set_default")
    return leaks


def _change(label: str, old: object, new: object, base: object, setter: str) -> list[str]:
    """``rg_region: 'north' -> 'leaked' (set_override never cleared)`` and the like.

    An override or default that is gone after the test was cleared: the option is back to its own
    value, so the test undid a change it found (a config fixture's ``reset()`` does that to all).
    """
    if new is _MISSING:
        return []
    before = base if old is _MISSING else old
    if _same(before, new):
        return []
    if old is _MISSING:
        return [f"{label}: {show(before)} -> {show(new)} ({setter} never cleared)"]
    return [f"{label}: {show(old)} -> {show(new)}"]


def _same(old: object, new: object) -> bool:
    if old is new:
        return True
    try:
        return bool(old == new)
    except Exception:  # a value whose comparison raises differs
        return False
