"""RG203 `patch-targets-exist`: which targets are asked about, what unknown means, messages."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

from pytest_reviewgate.analysis.index import ModuleIndex, parse_module
from pytest_reviewgate.config import Settings
from pytest_reviewgate.engine.checks import build_context
from pytest_reviewgate.model import Violation
from pytest_reviewgate.rules.rg203_patch_targets_exist import PatchTargetsExist
from pytest_reviewgate.testing import check_rule


class KnownNames:
    """The Project protocol over a fixed table; names not in it are unknown (None)."""

    def __init__(self, answers: Mapping[str, bool]) -> None:
        self.answers = answers
        self.asked: list[str] = []

    def inherits(self, index: ModuleIndex, class_qualname: str, bases: Sequence[str]) -> bool | None:
        return None

    def defines(self, qualified: str) -> bool | None:
        self.asked.append(qualified)
        return self.answers.get(qualified)


def check(source: str, project: object, path: str = "test_mod.py") -> list[Violation]:
    """RG203's violations with a fixed ``project``: for what the rule asks the project."""
    index = parse_module(textwrap.dedent(source).encode(), path)
    context, _ = build_context(index, PatchTargetsExist, (), Settings(), project)  # type: ignore[arg-type]
    return list(PatchTargetsExist().check(context))


def test_a_missing_target_gets_the_documented_message_at_the_string() -> None:
    [violation] = check_rule(
        PatchTargetsExist,
        """
        from unittest import mock


        def test_it():
            with mock.patch(
                "app.mod.Clinet",
                autospec=True,
            ):
                pass
        """,
        files={"app/__init__.py": "", "app/mod.py": "class Client:\n    pass\n"},
    )
    assert (violation.rule, violation.line, violation.definition) == ("RG203", 7, "test_it")
    assert violation.message == (
        "patch target `app.mod.Clinet` names nothing the project's source defines -> patch the "
        "module and attribute the code under test looks up, or fix the spelling"
    )


def test_unknown_and_existing_targets_are_not_reported() -> None:
    project = KnownNames({"app.mod.Client": True})
    source = """
        from unittest import mock


        @mock.patch("app.mod.Client")
        @mock.patch("elsewhere.Client")
        def test_it(*mocks):
            pass
        """
    assert check(source, project) == []
    assert project.asked == ["app.mod.Client", "elsewhere.Client"]


def test_patch_object_on_an_imported_module_asks_with_the_qualified_name() -> None:
    project = KnownNames({})
    source = """
        from unittest import mock

        from app import mod as m


        def test_it(obj):
            mock.patch.object(m, "helper")
            mock.patch.object(m.Client, "fetch")
            mock.patch.object(obj, "local")
            mock.patch.object(m, attribute_name)
        """
    assert check(source, project) == []
    assert project.asked == ["app.mod.helper", "app.mod.Client.fetch"]


def test_targets_that_may_be_missing_and_relative_or_undotted_ones_are_not_asked_about() -> None:
    project = KnownNames({})
    source = """
        from unittest import mock

        from . import sibling


        def test_it(monkeypatch):
            mock.patch("app.mod.gone", create=True)
            monkeypatch.setattr("app.mod.gone", 1, raising=False)
            mock.patch.object(sibling, "gone")
            mock.patch("nodots")
            mock.patch("not a dotted name")
        """
    assert check(source, project) == []
    assert project.asked == []


def test_patch_multiple_asks_about_each_attribute() -> None:
    project = KnownNames({"app.mod.a": True, "app.mod.b": False})
    source = """
        from unittest import mock


        def test_it():
            mock.patch.multiple("app.mod", a=1, b=2, autospec=True)
        """
    [violation] = check(source, project)
    assert "`app.mod.b`" in violation.message
    assert project.asked == ["app.mod.a", "app.mod.b"]


def test_a_target_of_the_project_is_read_from_its_source() -> None:
    files = {"app/__init__.py": "", "app/mod.py": "class Client:\n    def fetch(self):\n        return 1\n"}
    source = """
        from unittest import mock


        def test_it():
            mock.patch("app.mod.Client.fetch", autospec=True)
            mock.patch("app.mod.Client.fecth", autospec=True)
            mock.patch("app.other.Client", autospec=True)
            mock.patch("os.nothing", autospec=True)
        """
    violations = check_rule(PatchTargetsExist, source, files=files)
    assert [v.line for v in violations] == [7, 8]


def test_a_builtin_patched_on_a_project_module_is_created_by_mock() -> None:
    # mock.patch creates a module attribute named like a builtin; monkeypatch and classes do not
    orders = "class Order:\n    pass\n\n\ndef load(path):\n    with open(path) as f:\n        return len(f.read())\n"
    files = {"shop/__init__.py": "", "shop/orders.py": orders}
    source = """
        from unittest import mock

        from shop import orders


        def test_it(monkeypatch):
            mock.patch("shop.orders.open", mock.mock_open(read_data="x"))
            mock.patch.object(orders, "len", return_value=3)
            mock.patch("shop.orders.lenn")
            mock.patch.object(orders.Order, "len")
            monkeypatch.setattr("shop.orders.sorted", sorted)
        """
    violations = check_rule(PatchTargetsExist, source, files=files)
    assert [v.line for v in violations] == [10, 11, 12]


