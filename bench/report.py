"""The benchmark's table: rows of measurement, result, SPEC 9 target and verdict, as Markdown."""

from __future__ import annotations

import os
import platform
import time
from dataclasses import dataclass


@dataclass
class Row:
    measurement: str
    result: str
    target: str = ""
    verdict: str = ""  # "pass", "MISS", "skipped" or "" for a figure with no target


@dataclass
class Section:
    title: str
    rows: list[Row]


def verdict(ok: bool) -> str:
    return "pass" if ok else "MISS"


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> list[str]:
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        usable = os.cpu_count() or 0
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    import pytest

    return [
        f"CPU: {cpu_model()}; cores: {os.cpu_count()} ({usable} usable); load average at start: {load}",
        f"Python {platform.python_version()} ({platform.python_implementation()}), pytest {pytest.__version__}, "
        f"{platform.platform()}",
        f"Date: {time.strftime('%Y-%m-%d %H:%M %Z')}",
    ]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(header: list[str], sections: list[Section], footer: list[str]) -> str:
    out = ["# pytest-reviewgate benchmark", ""]
    out += [f"- {line}" for line in header]
    out += ["", "| measurement | result | target (SPEC 9) | verdict |", "|---|---|---|---|"]
    for section in sections:
        out.append(f"| **{_cell(section.title)}** | | | |")
        out += [f"| {_cell(r.measurement)} | {_cell(r.result)} | {_cell(r.target)} | {r.verdict} |"
                for r in section.rows]
    missed = [r for s in sections for r in s.rows if r.verdict == "MISS"]
    out += ["", f"Targets missed: {len(missed)}" + (": " + "; ".join(r.measurement for r in missed) if missed else ""),
            ""]
    out += footer
    return "\n".join(out).rstrip() + "\n"
