"""Users' implementations of the ``pytest_reviewgate_*`` hooks, and their probes, called one at a time.

An implementation that raises (``SystemExit`` included), returns garbage or never returns is one
problem naming its file and line; the other implementations still count. ``KeyboardInterrupt`` stops.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from ..probes.base import configured, hint_of
from ..report.escapes import printable

if TYPE_CHECKING:
    from ..probes.base import Probe
    from ..rules.base import RuleRegistry

# What went wrong with ``pytest_reviewgate_runtime_probes`` in this process: each runtime item says so.
PROBE_HOOK_PROBLEMS = pytest.StashKey[list[str]]()
TIME_LIMIT = pytest.StashKey[float]()  # seconds, set when pytest configures (``Settings.rule_timeout``)
# Implementations that ran out of time in this process, and the problem: not called again (the
# rules hook is called once per reviewed folder).
STUCK = pytest.StashKey[dict[Any, str]]()
MAX_PROBES = 1000  # from one implementation: an endless generator is garbage too
LIMIT_NOTE = "(rule-timeout, --reviewgate-timeout)"


def register_rules(config: pytest.Config, caller: Any, registry: RuleRegistry) -> None:
    """Call each ``pytest_reviewgate_register_rules`` of ``caller``; a failure is a problem of the registry."""
    for _, _, problem in call_each(config, caller, {"registry": registry}):
        if problem:
            registry.problems.append(f"{problem} -> fix the hook; the rules it registers are missing")


def user_probes(config: pytest.Config) -> list[Probe]:
    """The probes of every ``pytest_reviewgate_runtime_probes``, each limited in time; what is not a
    probe, and an implementation that fails, is kept in ``config.stash[PROBE_HOOK_PROBLEMS]``."""
    seconds = time_limit_of(config)
    caller = getattr(config.hook, "pytest_reviewgate_runtime_probes", None)
    problems = config.stash.setdefault(PROBE_HOOK_PROBLEMS, [])
    if caller is None:
        return []
    probes: list[Probe] = []
    for impl, result, problem in call_each(config, caller, {"config": config}):
        if problem:
            problems.append(problem)
            continue
        hook = f"{_where_defined(impl, config.rootpath)}: pytest_reviewgate_runtime_probes"
        found, problem = _items(result, seconds)
        if problem:
            problems.append(f"{hook} {problem}")
        for probe in found:
            if _is_probe(probe):
                probes.append(LimitedProbe(probe, seconds))
            else:
                problems.append(f"{hook} returned {_short(probe)}: a probe has rule, name, snapshot(), diff()")
    return probes


def time_limit_of(config: pytest.Config) -> float:
    """``rule-timeout`` (or ``--reviewgate-timeout``) in seconds, as configured; 0 for none."""
    return config.stash.get(TIME_LIMIT, 60.0)


def call_each(config: pytest.Config, caller: Any, kwargs: Mapping[str, Any]) -> list[tuple[Any, Any, str]]:
    """``(impl, result, problem)`` for each implementation, in pluggy's calling order; ``problem`` is
    ``"<file>:<line>: <hook> raised <what>"`` (where it raised, or where it is defined) or ``""``."""
    from ..engine.limits import TimeLimitExceeded, time_limit  # a tree without reviews loads no engine

    root = config.rootpath
    seconds = time_limit_of(config)
    stuck = config.stash.setdefault(STUCK, {})
    out: list[tuple[Any, Any, str]] = []
    for impl in reversed(caller.get_hookimpls()):
        if impl.hookwrapper or impl.wrapper:
            problem = f"{_where_defined(impl, root)}: {caller.name} is a wrapper, which reviewgate does not call"
            out.append((impl, None, problem))
            continue
        if impl.function in stuck:
            out.append((impl, None, stuck[impl.function]))
            continue
        try:
            with time_limit(seconds):
                result = impl.function(*(kwargs[name] for name in impl.argnames))
        except KeyboardInterrupt:
            raise
        except TimeLimitExceeded as exc:
            where = _at(exc, root) or _where_defined(impl, root)
            stuck[impl.function] = f"{where}: {caller.name} did not return within {exc.limit.seconds:g} s {LIMIT_NOTE}"
            out.append((impl, None, stuck[impl.function]))
        except BaseException as exc:
            where = _at(exc, root) or _where_defined(impl, root)
            out.append((impl, None, f"{where}: {caller.name} raised {describe(exc)}"))
        else:
            out.append((impl, result, ""))
    return out


class LimitedProbe:
    """A user's probe, each call limited in time and contained: what it raises is an ``Exception``.

    The built-in probes are not wrapped: they are ours and cost microseconds per test.
    """

    def __init__(self, probe: Any, seconds: float) -> None:
        self.probe = probe
        self.seconds = seconds
        self.rule: str = probe.rule
        self.name: str = printable(probe.name)
        self.hint: str = printable(hint_of(probe))

    def snapshot(self) -> object:
        return self._call("snapshot()", self.probe.snapshot)

    def diff(self, before: object, after: object) -> list[str]:
        found = self._call("diff()", self.probe.diff, before, after)
        if isinstance(found, list | tuple) and all(isinstance(leak, str) for leak in found):
            return [printable(leak) for leak in found]
        return found  # type: ignore[no-any-return]  # the probe set reports the broken protocol

    def configure(self, options: Mapping[str, Any]) -> object:
        made = self._call("configure()", configured, self.probe, options)
        if made is self.probe:
            return self
        if not _is_probe(made):
            return made  # the probe set reports "it returned ..., not a probe"
        return LimitedProbe(made, self.seconds)

    def _call(self, what: str, function: Callable[..., Any], *args: Any) -> Any:
        from ..engine.limits import TimeLimitExceeded, time_limit

        try:
            with time_limit(self.seconds):
                return function(*args)
        except TimeLimitExceeded as exc:
            raise TimeoutError(f"{what} did not return within {exc.limit.seconds:g} s {LIMIT_NOTE}") from None
        except (Exception, KeyboardInterrupt):
            raise
        except BaseException as exc:  # SystemExit and the like: the probe's error, not the session's end
            raise RuntimeError(f"{what} raised {describe(exc)}") from None


def describe(exc: BaseException) -> str:
    """``Type: message`` of any exception, even one whose ``str()`` raises, on one printable line."""
    try:
        text = str(exc)
    except Exception:
        text = "<str() failed>"
    first = text.strip().splitlines()[0] if text.strip() else ""
    return printable(f"{type(exc).__name__}: {first[:200]}" if first else type(exc).__name__)


def _items(result: Any, seconds: float) -> tuple[list[Any], str]:
    """The elements of a hook's result, at most ``MAX_PROBES``; a result that is no list is a problem."""
    if result is None:
        return [], ""
    if isinstance(result, str | bytes | Mapping) or not hasattr(result, "__iter__"):
        return [], f"returned {_short(result)}, not a list of probes"
    from ..engine.limits import TimeLimitExceeded, time_limit

    found: list[Any] = []
    try:
        with time_limit(seconds):
            for item in result:
                found.append(item)
                if len(found) > MAX_PROBES:
                    return found[:MAX_PROBES], f"returned more than {MAX_PROBES} probes"
    except KeyboardInterrupt:
        raise
    except TimeLimitExceeded as exc:
        return found, f"returned probes without end: stopped after {exc.limit.seconds:g} s {LIMIT_NOTE}"
    except BaseException as exc:
        return found, f"returned an iterable that raised {describe(exc)}"
    return found, ""


def _is_probe(probe: Any) -> bool:
    try:
        return (
            isinstance(getattr(probe, "rule", None), str)
            and isinstance(getattr(probe, "name", None), str)
            and callable(getattr(probe, "snapshot", None))
            and callable(getattr(probe, "diff", None))
        )
    except Exception:  # a property that raises
        return False


def _short(value: Any) -> str:
    try:
        text = repr(value)
    except Exception:
        text = f"<{type(value).__name__}>"
    return printable(text if len(text) <= 60 else text[:57] + "...")


def _where_defined(impl: Any, root: Path) -> str:
    code = getattr(impl.function, "__code__", None)
    if code is None:
        return str(impl.plugin_name)
    return f"{_relative(code.co_filename, root)}:{code.co_firstlineno}"


def _at(exc: BaseException, root: Path) -> str:
    """``conftest.py:12``: the innermost frame outside reviewgate, where it raised or hung; or ""."""
    own = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if not os.path.abspath(f.filename).startswith(own)]
    if not frames:
        return ""
    return f"{_relative(frames[-1].filename, root)}:{frames[-1].lineno}"


def _relative(path: str, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError):
        return path
