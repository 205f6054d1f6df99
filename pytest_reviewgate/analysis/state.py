"""What the global-state rules ask of code: config objects and options, saves and restores, how
a call is shown, which names a module calls or hands on, what a test made to stand in for a module.

Pure: answers questions about nodes for the rules (RG101-RG103, RG201, RG301), which hold none.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, TypeAlias

from .facts import Call, Facts, literal
from .idioms import MOCK_FACTORIES, MOCK_HANDLES, MOCK_SETTINGS, TEST_CLEANUPS, WRAPPING_KEYWORDS
from .index import Definition, ModuleIndex, chain_of, children, walk
from .patches import PatchCall, patch_call

if TYPE_CHECKING:
    from .flow import Closure

Expr: TypeAlias = ast.expr  # an expression a fact holds, opaque to the rules
Keyword: TypeAlias = ast.keyword
FunctionNode: TypeAlias = ast.FunctionDef | ast.AsyncFunctionDef



def config_root(qualified: str, objects: Sequence[str], local: Iterable[str] = ()) -> str:
    """The config object a qualified chain starts with, else "".

    Objects are the ``config-objects`` setting plus, by oslo.config convention, any global name
    ``CONF`` (``nova.conf.CONF``, ``CONF = cfg.CONF``, ``from nova.conf import CONF``); a
    parameter or local variable called ``CONF`` is no global.
    """
    for obj in objects:
        if qualified.startswith(obj) and (len(qualified) == len(obj) or qualified[len(obj)] == "."):
            return obj
    if "CONF" not in qualified:
        return ""
    parts = qualified.split(".")
    if "CONF" in parts and parts[0] not in local:
        return ".".join(parts[: parts.index("CONF") + 1])
    return ""


def config_option(call: Call) -> tuple[str | None, str | None, bool]:
    """(option name, group, both known) of a ``set_*``/``clear_*`` call: the group is the
    ``group=`` keyword, else the third argument of a ``set_*`` and the second of a ``clear_*``."""
    name = literal(call.args[0]) if call.args else None
    group_node = next((k.value for k in call.keywords if k.arg == "group"), None)
    if group_node is None:
        position = 2 if call.method.startswith("set_") else 1
        group_node = call.args[position] if len(call.args) > position else None
    known_group = group_node is None or literal(group_node) is not None
    return name, literal(group_node), name is not None and known_group


def spell(spelled: str, args: Iterable[Expr], keywords: Iterable[Keyword] = ()) -> str:
    """``CONF.set_override('host', ...)``: the callee, a literal first argument, then ``...``."""
    args = list(args)
    if not args:
        return f"{spelled}(...)" if list(keywords) else f"{spelled}()"
    first = literal(args[0])
    shown = repr(first) if first is not None and len(first) <= 40 else "..."
    return f"{spelled}({shown}, ...)" if len(args) > 1 and shown != "..." else f"{spelled}({shown})"


def spell_call(call: Call) -> str:
    """``spell`` of a call fact, once per call (every copy of a function's facts holds it)."""
    return spell(call.spelled, call.args, call.keywords)


def argument_chain(call: Call, position: int) -> str:
    """The dotted chain an argument spells (``CONF``, ``self.conf``), else ""."""
    return (chain_of(call.args[position]) or "") if len(call.args) > position else ""


def argument_literal(call: Call, position: int) -> str | None:
    """The string constant an argument is, else None."""
    return literal(call.args[position]) if len(call.args) > position else None


def chain(node: Expr | None) -> str:
    """The dotted chain an expression spells (``old``, ``self._saved``), else ""."""
    return (chain_of(node) or "") if node is not None else ""


def name_of(node: Expr | None) -> str:
    """The name a bare name expression spells, else "" (``x`` yes, ``self.x`` and ``'x'`` no)."""
    return node.id if isinstance(node, ast.Name) else ""


def qualified_chain(index: ModuleIndex, node: Expr) -> str:
    """``mod.X`` as the module's imports qualify it, else ""."""
    spelled = chain_of(node)
    return index.qualify(spelled) if spelled else ""


def restores_saved(closure: Closure, value: Expr | None, source: str, key: str | None = None) -> bool:
    """``X.a = old`` where the closure saved ``old = X.a``: a restore (in an unsafe place, so the
    change it undoes is the one reported), not a change of its own."""
    spelled = chain_of(value) if value is not None else None
    if not spelled:
        return False
    return any(s.source == source and (key is None or s.key in (None, key)) for s in closure.saved(spelled))


def update_keys(args: Sequence[Expr], keywords: Sequence[Keyword]) -> tuple[str, ...] | None:
    """The keys ``d.update({...}, k=v)`` sets, when every one is literal, else None."""
    keys: list[str] = [k.arg for k in keywords if k.arg]
    if any(k.arg is None for k in keywords):
        return None
    for arg in args:
        if not isinstance(arg, ast.Dict):
            return None
        for key in arg.keys:
            text = literal(key)
            if text is None:
                return None
            keys.append(text)
    return tuple(keys)


def makes_fake(facts: Facts, value: Expr | None) -> bool:
    """A value that is a mock the test made (``mock.Mock()``, ``create_autospec(X)``) or the
    handle of one a patch installed (``useFixture(MockPatch(...)).mock``, ``patcher.start()``)."""
    if not isinstance(value, ast.Call | ast.Attribute):
        return False
    made = facts.qualify(value.func) in MOCK_FACTORIES if isinstance(value, ast.Call) else False
    handle = value.func if isinstance(value, ast.Call) else value
    return made or (isinstance(handle, ast.Attribute) and handle.attr in MOCK_HANDLES)


# mocks given as ``wraps=``: they answer calls themselves (``create_autospec`` checks them, so it is not here)
_WRAPPED_MOCKS = frozenset(name for name in MOCK_FACTORIES if not name.endswith(".create_autospec"))


def wraps_real(index: ModuleIndex, patch: PatchCall, function: ast.AST, definition: Definition) -> bool:
    """A patch whose mock hands each call to a real object (``wraps=store.save``): the real
    callable rejects a call its signature does not take. Not when the mock answers without
    calling it: ``return_value=``/``side_effect=`` in the same call or set in ``function`` on the
    name the patch binds (``with ... as m``, the decorator's parameter), nor when what it wraps is
    no real object (a constant such as None, ``mock.DEFAULT``, a ``lambda``, a mock:
    ``mock.Mock()``, ``MagicMock(...)``)."""
    wrapped = patch.argument(-1, *WRAPPING_KEYWORDS)
    if wrapped is None or isinstance(wrapped, ast.Constant | ast.Lambda):
        return False
    if any(k.arg in MOCK_SETTINGS for k in patch.node.keywords):
        return False
    spelled = chain_of(wrapped.func if isinstance(wrapped, ast.Call) else wrapped) or ""
    if spelled.rpartition(".")[2] == "DEFAULT" and not isinstance(wrapped, ast.Call):
        return False
    if isinstance(wrapped, ast.Call) and index.qualify(spelled) in _WRAPPED_MOCKS:
        return False
    return not _answers_itself(index, patch.node, function, definition)


def _answers_itself(index: ModuleIndex, call: ast.Call, function: ast.AST, definition: Definition) -> bool:
    """``m.return_value = ...`` / ``m.side_effect = ...`` in ``function``, where ``m`` is what
    ``call`` binds: ``with <call> as m:`` or the decorator's parameter."""
    bound = next((chain_of(n.optional_vars) for n in walk(function)
                  if type(n) is ast.withitem and n.context_expr is call and n.optional_vars is not None), None)
    if not bound:
        bound = next((name for name, patch in decorator_mocks(index, function, definition) if patch.node is call), None)
    if not bound:
        return False
    return any(
        type(n) is ast.Assign and any(
            isinstance(t, ast.Attribute) and t.attr in MOCK_SETTINGS and chain_of(t.value) == bound
            for t in n.targets
        )
        for n in walk(function)
    )


def decorator_mocks(index: ModuleIndex, function: ast.AST, definition: Definition) -> list[tuple[str, PatchCall]]:
    """(parameter, patch) for each ``mock.patch``/``patch.object`` decorator that hands its mock to
    the function (no ``new``): its own, bottom up, then its class's for a ``test*`` method. mock
    passes them after the arguments the function gets otherwise (``self``, ``ddt``'s data), so
    they take the last parameters; none when the function takes ``*args`` or too few."""
    if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
        return []
    decorators = list(reversed(function.decorator_list))
    if definition.in_class and function.name.startswith("test"):
        owner = index.nodes.get(definition.parent)
        if isinstance(owner, ast.ClassDef):
            decorators += reversed(owner.decorator_list)
    patches = [p for p in (patch_call(index, d) for d in decorators) if p is not None and _binds_parameter(p)]
    params = [a.arg for a in [*function.args.posonlyargs, *function.args.args]]
    if not patches or len(params) < len(patches) or function.args.vararg:
        return []
    return list(zip(params[len(params) - len(patches) :], patches, strict=True))


def _binds_parameter(patch: PatchCall) -> bool:
    """A ``mock.patch``/``patch.object`` decorator hands its mock to the function (no ``new``)."""
    if patch.kind not in ("patch", "patch.object") or patch.mocker:
        return False
    position = 1 if patch.kind == "patch" else 2
    return not any(k.arg == "new" for k in patch.node.keywords) and len(patch.node.args) <= position


def lasting_aliases(index: ModuleIndex) -> dict[str, str]:
    """The module-level names a module binds once and for good to another object, qualified: ``response
    = pecan.response`` or ``from pecan import response`` -> "pecan.response" (a relative import keeps its
    dots); a name bound twice at module level (under ``if``/``try`` too) or declared ``global`` by a
    function is left out. Read from the index, which keeps it when a project module's tree goes."""
    return {name: value for name, value in index.bound_once.items() if name not in index.globals_declared}


def function_node(index: ModuleIndex, qualname: str) -> FunctionNode | None:
    """The ``def`` node of a function of the module, else None (a class, or not there)."""
    node = index.nodes.get(qualname)
    return node if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) else None


