"""A test module, parsed once: definitions with spans, names and dotted chains as code, imports.

Built by one iterative walk (deeply nested code would overflow a recursive visitor).
The tree is kept only while the module is analysed; results outlive it, trees do not.
"""

from __future__ import annotations

import ast
import re
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from typing import Any, TypeVar

from ..model import ReviewgateError
from .idioms import PATCH_CALLS

MAX_CHAIN = 32
T = TypeVar("T")
_DEFINITIONS = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef})
_COOKIE = re.compile(rb"[ \t\f]*#.*?coding[:=]")
_DOTTED = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+")


@dataclass(frozen=True)
class Definition:
    """A ``def`` or ``class`` of the module."""

    name: str
    qualname: str  # "Class.method"; nested functions as "outer.inner"
    kind: str  # "function" | "class"
    line: int  # the ``def``/``class`` line
    first_line: int  # the first decorator line, else ``line``
    end_line: int
    parent: str = ""  # qualname of the enclosing definition
    bases: tuple[str, ...] = ()  # dotted spellings of a class's bases
    decorators: tuple[str, ...] = ()  # dotted spellings of decorators (calls stripped)
    params: tuple[str, ...] = ()
    in_class: bool = False  # a method (its parent is a class)


@dataclass
class ModuleIndex:
    path: str
    lines: tuple[str, ...]  # physical lines as ``ast`` counts them
    tree: ast.Module | None
    definitions: list[Definition] = field(default_factory=list)
    by_name: dict[str, list[Definition]] = field(default_factory=dict)
    by_qualname: dict[str, Definition] = field(default_factory=dict)
    names: dict[str, int] = field(default_factory=dict)  # simple name as code -> first line
    chains: dict[str, int] = field(default_factory=dict)  # dotted spelling (and prefixes) -> first line
    bindings: set[str] = field(default_factory=set)  # names bound at module level
    # module-level names bound once, to another object, qualified: ``response = pecan.response`` and
    # ``from pecan import response`` -> "pecan.response" (a relative import keeps its dots)
    bound_once: dict[str, str] = field(default_factory=dict)
    globals_declared: set[str] = field(default_factory=set)  # names a ``global`` statement declares
    imports: dict[str, str] = field(default_factory=dict)  # local name -> qualified name
    # calls of ``name(...)``, ``self.name(...)``, ``cls.name(...)`` and ``super().name(...)`` in functions and
    # classes, in source order, by the id of the innermost ``def``/``class`` node (a redefinition under the same
    # name is apart)
    calls: dict[int, list[ast.Call]] = field(default_factory=dict)
    nested: dict[int, list[int]] = field(default_factory=dict)  # node id -> ids of the definitions directly in it
    memo: dict[object, object] = field(default_factory=dict, compare=False)  # what rules derive, once per module
    _nodes: dict[str, ast.AST] = field(default_factory=dict, compare=False, repr=False)  # qualname -> def node
    _data: bytes | None = field(default=None, compare=False, repr=False)  # the module's bytes, to parse again
    _released: bool = field(default=False, compare=False, repr=False)
    loads: int = field(default=0, compare=False, repr=False)  # parses after a release
    # the module's string constants and f-strings, as the index walk meets them, and the ids of the
    # bare string statements (docstrings); ``strings.literals`` reads them, then they go
    strings: list[ast.AST] = field(default_factory=list, compare=False, repr=False)
    documenting: set[int] = field(default_factory=set, compare=False, repr=False)
    asked: bool = field(default=False, compare=False, repr=False)  # ``nodes`` was read (``settle`` resets it)

    @property
    def nodes(self) -> dict[str, ast.AST]:
        """Qualname -> ``def``/``class`` node; parsed again, once, after ``release_nodes``."""
        self.asked = True
        if self._released and self._data is not None:
            again = parse_module(self._data, self.path)
            self._nodes, self.calls, self.nested = again._nodes, again.calls, again.nested
            self._released = False
            self.loads += 1
        return self._nodes

    def once(self, what: str, node: ast.AST, compute: Callable[[], T]) -> T:
        """``compute()`` of a node (a function's summary) once per module analysis, kept in ``memo``
        with the node itself, so that no other node takes its id while the answer is kept."""
        key = (what, id(node))
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = (compute(), node)
        return found[0]  # type: ignore[index, no-any-return]

    def close(self) -> None:
        """Drop the tree and everything derived from it (``memo`` holds scopes, which point back here)."""
        self.tree, self._data, self._released = None, None, False
        self._nodes, self.calls, self.nested = {}, {}, {}
        self.strings, self.documenting = [], set()
        self.memo.clear()

    def keep(self, data: bytes) -> None:
        """Keep the module's bytes: ``release_nodes`` may drop the nodes, to be parsed again."""
        self._data = data

    @property
    def holds_nodes(self) -> bool:
        """Whether the nodes are here now (not released, not closed)."""
        return not self._released and bool(self._nodes)

    def release_nodes(self) -> None:
        """Drop the nodes, the trees under them and what rules derived from them, until they are
        asked for again: a project module read for its names alone (a patch target, a helper's
        module) keeps no syntax tree alive. What ``project.`` derived (names, classes, constants)
        stays in ``memo``."""
        if self._data is None or self._released:
            return
        self._released = True
        self._nodes, self.calls, self.nested = {}, {}, {}
        self.strings, self.documenting = [], set()
        for key in [k for k in self.memo if not _kept(k)]:
            del self.memo[key]

    @property
    def line_count(self) -> int:
        return len(self.lines)

    def source_line(self, line: int) -> str:
        return self.lines[line - 1].strip() if 0 < line <= len(self.lines) else ""

    def qualify(self, dotted: str) -> str:
        """Resolve a dotted spelling through the module's imports (``mock.patch`` -> ``unittest.mock.patch``)."""
        head, _, rest = dotted.partition(".")
        if head in self.imports:
            return f"{self.imports[head]}.{rest}" if rest else self.imports[head]
        return dotted

    def innermost(self, start: int, end: int) -> list[Definition]:
        """The innermost functions that overlap the lines ``start``-``end`` (never a class)."""
        functions = [
            d for d in self.definitions if d.kind == "function" and d.first_line <= end and d.end_line >= start
        ]
        return [d for d in functions if not any(o.qualname.startswith(d.qualname + ".") for o in functions)]

    def calls_within(self, qualname: str) -> list[ast.Call]:
        """The recorded calls in a definition (``nodes[qualname]``) and everything defined inside it, in
        source order."""
        node = self.nodes.get(qualname)
        if node is None:
            return []
        inner = self.nested.get(id(node))
        found = list(self.calls.get(id(node), ()))
        if not inner:
            return found
        todo = list(inner)
        while todo:
            current = todo.pop()
            found.extend(self.calls.get(current, ()))
            todo.extend(self.nested.get(current, ()))
        found.sort(key=lambda call: (call.lineno, call.col_offset))
        return found

    def member(self, owner: str, attr: str) -> Definition | None:
        """``Owner.attr`` as Python finds it: in the class, else in its bases defined in this module."""
        seen: set[str] = set()
        queue = [owner]
        while queue:
            current = queue.pop(0)
            if current in seen:
                continue
            seen.add(current)
            found = self.by_qualname.get(f"{current}.{attr}")
            if found is not None:
                return found
            cls = self.by_qualname.get(current)
            if cls is not None and cls.kind == "class":
                queue.extend(base for base in cls.bases if base in self.by_qualname)
        return None

    def enclosing(self, line: int) -> Definition | None:
        best: Definition | None = None
        for definition in self.definitions:
            if definition.first_line <= line <= definition.end_line:
                if best is None or definition.first_line >= best.first_line:
                    best = definition
        return best


