"""Every read and write of a file: regular files only, reads bounded, writes whole and leaving nothing behind.

Pure (no pytest). A device, a named pipe, a socket or a directory is refused before it is opened,
and again after (it may be swapped in between), so nothing blocks, never ends or fills memory.
"""

from __future__ import annotations

import errno
import hashlib
import os
import secrets
import stat
from pathlib import Path

MAX_MODULE_BYTES = 16 * 1024 * 1024  # a module, conftest or project file; far above any hand-written one
TEMP_SUFFIX = ".reviewgate-tmp"  # ``.<name>.<pid>-<hex>.reviewgate-tmp`` beside the file being written
# A file's state, as the cache records what an analysis depended on: else the SHA-256 of its bytes.
ABSENT = "absent"  # no regular file is there
PRESENT = "present"  # a regular file is there, whatever it holds
UNREADABLE = "unreadable"  # a regular file is there that cannot be read (or is over the limit)
_CHUNK = 1 << 20
_MISSING = (errno.ENOENT, errno.ENOTDIR)
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
_WRITE_FLAGS = os.O_WRONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)


class FileProblem(Exception):
    """A file that cannot be read or written. ``reason`` says why without the path; ``str()`` names both."""

    def __init__(self, path: str, reason: str, *, missing: bool = False, too_large: bool = False) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
        self.missing = missing  # nothing is there: not the same as a file that cannot be read
        self.too_large = too_large


def kind(mode: int) -> str:
    """What a file that is not a regular file is, for a message."""
    for test, name in (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "a regular file" if stat.S_ISREG(mode) else "not a file"


def _problem(path: str, exc: OSError | ValueError) -> FileProblem:
    if isinstance(exc, ValueError):  # an embedded NUL: no such file can exist
        return FileProblem(path, "the path is not usable", missing=True)
    if isinstance(exc, BlockingIOError):
        return FileProblem(path, "reading it would block")
    return FileProblem(path, exc.strerror or str(exc), missing=exc.errno in _MISSING)


def _regular(path: str, st: os.stat_result) -> None:
    if not stat.S_ISREG(st.st_mode):
        raise FileProblem(path, f"it is {kind(st.st_mode)}, not a regular file")


def _too_large(path: str, size: int, limit: int, limit_name: str) -> FileProblem:
    return FileProblem(path, f"{size} bytes, more than {limit_name} ({limit})", too_large=True)


def read_regular(path: str | os.PathLike[str], limit: int, limit_name: str = "the limit") -> bytes:
    """The bytes of a regular file (symlinks followed) of at most ``limit`` bytes; else :class:`FileProblem`.

    The file is checked before it is opened (opening a named pipe can block, a device can act) and
    again after, opened non-blocking, and read until ``limit`` + 1 bytes at most.
    """
    shown = os.fspath(path)
    try:
        before = os.stat(shown)
    except (OSError, ValueError) as exc:
        raise _problem(shown, exc) from None
    _regular(shown, before)
    if before.st_size > limit:
        raise _too_large(shown, before.st_size, limit, limit_name)
    try:
        fd = os.open(shown, _READ_FLAGS)
    except (OSError, ValueError) as exc:
        raise _problem(shown, exc) from None
    try:
        after = os.fstat(fd)
        _regular(shown, after)  # swapped in since the check above
        if after.st_size > limit:
            raise _too_large(shown, after.st_size, limit, limit_name)
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:  # grew while read, or a file that says it is empty and is not (/proc)
            raise _too_large(shown, total, limit, limit_name)
        return b"".join(chunks)
    except OSError as exc:
        raise _problem(shown, exc) from None
    finally:
        os.close(fd)


def state(path: str | os.PathLike[str], limit: int = MAX_MODULE_BYTES) -> str:
    """The SHA-256 of a regular file as :func:`read_regular` reads it, or ``ABSENT`` or ``UNREADABLE``."""
    try:
        return hashlib.sha256(read_regular(path, limit)).hexdigest()
    except FileProblem as exc:
        return ABSENT if exc.missing or not is_regular(path) else UNREADABLE


def holds(path: str | os.PathLike[str], wanted: str) -> bool:
    """Whether the file at ``path`` is still in the state ``wanted`` (see :func:`state`)."""
    if wanted == PRESENT:
        return is_regular(path)
    return state(path) == wanted


def is_regular(path: str | os.PathLike[str]) -> bool:
    """Whether a regular file is there (symlinks followed); never raises."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def write_regular(path: str | os.PathLike[str], data: bytes, *, mode: int | None = None, in_place: bool = True) -> None:
    """Write ``data`` as the whole content of ``path``; raise :class:`FileProblem` naming it on failure.

    ``path`` is written as given: resolve symlinks first to write their target. Something there
    that is not a regular file is refused. A file with several hard links is rewritten in place,
    so that every name keeps seeing it (with ``in_place=False`` it is replaced, which splits them);
    anything else goes to a temporary file beside it, fsynced, then renamed over it in one step.
    ``mode`` is the new file's mode (default: the existing file's, or 0o666 less the umask).
    """
    shown = os.fspath(path)
    try:
        st: os.stat_result | None = os.stat(shown)
    except FileNotFoundError:
        st = None
    except (OSError, ValueError) as exc:
        raise _problem(shown, exc) from None
    if st is not None:
        _regular(shown, st)
        if mode is None:
            mode = stat.S_IMODE(st.st_mode)
        if in_place and st.st_nlink > 1:
            _write_in_place(shown, data, st)
            return
    try:
        _replace(shown, data, mode)
    except OSError as exc:
        raise _problem(shown, exc) from None


def _write_in_place(path: str, data: bytes, before: os.stat_result) -> None:
    try:
        fd = os.open(path, _WRITE_FLAGS)
    except OSError as exc:
        raise _problem(path, exc) from None
    try:
        st = os.fstat(fd)
        _regular(path, st)
        if (st.st_dev, st.st_ino) != (before.st_dev, before.st_ino):
            raise FileProblem(path, "it was replaced while being written; not written")
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.ftruncate(fd, len(data))
        os.fsync(fd)
    except OSError as exc:
        raise _problem(path, exc) from None
    finally:
        os.close(fd)


def replace_file(path: str | os.PathLike[str], data: bytes, mode: int | None = None) -> None:
    """Put a new regular file holding ``data`` at ``path`` in one step, whatever was there (not a directory).

    Nothing there is opened or followed: a symlink, a named pipe or a device is itself replaced.
    For files of our own (the cache), never for the user's; their directory is not searched for
    stale temporary files (it can hold thousands of entries: ``--cache-clear`` empties it), and
    nothing is fsynced: readers still see the old file or the new one whole, and a file cut short
    by a crash is only an entry that fails to load.
    """
    try:
        _replace(os.fspath(path), data, mode, tidy=False, durable=False)
    except OSError as exc:
        raise _problem(os.fspath(path), exc) from None


def temp_name(name: str) -> str:
    """A temporary file's name for ``name``: hidden, marked as ours, and naming the process that made it."""
    return f".{name}.{os.getpid()}-{secrets.token_hex(4)}{TEMP_SUFFIX}"


