"""Which calls are self-undoing patches and what they patch (``flow.Patch``); what a save reads;
the one recogniser of patch calls (``patch_call``) and the patch calls of each function.

mock.patch* (and the ``mock`` backport), pytest-mock's ``mocker``, ``monkeypatch``,
``fixtures.MockPatch*`` / ``MonkeyPatch`` / ``EnvironmentVariable``, oslo.config's fixture, Django.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

from .facts import RESTORING, Call, Patch, literal
from .idioms import (
    COPIES,
    DJANGO_OVERRIDES,
    DJANGO_SETTINGS,
    MOCKERS,
    MONKEYPATCH_ATTRIBUTES,
    OSLO_CONFIG_FIXTURE,
    PATCHES,
    REPLACEMENT_KEYWORDS,
    SPEC_KEYWORDS,
    STOPALL,
    VARIANTS,
)
from .index import ModuleIndex, chain_of, walk
from .values import bound_kinds

_Qualify = Callable[[ast.expr | None], str]


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
    kind = patch_kind(call.name)
    if kind is not None:
        return _mock(call, qualify, how, VARIANTS[kind])
    if call.name.startswith("fixtures.") and call.method == "MonkeyPatch":
        return _mock(call, qualify, how, "")
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


# ---------------------------------------------------------------- the patch calls a test makes
# The one recogniser of ``mock.patch*``, ``fixtures.MockPatch*`` and ``mocker.patch*`` calls by the
# callee as spelled and the module's imports (``patch_call``), worked out once per call node and
# once per spelling; the patch calls of a function and of its class's decorators, once per function.
_NEW_POSITION = {kind: position for kind, position in PATCHES.values()}



@dataclass(frozen=True)
class PatchCall:
    """A call that makes a patch: ``mock.patch*``, ``fixtures.MockPatch*``, ``mocker.patch*``; in
    ``function_patches`` also ``monkeypatch.setattr``/``delattr`` (kind as spelled)."""

    kind: str  # patch | patch.object | patch.dict | patch.multiple | MockPatch | MockPatchObject...
    spelled: str  # the callee as written
    node: ast.Call
    mocker: bool = False  # pytest-mock's ``mocker.patch*``: undone by the fixture

    @property
    def line(self) -> int:
        return self.node.lineno

    def argument(self, position: int, *keywords: str) -> ast.expr | None:
        """The argument at ``position`` or passed by one of ``keywords``."""
        for keyword in self.node.keywords:
            if keyword.arg in keywords:
                return keyword.value
        args = self.node.args
        if 0 <= position < len(args) and not any(isinstance(a, ast.Starred) for a in args[:position]):
            return args[position]
        return None

    def line_of(self, position: int, *keywords: str) -> int:
        """The line of the argument at ``position`` (or by keyword); the call's line without it."""
        found = self.argument(position, *keywords)
        return found.lineno if found is not None else self.node.lineno

    @property
    def positional(self) -> int:
        """How many positional arguments the call passes."""
        return len(self.node.args)

    def string(self, position: int, *keywords: str) -> str | None:
        """The argument at ``position`` (or by keyword) when it is a string constant."""
        return literal(self.argument(position, *keywords))

    def chain(self, position: int, *keywords: str) -> str | None:
        """The argument at ``position`` (or by keyword) when it is a dotted name (``a.b``)."""
        found = self.argument(position, *keywords)
        return chain_of(found) if found is not None else None

    def keyword_is(self, name: str, value: bool) -> bool:
        """Whether the call passes ``name=True`` (or ``False``), spelled as that constant."""
        return keyword_is(self.node, name, value)

    def keywords(self) -> list[str]:
        """The names of the keyword arguments (``**kwargs`` left out)."""
        return [k.arg for k in self.node.keywords if k.arg]

    @property
    def replaced(self) -> bool:
        """Whether a replacement is passed: ``new=`` or ``new_callable=`` (whatever its value), or the
        positional ``new`` (``mock.patch("builtins.open", mock.mock_open())``) when not ``DEFAULT``."""
        if any(k.arg in REPLACEMENT_KEYWORDS for k in self.node.keywords):
            return True
        position = _NEW_POSITION.get(self.kind, -1)
        return 0 <= position < len(self.node.args) and not _is_default(self.node.args[position])

    @property
    def specced(self) -> bool:
        """A spec (``autospec``/``spec``/``spec_set`` not False/None) or a replacement (``new`` not
        ``DEFAULT``, ``new_callable``); unpacked arguments count as specced (cannot tell)."""
        node = self.node
        if any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords):
            return True
        for keyword in node.keywords:
            if keyword.arg in SPEC_KEYWORDS and not _is_constant(keyword.value, False, None):
                return True
            if keyword.arg in REPLACEMENT_KEYWORDS and not _is_default(keyword.value):
                return True
        position = _NEW_POSITION.get(self.kind, -1)
        return 0 <= position < len(node.args) and not _is_default(node.args[position])