def _kept(key: object) -> bool:
    """A memo entry that holds no node: what the project derived (``"project.<what>"`` keys)."""
    return _head(key).startswith("project.")


def _head(key: object) -> str:
    head = key[0] if isinstance(key, tuple) and key else key
    return head if isinstance(head, str) else ""


def split_lines(source: str) -> tuple[str, ...]:
    """Physical lines as ``ast`` counts them: only CR, LF and CRLF end a line."""
    lines = source.split("\n") if "\r" not in source else re.split(r"\r\n|\r|\n", source)
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()  # the empty piece after a final newline is no line
    return tuple(lines)


def decode_source(data: bytes, path: str) -> str:
    """Decode module bytes as Python does (coding cookie, BOM), naming the line on failure."""
    import io
    import tokenize

    if b"\0" in data:
        line = data.count(b"\n", 0, data.index(b"\0")) + 1
        raise ReviewgateError("the module contains a null byte", path, line)
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        return data.decode(encoding)
    except (SyntaxError, LookupError, UnicodeError) as exc:
        line = getattr(exc, "lineno", None) or _cookie_line(data)
        if isinstance(exc, UnicodeDecodeError):
            line = data.count(b"\n", 0, exc.start) + 1
        raise ReviewgateError(f"cannot decode the module: {exc}", path, line) from None