NAME_USES = "state.name-uses"  # key of ``ModuleIndex.memo``: name -> its uses as code


def name_uses(index: ModuleIndex) -> dict[str, list[tuple[int, bool]]]:
    """Every bare name the module uses as code (loads, stores, anywhere): name -> (line, whether
    it is called there: the callee of a call, or the callback of a test's cleanup registration,
    ``self.addCleanup(name, ...)`` (receiver ``self``), which calls it at the test's cleanup), in
    source order. One walk of the module, kept in its memo."""
    found = index.memo.get(NAME_USES)
    if isinstance(found, dict):
        return found
    out: dict[str, list[tuple[int, bool]]] = {}
    if index.tree is not None:
        name, call = ast.Name, ast.Call
        stack: list[ast.AST] = [index.tree]
        pop, extend = stack.pop, stack.extend
        while stack:
            node = pop()
            kind = type(node)
            if kind is name:
                out.setdefault(node.id, []).append((node.lineno, False))  # type: ignore[attr-defined]
                continue
            if kind is call and type(node.func) is name:  # type: ignore[attr-defined]
                func = node.func  # type: ignore[attr-defined]
                out.setdefault(func.id, []).append((func.lineno, True))
                below = children(node)
                extend(reversed(below[1:]))  # ``func`` comes first
                continue
            if kind is call and _registers_callback(node):  # type: ignore[arg-type]
                callback = node.args[0]  # type: ignore[attr-defined]
                out.setdefault(callback.id, []).append((callback.lineno, True))
                extend(reversed([c for c in children(node) if c is not callback]))
                continue
            extend(reversed(children(node)))
    index.memo[NAME_USES] = out
    return out


