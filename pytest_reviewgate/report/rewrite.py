"""Safe rewriting of user files (fix, pin, baseline, reports) and the pure text edits behind it.

Writes follow symlinks, keep the mode and hard links, refuse a file changed since it was read, and are atomic.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from .. import files
from ..model import ReviewgateError

WriteStatus = Literal["written", "unchanged", "changed", "error"]
MAX_BYTES = 64 * 1024 * 1024  # a file read to be rewritten (a review, a baseline)

_LINE = re.compile(r"([^\r\n]*)(\r\n|\r|\n|$)")
_PINS_KEY = re.compile(r"""(?:pins|"pins"|'pins')[ \t]*:(?:[ \t]|$)""")
_DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class Snapshot:
    """A file as it was read, to be rewritten only if it is still exactly that."""

    path: str  # as given by the caller
    real_path: str  # symlinks followed to the target
    data: bytes
    mtime_ns: int
    size: int
    sha256: str


@dataclass(frozen=True)
class WriteResult:
    """What happened to one file; ``message`` is a sentence naming it, for the summary."""

    path: str
    status: WriteStatus
    message: str

    @property
    def ok(self) -> bool:
        return self.status in ("written", "unchanged")


def read_for_rewrite(path: str | os.PathLike[str], limit: int = MAX_BYTES) -> Snapshot:
    """Read ``path`` (following symlinks); raise :class:`ReviewgateError` naming it on failure.

    Only a regular file of at most ``limit`` bytes is read (see :mod:`pytest_reviewgate.files`).
    """
    shown = os.fspath(path)
    real = os.path.realpath(shown)
    try:
        data = files.read_regular(real, limit)
        st = os.stat(real)
    except files.FileProblem as exc:
        raise ReviewgateError(f"cannot read {shown}: {exc.reason}", path=shown) from None
    except OSError as exc:
        raise ReviewgateError(f"cannot read {shown}: {exc.strerror or exc}", path=shown) from None
    digest = hashlib.sha256(data).hexdigest()
    return Snapshot(shown, real, data, st.st_mtime_ns, st.st_size, digest)


def write_atomically(target: Snapshot | str | os.PathLike[str], new_bytes: bytes) -> WriteResult:
    """Replace the file with ``new_bytes`` in one step, or leave it exactly as it is.

    With a :class:`Snapshot`, nothing is written when the file's bytes (or the
    target its symlink points to) differ from the snapshot. A plain path is
    written unconditionally and created when missing. Only a regular file is
    read or written: a device, a named pipe or a directory is refused, and so
    is a file without any write permission bit (as read-only). The data goes
    to a temporary file in the target's directory that gets the target's mode
    and is fsynced, then :func:`os.replace` swaps it in; a file with several
    hard links is rewritten in place instead, so that the links stay one file.
    Every failure is returned as a result with status ``"error"`` naming the
    path; an exception that is not an ``OSError`` removes the temporary file
    and propagates.
    """
    if isinstance(target, Snapshot):
        snap: Snapshot | None = target
        shown = target.path
    else:
        snap, shown = None, os.fspath(target)
    real = os.path.realpath(shown)
    try:
        st: os.stat_result | None = os.stat(real)
    except FileNotFoundError:
        st = None
    except (OSError, ValueError) as exc:
        return WriteResult(shown, "error", f"cannot write {shown}: {getattr(exc, 'strerror', None) or exc}")
    if st is not None and not stat.S_ISREG(st.st_mode):
        return WriteResult(shown, "error", f"cannot write {shown}: it is {files.kind(st.st_mode)}, not a regular file")
    expected = snap.data if snap is not None else new_bytes
    current = None if st is None else _read(real, len(expected))
    if snap is not None:
        if st is None:
            return WriteResult(shown, "changed", f"{shown} is gone since it was read; not written")
        if real != snap.real_path or current != snap.data:
            return WriteResult(shown, "changed", f"{shown} changed since it was read; not written")
    if st is not None:
        if not st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
            return WriteResult(shown, "error", f"cannot write {shown}: the file is read-only")
        if current == new_bytes:
            return WriteResult(shown, "unchanged", f"{shown} is already up to date")
    try:
        files.write_regular(real, new_bytes)
    except files.FileProblem as exc:
        return WriteResult(shown, "error", f"cannot write {shown}: {exc.reason}")
    return WriteResult(shown, "written", f"{shown} written")


def _read(path: str, limit: int) -> bytes | None:
    """The file's bytes when it holds at most ``limit`` (more cannot equal what is compared)."""
    try:
        return files.read_regular(path, limit)
    except files.FileProblem:
        return None


def decode(data: bytes) -> tuple[str, bool]:
    """The text that offsets refer to, and whether the bytes start with a UTF-8 BOM.

    ``text = data.decode("utf-8")`` without one leading U+FEFF, with line
    endings exactly as in the file (no universal newlines). Raises
    ``UnicodeDecodeError`` (a ``ValueError``) for bytes that are not UTF-8.
    """
    text = data.decode("utf-8")
    if text.startswith("\ufeff"):
        return text[1:], True
    return text, False


def encode(text: str, bom: bool) -> bytes:
    """Inverse of :func:`decode`."""
    return ("\ufeff" if bom else "").encode("utf-8") + text.encode("utf-8")


