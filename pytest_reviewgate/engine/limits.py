"""A time limit for code that may never return (a custom rule, probe or hook): SIGALRM, main thread only.

Python cannot stop a thread, so the limit raises in the running code from a signal handler. Where
no handler can be installed (another thread, no ``setitimer`` as on Windows) the code runs unlimited.
"""

from __future__ import annotations

import signal
import threading
import time
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


class time_limit:
    """Raise :class:`TimeLimitExceeded` in the block after ``seconds``; ``as`` gives the limit, or ``None``
    when none is enforced (no limit asked, or not :func:`enforceable`, or an earlier timer of someone
    else, such as pytest-timeout's, will fire first).

    The previous handler and timer are restored on the way out, the timer with what is left of it.
    A class, not a generator: it wraps every rule check (microseconds count).
    """

    __slots__ = ("delay", "interval", "limit", "previous", "seconds", "started")

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.limit: Limit | None = None

    def __enter__(self) -> Limit | None:
        seconds = self.seconds
        if not seconds or seconds <= 0 or not enforceable():
            return None
        self.delay, self.interval = signal.getitimer(signal.ITIMER_REAL)
        if self.delay and self.delay <= seconds:
            return None  # an outer timer fires first anyway
        self.previous = signal.getsignal(signal.SIGALRM)
        if self.previous is None:
            return None  # a handler installed from C: it could not be restored
        self.started = time.monotonic() if self.delay else 0.0
        limit = self.limit = Limit(seconds)
        signal.signal(signal.SIGALRM, limit._alarm)
        limit.armed = True
        signal.setitimer(signal.ITIMER_REAL, seconds)
        return limit

    def __exit__(self, *exc_info: object) -> None:
        limit, self.limit = self.limit, None
        if limit is None:
            return
        while True:  # never leave the handler installed, even when the alarm fires while this runs
            try:
                limit.armed = False  # from here on the handler raises nothing
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, self.previous)
                if self.delay:  # someone else's timer: what is left of it (at once when already due)
                    left = max(self.delay - (time.monotonic() - self.started), 1e-6)
                    signal.setitimer(signal.ITIMER_REAL, left, self.interval)
                return
            except TimeLimitExceeded:
                continue
