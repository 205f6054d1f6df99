"""Project code that waits for a condition and raises when it does not come true in time."""

import time


def wait_until(predicate, timeout=5, step=0.01, error=None):
    started = time.monotonic()
    while not predicate():
        if time.monotonic() - started > timeout:
            raise error if error else TimeoutError(f"not true after {timeout}s")
        time.sleep(step)


def skip_unless(flag, reason=None):
    if not flag:
        raise reason if reason else NotImplementedError()


def validate_names(names):
    for name in names:
        if not name.isidentifier():
            raise ValueError(name)


def parse_pairs(text):
    pairs = []
    while text:
        head, _, text = text.partition(";")
        if "=" not in head:
            raise ValueError(head)
        pairs.append(head.split("="))
    return pairs