def _registers_callback(node: ast.Call) -> bool:
    """``self.addCleanup(name, ...)`` (a cleanup of the test itself) with a bare name as its callback;
    not ``cls.fx.addCleanup(name)``, which some other object calls when it is cleaned up."""
    func = node.func
    return (type(func) is ast.Attribute and func.attr in TEST_CLEANUPS and bool(node.args)
            and type(func.value) is ast.Name and func.value.id == "self" and type(node.args[0]) is ast.Name)


def references(index: ModuleIndex, node: FunctionNode) -> list[tuple[int, str, bool]]:
    """What a function (and what is nested in it) spells, in walk order: (line, dotted callee,
    True) for each call of a dotted chain, (line, ``name.attr``, False) for each attribute of a
    bare name. Once per function, kept in the module's memo."""
    key = ("state.references", id(node))
    known = index.memo.get(key)
    if isinstance(known, tuple) and known[0] is node:
        return list(known[1])
    out: list[tuple[int, str, bool]] = []
    for below in walk(node):
        kind = type(below)
        if kind is ast.Call:
            spelled = chain_of(below.func)  # type: ignore[attr-defined]
            if spelled:
                out.append((int(below.lineno), spelled, True))  # type: ignore[attr-defined]
        elif kind is ast.Attribute and type(below.value) is ast.Name:  # type: ignore[attr-defined]
            out.append((int(below.lineno), f"{below.value.id}.{below.attr}", False))  # type: ignore[attr-defined]
    index.memo[key] = (node, tuple(out))
    return out
