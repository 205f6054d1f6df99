"""pytest-reviewgate: reviews of test code, collected and checked as pytest items."""

from __future__ import annotations

__version__ = "0.2.0"
