"""RG201 `mocks-undone`: pairing per test closure, stopall bases, no-op cleanups, messages."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path

from pytest_reviewgate.analysis.index import ModuleIndex, parse_module
from pytest_reviewgate.config import Settings
from pytest_reviewgate.engine.checks import build_context
from pytest_reviewgate.model import Violation
from pytest_reviewgate.rules.rg201_mocks_undone import MocksUndone
from pytest_reviewgate.testing import check_rule

HEADER = "import unittest\nfrom unittest import mock\n\n\n"


class FixedProject:
    """The Project protocol with fixed answers: ``inherits`` says ``answer`` for every class."""

    def __init__(self, answer: bool | None = None) -> None:
        self.answer = answer
        self.asked: list[tuple[str, tuple[str, ...]]] = []

    def inherits(self, index: ModuleIndex, class_qualname: str, bases: Sequence[str]) -> bool | None:
        self.asked.append((class_qualname, tuple(bases)))
        return self.answer

    def defines(self, qualified: str) -> bool | None:
        return None


def check(source: str, targets: Sequence[str] = (), files: Mapping[str, str] | None = None) -> list[Violation]:
    """RG201's violations in ``source`` and in the other project ``files`` its closures reach."""
    return check_rule(MocksUndone, source, targets=targets, files=files, config={"gate-inherited": True})


def check_with(
    project: FixedProject, source: str, targets: Sequence[str] = (), settings: Settings | None = None
) -> list[Violation]:
    """RG201's violations with a fixed ``project``: for what the rule asks the project."""
    index = parse_module(textwrap.dedent(source).encode(), "test_mod.py")
    context, unmatched = build_context(index, MocksUndone, targets, settings or Settings(), project)  # type: ignore[arg-type]
    assert unmatched == []
    return list(MocksUndone().check(context))


SHARED_SETUP = HEADER + textwrap.dedent(
    """
    class TestShared(unittest.TestCase):
        def setUp(self):
            self.patcher = mock.patch("os.getcwd")
            self.patcher.start()

        def test_registers_stopall(self):
            self.addCleanup(mock.patch.stopall)

        def test_does_not(self):
            pass
    """
)


def test_an_unstopped_patcher_gets_the_documented_message_at_its_start_line() -> None:
    violations = check(SHARED_SETUP, ["TestShared.test_does_not"])
    assert [(v.rule, v.line, v.definition, v.source) for v in violations] == [
        ("RG201", 9, "TestShared.setUp", "self.patcher.start()")
    ]
    assert violations[0].message == (
        "patcher `self.patcher` is started and never stopped -> register "
        "`self.addCleanup(self.patcher.stop)` right after `start()`, or patch with a decorator, "
        "a `with` block, `fixtures.MockPatch` or `mocker`"
    )


def test_a_stopall_in_one_test_does_not_cover_the_setup_patcher_of_another() -> None:
    assert check(SHARED_SETUP, ["TestShared.test_registers_stopall"]) == []
    assert len(check(SHARED_SETUP, ["TestShared.test_does_not"])) == 1


def test_a_violation_in_a_shared_setup_is_reported_once() -> None:
    source = SHARED_SETUP + "\n    def test_third(self):\n        pass\n"
    violations = check(source, ["TestShared"])
    assert [v.line for v in violations] == [9]


def test_a_setup_targeted_alone_pairs_with_its_class_teardown() -> None:
    source = HEADER + textwrap.dedent(
        """
        class TestAlone(unittest.TestCase):
            def setUp(self):
                self.patcher = mock.patch("os.getcwd")
                self.patcher.start()
                self.other = mock.patch("os.listdir")
                self.other.start()

            def tearDown(self):
                self.patcher.stop()
        """
    )
    assert [v.line for v in check(source, ["TestAlone.setUp"])] == [11]


def test_a_direct_start_names_the_patch_call() -> None:
    [violation] = check(HEADER + "def test_it():\n    mock.patch('os.getcwd').start()\n")
    assert violation.message.startswith(
        "patcher `mock.patch('os.getcwd')` is started and never stopped -> keep the patcher and "
        "register `self.addCleanup(patcher.stop)`"
    )


