"""Which file registered each option and group of an oslo.config object (RG903).

Pure Python; nothing here imports pytest, nor oslo.config.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterable
from typing import Any

__all__ = ["Frame", "Origins", "stack"]

Key = tuple[str, str]  # (group name or "", option dest or "" for the group itself)
Frame = tuple[str, int, str]  # file, 1-based line, qualified name of the function
_METHODS = ("register_opt", "register_group")
_SETTERS = ("set_override", "set_default")  # what leaves a value changed (clear_* undo it)
_HERE = os.path.abspath(__file__)
_DEPTH = 48  # frames kept of a change's call stack: a test's line is rarely deeper


def stack(skip: tuple[str, ...], start: int = 2) -> tuple[Frame, ...]:
    """The calling frames, innermost first, from the first outside the files of ``skip`` (prefixes):
    where a change was made, kept as plain data (no frame object, so no locals, stay alive)."""
    frame: Any = sys._getframe(start)
    while frame is not None and frame.f_code.co_filename.startswith(skip):
        frame = frame.f_back
    found: list[Frame] = []
    while frame is not None and len(found) < _DEPTH:
        code = frame.f_code
        found.append((code.co_filename, frame.f_lineno, getattr(code, "co_qualname", code.co_name)))
        frame = frame.f_back
    return tuple(found)


class Origins:
    """Records who registers options and groups on one ``ConfigOpts`` object.

    ``register_opt`` and ``register_group`` get a wrapper as instance
    attributes of the object (every other registering method calls one of
    them). The wrapper notes, for an option or group not yet registered, the
    file of the first calling frame outside oslo.config: a few microseconds per
    registration, nothing per test. The wrapper calls whatever the class holds
    at call time, so a test that patches ``ConfigOpts.register_opt`` still
    sees its patch.
    """

    def __init__(self) -> None:
        self.files: dict[Key, str] = {}
        self.changes: dict[Key, tuple[Frame, ...]] = {}  # the stack of the last set_override/set_default
        self._obj: object = None
        self._real: dict[str, str] = {}  # file -> realpath, computed when asked

    def watch(self, obj: Any) -> None:
        """Wrap ``obj``'s registering methods, once per object."""
        if obj is self._obj:
            return
        self._obj = obj
        package = getattr(sys.modules.get("oslo_config"), "__file__", None)
        inside = [_HERE]
        if isinstance(package, str):
            inside.append(os.path.dirname(os.path.abspath(package)) + os.sep)
        skip = tuple(inside)
        own = vars(obj)
        for name in _METHODS:
            if getattr(own.get(name), "__reviewgate_origins__", None) is self:
                continue
            wrapper = _wrapper(obj, name, own.get(name), self.files, skip)
            wrapper.__reviewgate_origins__ = self  # type: ignore[attr-defined]
            setattr(obj, name, wrapper)
        for name in _SETTERS:
            if getattr(own.get(name), "__reviewgate_origins__", None) is self or not hasattr(type(obj), name):
                continue
            wrapper = _setter(obj, name, own.get(name), self.changes, skip)
            wrapper.__reviewgate_origins__ = self  # type: ignore[attr-defined]
            setattr(obj, name, wrapper)

    def outside(self, key: Key, files: frozenset[str]) -> bool:
        """Whether ``key`` was registered from a file not in ``files`` (realpaths): a library's doing."""
        found = self.files.get(key)
        if not found:
            return False  # registered before we watched, or by hand: no excuse
        real = self._real.get(found)
        if real is None:
            real = self._real[found] = os.path.realpath(found)
        return real not in files


def real_files(files: Iterable[str]) -> frozenset[str]:
    return frozenset(os.path.realpath(path) for path in files)


def _wrapper(obj: Any, name: str, previous: Any, files: dict[Key, str], skip: tuple[str, ...]) -> Callable[..., Any]:
    """``obj.<name>`` that records the registering file of what it registers first."""
    cls = type(obj)

    def call(*args: Any, **kwargs: Any) -> Any:
        if previous is not None:  # an instance attribute set before ours: keep calling it
            return previous(*args, **kwargs)
        return getattr(cls, name)(obj, *args, **kwargs)

    @functools.wraps(getattr(cls, name))
    def register(*args: Any, **kwargs: Any) -> Any:
        try:
            key = _key(obj, name, args, kwargs)
            if key is not None:  # not registered yet: this call registers it
                files[key] = _caller(skip)
        except Exception:  # recording must never change what registering does
            pass
        return call(*args, **kwargs)

    return register


def _setter(
    obj: Any, name: str, previous: Any, changes: dict[Key, tuple[Frame, ...]], skip: tuple[str, ...]
) -> Callable[..., Any]:
    """``obj.<name>`` (``set_override``, ``set_default``) that records where it was called from, per option."""
    cls = type(obj)

    @functools.wraps(getattr(cls, name))
    def setter(*args: Any, **kwargs: Any) -> Any:
        try:
            dest = args[0] if args else kwargs.get("name")
            group = args[2] if len(args) > 2 else kwargs.get("group")
            group_name = getattr(group, "name", group) or ""
            if isinstance(dest, str) and isinstance(group_name, str):
                changes[(group_name, dest)] = stack(skip)
        except Exception:  # recording must never change what setting does
            pass
        if previous is not None:
            return previous(*args, **kwargs)
        return getattr(cls, name)(obj, *args, **kwargs)

    return setter


def _key(obj: Any, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Key | None:
    if name == "register_group":
        group = args[0] if args else kwargs.get("group")
        group_name = getattr(group, "name", None)
        if not isinstance(group_name, str) or group_name in obj._groups:
            return None
        return (group_name, "")
    opt = args[0] if args else kwargs.get("opt")
    group = args[1] if len(args) > 1 else kwargs.get("group")
    dest = getattr(opt, "dest", None)
    group_name = getattr(group, "name", group) or ""
    if not isinstance(dest, str) or not isinstance(group_name, str):
        return None
    if group_name:
        known = obj._groups.get(group_name)
        registered = known is not None and dest in known._opts
    else:
        registered = dest in obj._opts
    return None if registered else (group_name, dest)


def _caller(skip: tuple[str, ...]) -> str:
    """The file of the first frame outside oslo.config and this module."""
    frame = sys._getframe(2)
    while frame is not None and frame.f_code.co_filename.startswith(skip):
        frame = frame.f_back  # type: ignore[assignment]
    return frame.f_code.co_filename if frame is not None else ""