def apply_replacements(
    data: bytes, replacements: Sequence[tuple[int, int, str]], *, digits_only: bool = True
) -> bytes:
    """Replace ``text[start:end]`` by each new string, keeping every other byte.

    Offsets are character offsets into the text of :func:`decode` (BOM
    removed, line endings untouched), as the review parser sees it. The
    replacements must not overlap. With ``digits_only`` (the default, used by
    ``--reviewgate-fix``) both the replaced text and the new text must be
    runs of ASCII digits, so prose can never be damaged. Raises ``ValueError``.
    """
    text, bom = decode(data)
    pieces: list[str] = []
    pos = 0
    for start, end, new in sorted(replacements, key=lambda r: (r[0], r[1])):
        if not 0 <= start <= end <= len(text) or start < pos:
            raise ValueError(f"replacement {start}-{end} is out of range or overlaps another")
        if digits_only and not (_DIGITS.fullmatch(text[start:end]) and _DIGITS.fullmatch(new)):
            raise ValueError(f"replacement {start}-{end} is not digits for digits")
        pieces += [text[pos:start], new]
        pos = end
    pieces.append(text[pos:])
    return encode("".join(pieces), bom)


def _lines(text: str) -> list[tuple[int, str, str]]:
    """``(offset, content, ending)`` per line, breaking at CRLF, CR and LF only."""
    out: list[tuple[int, str, str]] = []
    for m in _LINE.finditer(text):
        if m.start() == len(text) and not m.group(0):
            break
        out.append((m.start(), m.group(1), m.group(2)))
    return out


def yaml_quote(value: str) -> str:
    """A YAML double-quoted scalar for ``value`` that any YAML 1.1 or 1.2 loader reads back."""
    out = ['"']
    for ch in value:
        cp = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif 0x20 <= cp <= 0x7E or (
            (0xA0 <= cp <= 0xD7FF or 0xE000 <= cp <= 0xFFFD or cp >= 0x10000)
            and ch not in "\u2028\u2029\ufeff"
        ):
            out.append(ch)
        elif cp <= 0xFF:
            out.append(f"\\x{cp:02x}")
        elif cp <= 0xFFFF:
            out.append(f"\\u{cp:04x}")
        else:
            out.append(f"\\U{cp:08x}")
    out.append('"')
    return "".join(out)


def set_pins(data: bytes, pins: Mapping[str, str]) -> bytes:
    """Write ``pins:`` into the YAML front matter, keeping every other byte.

    Front matter runs from a first line ``---`` (after an optional BOM) to
    the next line ``---`` or ``...``, as the review parser reads it. A
    top-level ``pins:`` entry (its line and the indented lines continuing
    it) is replaced; else the entry goes just before the closing line; with
    no front matter, one is created at the top. Keys and values are
    double-quoted, in the mapping's order, with the file's line ending. The
    result is checked with PyYAML's safe loader (same other keys, exactly
    these pins); ``ValueError`` when that cannot be guaranteed.
    """
    text, bom = decode(data)
    lines = _lines(text)
    close = _closing(lines)
    if close is None:
        nl = next((end for _, _, end in lines if end), "\n")
        return encode(f"---{nl}{_pins_block(pins, nl)}---{nl}" + text, bom)
    block = _pins_block(pins, lines[0][2])
    key = next((i for i in range(1, close) if _PINS_KEY.match(lines[i][1])), None)
    if key is None:
        start = end = lines[close][0]
    else:
        last = key
        for i in range(key + 1, close):
            content = lines[i][1]
            if not content.strip():
                continue  # a blank line belongs to the entry only if more of it follows
            if content[0] not in " \t" and content != "-" and not content.startswith("- "):
                break
            last = i
        start, end = lines[key][0], lines[last + 1][0]
    new_text = text[:start] + block + text[end:]
    _check_front_matter(text[lines[1][0] : lines[close][0]], new_text, lines[1][0], pins)
    return encode(new_text, bom)


def _closing(lines: list[tuple[int, str, str]]) -> int | None:
    """Index of the line closing the front matter (``---`` or ``...``), as the parser sees it."""
    if not lines or lines[0][1].rstrip() != "---":
        return None
    return next((i for i in range(1, len(lines)) if lines[i][1].rstrip() in ("---", "...")), None)


def _pins_block(pins: Mapping[str, str], nl: str) -> str:
    if not pins:
        return f"pins: {{}}{nl}"
    entries = "".join(f"  {yaml_quote(k)}: {yaml_quote(v)}{nl}" for k, v in pins.items())
    return f"pins:{nl}{entries}"


def _check_front_matter(old: str, new_text: str, begin: int, pins: Mapping[str, str]) -> None:
    # Other entries are untouched text; what can go wrong is where the pins
    # entry ends, so the same other keys in the same order and the exact pins
    # suffice (and never walk values, which aliases could make huge).
    import yaml  # lazily: a session without pins never pays for PyYAML

    rest = _lines(new_text[begin:])
    closing = next(off for off, content, _ in rest if content.rstrip() in ("---", "..."))
    try:
        before = yaml.load(old, Loader=yaml.SafeLoader) or {}
        after = yaml.load(new_text[begin : begin + closing], Loader=yaml.SafeLoader)
    except (yaml.YAMLError, RecursionError) as exc:
        raise ValueError(f"the front matter is not valid YAML: {exc}") from exc
    if not isinstance(before, dict) or not isinstance(after, dict):
        raise ValueError("the front matter is not a mapping")
    same_keys = [k for k in before if k != "pins"] == [k for k in after if k != "pins"]
    got = after.get("pins")
    if not same_keys or not isinstance(got, dict) or got != dict(pins):
        raise ValueError("pins cannot be written into this front matter without changing it")


def write_json(path: str | os.PathLike[str], data: Any) -> WriteResult:
    """Write ``data`` as indented UTF-8 JSON atomically, creating the parent directories."""
    encoded = (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    parent = os.path.dirname(os.path.abspath(os.fspath(path)))
    try:
        os.makedirs(parent, exist_ok=True)
    except OSError as exc:
        return WriteResult(os.fspath(path), "error", f"cannot write {os.fspath(path)}: {exc}")
    return write_atomically(path, encoded)
