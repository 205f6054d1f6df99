"""The user properties reviewgate writes on items (``reviewgate:<kind>``), and the checks it reads them with.

A test may record any property, one of these names included: only well-formed values count, and
only from our own items, but for the leaks that runtime rules record on the tests they watch.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..report.escapes import printable

PREFIX = "reviewgate:"
VIOLATION = PREFIX + "violation"  # written by review items and by the runtime watch


def read(properties: object, ours: bool) -> list[tuple[str, Any]]:
    """``(kind, value)`` of each of our properties in a report's ``user_properties`` that is well formed;
    the kinds but ``violation`` only when the report is ``ours`` (of a review item)."""
    if not isinstance(properties, list | tuple):
        return []
    out: list[tuple[str, Any]] = []
    for entry in properties:
        if not (isinstance(entry, tuple | list) and len(entry) == 2 and isinstance(entry[0], str)):
            continue
        name, value = entry
        if not name.startswith(PREFIX):
            continue
        kind = name[len(PREFIX) :]
        if kind == "violation" and is_violation(value):
            out.append((kind, printable_violation(value)))
        elif ours and kind == "triage" and isinstance(value, str):
            parsed = _json(value)  # a JSON text, so that JUnit shows JSON
            if is_triage(parsed):
                out.append((kind, parsed))
        elif ours and _CHECKS.get(kind, _never)(value):
            out.append((kind, printable(value) if kind == "suggest" else value))
    return out


def is_counts(value: Any) -> bool:
    """The counts a review item records (``session.counts``), with the types the summary adds up."""
    if not isinstance(value, dict) or not isinstance(value.get("review"), str):
        return False
    numbers = ("findings", "gated", "not_gated", "stale", "seconds")
    polarity = value.get("polarity", {})
    return (
        all(_number(value.get(key, 0)) for key in numbers)
        and isinstance(polarity, dict)
        and all(isinstance(k, str) and _number(v) for k, v in polarity.items())
    )


def is_violation(value: Any) -> bool:
    """Violation data as ``Violation.to_data`` writes it, plus where its finding is."""
    if not isinstance(value, dict):
        return False
    optional = ("definition", "source", "suppressed", "severity", "review")
    finding = value.get("finding")
    return (
        all(isinstance(value.get(key), str) for key in ("rule", "message", "path"))
        and type(value.get("line")) is int
        and all(isinstance(value.get(key, ""), str) for key in optional)
        and _number(value.get("review_line", 0))
        and (isinstance(finding, str | None) or _is_finding(finding))
    )


def printable_violation(value: dict[str, Any]) -> dict[str, Any]:
    """Runtime violations come from probes: their text is made printable here, for SARIF and the baseline."""
    data: dict[str, Any] = dict(value)
    for key in ("message", "definition", "source"):
        if key in data:
            data[key] = printable(data[key])
    if isinstance(data.get("finding"), dict):
        data["finding"] = {**data["finding"], "title": printable(str(data["finding"].get("title", "")))}
    elif isinstance(data.get("finding"), str):
        data["finding"] = printable(data["finding"])
    return data


def _is_finding(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and all(isinstance(value.get(key, ""), str) for key in ("key", "title", "review"))
        and _number(value.get("line", 0))
    )


def _is_inherited(value: Any) -> bool:
    """A violation in another file than the reviewed module, with the module that reached it."""
    return is_violation(value) and _is_finding(value.get("finding")) and isinstance(value.get("module"), str)


def _is_edit(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("review"), str) and isinstance(value.get("sha256"), str)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _json(text: str) -> Any:
    import json

    try:
        return json.loads(text)
    except ValueError:
        return None


def _never(value: Any) -> bool:
    return False


def _text(value: Any) -> bool:
    return isinstance(value, str)


def _count(value: Any) -> bool:
    return type(value) is int and value >= 0


def is_triage(value: Any) -> bool:
    """A review's verdicts (``items.triage_data``): the review, and each entry's fields with their types."""
    if not isinstance(value, dict) or not isinstance(value.get("review"), str):
        return False
    entries = value.get("entries")
    return isinstance(entries, list) and all(_is_verdict(e) for e in entries)


def _is_verdict(entry: Any) -> bool:
    texts = ("review", "finding", "title", "verdict", "reason")
    lists = ("rules", "subjects", "runtime")
    return (
        isinstance(entry, dict)
        and all(isinstance(entry.get(k), str) for k in texts)
        and type(entry.get("line")) is int
        and all(isinstance(entry.get(k), list) and all(isinstance(x, str) for x in entry[k]) for k in lists)
        and isinstance(entry.get("evidence"), list)
        and all(
            isinstance(e, dict) and isinstance(e.get("file"), str) and type(e.get("line")) is int
            and isinstance(e.get("text"), str)
            for e in entry["evidence"]
        )
    )


def _is_covered(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("module"), str) and isinstance(value.get("rule"), str)


_CHECKS: dict[str, Callable[[Any], bool]] = {
    "covered": _is_covered,
    "review": is_counts,
    "warning": _text,
    "ignored": _count,
    "fix": _is_edit,
    "pin": _is_edit,
    "suggest": _text,
    "inherited": _is_inherited,
    "triage": is_triage,
}
