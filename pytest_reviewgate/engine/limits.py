"""A time limit for code that may never return (a custom rule, probe or hook): SIGALRM, main thread only.

Python cannot stop a thread, so the limit raises in the running code from a signal handler. Where
no handler can be installed (another thread, no ``setitimer`` as on Windows) the code runs unlimited.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["Limit", "TimeLimitExceeded", "enforceable", "time_limit"]


class TimeLimitExceeded(BaseException):
    """Raised inside the limited code. A ``BaseException``: an ``except Exception`` in it lets it pass."""

    def __init__(self, limit: Limit) -> None:
        super().__init__(f"did not return within {limit.seconds:g} s")
        self.limit = limit


class Limit:
    """One armed limit; ``fired`` tells whether it raised."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.armed = False
        self.fired = False

    def _alarm(self, signum: int, frame: Any) -> None:
        if self.armed:
            self.fired = True
            # again after a second, should the code swallow this one (``except BaseException``)
            signal.setitimer(signal.ITIMER_REAL, 1.0)
            raise TimeLimitExceeded(self)


def enforceable() -> bool:
    """Whether a limit can be enforced here: POSIX with ``setitimer``, in the main thread."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_limit(seconds: float | None) -> Iterator[Limit | None]:
    """Raise :class:`TimeLimitExceeded` in the block after ``seconds``; yields the limit, or ``None`` when
    none is enforced (no limit asked, or not :func:`enforceable`, or an earlier timer of someone else,
    such as pytest-timeout's, will fire first).

    The previous handler and timer are restored on the way out, the timer with what is left of it.
    """
    if not seconds or seconds <= 0 or not enforceable():
        yield None
        return
    previous = signal.getsignal(signal.SIGALRM)
    delay, interval = signal.getitimer(signal.ITIMER_REAL)
    if previous is None or (delay and delay <= seconds):
        yield None  # a handler we cannot restore, or an outer timer that fires first anyway
        return
    limit = Limit(seconds)
    started = time.monotonic()
    signal.signal(signal.SIGALRM, limit._alarm)
    limit.armed = True
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield limit
    finally:
        _disarm(limit, previous, delay, interval, started)


def _disarm(limit: Limit, previous: Callable[..., Any] | int, delay: float, interval: float, started: float) -> None:
    """Never leave the handler installed, even when the alarm fires while this runs."""
    while True:
        try:
            limit.armed = False  # from here on the handler raises nothing
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
            if delay:  # someone else's timer: what is left of it (fires at once when already due)
                left = max(delay - (time.monotonic() - started), 1e-6)
                signal.setitimer(signal.ITIMER_REAL, left, interval)
            return
        except TimeLimitExceeded:
            continue