def _cookie_line(data: bytes) -> int:
    """The line of the coding cookie (PEP 263: the first or second line), else 1."""
    for number, line in enumerate(data.split(b"\n", 2)[:2], start=1):
        if _COOKIE.match(line):
            return number
    return 1


def parse_module(data: bytes, path: str) -> ModuleIndex:
    """Parse and index a module; any problem raises ``ReviewgateError`` with a line."""
    source = decode_source(data, path)
    if source.startswith("\ufeff"):
        source = source[1:]
    try:
        with warnings.catch_warnings():  # "\d" in a user's module must not become an error under -W error
            warnings.simplefilter("ignore")
            tree = ast.parse(source, filename=path)
    except SyntaxError as exc:
        raise ReviewgateError(f"the module does not parse: {exc.msg}", path, exc.lineno or 1) from None
    except (RecursionError, MemoryError, ValueError) as exc:
        raise ReviewgateError(f"the module does not parse: {type(exc).__name__}: {exc}", path, 1) from None
    index = ModuleIndex(path=path, lines=split_lines(source), tree=tree)
    _Indexer(index).run(tree)
    return index


def chain_of(node: ast.AST) -> str | None:
    """``a.b.c`` for a chain of attributes on a name, else None."""
    kind = type(node)
    if kind is _NAME:
        return node.id  # type: ignore[attr-defined, no-any-return]
    parts: list[str] = []
    while kind is _ATTRIBUTE:
        parts.append(node.attr)  # type: ignore[attr-defined]
        node = node.value  # type: ignore[attr-defined]
        kind = type(node)
    if kind is _NAME:
        parts.append(node.id)  # type: ignore[attr-defined]
        parts.reverse()
        return ".".join(parts)
    return None


_NAME, _ATTRIBUTE = ast.Name, ast.Attribute


# Fields that never hold a node worth visiting: names and numbers, expression contexts, operators.
_SKIPPED = frozenset({
    "ctx", "id", "attr", "arg", "asname", "module", "level", "kind", "type_comment", "conversion", "is_async",
    "rest", "kwd_attrs", "op", "ops", "simple",
})
_NO_NODES: dict[type, frozenset[str]] = {
    ast.Constant: frozenset({"value"}),
    ast.Global: frozenset({"names"}),
    ast.Nonlocal: frozenset({"names"}),
    ast.MatchSingleton: frozenset({"value"}),
}
_SPARSE = (ast.Dict, ast.arguments)  # lists with None for ``{**other}`` keys and keyword-only args without default
_FIELDS: dict[type, tuple[str, ...]] = {}


def _fields(cls: type) -> tuple[str, ...]:
    fields = _FIELDS.get(cls)
    if fields is None:
        skipped = _SKIPPED | _NO_NODES.get(cls, frozenset())
        names = getattr(cls, "_fields", ())
        # ``name`` is a string everywhere but in ``type X = ...`` (3.12), where it is a Name
        fields = tuple(f for f in names if f not in skipped and (f != "name" or cls.__name__ == "TypeAlias"))
        _FIELDS[cls] = fields
    return fields


for _node_class in [c for c in vars(ast).values() if isinstance(c, type) and issubclass(c, ast.AST)]:
    _fields(_node_class)
del _node_class


def node_fields(cls: type) -> tuple[str, ...]:
    """The fields of a node class that may hold child nodes (a list, a node or None)."""
    fields = _FIELDS.get(cls)
    return fields if fields is not None else _fields(cls)


def children(node: ast.AST) -> list[ast.AST]:
    """The child nodes, in source order, without contexts and operators (``ast.iter_child_nodes``, faster)."""
    out: list[ast.AST] = []
    fields = _FIELDS.get(type(node))
    for name in fields if fields is not None else _fields(type(node)):
        value = getattr(node, name, None)
        if type(value) is list:
            out.extend(value)
        elif value is not None:
            out.append(value)
    if type(node) in _SPARSE:
        out = [child for child in out if child is not None]
    return out


