"""The ``reviewgate`` terminal section as data: counted and worded without a terminal.

:func:`summarize` turns the controller's counts into a :class:`Summary`; its ``lines(verbosity)``
are what the reporter writes, each with the colour it wants (the terminal writer drops colour
under ``--color=no``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

OUTCOMES = ("passed", "failed", "error", "skipped", "xfailed", "xpassed")


def plural(count: int, word: str, many: str = "") -> str:
    """``1 review``, ``2 reviews``; ``many`` for an irregular plural."""
    return f"{count} {word if count == 1 else many or word + 's'}"


@dataclass(frozen=True)
class Line:
    """One line of the section and its colour: ``""``, ``"green"``, ``"yellow"`` or ``"red"``."""

    text: str
    color: str = ""


@dataclass(frozen=True)
class Summary:
    """What one session of review items came to, summed over every process."""

    reviews: int = 0
    clean: int = 0
    defects: int = 0  # reviews whose verdict is ``defects``
    findings: int = 0
    gated: int = 0
    polarity: Mapping[str, int] = field(default_factory=dict)
    outcomes: Mapping[str, int] = field(default_factory=dict)
    stale: int = 0
    seconds: float = 0.0
    cached: int = 0
    leaks: int = 0  # watched tests whose teardown a runtime rule failed
    inherited: int = 0  # violations outside the reviewed modules
    inherited_modules: int = 0
    warnings: int = 0
    ignored: int = 0
    suppressed: Mapping[str, int] = field(default_factory=dict)  # "open"/"baseline" -> count

    @property
    def failed(self) -> int:
        return sum(self.outcomes.get(o, 0) for o in ("failed", "error", "xpassed")) + self.leaks

    @property
    def color(self) -> str:
        """Red when something failed, yellow for warnings only, else green (pytest's own scheme)."""
        if self.failed:
            return "red"
        return "yellow" if self.warnings or self.stale else "green"

    def items_text(self) -> str:
        parts = [f"{self.outcomes[o]} {o}" for o in OUTCOMES if self.outcomes.get(o)]
        return ", ".join(parts) if parts else "none run"

    def lines(self, verbosity: int = 0) -> list[Line]:
        """The section's lines: the full section from verbosity 0 up, one line under ``-q``, none
        under ``-qq`` (as pytest drops its own closing line there)."""
        if verbosity < -1:
            return []
        if verbosity == -1:
            return [Line(self.short(), self.color)]
        red = "red" if self.outcomes.get("failed") or self.outcomes.get("error") else ""
        polarity = self.polarity
        out = [
            Line(f"reviews: {self.reviews} ({self.clean} clean, {self.defects} with defects)"),
            Line(
                f"findings: {self.findings} ({self.gated} gated, {self.findings - self.gated} not gated; "
                f"{polarity.get('defect', 0)} defect, {polarity.get('clean', 0)} clean, {polarity.get('note', 0)} note)"
            ),
            Line(f"items: {self.items_text()}", red),
            Line(f"stale anchors: {self.stale}", "yellow" if self.stale else ""),
            Line(self.analysis_text()),
        ]
        if self.leaks:
            tests = plural(self.leaks, "targeted test")
            out.append(Line(f"runtime: {tests} left state changed", "red"))
        if self.inherited:
            out.append(Line(
                f"inherited: {plural(self.inherited, 'violation')} outside the reviewed modules, reached by "
                f"{plural(self.inherited_modules, 'reviewed module')} (warnings; gate-inherited = true fails on them)",
                "yellow",
            ))
        extra = ", ".join(f"{n} {k}" for k, n in sorted(self.suppressed.items()))
        text = f"warnings: {self.warnings}; suppressed: {self.ignored} ignored" + (f", {extra}" if extra else "")
        out.append(Line(text, "yellow" if self.warnings else ""))
        return out

    def short(self) -> str:
        """The whole section in one line, for ``-q``."""
        parts = [plural(self.findings, "finding"), f"items: {self.items_text()}"]
        if self.stale:
            parts.append(plural(self.stale, "stale anchor"))
        if self.leaks:
            parts.append(f"{plural(self.leaks, 'leaking test')}")
        if self.warnings:
            parts.append(plural(self.warnings, "warning"))
        parts.append(self.analysis_text())
        return "reviewgate: " + "; ".join(parts)

    def analysis_text(self) -> str:
        return f"analysis: {self.seconds:.3f}s for {plural(self.reviews, 'review')} ({self.cached} from cache)"


def summarize(
    reviews: Iterable[Mapping[str, Any]],
    outcomes: Mapping[str, int],
    violations: Sequence[Mapping[str, Any]],
    *,
    leaks: int = 0,
    inherited: Sequence[Iterable[str]] = (),
    warnings: int = 0,
    ignored: int = 0,
) -> Summary:
    """The summary of the reviews' counts (one mapping per review, as each item reports them), the
    items' outcomes, the violations' data and the modules reaching each inherited violation."""
    reviews = list(reviews)
    polarity: Counter[str] = Counter()
    for review in reviews:
        polarity.update(review.get("polarity", {}))
    suppressed = Counter(str(v.get("suppressed")) for v in violations if v.get("suppressed"))
    modules: set[str] = set()
    for reached in inherited:
        modules.update(reached)
    return Summary(
        reviews=len(reviews),
        clean=sum(1 for r in reviews if r.get("verdict", "defects") == "clean"),
        defects=sum(1 for r in reviews if r.get("verdict", "defects") == "defects"),
        findings=sum(int(r.get("findings", 0)) for r in reviews),
        gated=sum(int(r.get("gated", 0)) for r in reviews),
        polarity=dict(polarity),
        outcomes=dict(outcomes),
        stale=sum(1 for v in violations if v.get("rule") == "RG001"),
        seconds=sum(float(r.get("seconds", 0.0)) for r in reviews),
        cached=sum(1 for r in reviews if r.get("cached")),
        leaks=leaks,
        inherited=len(inherited),
        inherited_modules=len(modules),
        warnings=warnings,
        ignored=ignored,
        suppressed=dict(suppressed),
    )
