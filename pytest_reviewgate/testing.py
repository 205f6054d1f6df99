"""Run one rule on source text, the way an expectation runs it: for rule tests and custom-rule authors.

    from pytest_reviewgate.testing import check_rule

    def test_my_rule_flags_a_global_assignment():
        found = check_rule(MyRule, "import app\\n\\ndef test_x():\\n    app.DEBUG = True\\n")
        assert [(v.line, v.message) for v in found] == [(4, "...")]
"""

from __future__ import annotations

import tempfile
import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .analysis.closures import ClosureBuilder
from .analysis.flow import Flow
from .analysis.index import parse_module
from .analysis.project import SourceProject
from .config import settings_from_table
from .engine import checks
from .engine.plan import ItemSpec
from .model import ReviewgateError, Violation
from .rules.base import Rule


class RuleCheckError(AssertionError):
    """The rule could not run on the source: a target matches nothing, or the rule raised."""


def check_rule(
    rule: type[Rule],
    source: str,
    *,
    targets: Sequence[str] = (),
    config: Mapping[str, Any] | None = None,
    files: Mapping[str, str] | None = None,
    module: str = "test_module.py",
    root: Path | None = None,
) -> list[Violation]:
    """The violations ``rule`` finds in ``source`` (dedented), as an ``expect:`` of it would report them.

    ``targets`` are the expectation's ``on`` targets (none: the whole module). ``config`` is a
    ``[tool.reviewgate]`` table (``{"reverting-bases": [...], "rules": {"RG303": {...}}}``).
    ``files`` are other files of the project by relative path (``conftest.py``, ``pkg/base.py``):
    conftest fixtures and base classes are read from them, as from a real checkout. The files
    are written under ``root`` (a fresh temporary directory when not given). Ignore comments
    (``# reviewgate: ignore[RG101]``) suppress as they do in a session.
    """
    settings = settings_from_table(dict(config or {}))
    if root is None:
        with tempfile.TemporaryDirectory(prefix="reviewgate-") as temporary:
            return _check(rule, source, targets, settings, files or {}, module, Path(temporary).resolve())
    return _check(rule, source, targets, settings, files or {}, module, root.resolve())


def _check(
    rule: type[Rule],
    source: str,
    targets: Sequence[str],
    settings: Any,
    files: Mapping[str, str],
    module: str,
    root: Path,
) -> list[Violation]:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    path = root / module
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    project = SourceProject([root])
    project.add_root_for(path)
    try:
        index = parse_module(path.read_bytes(), str(path))
    except ReviewgateError as exc:
        raise RuleCheckError(f"{module}:{exc.line}: {exc.message}") from None
    conftests = checks.load_conftests(path, root, project)
    shared = checks.Module(index, conftests, None, Flow(), ClosureBuilder(index, conftests, project))
    spec = ItemSpec("expect", rule.name, rule.code, targets=tuple(targets))
    outcome = checks.run(rule, spec, shared, settings, project)
    if outcome.problems or outcome.error:
        reasons = [p.message for p in outcome.problems] + ([outcome.error] if outcome.error else [])
        raise RuleCheckError("; ".join(reasons))
    return outcome.violations
