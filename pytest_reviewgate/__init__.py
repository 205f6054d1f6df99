"""pytest-reviewgate: reviews of test code, collected and checked as pytest items."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from .analysis.closures import Scope
    from .model import Violation
    from .rules.base import Context, Rule, RuleRegistry

__all__ = ["Context", "Rule", "RuleRegistry", "Scope", "Violation", "__version__"]


def __getattr__(name: str) -> Any:
    """The public API, imported on first use so that loading the plugin stays cheap."""
    if name == "Violation":
        from .model import Violation

        return Violation
    if name == "Scope":
        from .analysis.closures import Scope

        return Scope
    if name in ("Context", "Rule", "RuleRegistry"):
        from .rules import base

        return getattr(base, name)
    raise AttributeError(f"module 'pytest_reviewgate' has no attribute {name!r}")
