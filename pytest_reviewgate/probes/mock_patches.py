"""RG901 ``no-leaked-patches``: no ``unittest.mock`` (or ``mock`` backport) patch is left active.

Pure Python; nothing here imports pytest.
"""

from __future__ import annotations

import functools
import os
import sys
from typing import Any

from .origins import Frame, stack

__all__ = ["MockPatchProbe"]

# Module name -> module whose ``_patch._active_patches`` lists started patches.
_LIBRARIES = (("unittest.mock", "unittest.mock"), ("mock", "mock.mock"))
_ORIGIN = "_reviewgate_origin"  # attribute of a started patch: the call stack of its start()
_HERE = os.path.abspath(__file__)
_RECORDING: set[int] = set()  # ids of the library modules whose start() records its caller


class MockPatchProbe:
    """Snapshots the patches started with ``start()`` and not yet stopped.

    ``unittest.mock`` records a patch in ``_patch._active_patches`` when it is
    started with ``start()`` (that is also what ``mock.patch.stopall`` stops).
    Patches used as decorators or context managers are undone by
    construction and never listed there; one entered by calling
    ``__enter__()`` by hand is not seen. Neither module is imported here: a
    library that is not imported has no active patch.
    """

    rule = "RG901"
    name = "mock"
    hint = (
        "stop it with `self.addCleanup(patcher.stop)`, or patch with a decorator, "
        "a `with` block, `fixtures.MockPatch` or `mocker`"
    )

    def __init__(self) -> None:
        self._leaks: dict[str, object] = {}  # leak of the last diffs -> the patch

    def snapshot(self) -> tuple[object, ...]:
        # The patch objects themselves, not their ids: an id can be reused by
        # a new patch once a stopped one is freed.
        found: tuple[object, ...] = ()
        modules = sys.modules
        for imported, holder in _LIBRARIES:
            if imported in modules:
                module = modules.get(holder)
                if id(module) not in _RECORDING:
                    _record_starts(module)
                active = _active_list(module)
                if active:
                    found += tuple(active)
        return found

    def diff(self, before: object, after: object) -> list[str]:
        if before == after:
            return []
        assert isinstance(before, tuple)
        assert isinstance(after, tuple)
        old = {id(patch) for patch in before}
        if len(self._leaks) > 1024:
            self._leaks.clear()
        leaks = []
        for patch in after:
            if id(patch) not in old:
                leak = f"{describe(patch)} still active"
                self._leaks.setdefault(leak, patch)
                leaks.append(leak)
        return leaks

    def origin(self, leak: str) -> tuple[Frame, ...]:
        """Where the patch of ``leak`` was started: the call stack of its ``start()``, innermost first."""
        found = getattr(self._leaks.pop(leak, None), _ORIGIN, ())
        return found if isinstance(found, tuple) else ()


def _record_starts(module: Any) -> None:
    """Make ``start()`` of the library's patch classes note their caller's stack on the patch, once.

    A started patch is what leaks; where it started is what its report points at. The wrapper
    calls whatever ``start`` the class had and changes nothing else (a few microseconds per start).
    """
    _RECORDING.add(id(module))
    for name in ("_patch", "_patch_dict"):
        cls = getattr(module, name, None)
        start = getattr(cls, "start", None)
        if cls is None or start is None or getattr(start, "__reviewgate_origin__", False):
            continue
        skip = (os.path.dirname(os.path.abspath(getattr(module, "__file__", "") or "")) + os.sep, _HERE)

        def recording(self: Any, *args: Any, __start: Any = start, __skip: tuple[str, ...] = skip,
                      **kwargs: Any) -> Any:
            try:
                setattr(self, _ORIGIN, stack(__skip))
            except Exception:  # recording must never change what starting does
                pass
            return __start(self, *args, **kwargs)

        functools.update_wrapper(recording, start)
        recording.__reviewgate_origin__ = True  # type: ignore[attr-defined]
        try:
            cls.start = recording
        except (AttributeError, TypeError):
            pass


def _active_list(module: Any) -> list[object] | None:
    patch_class = getattr(module, "_patch", None)
    active = getattr(patch_class, "_active_patches", None)
    return active if isinstance(active, list) else None


def describe(patch: object) -> str:
    """What a patch replaced: ``patch of `colorsys.rgb_to_hsv```, ``patch.dict of `os.environ```."""
    if hasattr(patch, "in_dict"):  # _patch_dict
        return f"patch.dict of `{_dict_name(patch.in_dict)}`"
    target = getattr(patch, "target", None)
    if target is None:  # not entered as expected: fall back to what it was built with
        getter = getattr(patch, "getter", None)
        try:
            target = getter() if callable(getter) else None
        except Exception:
            target = None
    owner = _owner_name(target)
    names = [getattr(patch, "attribute", None)]
    names += [getattr(extra, "attribute", None) for extra in getattr(patch, "additional_patchers", ())]
    spelled = ", ".join(f"`{owner}.{name}`" for name in names if isinstance(name, str))
    return f"patch of {spelled or f'`{owner}`'}"


def _owner_name(target: object) -> str:
    if target is None:
        return "<unknown>"
    if isinstance(target, type(sys)):
        return target.__name__
    if isinstance(target, type):
        return f"{target.__module__}.{target.__qualname__}"
    kind = type(target)
    return f"<{kind.__module__}.{kind.__qualname__} object>"


def _dict_name(in_dict: object) -> str:
    if in_dict is os.environ:
        return "os.environ"
    if isinstance(in_dict, str):
        return in_dict
    if in_dict is sys.modules:
        return "sys.modules"
    return f"<{type(in_dict).__qualname__} object>"
