"""A module with process-wide state and the function that puts it back, for the RG103 data files."""

STRICT = False
LIMITS = {}
BACKEND = None
ENDPOINT = "http://localhost"
REGISTRY = {}
ORDER = ["a", "b"]


class Policy:
    enforce = True
    rules = ()


def reset():
    global REGISTRY, BACKEND
    REGISTRY = {}
    BACKEND = None


def describe():
    return f"{ENDPOINT} strict={STRICT}"