def canonical(qualified: str) -> str:
    """Fold the ``mock`` backport into ``unittest.mock``, fixtures' private modules into
    ``fixtures``."""
    if qualified == "mock" or qualified.startswith("mock."):
        qualified = "unittest." + qualified
    qualified = qualified.replace("unittest.mock.mock.", "unittest.mock.")
    if qualified.startswith("fixtures.") and qualified.rsplit(".", 1)[-1].startswith("MockPatch"):
        return "fixtures." + qualified.rsplit(".", 1)[-1]
    return qualified


def patch_kind(qualified: str) -> str | None:
    """The kind of patch a call of ``qualified`` makes (``patch.object``, ``MockPatch``...), if any:
    the one table both the facts walk (by the function's qualified names) and ``patch_call`` (by
    the module's imports) look patches up in."""
    found = PATCHES.get(canonical(qualified))
    return found[0] if found is not None else None


def patch_call(index: ModuleIndex, node: ast.AST) -> PatchCall | None:
    """The patch that ``node`` makes, if it is a patch call (worked out once per node)."""
    if type(node) is not ast.Call:
        return None
    key = ("patch-call", id(node))
    found = index.memo.get(key)
    if found is None:
        found = index.memo[key] = (_patch_call(index, node), node)  # the node is kept: its id stays its own
    return found[0]  # type: ignore[index, no-any-return]


def _patch_call(index: ModuleIndex, node: ast.Call) -> PatchCall | None:
    spelled = chain_of(node.func) or ""
    kind = _spelled_kind(index, spelled) if spelled else None
    return PatchCall(kind[0], spelled, node, mocker=kind[1]) if kind is not None else None


def _spelled_kind(index: ModuleIndex, spelled: str) -> tuple[str, bool] | None:
    """(kind, made by ``mocker``) of a callee spelling in this module; once per spelling."""
    key = ("patch-kind", spelled)
    memo = index.memo
    if key in memo:
        return memo[key]  # type: ignore[return-value]
    head, _, rest = spelled.partition(".")
    found: tuple[str, bool] | None = None
    if head in MOCKERS and head not in index.imports:
        if rest == "patch" or rest.startswith("patch."):
            kind = patch_kind(f"unittest.mock.{rest}")
            found = (kind, True) if kind else None
    else:
        kind = patch_kind(index.qualify(spelled))
        found = (kind, False) if kind else None
    memo[key] = found
    return found


def _site(index: ModuleIndex, node: ast.Call) -> PatchCall | None:
    """A patch call, or a ``monkeypatch.setattr``/``delattr`` of the fixture."""
    found = patch_call(index, node)
    if found is not None:
        return found
    spelled = chain_of(node.func)
    if spelled in MONKEYPATCH_ATTRIBUTES and "monkeypatch" not in index.imports:
        return PatchCall(spelled, spelled, node)
    return None


def function_patches(index: ModuleIndex, function: ast.AST) -> tuple[PatchCall, ...]:
    """The patch calls (and ``monkeypatch.setattr``/``delattr`` calls) in a function, nested
    functions and decorators included, in source order; once per function."""
    return index.once("function-patches", function, lambda: _function_patches(index, function))


def _function_patches(index: ModuleIndex, function: ast.AST) -> tuple[PatchCall, ...]:
    if not _may_patch(index, function):
        return ()
    calls = [n for n in walk(function) if type(n) is ast.Call]
    return tuple(s for s in (_site(index, n) for n in calls) if s is not None)


