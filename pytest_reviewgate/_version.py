"""The version of pytest-reviewgate, importable from every layer."""

__version__ = "0.2.0"
