"""The project's own source, read without importing: base classes across modules, defined names.

Roots are the rootdir, the ``pythonpath`` ini value and each package root. Star imports,
dynamic classes and modules with ``__getattr__`` resolve to "unknown" (None). Every file looked
at, found or not, is noted in ``touched`` with its state, so that a cached result can be checked.
"""

from __future__ import annotations

import ast
import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from .. import files
from ..model import ReviewgateError
from .index import ModuleIndex, parse_module
from .values import STARS, assigned_globals, bound_kinds, constants

MAX_HOPS = 32
T = TypeVar("T")


class SourceProject:
    """Implements the ``Project`` protocol of ``rules.base`` over files under the roots."""

    def __init__(self, roots: Sequence[Path]) -> None:
        self.roots = [r.resolve() for r in roots]
        self._modules: dict[str, tuple[Path | None, tuple[str, ...]]] = {}  # name -> (file, files not there)
        self._paths: dict[str, ModuleIndex | None] = {}
        self._exists: dict[str, bool] = {}
        self._states: dict[str, str] = {}
        self.read: dict[str, str] = {}  # path -> sha256 of every file read
        self.unreadable: dict[str, str] = {}  # path -> why a file that is there could not be read
        self.touched: dict[str, str] = {}  # path -> state of each file one analysis used (reset per analysis)
        self.conftest_paths: dict[tuple[str, str], list[Path]] = {}  # (folder, root) -> conftest.py files
        self._real: dict[str, Path] = {}
        self._names: dict[str, tuple[str, tuple[tuple[str, bool], ...]]] = {}  # path -> (module name, files asked)
        self._resets: dict[str, frozenset[str]] = {}
        self._settled = 0  # analyses ended (``settle``)
        self._asked: dict[str, int] = {}  # path -> the last analysis that asked for the module's nodes

    def real(self, path: Path) -> Path:
        """A path resolved once per session (the rootdir, a base class's module: asked for by every
        analysis)."""
        key = str(path)
        found = self._real.get(key)
        if found is None:
            found = self._real[key] = path.resolve()
        return found

    # -- files -----------------------------------------------------------
    def exists(self, path: Path) -> bool:
        """Whether a regular file is there, asked once per process and noted for the analysis."""
        key = str(path)
        found = self._exists.get(key)
        if found is None:
            found = self._exists[key] = files.is_regular(key)
        self._note_presence(key, found)
        return found

    def _note_presence(self, key: str, present: bool) -> None:
        if self.touched.get(key, files.ABSENT) in (files.ABSENT, files.PRESENT):  # a hash says more
            self.touched[key] = files.PRESENT if present else files.ABSENT

    def state(self, path: Path) -> str:
        """A file's state (``files.state``), found once per process and noted for the analysis."""
        key = str(path)
        if key not in self._states:
            self._states[key] = self.read.get(key) or files.state(key)
        self.touched[key] = self._states[key]
        return self._states[key]

    def holds(self, path: str, wanted: str) -> bool:
        """Whether a file is in the state ``wanted`` (``files.holds``), as this process saw it."""
        return self.exists(Path(path)) if wanted == files.PRESENT else self.state(Path(path)) == wanted

    # -- modules ---------------------------------------------------------
    def module_name(self, path: Path) -> str:
        """Dotted name of a file: walk up while ``__init__.py`` exists (once per path; each later call
        notes again the ``__init__.py`` files it depends on)."""
        found = self._names.get(str(path))
        if found is None:
            real = self.real(path)
            parts = [real.stem] if real.name != "__init__.py" else []
            folder = real.parent
            asked: list[tuple[str, bool]] = []
            while True:
                marker = folder / "__init__.py"
                present = self.exists(marker)
                asked.append((str(marker), present))
                if not present or folder.parent == folder:
                    break
                parts.append(folder.name)
                folder = folder.parent
            found = self._names[str(path)] = (".".join(reversed(parts)), tuple(asked))
        else:
            for key, present in found[1]:
                self._note_presence(key, present)
        return found[0]

    def find(self, dotted: str) -> Path | None:
        if dotted not in self._modules:
            relative = Path(*dotted.split("."))
            missing: list[str] = []
            found = None
            for root in self.roots:
                for candidate in (root / relative.with_suffix(".py"), root / relative / "__init__.py"):
                    if files.is_regular(candidate):
                        found = candidate
                        break
                    missing.append(str(candidate))
                if found is not None:
                    break
            self._modules[dotted] = (found, tuple(missing))
        found, missing_paths = self._modules[dotted]
        for key in missing_paths:  # the result also depends on these staying absent
            self.touched.setdefault(key, files.ABSENT)
        return found

    def load(self, dotted: str) -> ModuleIndex | None:
        path = self.find(dotted)
        return self.load_path(path) if path is not None else None

    def load_path(self, path: Path) -> ModuleIndex | None:
        """Parse a project file once per process; facts are kept, the tree is dropped.

        A file that cannot be read (not a regular file, over ``files.MAX_MODULE_BYTES``) is None,
        and ``unreadable`` says why.
        """
        key = str(path)
        if key not in self._paths:
            index = None
            try:
                data = files.read_regular(key, files.MAX_MODULE_BYTES, "the limit for a module")
                self.read[key] = hashlib.sha256(data).hexdigest()
                index = parse_module(data, key)
                constants(index)  # these need the tree, which goes now
                bound_kinds(index)
                index.tree = None
                index.strings, index.documenting = [], set()  # its literals are never asked for
                index.asked = False  # ``bound_kinds`` read its classes; only a rule's ask keeps the nodes
                index.keep(data)  # ``settle`` releases its nodes; parsed again when a rule needs them
            except files.FileProblem as exc:
                if not exc.missing:
                    self.unreadable[key] = exc.reason
                self.read[key] = files.ABSENT if exc.missing else files.UNREADABLE
            except ReviewgateError:
                index = None
            self._paths[key] = index
        self.touched[key] = self.read[key]
        return self._paths[key]

    def close(self) -> None:
        """Forget every module read (their memos point back at them)."""
        for index in self._paths.values():
            if index is not None:
                index.close()
        self._paths.clear()

    def settle(self, hot: int = 3, idle: int = 64) -> None:
        """After one module's analysis: release the nodes of the project modules that no analysis of
        the last ``idle`` ones asked for, but for those parsed ``hot`` times already (a base class's
        module that every test module needs). Modules of one folder, analysed one after the other,
        share their bases and helpers: these stay parsed while they are asked for (over nova's 715 test
        modules, 3.3 MB of the 9.5 MB of project source read are parsed again)."""
        self._settled += 1
        for key, index in self._paths.items():
            if index is None or not index.holds_nodes:
                continue
            if index.asked:
                index.asked = False
                self._asked[key] = self._settled
            if index.loads < hot and self._settled - self._asked.get(key, -idle) >= idle:
                index.release_nodes()

    def add_root_for(self, path: Path) -> None:
        """Make the package root of ``path`` a root too."""
        folder = self.real(path).parent
        while (folder / "__init__.py").is_file() and folder.parent != folder:
            folder = folder.parent
        if folder not in self.roots:
            self.roots.append(folder)

    # -- names -----------------------------------------------------------
    def absolute(self, index: ModuleIndex, qualified: str) -> str:
        """Make a relative import target (``.base.X``) absolute, from the module's own name."""
        if not qualified.startswith("."):
            return qualified
        level = len(qualified) - len(qualified.lstrip("."))
        package = self.module_name(Path(index.path))
        if not Path(index.path).name == "__init__.py":
            package = package.rpartition(".")[0]
        for _ in range(level - 1):
            package = package.rpartition(".")[0]
        rest = qualified.lstrip(".")
        return f"{package}.{rest}" if package else rest

    def _split(self, qualified: str) -> tuple[str, str, ModuleIndex] | None:
        """``pkg.mod.Attr.x`` -> (module name, attribute path, module index) for the longest module."""
        parts = qualified.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            module = ".".join(parts[:cut])
            index = self.load(module)
            if index is not None:
                return module, ".".join(parts[cut:]), index
        return None

    def defines(self, qualified: str) -> bool | None:
        split = self._split(qualified)
        if split is None:
            return None
        module, attribute, index = split
        if "__getattr__" in index.bindings or "*" in index.imports:
            return None
        head, _, rest = attribute.partition(".")
        if head not in index.bindings and head not in index.imports:
            sub = self.load(f"{module}.{head}")
            if sub is not None:
                return True if not rest else self.defines(f"{module}.{head}.{rest}")
            return False
        if not rest:
            return True
        if f"{head}.{rest}" in index.by_qualname:
            return True
        if head in index.imports:
            return self.defines(f"{self.absolute(index, index.imports[head])}.{rest}")
        cls = index.by_qualname.get(head)
        if cls is not None and cls.kind == "class":
            if f"self.{rest}" in index.chains:
                return True
            return None if cls.bases else False
        return None

    def value_of(self, qualified: str, hops: int = 2) -> str | None:
        """The constant a module (or a class of it) binds ``name`` to, once, as ``values.constant`` spells it;
        None when it binds something else, more than once, or is not in the project.

        A name the module does not bind itself is looked up in the modules it star-imports
        (Nova's ``nova.objects`` declares its registry classes that way), the last binding wins.
        """
        split = self._split(qualified)
        if split is None:
            return None
        _, attribute, index = split
        found = constants(index).get(attribute)
        head = attribute.split(".")[0]
        if found is not None or hops == 0 or head.startswith("_") or head in index.bindings:
            return found
        for star in reversed(constants(index).get(STARS, "").split()):
            source = self.load(self.absolute(index, star) if star.startswith(".") else star)
            if source is not None and head in source.bindings:
                return self.value_of(f"{self.absolute(index, star)}.{attribute}", hops - 1)
        return None

    def resets(self, function: str) -> frozenset[str]:
        """What a function of the project assigns that outlives it: the module globals it declares
        ``global`` and assigns, and class attributes it assigns (``cls.x = ...``), qualified."""
        if function not in self._resets:
            split = self._split(function)
            node = split[2].nodes.get(split[1]) if split is not None else None
            found: frozenset[str] = frozenset()
            if split is not None and isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                module, qualname, _ = split
                owner = qualname.rpartition(".")[0]
                found = frozenset(f"{module}.{name}" for name in assigned_globals(node, owner))
            self._resets[function] = found
        return self._resets[function]

    # -- memos -----------------------------------------------------------
    def remember(self, memo: dict[object, object], key: object, compute: Callable[[], T]) -> T:
        """``compute()`` once per ``memo``; each later call notes again the files it read (see below)."""
        return self._remembered(memo, key, compute)

    def _remembered(self, memo: dict[object, object], key: object, compute: Callable[[], T]) -> T:
        """``compute()`` once per ``memo`` (a module's): each later call notes again, in ``touched``,
        the files the first one looked at, so a cached analysis still depends on them."""
        found = memo.get(key)
        if found is None:
            outer, self.touched = self.touched, {}
            try:
                value = compute()
            finally:
                recorded, self.touched = self.touched, outer
                self._note(recorded)
            memo[key] = found = (value, recorded)
        else:
            self._note(found[1])  # type: ignore[index]
        return found[0]  # type: ignore[index, no-any-return]

    def _note(self, recorded: dict[str, str]) -> None:
        """Merge states into ``touched`` as ``exists``/``state``/``load_path`` do: a hash says more
        than present or absent."""
        touched = self.touched
        for key, value in recorded.items():
            if touched.get(key, files.ABSENT) in (files.ABSENT, files.PRESENT) or value not in (
                files.ABSENT, files.PRESENT
            ):
                touched[key] = value

    # -- classes ---------------------------------------------------------
    def resolve_class(self, index: ModuleIndex, spelling: str) -> tuple[str, ModuleIndex | None, str]:
        """A base spelling -> (qualified name, its module index if in the project, qualname there)."""
        if spelling in index.by_qualname:
            name = self.module_name(Path(index.path))
            return f"{name}.{spelling}", index, spelling
        return self._remembered(index.memo, ("project.resolve_class", spelling),
                                lambda: self._resolve_class(index, spelling))

    def _resolve_class(self, index: ModuleIndex, spelling: str) -> tuple[str, ModuleIndex | None, str]:
        qualified = self.absolute(index, index.qualify(spelling))
        split = self._split(qualified)
        if split is None:
            return qualified, None, ""
        _, attribute, target = split
        if attribute in target.by_qualname:
            return qualified, target, attribute
        head = attribute.split(".")[0]
        if head in target.imports:  # one hop of __init__ re-exports
            again = self.absolute(target, target.imports[head])
            rest = attribute[len(head) :]
            split = self._split(again + rest)
            if split is not None and split[1] in split[2].by_qualname:
                return again + rest, split[2], split[1]
            return again + rest, None, ""
        for star in reversed(constants(target).get(STARS, "").split()):  # ``from .core import *`` re-exports
            source_name = self.absolute(target, star) if star.startswith(".") else star
            source = self.load(source_name)
            if source is not None and attribute in source.by_qualname and not head.startswith("_"):
                return f"{source_name}.{attribute}", source, attribute
        return qualified, None, ""

    def inherits(self, index: ModuleIndex, class_qualname: str, bases: Sequence[str]) -> bool | None:
        """Whether the class derives from one of ``bases`` (None: a base could not be resolved).

        A mixin (a class whose bases are ``object`` or mixins of the project) runs its tests as a
        method of the classes that combine it with a test case: it counts as deriving when every
        class of its module that lists it among its bases does (through mixins that list it).
        """
        found = self._inherits(index, class_qualname, bases)
        if found is True:
            return True
        users = self._mixed_into(index, class_qualname)
        if users and all(self._inherits(index, user, bases) is True for user in users):
            return True
        return found

    def _mixin(self, index: ModuleIndex, qualname: str, hops: int = 0) -> bool:
        definition = index.by_qualname.get(qualname)
        if definition is None or definition.kind != "class" or hops > MAX_HOPS:
            return False
        for spelling in definition.bases:
            if spelling != "object":
                _, module, inner = self.resolve_class(index, spelling)
                if module is None or not self._mixin(module, inner, hops + 1):
                    return False
        return True

    def _mixed_into(self, index: ModuleIndex, class_qualname: str) -> list[str]:
        """The module's classes that list ``class_qualname`` among their bases, when it is a mixin,
        directly or through mixins of the module that do; a mixin that no class uses is a user
        itself (pytest collects a ``Test*`` class as it is)."""
        if not self._mixin(index, class_qualname):
            return []
        users: list[str] = []
        queue, seen = [class_qualname], {class_qualname}
        while queue and len(seen) < MAX_HOPS:
            mixin = queue.pop(0)
            direct = [d.qualname for d in index.definitions if d.kind == "class" and mixin in d.bases]
            if not direct and mixin != class_qualname:
                users.append(mixin)
            for user in direct:
                if user not in seen:
                    seen.add(user)
                    (queue if self._mixin(index, user) else users).append(user)
        return users

    def _inherits(self, index: ModuleIndex, class_qualname: str, bases: Sequence[str]) -> bool | None:
        return self._remembered(index.memo, ("project.inherits", class_qualname, tuple(bases)),
                                lambda: self._walk_bases(index, class_qualname, bases))

    def _walk_bases(self, index: ModuleIndex, class_qualname: str, bases: Sequence[str]) -> bool | None:
        wanted = set(bases)
        if not wanted:
            return False
        unknown = False
        queue: list[tuple[ModuleIndex, str]] = [(index, class_qualname)]
        seen: set[tuple[str, str]] = set()
        while queue and len(seen) < MAX_HOPS:
            current, qualname = queue.pop(0)
            if (current.path, qualname) in seen:
                continue
            seen.add((current.path, qualname))
            definition = current.by_qualname.get(qualname)
            if definition is None or definition.kind != "class":
                unknown = True
                continue
            for spelling in definition.bases:
                qualified, module, inner = self.resolve_class(current, spelling)
                if qualified in wanted or spelling in wanted:
                    return True
                if module is not None:
                    queue.append((module, inner))
                elif "*" in current.imports or spelling.split(".")[0] not in current.imports | current.by_name:
                    unknown = True
        return None if unknown else False


def remember(project: object, memo: dict[object, object], key: object, compute: Callable[[], T]) -> T:
    """``compute()`` once per ``memo``; through ``project.remember`` when the project has it, so that
    each later ask still notes the files the answer read (a cached analysis depends on them)."""
    through = getattr(project, "remember", None)
    if callable(through):
        return through(memo, key, compute)  # type: ignore[no-any-return]
    if key not in memo:
        memo[key] = compute()
    return memo[key]  # type: ignore[return-value]
