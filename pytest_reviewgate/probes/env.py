"""RG902 ``env-restored``: ``os.environ`` after a test equals what it was before.

Pure Python; nothing here imports pytest.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, MutableMapping
from typing import Any

from .base import show

__all__ = ["EnvProbe"]

# pytest rewrites this around every phase of every test.
ALWAYS_IGNORED = ("PYTEST_CURRENT_TEST",)
_RETRIES = 10


class EnvProbe:
    """Snapshots ``os.environ`` as a copy of its raw storage; decodes only when it differs.

    On POSIX ``os.environ`` keeps ``bytes`` keys and values in ``_data``; copying
    that dict costs well under a microsecond, where ``dict(os.environ)`` decodes
    every entry (about 25 microseconds). Changes made with ``os.putenv`` or
    ``os.unsetenv``, which bypass ``os.environ``, are not seen.
    """

    rule = "RG902"
    name = "env"
    hint = "set it with `monkeypatch.setenv()`, `mock.patch.dict(os.environ, ...)` or `fixtures.EnvironmentVariable`"

    def __init__(self, ignore: Iterable[str] = (), environ: Any = None) -> None:
        self._environ: MutableMapping[str, str] = os.environ if environ is None else environ
        self.ignore = tuple(dict.fromkeys((*ALWAYS_IGNORED, *ignore)))
        raw = getattr(self._environ, "_data", None)
        encodekey = getattr(self._environ, "encodekey", None)
        if isinstance(raw, dict) and callable(encodekey):
            self._raw: dict[Any, Any] | None = raw
            self._decodekey = getattr(self._environ, "decodekey", _identity)
            self._decodevalue = getattr(self._environ, "decodevalue", _identity)
            self._skip = tuple(encodekey(name) for name in self.ignore)
        else:  # an os.environ stand-in without raw storage: copy the mapping itself
            self._raw = None
            self._decodekey = self._decodevalue = _identity
            self._skip = self.ignore

    def configure(self, options: Mapping[str, Any]) -> EnvProbe:
        """Rule option ``ignore``: names of variables a test may change."""
        ignore = options.get("ignore", ())
        if isinstance(ignore, str) or not all(isinstance(name, str) for name in ignore):
            raise TypeError("option `ignore` of env-restored must be a list of variable names")
        return EnvProbe(ignore=ignore, environ=None if self._environ is os.environ else self._environ)

    def snapshot(self) -> dict[Any, Any]:
        for _ in range(_RETRIES):
            try:
                # dict(dict) copies in C without running Python code, so another
                # thread cannot change it mid-copy; a stand-in mapping can.
                copy = dict(self._raw) if self._raw is not None else dict(self._environ)
            except RuntimeError:  # "dictionary changed size during iteration"
                continue
            for key in self._skip:
                copy.pop(key, None)
            return copy
        raise RuntimeError(f"os.environ kept changing while copied {_RETRIES} times")

    def diff(self, before: object, after: object) -> list[str]:
        if before == after:
            return []
        assert isinstance(before, dict)
        assert isinstance(after, dict)
        leaks: list[str] = []
        for key in sorted(before.keys() | after.keys()):
            old, new = before.get(key), after.get(key)
            if old == new:
                continue
            name = self._decodekey(key)
            if new is None:
                leaks.append(f"{name}: removed (was {show(self._decodevalue(old), name=name)})")
            elif old is None:
                leaks.append(f"{name}: set to {show(self._decodevalue(new), name=name)}")
            else:
                old_text = show(self._decodevalue(old), name=name)
                new_text = show(self._decodevalue(new), name=name)
                leaks.append(f"{name}: {old_text} -> {new_text}")
        return leaks


def _identity(value: Any) -> Any:
    return value