def _replace(path: str, data: bytes, mode: int | None, tidy: bool = True, durable: bool = True) -> None:
    directory, name = os.path.split(path)
    if tidy:
        remove_stale_temps(directory, name)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    while True:
        tmp = os.path.join(directory, temp_name(name))
        try:
            fd = os.open(tmp, flags, 0o666)  # the umask applies, as for any new file
            break
        except FileExistsError:
            continue
    try:
        with open(fd, "wb") as f:
            if mode is not None:
                os.chmod(tmp, mode)
            f.write(data)
            if durable:
                f.flush()
                os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:  # KeyboardInterrupt too: never leave the temporary file behind
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    if durable:
        _fsync_directory(directory)


def _fsync_directory(directory: str) -> None:
    # Makes the rename durable; not every platform can open a directory.
    try:
        fd = os.open(directory or ".", os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def stale_temp(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a temporary file of ours left by a process that no longer runs (killed mid-write)."""
    name = Path(path).name
    if not (name.startswith(".") and name.endswith(TEMP_SUFFIX)):
        return False
    stem = name[: -len(TEMP_SUFFIX)]
    pid_text, dash, token = stem.rpartition(".")[2].partition("-")
    if not (dash and pid_text.isdigit() and len(token) == 8 and len(pid_text) < 10):
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except (OSError, OverflowError):
        return False
    return False


def remove_stale_temp(path: str | os.PathLike[str]) -> bool:
    """Remove ``path`` when it is a stale temporary file of ours (see :func:`stale_temp`); never raises."""
    if not stale_temp(path):
        return False
    try:
        if stat.S_ISREG(os.lstat(path).st_mode):
            os.unlink(path)
            return True
    except OSError:
        pass
    return False


def remove_stale_temps(directory: str, name: str) -> None:
    """Remove the stale temporary files left beside ``directory/name`` by a killed write."""
    prefix = f".{name}."
    try:
        with os.scandir(directory or ".") as entries:
            found = [e.path for e in entries if e.name.startswith(prefix) and e.name.endswith(TEMP_SUFFIX)]
    except OSError:
        return
    for path in found:
        remove_stale_temp(path)