def _may_patch(index: ModuleIndex, function: ast.AST) -> bool:
    """Whether a function's source spells a callee that may be a patch: every one of them has
    "patch" in its qualified name, so "atch" or an import of such a name in its text."""
    first = getattr(function, "lineno", 0)
    for decorator in getattr(function, "decorator_list", ()):
        first = min(first, decorator.lineno)
    end = getattr(function, "end_lineno", None) or first
    text = "\n".join(index.lines[max(first - 1, 0) : end])
    key = ("patch-needles",)
    needles = index.memo.get(key)
    if needles is None:
        needles = index.memo[key] = ("atch", *(n for n, q in index.imports.items() if "atch" in q))
    return any(needle in text for needle in needles)  # type: ignore[attr-defined]


def class_decorator_patches(index: ModuleIndex, qualname: str) -> tuple[PatchCall, ...]:
    """The patch calls among the decorators of a class of ``index`` (``@mock.patch(...)`` on a
    class patches each of its tests); once per class."""
    key = ("class-decorator-patches", qualname)
    found = index.memo.get(key)
    if found is None:
        node = index.nodes.get(qualname)
        decorators = node.decorator_list if isinstance(node, ast.ClassDef) else []
        found = index.memo[key] = tuple(
            s for s in (_site(index, d) for d in decorators if type(d) is ast.Call) if s is not None
        )
    return found  # type: ignore[return-value]


def keyword_is(node: ast.Call, name: str, value: bool) -> bool:
    """Whether a call passes ``name=`` the constant ``value`` (``create=True``)."""
    return any(k.arg == name and _is_constant(k.value, value) for k in node.keywords)


def _is_constant(node: ast.expr, *values: object) -> bool:
    return isinstance(node, ast.Constant) and any(node.value is v for v in values)


def _is_default(node: ast.expr) -> bool:
    """``mock.DEFAULT`` (or ``DEFAULT``) means "make a MagicMock", like leaving ``new`` out."""
    if isinstance(node, ast.Name):
        return node.id == "DEFAULT"
    return isinstance(node, ast.Attribute) and node.attr == "DEFAULT"


def startable(call: Call) -> PatchCall | None:
    """A ``mock.patch*`` made but not entered by ``with``, a decorator or ``useFixture``."""
    if call.how or call.scope is None:
        return None
    found = patch_call(call.scope.index, call.node)
    return found if found is not None and found.kind.startswith("patch") and not found.mocker else None


def _startable(call: Call) -> bool:
    """``startable(call) is not None``, from the callee's spelling (once per spelling)."""
    if call.how or call.scope is None or not call.spelled:
        return False
    kind = _spelled_kind(call.scope.index, call.spelled)
    return kind is not None and kind[0].startswith("patch") and not kind[1]


def loop_patchers(index: ModuleIndex, function: ast.AST) -> frozenset[str]:
    """Loop variables over a literal list of patchers in a function:
    ``for p in (mock.patch(..), ..): p.start()``; once per function."""
    return index.once("loop-patchers", function, lambda: frozenset(
        node.target.id
        for node in walk(function)
        if isinstance(node, ast.For | ast.AsyncFor)
        and isinstance(node.target, ast.Name)
        and isinstance(node.iter, ast.List | ast.Tuple | ast.Set)
        and any(patch_call(index, element) for element in node.iter.elts)
    ))


def describe(call: Call) -> str:
    """``mock.patch('a.b')`` for a patch call, its first argument when a short string."""
    text = literal(call.args[0]) if call.args else None
    shown = repr(text) if isinstance(text, str) else "..."
    return f"{call.spelled}({shown if len(shown) <= 60 else '...'})"


# ---------------------------------------------------------------- what a patch target is


def member_kind(index: ModuleIndex, owner: str, name: str) -> str | None:
    """The kind of ``Class.name`` for a class of ``index``: "function" (a method), "class" (a nested
    class), "object" (an attribute its body assigns); None when it comes from elsewhere (a base)."""
    member = index.by_qualname.get(f"{owner}.{name}")
    if member is not None:
        return "function" if member.kind == "function" else "class"
    return bound_kinds(index)[1].get((owner, name))


