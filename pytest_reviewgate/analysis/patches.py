"""Which calls are self-undoing patches and what they patch (``flow.Patch``); what a save reads.

mock.patch* (and the ``mock`` backport), pytest-mock's ``mocker``, ``monkeypatch``,
``fixtures.MockPatch*`` / ``MonkeyPatch`` / ``EnvironmentVariable``, oslo.config's fixture, Django.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Collection

from .facts import Call, Patch, literal
from .idioms import MOCK_MODULES

_Qualify = Callable[[ast.expr | None], str]
OSLO_CONFIG_FIXTURE = "oslo_config.fixture.Config"
DJANGO_SETTINGS = "django.conf.settings"
DJANGO_OVERRIDES = frozenset(
    f"django.test.{m}{name}" for m in ("", "utils.") for name in ("override_settings", "modify_settings")
)
COPIES = frozenset({"dict", "list", "tuple", "set", "frozenset", "copy.copy", "copy.deepcopy"})  # a saved copy
FIXTURES_PATCHES = {  # fixtures' class -> the mock.patch variant it wraps
    "MockPatch": "",
    "MonkeyPatch": "",
    "MockPatchObject": "object",
    "MockPatchMultiple": "multiple",
}


def patches_of(call: Call, qualify: _Qualify, monkeypatches: Collection[str]) -> list[Patch]:
    """The patches a call makes; ``how`` is "" when only made (``Closure.patches`` adds starts)."""
    if call.how == "registered" or not call.spelled:
        return []
    how = call.how if call.how in ("with", "decorator", "fixture") else ""
    parts = call.spelled.split(".")
    receiver = call.spelled.rpartition(".")[0]
    if call.name == OSLO_CONFIG_FIXTURE:
        target = qualify(call.args[0]) if call.args else "oslo_config.cfg.CONF"
        return [Patch(target, "config", None, how, call)]
    if call.name in DJANGO_OVERRIDES or call.spelled in ("self.settings", "self.modify_settings"):
        return [Patch(DJANGO_SETTINGS, "settings", None, how, call)]
    if receiver in monkeypatches or (receiver and parts[-2] == "monkeypatch"):
        return _monkeypatch(call, qualify)
    if "mocker" in parts[:-1] and "patch" in parts[parts.index("mocker") :]:
        return _mock(call, qualify, "fixture", call.method if call.method != "patch" else "")
    for module in MOCK_MODULES:
        if call.name == f"{module}.patch" or call.name.startswith(f"{module}.patch."):
            return _mock(call, qualify, how, call.name[len(module) + len(".patch.") :])
    if call.name.startswith("fixtures.") and call.method in FIXTURES_PATCHES:
        return _mock(call, qualify, how, FIXTURES_PATCHES[call.method])
    if call.name.startswith("fixtures.") and call.method == "EnvironmentVariable":
        return [Patch("os.environ", "env", literal(_arg(call, 0, "varname")), how, call)]
    return []


def _arg(call: Call, position: int, keyword: str) -> ast.expr | None:
    if len(call.args) > position:
        return call.args[position]
    return next((k.value for k in call.keywords if k.arg == keyword), None)


def _attribute(owner: str, name: str | None) -> str:
    return f"{owner}.{name}" if owner and name else ""


def _mock(call: Call, qualify: _Qualify, how: str, variant: str) -> list[Patch]:
    """``patch('a.b')``, ``patch.object(o, 'a')``, ``patch.dict(d)``, ``patch.multiple(o, a=1)``."""
    first = _arg(call, 0, "in_dict" if variant == "dict" else "target")
    owner = literal(first) or qualify(first)
    if variant == "object":
        attribute = _attribute(owner, literal(_arg(call, 1, "attribute")))
        return [Patch(attribute, "attr", None, how, call)]
    if variant == "dict":
        return [Patch(owner, "dict", None, how, call)]
    if variant == "multiple":
        names = [k.arg for k in call.keywords if k.arg]
        return [Patch(_attribute(owner, name), "attr", None, how, call) for name in names]
    if variant == "":
        return [Patch(owner if literal(first) else "", "attr", None, how, call)]
    return []


def _monkeypatch(call: Call, qualify: _Qualify) -> list[Patch]:
    """``monkeypatch.setattr/delattr/setitem/delitem/setenv/delenv``: undone at teardown."""
    first = _arg(call, 0, "target")
    if call.method in ("setenv", "delenv"):
        return [Patch("os.environ", "env", literal(_arg(call, 0, "name")), "fixture", call)]
    if call.method in ("setitem", "delitem"):
        return [Patch(qualify(first), "dict", literal(_arg(call, 1, "name")), "fixture", call)]
    if call.method in ("setattr", "delattr"):
        text = literal(first)
        positional = len(call.args)
        if text is not None and (positional == (2 if call.method == "setattr" else 1)):
            return [Patch(text, "attr", None, "fixture", call)]
        attribute = _attribute(qualify(first), literal(_arg(call, 1, "name")))
        return [Patch(attribute, "attr", None, "fixture", call)]
    return []


def saved_source(value: ast.expr, qualify: _Qualify) -> tuple[str, str | None]:
    """What a value reads for a later restore, and the key: ``X.a``, ``getattr(X, 'a')``,
    ``os.environ.copy()``, ``dict(os.environ)``, ``os.environ.get('K')``, ``os.getenv('K')``."""
    if isinstance(value, ast.Attribute):
        return qualify(value), None
    if isinstance(value, ast.Subscript):
        return qualify(value.value), literal(value.slice)
    if not isinstance(value, ast.Call):
        return "", None
    qualified = qualify(value.func)
    first = value.args[0] if value.args else None
    if qualified == "getattr" and len(value.args) >= 2 and literal(value.args[1]):
        owner = qualify(first)
        return (f"{owner}.{literal(value.args[1])}" if owner else ""), None
    if qualified in COPIES and first is not None:
        return qualify(first), None
    if qualified == "os.getenv":
        return "os.environ", literal(first)
    if isinstance(value.func, ast.Attribute) and value.func.attr in ("copy", "get"):
        key = literal(first) if value.func.attr == "get" else None
        return qualify(value.func.value), key
    return "", None
