"""pytest-reviewgate."""