def binding_kind(index: ModuleIndex, name: str) -> str | None:
    """The kind of a module-level name bound by assignment: an object when it is spelled as a
    constant (``LOG``, ``CONF``), else what its value makes it (``values.value_kind``)."""
    if name.isupper():
        return "object"
    return bound_kinds(index)[0].get(name)


def class_members(index: ModuleIndex, qualname: str) -> frozenset[str] | None:
    """The names a class of ``index`` defines in its body (``def``, ``class``, assignments) or
    assigns on ``self``; None when it is no class of the module or has bases (its members may
    come from elsewhere). Once per class."""
    key = ("class-members", qualname)
    memo = index.memo
    if key not in memo:
        node = index.nodes.get(qualname)
        if not isinstance(node, ast.ClassDef) or node.bases:
            memo[key] = None
            return None
        defined: set[str] = set()
        for statement in node.body:
            if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                defined.add(statement.name)
            elif isinstance(statement, ast.Assign | ast.AnnAssign | ast.AugAssign):
                targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
                defined.update(n.id for t in targets for n in walk(t) if isinstance(n, ast.Name))
        defined.update(
            n.attr
            for n in walk(node)
            if isinstance(n, ast.Attribute) and isinstance(n.ctx, ast.Store) and chain_of(n.value) == "self"
        )
        memo[key] = frozenset(defined)
    return memo[key]  # type: ignore[return-value]


# ---------------------------------------------------------------- patchers started and stopped


@dataclass(frozen=True)
class PatcherCalls:
    """The calls of one function that starting and stopping patchers involve, in source order."""

    startables: tuple[Call, ...]  # ``mock.patch*`` made but not entered (``startable``)
    starts: tuple[Call, ...]  # ``x.start()`` (not registered)
    stops: tuple[Call, ...]  # ``x.stop()``, and ``addCleanup(x.stop)``
    stopalls: tuple[Call, ...]  # ``mock.patch.stopall``, called or registered
    direct: frozenset[int]  # ids of the calls ``start()`` is called on (``mock.patch(..).start()``)
    started: Mapping[int, Call]  # those calls by id (the last fact of each node)


def patcher_calls(calls: tuple[Call, ...], index: ModuleIndex) -> PatcherCalls:
    """``PatcherCalls`` of one function's facts (``Facts.calls``); once per function."""
    key = ("patcher-calls", id(calls))
    found = index.memo.get(key)
    if found is None:
        startables: list[Call] = []
        starts: list[Call] = []
        stops: list[Call] = []
        stopalls: list[Call] = []
        direct: set[int] = set()
        for call in calls:
            method = call.method
            if method == "start":
                if call.how != "registered":
                    starts.append(call)
                if call.on is not None:
                    direct.add(id(call.on))
            elif method == "stop" and call.spelled.endswith(".stop"):
                stops.append(call)
            if call.name in STOPALL:
                stopalls.append(call)
            if _startable(call):
                startables.append(call)
        summary = PatcherCalls(
            startables=tuple(startables),
            starts=tuple(starts),
            stops=tuple(stops),
            stopalls=tuple(stopalls),
            direct=frozenset(direct),
            started={id(c.node): c for c in calls if c.how != "registered" and id(c.node) in direct} if direct else {},
        )
        found = index.memo[key] = (summary, calls)  # the calls are kept: their id stays their own
    return found[0]  # type: ignore[index, no-any-return]


def helper_calls(calls: tuple[Call, ...], index: ModuleIndex) -> tuple[frozenset[str], frozenset[str]]:
    """Names a function's calls call as ``name()``, ``self.name()`` or ``cls.name()``: (those in
    code that restores, all); once per function."""
    key = ("helper-calls", id(calls))
    found = index.memo.get(key)
    if found is None:
        restoring: set[str] = set()
        every: set[str] = set()
        for call in calls:
            head, _, name = call.spelled.rpartition(".")
            if head in ("", "self", "cls"):
                every.add(name)
                if call.where in RESTORING:
                    restoring.add(name)
        found = index.memo[key] = ((frozenset(restoring), frozenset(every)), calls)
    return found[0]  # type: ignore[index, no-any-return]