def test_a_name_the_module_binds_under_an_if_or_a_try_exists() -> None:
    """``if os.name == 'nt': Server = Win32Server`` / ``else: Server = PosixServer`` binds ``Server``
    when the module is imported; a name bound only inside a function does not."""
    server = (
        "import os\n\n\nclass BaseServer:\n    def configure_socket(self):\n        pass\n\n\n"
        "class PosixServer(BaseServer):\n    pass\n\n\n"
        "if os.name == 'nt':\n    Server = BaseServer\nelse:\n    Server = PosixServer\n"
        "try:\n    import ssl\nexcept ImportError:\n    ssl = None\nelse:\n    HAS_TLS = True\n\n\n"
        "def make():\n    local = PosixServer()\n    return local\n"
    )
    files = {"web/__init__.py": "", "web/wsgi.py": server}
    source = """
        from unittest import mock


        def test_it():
            mock.patch("web.wsgi.Server.configure_socket", autospec=True)
            mock.patch("web.wsgi.HAS_TLS", False)
            mock.patch("web.wsgi.ssl", None)
            mock.patch("web.wsgi.local", None)
            mock.patch("web.wsgi.Sever", None)
        """
    violations = check_rule(PatchTargetsExist, source, files=files)
    assert [v.line for v in violations] == [9, 10]


# a registry package: ``register_all`` imports each submodule by name, and the registry's hook
# sets every class it registers on the package (oslo.versionedobjects' way)
REGISTRY = {
    "depot/__init__.py": "",
    "depot/objects/__init__.py": (
        "def register_all():\n    __import__('depot.objects.crate')\n    __import__(\"depot.objects.pallet\")\n"
    ),
    "depot/objects/base.py": (
        "from depot import objects\n\n\ndef register(cls):\n    setattr(objects, cls.__name__, cls)\n    return cls\n"
    ),
    "depot/objects/crate.py": (
        "from depot.objects import base\n\n\n@base.register\nclass Crate:\n    def seal(self):\n        pass\n"
    ),
    "depot/objects/pallet.py": "class Pallet:\n    size = 1\n",
    "depot/loader.py": "from depot import objects\n",
}


def test_a_class_a_registry_package_imports_by_name_exists_on_the_package() -> None:
    source = """
        from unittest import mock

        from depot import loader, objects


        @mock.patch.object(objects.Crate, "seal", autospec=True)
        @mock.patch.object(objects, "Pallet", autospec=True)
        @mock.patch("depot.objects.Crate.seal", autospec=True)
        @mock.patch("depot.loader.objects.Pallet.size", 2)
        def test_it(*mocks):
            pass
        """
    assert check_rule(PatchTargetsExist, source, files=REGISTRY) == []


def test_a_registry_package_still_reports_names_no_submodule_binds() -> None:
    source = """
        from unittest import mock

        from depot import objects


        @mock.patch.object(objects.Crate, "sael", autospec=True)
        @mock.patch.object(objects, "Barrel", autospec=True)
        @mock.patch("depot.objects.Pallet.weight", 2)
        def test_it(*mocks):
            pass
        """
    found = check_rule(PatchTargetsExist, source, files=REGISTRY)
    assert [(v.line, v.message.split("`")[1]) for v in found] == [
        (7, "depot.objects.Crate.sael"),
        (8, "depot.objects.Barrel"),
        (9, "depot.objects.Pallet.weight"),
    ]


def test_only_the_classes_of_a_submodule_imported_by_a_real_call_land_on_the_package() -> None:
    files = {
        "depot/__init__.py": "",
        "depot/objects/__init__.py": (
            "import importlib as il\n\n\ndef register_all():\n    il.import_module('depot.objects.crate')\n"
        ),
        "depot/objects/crate.py": (
            "import logging\n\nLOG = logging.getLogger(__name__)\nLIMIT = 3\n\n\ndef helper():\n    pass\n\n\n"
            "class Crate:\n    pass\n"
        ),
        "depot/docs/__init__.py": (
            '"""Load with __import__("depot.docs.page") in your code."""\n'
            "# importlib.import_module('depot.docs.page')\n"
            "HINT = \"__import__('depot.docs.page')\"\n"
        ),
        "depot/docs/page.py": "class Page:\n    pass\n",
    }
    source = """
        from unittest import mock


        @mock.patch("depot.objects.Crate")
        @mock.patch("depot.objects.LOG")
        @mock.patch("depot.objects.LIMIT", 4)
        @mock.patch("depot.objects.helper")
        @mock.patch("depot.objects.logging")
        @mock.patch("depot.docs.Page")
        def test_it(*mocks):
            pass
        """
    found = check_rule(PatchTargetsExist, source, files=files)
    assert [v.message.split("`")[1] for v in found] == [
        "depot.objects.LOG", "depot.objects.LIMIT", "depot.objects.helper", "depot.objects.logging", "depot.docs.Page",
    ]
