"""Review bytes -> text and physical lines, as a reviewer and ``ast`` count them.

Only ``\\r\\n``, ``\\r`` and ``\\n`` end a line: form feed and U+2028 do not
(``str.splitlines`` would disagree with every editor and with ``ast``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import ReviewgateError

_EOL = re.compile(r"\r\n|\r|\n")
BOM = "\ufeff"


@dataclass(frozen=True)
class Text:
    """Decoded review text; offsets index ``text``, which excludes a leading BOM."""

    text: str
    bom: bool
    lines: tuple[str, ...]  # without line endings
    starts: tuple[int, ...]  # offset of each line in ``text``

    def line_of(self, offset: int) -> int:
        """1-based line holding ``offset`` (binary search over line starts)."""
        lo, hi = 0, len(self.starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1


def decode(data: bytes, path: str = "") -> Text:
    """Decode UTF-8 (a BOM is fine); anything else names the line and byte."""
    bom = data.startswith(b"\xef\xbb\xbf")
    body = data[3:] if bom else data
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = body.count(b"\n", 0, exc.start) + 1
        if b"\n" not in body[: exc.start]:
            line = body.count(b"\r", 0, exc.start) + 1
        byte = body[exc.start]
        column = exc.start - max(body.rfind(b"\n", 0, exc.start), body.rfind(b"\r", 0, exc.start))
        raise ReviewgateError(
            f"not UTF-8: byte 0x{byte:02x} at line {line}, column {column}", path, line
        ) from None
    return split(text, bom)


def split(text: str, bom: bool = False) -> Text:
    lines: list[str] = []
    starts: list[int] = []
    pos = 0
    for match in _EOL.finditer(text):
        starts.append(pos)
        lines.append(text[pos : match.start()])
        pos = match.end()
    if pos < len(text) or not lines:
        starts.append(pos)
        lines.append(text[pos:])
    return Text(text=text, bom=bom, lines=tuple(lines), starts=tuple(starts))
