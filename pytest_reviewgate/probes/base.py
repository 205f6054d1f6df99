"""The probe protocol: how a runtime rule looks at process state around a test.

Public API. Pure Python; nothing here imports pytest.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable

__all__ = ["Probe", "configured", "hint_of", "show"]


@runtime_checkable
class Probe(Protocol):
    """Something that can tell whether a test left a piece of process state changed.

    A probe serves one runtime rule. reviewgate calls :meth:`snapshot` before a
    watched test's setup and again after its teardown, then :meth:`diff` on the
    two; every string ``diff`` returns is one leak, reported on the test. State
    changed by a class-, module- or session-scoped fixture (``setUpClass``
    included) is compared around that fixture's setup and finalization instead.

    Required members:

    ``rule``
        The code (``"RG903"``) or name (``"config-restored"``) of the rule the
        probe serves; a test is probed when a review asks that rule of it.
    ``name``
        A short name for messages, e.g. ``"env"`` or ``"oslo_config.cfg:CONF"``:
        an exception out of the probe is reported as
        ``probe <name> raised <ExcType>: <message>`` on the test.
    ``snapshot()``
        Capture the state, cheaply: it runs twice per watched test (the
        built-in probes take a few microseconds). Return any value; reviewgate
        never looks inside it, never mutates it, and may keep it for as long as
        a session-scoped fixture lives. Return a copy, never a live object that
        will change under you; returning the previous snapshot again when
        nothing changed is fine.
    ``diff(before, after)``
        Compare two snapshots and return the leaks in words, one sentence per
        leak, no trailing period: ``"FOO: 'a' -> 'b'"``, ``"group 'x'
        registered and never unregistered"``. Return ``[]`` when nothing
        leaked. Messages must depend only on the two states, not on object ids
        or time, so the same leak reads the same in every run and process.

    Optional members (looked up with ``getattr``):

    ``hint``
        How to fix a leak, e.g. ``"use monkeypatch.setenv()"``; it completes
        the ``<what> -> <how to fix>`` message of the violation in SARIF.
    ``configure(options)``
        Return a probe configured by the rule's options, the table
        ``[tool.reviewgate.rules.<code or name>]`` (e.g. ``{"ignore": [...]}``).
        Called once per distinct table; the default is the probe itself.
    ``set_own_files(files)``
        Called before the diffs of a test with the source files of its
        closure (its module, the conftest.py files above it, its project
        base classes), or ``None``: a probe that knows which code changed an
        entry may leave out changes made from other files, such as a library
        registering its options on first use.

    ``origin(leak)``
        Called after the diffs of a test with each leak they returned: where the
        change was made, as the call stack recorded at that moment, innermost
        frame first, each ``(file, line, function)``; ``()`` when unknown. The
        leak's report (SARIF location and terminal) points at the first frame
        in the test's module, else in its other own files, else at the test's
        ``def`` line. The built-in mock probe knows it for patches started with
        ``start()``, the oslo.config probe for ``set_override`` and
        ``set_default``; the environment probe does not.

    Only the test's own changes count: reviewgate leaves out, entry by entry,
    a change that puts an entry back as it was before the first watched test
    (the test undid another's leak). An entry is the text of a leak before
    its first ``": "``, so write leaks as ``<entry>: <change>``. State found
    changed at a watched test's start is reported once, as a warning naming
    the test that ran before it.

    Probes come from the ``pytest_reviewgate_runtime_probes(config)`` hook.
    A probe is used from one thread and is called with pytest's own state
    already in place; it must not import the modules it inspects (test
    whether they are in :data:`sys.modules` instead).
    """

    rule: str
    name: str

    def snapshot(self) -> object:
        """Capture the state this probe watches; cheap, never mutated afterwards."""
        ...

    def diff(self, before: object, after: object) -> list[str]:
        """Return one sentence per leak between two snapshots, ``[]`` for none."""
        ...


def hint_of(probe: Probe) -> str:
    """The probe's optional ``hint``, or ``""``."""
    hint = getattr(probe, "hint", "")
    return hint if isinstance(hint, str) else ""


def configured(probe: Probe, options: Mapping[str, Any]) -> Probe:
    """The probe configured by rule ``options`` through its optional ``configure``."""
    configure = getattr(probe, "configure", None)
    if configure is None or not options:
        return probe
    result: Probe = configure(options)
    return result


_SECRET = re.compile(r"PASS|SECRET|TOKEN|CREDENTIAL|PRIVATE|(?:^|_)KEY(?:$|_)|AUTH", re.IGNORECASE)
_LIMIT = 80


def show(value: object, *, name: str = "") -> str:
    """``repr(value)`` for a message: cut to about 80 characters, masked when ``name`` looks secret.

    Test logs are often public; a leaked ``AWS_SECRET_ACCESS_KEY`` must not be printed.
    """
    if name and _SECRET.search(name):
        return "'***'"
    try:
        text = repr(value)
    except Exception as exc:  # a broken __repr__ must not hide the leak
        text = f"<{type(value).__name__} object, repr raised {type(exc).__name__}>"
    if len(text) > _LIMIT:
        text = text[: _LIMIT - 4] + "...'" if text[:1] in "'\"" else text[: _LIMIT - 3] + "..."
    return text
