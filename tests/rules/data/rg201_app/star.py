"""Names that reach a test module only through a star import."""

from rg201_app.base import TestCase as StarBase  # noqa: F401
