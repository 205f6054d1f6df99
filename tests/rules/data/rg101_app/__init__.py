"""A tiny project package for the RG101 data files: a base class that reverts config."""