# Rules walk the same ``def``/``class`` again and again (once per rule, per closure that holds it): the
# nodes below one are listed on its first walk and kept on the node itself (they never point back at it,
# so the tree still frees itself by reference counting).
_BELOW = "_reviewgate_below"
_KEPT = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef})


def walk(node: ast.AST) -> Iterator[ast.AST]:
    """Depth-first, in source order, without recursion (and without contexts and operators)."""
    if type(node) in _KEPT:
        below = node.__dict__.get(_BELOW)
        if below is None:
            below = node.__dict__[_BELOW] = _below(node)
        return chain((node,), below)
    return _walk(node)


def _walk(node: ast.AST) -> Iterator[ast.AST]:
    stack = [node]
    pop, extend = stack.pop, stack.extend
    while stack:
        current = pop()
        yield current
        extend(reversed(children(current)))


def _below(node: ast.AST) -> tuple[ast.AST, ...]:
    """The nodes under ``node`` in ``walk`` order; a ``def`` listed before reuses its list."""
    out: list[ast.AST] = []
    append, extend = out.append, out.extend
    stack = list(reversed(children(node)))
    pop, push = stack.pop, stack.extend
    while stack:
        current = pop()
        append(current)
        if type(current) in _KEPT and _BELOW in current.__dict__:
            extend(current.__dict__[_BELOW])
        else:
            push(reversed(children(current)))
    return tuple(out)


class _End:
    """Pushed under a definition's children: met once they all are. ``start``: where the nodes below
    the definition begin in the walk's order."""

    __slots__ = ("node", "start")

    def __init__(self, node: ast.AST, start: int) -> None:
        self.node, self.start = node, start


