"""A tiny project package for the RG103 data files."""
