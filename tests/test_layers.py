"""The pure layers import without pytest: parsing, index, anchors, rules, reports."""

from __future__ import annotations

import subprocess
import sys

PURE = [
    "pytest_reviewgate.review.parser",
    "pytest_reviewgate.analysis.index",
    "pytest_reviewgate.engine.anchors",
    "pytest_reviewgate.analysis.closures",
    "pytest_reviewgate.engine.checks",
    "pytest_reviewgate.engine.analyse",
    "pytest_reviewgate.rules",
    "pytest_reviewgate.analysis.flow",
    "pytest_reviewgate.probes",
    "pytest_reviewgate.report.sarif",
    "pytest_reviewgate.report.baseline",
    "pytest_reviewgate.report.rewrite",
]


def test_pure_layers_import_without_pytest() -> None:
    code = "import sys\nsys.modules['pytest'] = None\n" + "".join(f"import {name}\n" for name in PURE)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
