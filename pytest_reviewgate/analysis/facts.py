"""The facts one walk of a function yields: calls, assignments, saves, self-undoing patches.

Pure data plus the small helpers that qualify names the way the walk does.
"""

from __future__ import annotations

import ast
import fnmatch
from collections.abc import Iterable
from dataclasses import MISSING, dataclass, field, fields
from typing import TYPE_CHECKING, Any, TypeVar

from .idioms import TEARDOWN_NAMES
from .index import ModuleIndex, chain_of

if TYPE_CHECKING:
    from .closures import Scope

# Where a fact happens in its function:
#   body         runs while the test runs
#   finally      in a ``finally:`` body
#   teardown     in tearDown / tearDownClass / teardown_* (the whole function)
#   after-yield  after the (first) top-level ``yield`` of a fixture or context manager
#   cleanup      registered cleanup: addCleanup/addClassCleanup/addfinalizer args, and the
#                bodies of the functions and lambdas registered that way
#   nested       the body of a nested def or lambda that is not registered as a cleanup
RESTORING = frozenset({"finally", "teardown", "after-yield", "cleanup"})

@dataclass(frozen=True)
class Call:
    """A call, or a callable registered as a cleanup (``how == "registered"``)."""

    # qualified callee, imports and module aliases resolved ("unittest.mock.patch.object"); a local
    # or parameter head stays as spelled ("self.addCleanup", "p.start"); "" when no dotted chain
    name: str
    spelled: str  # the callee as written ("mock.patch.object"); "" when it is no dotted chain
    method: str  # last segment of the callee ("start" also for ``mock.patch(...).start()``)
    line: int
    node: ast.Call  # for a registered cleanup: the ``addCleanup(...)`` call
    args: tuple[ast.expr, ...]  # for a registered cleanup: the arguments after the callable
    keywords: tuple[ast.keyword, ...]
    where: str  # see RESTORING above
    how: str = ""  # "" | with | decorator | fixture (useFixture/enterContext arg) | registered
    span: tuple[int, int] | None = None  # lines a with-block or decorator covers
    bound_to: str = ""  # spelled target the result is assigned to (``p``, ``self.m``, with ... as x)
    on: ast.Call | None = None  # the inner call of ``<call>.method(...)``
    scope: Scope | None = field(default=None, compare=False, repr=False)

    @property
    def receiver(self) -> str:
        """Qualified name of what the method is called on (``oslo_config.cfg.CONF``)."""
        return self.name.rpartition(".")[0]


@dataclass(frozen=True)
class Assign:
    """An assignment or deletion of an attribute (``X.a = v``) or item (``X[k] = v``)."""

    name: str  # qualified chain: the attribute (``pkg.mod.Cls.a``) or the container (``os.environ``)
    spelled: str
    kind: str  # attr | item | del-attr | del-item
    line: int
    where: str
    node: ast.stmt
    key: ast.expr | None = None  # the subscript of an item
    value: ast.expr | None = None  # None for deletions
    local: bool = False  # the head is a parameter or local name (``self``, a made object)
    scope: Scope | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Save:
    """A value read for a later restore: ``old = X.a``, ``saved = os.environ.copy()``."""

    name: str  # spelled target ("old", "self._old_env")
    source: str  # qualified chain read ("pkg.mod.X.a", "os.environ")
    key: str | None  # literal key read (``os.environ.get('K')``), None for the whole thing
    line: int
    where: str
    scope: Scope | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Patch:
    """A self-undoing patch: mock.patch*, fixtures.MockPatch*, monkeypatch, mocker, Config()."""

    # qualified: an attribute ("pkg.mod.Cls.a"), a dict ("os.environ"), a config object; "" unknown
    target: str
    kind: str  # attr | dict | env | config | settings
    key: str | None  # env variable or dict key when literal
    how: str  # decorator | with | fixture | start | "" (made, never entered or started)
    call: Call

    @property
    def active(self) -> bool:
        return bool(self.how)

    @property
    def line(self) -> int:
        return self.call.line


F = TypeVar("F", "Call", "Assign")


def made(cls: type[F], **values: Any) -> F:
    """A ``Call`` or ``Assign`` built in one step, as ``cls(**values)`` builds it: a frozen
    dataclass's ``__init__`` sets each field through ``object.__setattr__`` (1.5 us for a ``Call``,
    and a walk of a large suite makes a quarter of a million). ``values`` name every field that
    has no default."""
    fact = object.__new__(cls)
    fact.__dict__.update(_DEFAULTS[cls], **values)
    return fact


_DEFAULTS: dict[type, dict[str, Any]] = {
    cls: {f.name: f.default for f in fields(cls) if f.default is not MISSING} for cls in (Call, Assign)
}


@dataclass(frozen=True)
class Facts:
    """The facts of one function."""

    scope: Scope
    calls: tuple[Call, ...]
    assigns: tuple[Assign, ...]
    saves: tuple[Save, ...]
    patches: tuple[Patch, ...]
    locals: frozenset[str]  # parameters and names bound in the function
    aliases: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def seen_from(self, scope: Scope) -> Facts:
        """The same facts as the closure of ``scope`` sees them (its role): a shallow copy, as
        ``dataclasses.replace`` would make, without its cost (closures ask for thousands)."""
        if scope is self.scope:
            return self
        copy = object.__new__(Facts)
        copy.__dict__.update(self.__dict__)
        object.__setattr__(copy, "scope", scope)
        return copy

    def qualify(self, node: ast.expr | str | None) -> str:
        """The qualified name of a chain (node or spelling) as this function sees it, else ""."""
        dotted = node if isinstance(node, str) else (chain_of(node) if node is not None else None)
        return qualify(self.scope.index, dotted, self.aliases, self.locals) if dotted else ""


def module_aliases(index: ModuleIndex) -> dict[str, str]:
    """Module-level ``NAME = dotted`` bindings, qualified through imports and earlier aliases."""
    out: dict[str, str] = {}
    for statement in index.tree.body if index.tree is not None else []:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target, value = statement.targets[0], statement.value
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            target, value = statement.target, statement.value
        else:
            continue
        dotted = chain_of(value)
        if isinstance(target, ast.Name) and dotted:
            out[target.id] = qualify(index, dotted, out)
    return out


def qualify(index: ModuleIndex, dotted: str, aliases: dict[str, str], local: Iterable[str] = ()) -> str:
    """A dotted spelling -> qualified name through module aliases and imports; local heads stay."""
    head, _, rest = dotted.partition(".")
    if head in local:
        return dotted
    if head in aliases:
        return f"{aliases[head]}.{rest}" if rest else aliases[head]
    return index.qualify(dotted)


def matches(qualified: str, patterns: Iterable[str]) -> bool:
    """Whether ``qualified`` matches a pattern: equal, a dotted suffix, or an fnmatch glob."""
    for pattern in patterns:
        if qualified == pattern or qualified.endswith("." + pattern.removeprefix("self.")):
            return True
        if any(ch in pattern for ch in "*?[") and fnmatch.fnmatchcase(qualified, pattern):
            return True
    return False


def literal(node: ast.expr | None) -> str | None:
    """The value of a string constant, else None."""
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def is_teardown(scope: Scope) -> bool:
    return scope.role in ("teardown", "class-teardown") or scope.definition.name in TEARDOWN_NAMES


