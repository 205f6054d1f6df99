"""Shared test helpers that the rg303 data modules import."""