class _Indexer:
    def __init__(self, index: ModuleIndex) -> None:
        self.index = index
        self.inner: set[int] = set()  # ids of attributes that are the value of another attribute
        self.owner = 0  # id of the ``def``/``class`` node the handled node is in, 0 at module level
        self.order: list[ast.AST] = []

    def _name(self, name: str, line: int) -> None:
        self.index.names.setdefault(name, line)

    def _chain(self, dotted: str, line: int) -> None:
        chains = self.index.chains
        if dotted in chains:  # met before, and so were its prefixes
            return
        parts = dotted.split(".")[:MAX_CHAIN]  # nobody cites a.b.c... 40 segments deep
        prefix = parts[0]
        for part in parts[1:]:
            prefix = f"{prefix}.{part}"
            chains.setdefault(prefix, line)

    def run(self, tree: ast.Module) -> None:
        index = self.index
        once: dict[str, str | None] = {}  # name -> what it is bound to, None once bound twice
        for bound, to in _module_bindings(tree.body):
            once[bound] = to if bound not in once else None
        index.bindings.update(once)
        names = index.names
        handlers: dict[type, Callable[[Any], None]] = {
            ast.Attribute: self._attribute,
            ast.keyword: self._keyword,
            ast.arg: self._arg,
            ast.Import: self._import,
            ast.ImportFrom: self._import,
            ast.Global: self._global,
            ast.Nonlocal: self._global,
            ast.Call: self._call,
            _End: self._end,
        }
        # (node, context): the context (qualname prefix, parent definition, parent is a class, id of the
        # parent's node) is one tuple shared by siblings
        stack: list[tuple[Any, tuple[str, str, bool, int]]] = [(tree, ("", "", False, 0))]  # a node or an _End
        pop, push = stack.pop, stack.extend
        name_class, attribute_class, constant, definitions = ast.Name, ast.Attribute, ast.Constant, _DEFINITIONS
        joined, expression, end = ast.JoinedStr, ast.Expr, _End
        fields_of = node_fields
        inner = self.inner
        strings, documenting = index.strings, index.documenting
        order = self.order  # every node, in ``walk`` order: a definition's nodes are a slice of it
        meet = order.append
        while stack:
            node, context = pop()
            cls = type(node)
            if cls is name_class:  # the commonest node, and a leaf
                meet(node)
                names.setdefault(node.id, node.lineno)
                continue
            if cls is constant:  # a leaf too
                meet(node)
                if type(node.value) is str:
                    strings.append(node)
                continue
            if cls is attribute_class:  # the next commonest: ``_attribute`` inline
                line = node.lineno
                names.setdefault(node.attr, line)
                value = node.value
                if type(value) is attribute_class:
                    inner.add(id(value))  # its chain is a prefix of this one's
                if id(node) not in inner:
                    dotted = chain_of(node)
                    if dotted:
                        self._chain(dotted, line)
                if context[2]:
                    context = (context[0], context[1], False, context[3])
                meet(node)
                push([(value, context)])
                continue
            if cls in definitions:
                meet(node)
                prefix, parent, in_class, owner = context
                definition = self._definition(node, prefix, parent, in_class)
                index.nested.setdefault(owner, []).append(id(node))
                push([(_End(node, len(order)), context)])  # popped once the nodes below are met
                context = (definition.qualname + ".", definition.qualname, cls is ast.ClassDef, id(node))
                if context[2]:
                    self._class_attributes(node, definition.qualname)
            else:
                if context[2]:
                    context = (context[0], context[1], False, context[3])
                handler = handlers.get(cls)
                if handler is not None:
                    if cls is end:
                        handler(node)
                        continue
                    self.owner = context[3]
                    handler(node)
                elif cls is joined:
                    strings.append(node)
                elif cls is expression and type(node.value) in (constant, joined):
                    documenting.add(id(node.value))  # a docstring or bare string
                meet(node)
            entries = []
            for name in fields_of(cls):
                value = getattr(node, name, None)
                for child in value if type(value) is list else (value,):
                    if child is not None:
                        entries.append((child, context))
            if entries:
                entries.reverse()
                push(entries)
        index.definitions.sort(key=lambda d: (d.first_line, d.line))
        order.clear()
        # the imports are all known now: ``NAME = a.b`` is qualified through them
        qualify = index.qualify
        index.bound_once = {bound: qualify(to[1:]) if to[0] == "=" else to for bound, to in once.items() if to}

    def _end(self, marker: _End) -> None:
        """A definition's nodes are all met: keep them on it, as ``walk`` would list them."""
        marker.node.__dict__[_BELOW] = tuple(self.order[marker.start :])

    def _definition(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef, prefix: str, parent: str, in_class: bool
    ) -> Definition:
        first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
        decorators = tuple(
            c for c in (chain_of(d.func if isinstance(d, ast.Call) else d) for d in node.decorator_list) if c
        )
        bases: tuple[str, ...] = ()
        params: tuple[str, ...] = ()
        if isinstance(node, ast.ClassDef):
            bases = tuple(c for c in (chain_of(b) for b in node.bases) if c)
            kind = "class"
        else:
            a = node.args
            params = tuple(p.arg for p in [*a.posonlyargs, *a.args, *a.kwonlyargs])
            params += tuple(p.arg for p in (a.vararg, a.kwarg) if p is not None)
            kind = "function"
        definition = Definition(
            name=node.name,
            qualname=prefix + node.name,
            kind=kind,
            line=node.lineno,
            first_line=first,
            end_line=node.end_lineno or node.lineno,
            parent=parent,
            bases=bases,
            decorators=decorators,
            params=params,
            in_class=in_class,
        )
        index = self.index
        index.definitions.append(definition)
        index.by_name.setdefault(node.name, []).append(definition)
        index.by_qualname.setdefault(definition.qualname, definition)
        index.nodes.setdefault(definition.qualname, node)
        self._name(node.name, node.lineno)
        for param in params:
            self._name(param, node.lineno)
        return definition

    def _class_attributes(self, node: ast.ClassDef, qualname: str) -> None:
        for statement in node.body:
            for bound in _bound_names(statement):
                for owner in ("self", "cls", qualname):
                    self._chain(f"{owner}.{bound}", statement.lineno)

    def _attribute(self, node: ast.Attribute) -> None:
        self._name(node.attr, node.lineno)
        if isinstance(node.value, ast.Attribute):
            self.inner.add(id(node.value))  # its chain is a prefix of this one's
        if id(node) not in self.inner:
            dotted = chain_of(node)
            if dotted:
                self._chain(dotted, node.lineno)

    def _keyword(self, node: ast.keyword) -> None:
        if node.arg:
            self._name(node.arg, node.value.lineno)

    def _arg(self, node: ast.arg) -> None:
        self._name(node.arg, node.lineno)

    def _global(self, node: ast.Global | ast.Nonlocal) -> None:
        for name in node.names:
            self._name(name, node.lineno)
        if type(node) is ast.Global:
            self.index.globals_declared.update(node.names)

    def _import(self, node: ast.Import | ast.ImportFrom) -> None:
        line = node.lineno
        for alias in node.names:
            if isinstance(node, ast.Import):
                local = alias.asname or alias.name.split(".")[0]
                qualified = alias.name if alias.asname else alias.name.split(".")[0]
                self._chain(alias.name, line)
                for part in alias.name.split("."):
                    self._name(part, line)
            else:
                base = "." * node.level + (node.module or "")
                local = alias.asname or alias.name
                qualified = f"{base}.{alias.name}" if base and not base.endswith(".") else f"{base}{alias.name}"
                if node.module:
                    self._chain(f"{node.module}.{alias.name}", line)
                    for part in node.module.split("."):
                        self._name(part, line)
                self._name(alias.name, line)
            if alias.asname:
                self._name(alias.asname, line)
            # a star import is kept under "*": names it brings are unknown
            self.index.imports.setdefault(local, qualified)

    def _call(self, node: ast.Call) -> None:
        func = node.func
        if type(func) is ast.Name or (
            type(func) is ast.Attribute and type(func.value) is ast.Name and func.value.id in ("self", "cls")
        ) or (type(func) is ast.Attribute and _is_super(func.value)):
            if self.owner:  # module-level calls run at import, in no test
                self.index.calls.setdefault(self.owner, []).append(node)
        self._patch_target(node)

    def _patch_target(self, node: ast.Call) -> None:
        func = chain_of(node.func)
        if not func or func.rsplit(".", 1)[-1] not in PATCH_CALLS or not node.args:
            return
        first = node.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str) and _DOTTED.fullmatch(first.value):
            self._chain(first.value, first.lineno)


