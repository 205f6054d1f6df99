"""A package of the project that the patch targets of rg203 data files point into."""

from rg203_app.inventory import Client as Client
