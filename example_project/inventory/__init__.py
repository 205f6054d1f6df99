"""A small stock-reservation service: the code under test in this example."""

__version__ = "1.0.0"
