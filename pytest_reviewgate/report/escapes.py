"""Text from reviews, modules and plugins made safe to print: no terminal escape sequences, no controls.

A review title such as ``\\x1b[2J`` would clear the terminal of whoever runs the suite; every output
(terminal, warnings, JUnit, SARIF) shows such text through :func:`printable`.
"""

from __future__ import annotations

import re

__all__ = ["printable"]

# Escape sequences, removed whole: CSI (``ESC [`` or the 8-bit ``\x9b``), OSC (``ESC ]`` or ``\x9d``,
# ended by BEL or ST), DCS/SOS/PM/APC strings, and the other two-character escapes.
_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|(?:\x1b[PX^_]|[\x90\x98\x9e\x9f])[^\x1b\x9c]*(?:\x1b\\|\x9c)?"
    r"|\x1b[ -~]?"
)
# What is left and still controls a terminal or reorders text: C0 but tab and newline, DEL, C1,
# bidirectional overrides and isolates, line and paragraph separators.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` without escape sequences; other control characters shown as ``\\xNN`` / ``\\uNNNN``.

    Newlines and tabs stay: failure texts have several lines.
    """
    if _CONTROL.search(text) is None:  # every escape sequence starts with a control character
        return text
    return _CONTROL.sub(_escaped, _SEQUENCE.sub("", text))


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