def test_a_stop_in_the_test_body_is_reported_as_reached_only_on_success() -> None:
    source = HEADER + "def test_it():\n    p = mock.patch('a.b')\n    p.start()\n    p.stop()\n"
    [violation] = check(source)
    assert violation.line == 7
    assert violation.message == (
        "patcher `p` is stopped at line 8 only when the test gets that far -> "
        "register `self.addCleanup(p.stop)` right after `start()`"
    )


def test_a_stopall_base_stops_patchers_but_never_a_noop_cleanup() -> None:
    source = HEADER + textwrap.dedent(
        """
        class TestBased(Base):
            def setUp(self):
                mock.patch("os.getcwd").start()
                self.m = mock.patch("os.listdir").start()
                self.addCleanup(self.m.stop)
        """
    )
    project = FixedProject(answer=True)
    [violation] = check_with(project, source, ["TestBased.setUp"])
    assert violation.line == 10
    assert violation.message == (
        "cleanup `self.m.stop` calls `stop` on the mock that `start()` returned, which does "
        "nothing -> register the patcher's `stop` instead (`self.addCleanup(patcher.stop)`)"
    )
    assert project.asked == [("TestBased", ("oslotest.base.BaseTestCase",))]


BASED = HEADER + "class TestX(Base):\n    def test_it(self):\n        mock.patch('a.b').start()\n"


def test_an_unknown_base_counts_as_not_stopping() -> None:
    source = BASED
    assert [v.line for v in check_with(FixedProject(answer=None), source)] == [7]
    assert check_with(FixedProject(answer=True), source) == []


def test_no_stopall_bases_means_no_question_to_the_project() -> None:
    project = FixedProject(answer=True)
    source = BASED
    assert len(check_with(project, source, settings=Settings(stopall_bases=()))) == 1
    assert project.asked == []


def test_a_noop_stop_in_teardown_is_reported_there() -> None:
    source = HEADER + textwrap.dedent(
        """
        class TestNoop(unittest.TestCase):
            def setUp(self):
                self.m = mock.patch("os.getcwd").start()

            def tearDown(self):
                self.m.stop()

            def test_it(self):
                pass
        """
    )
    [violation] = check(source, ["TestNoop.test_it"])
    assert (violation.line, violation.definition) == (11, "TestNoop.tearDown")
    assert violation.message.startswith("`self.m.stop()` calls `stop` on the mock")


def test_a_helper_that_teardown_calls_stops_for_real() -> None:
    source = HEADER + textwrap.dedent(
        """
        class TestHelper(unittest.TestCase):
            def setUp(self):
                self.p = mock.patch("os.getcwd")
                self.p.start()

            def tearDown(self):
                self._undo()

            def _undo(self):
                self.p.stop()

            def test_it(self):
                pass
        """
    )
    assert check(source, ["TestHelper.test_it"]) == []


def test_patch_calls_are_matched_by_qualified_name_not_by_spelling() -> None:
    source = textwrap.dedent(
        """
        from unittest.mock import patch as p
        from notmock import patch


        def test_real():
            p("os.getcwd").start()


        def test_lookalike():
            patch("os.getcwd").start()
        """
    )
    assert [v.definition for v in check(source)] == ["test_real"]


def test_a_patcher_started_in_a_project_base_class_is_reported_in_its_module() -> None:
    base = (
        "import unittest\nfrom unittest import mock\n\n\nclass Base(unittest.TestCase):\n"
        "    def setUp(self):\n        mock.patch('os.getcwd').start()\n"
    )
    source = "from app import base\n\n\nclass TestChild(base.Base):\n    def test_it(self):\n"
    source += "        pass\n"
    violations = check(source, files={"app/__init__.py": "", "app/base.py": base})
    assert [(Path(v.path).name, v.line, v.definition) for v in violations] == [("base.py", 7, "Base.setUp")]