def _is_super(node: ast.expr) -> bool:
    """``super()`` or ``super(Class, self)``."""
    return type(node) is ast.Call and type(node.func) is ast.Name and node.func.id == "super"


_BLOCKS = ("body", "orelse", "finalbody", "handlers", "cases")  # statement lists run at import


def _module_bindings(body: list[ast.stmt]) -> Iterator[tuple[str, str]]:
    """The names a module binds, each with what it is bound to when that is another object (``_bound``):
    its statements', and those under its ``if``, ``try``, ``with``, ``for``, ``while`` and ``match``
    blocks (``if os.name == 'nt': Server = Win32Server``), which run when it is imported; not those in a
    ``def`` or ``class`` body."""
    pending: list[ast.AST] = list(reversed(body))
    while pending:
        statement = pending.pop()
        if isinstance(statement, ast.stmt):
            yield from _bound(statement)
        if isinstance(statement, ast.For | ast.AsyncFor):
            yield from ((n.id, "") for n in walk(statement.target) if isinstance(n, ast.Name))
        elif isinstance(statement, ast.With | ast.AsyncWith):
            for item in statement.items:
                if item.optional_vars is not None:
                    yield from ((n.id, "") for n in walk(item.optional_vars) if isinstance(n, ast.Name))
        if type(statement) in _DEFINITIONS:
            continue
        for block in reversed(_BLOCKS):
            inner = getattr(statement, block, None)
            if type(inner) is list:
                pending.extend(reversed(inner))  # statements, or except handlers and match cases (their bodies)


def _bound_names(statement: ast.stmt) -> Iterator[str]:
    return (name for name, _ in _bound(statement))


def _bound(statement: ast.stmt) -> Iterator[tuple[str, str]]:
    """(name, what it is bound to when that is another object, else "") for each name a statement binds:
    ``=a.b`` for ``NAME = a.b`` (qualified through the imports once they are known), ``pkg.name`` for
    ``from pkg import name`` (a relative source keeps its dots)."""
    if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        yield statement.name, ""
    elif isinstance(statement, ast.ImportFrom):
        source = "." * statement.level + (statement.module or "")
        for alias in statement.names:
            if alias.name != "*":
                yield alias.asname or alias.name, f"{source}.{alias.name}" if statement.module else source + alias.name
    elif isinstance(statement, ast.Import):
        for alias in statement.names:
            if alias.name != "*":
                yield alias.asname or alias.name.split(".")[0], ""
    elif isinstance(statement, ast.Assign | ast.AnnAssign | ast.AugAssign):
        targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
        single = isinstance(statement, ast.Assign) and len(targets) == 1 and isinstance(targets[0], ast.Name)
        value = chain_of(statement.value) if single and statement.value is not None else None
        for target in targets:
            for node in walk(target):
                if isinstance(node, ast.Name):
                    yield node.id, f"={value}" if value else ""
