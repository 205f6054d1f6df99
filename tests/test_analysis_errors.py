"""analysis/errors.py: expected errors, error states and statuses, injected failures, patterns."""

from __future__ import annotations

import ast
import textwrap

import pytest

from pytest_reviewgate.analysis import errors
from pytest_reviewgate.analysis.asserts import Names, function_of
from pytest_reviewgate.analysis.closures import Scope
from pytest_reviewgate.analysis.index import ModuleIndex, parse_module, walk

NAMES = Names(canonical=lambda qualified: qualified, subclass=lambda index, spelled, bases: False)
ERROR_STATE = (("expected_state", "'ERROR'"),)


def module(source: str) -> ModuleIndex:
    return parse_module(textwrap.dedent(source).encode(), "test_mod.py")


def scope(index: ModuleIndex, qualname: str) -> Scope:
    node = function_of(index, qualname)
    assert node is not None
    return Scope(index, index.by_qualname[qualname], node, "target")


def first_call(source: str) -> tuple[ModuleIndex, ast.Call]:
    index = module(f"import pytest\n\ndef f(self):\n    {source}\n")
    call = next(n for n in walk(index.nodes["f"]) if isinstance(n, ast.Call))
    return index, call


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("expected_state='ERROR'", (("expected_state", "'ERROR'"),)),
        ('expected_state="ERROR"', (("expected_state", "'ERROR'"),)),
        ("status=*", (("status", "*"),)),
        ("status='failed', code=500", (("status", "'failed'"), ("code", "500"))),
        ("vm_states.ERROR", (("", "vm_states.ERROR"),)),
        ("not valid ((", ()),
        ("**options", ()),
        ("", ()),
    ],
)
def test_pattern(entry: str, expected: errors.Pattern) -> None:
    assert errors.pattern(entry) == expected


@pytest.mark.parametrize(
    ("source", "patterns", "local", "expected"),
    [
        ("self.assertRaisesRegex(ValueError, 'x', f)", (), True, True),
        ("self.failUnlessRaises(ValueError, f)", (), False, True),
        ("pytest.raises(ValueError)", (), False, True),
        ("self._wait_for_state_change(server, 'ERROR')", (), True, True),
        ("self._wait_for_state_change(server, 'ERROR')", (), False, False),
        ("self._boot(server, expected_state='ERROR')", (ERROR_STATE,), False, True),
        ("self._boot(server, expected_state='ACTIVE')", (ERROR_STATE,), True, False),
        ("self._boot(server, vm_states.ERROR)", ((("", "vm_states.ERROR"),),), False, True),
        ("self.api.delete('/x', expected_status=404)", (), True, True),
        ("self.assertEqual(404, len(items))", (), True, False),
        ("self.assertEqual(404, resp.status_code)", (), True, True),
    ],
)
def test_expects_error(source: str, patterns: tuple[errors.Pattern, ...], local: bool, expected: bool) -> None:
    index, call = first_call(source)
    assert errors.expects_error(index, call, patterns, NAMES, local) is expected


@pytest.mark.parametrize(
    ("spelled", "expected"),
    [
        ("ValueError", True),
        ("exception.InstanceNotFound('x')", True),
        ("webob.exc.HTTPConflict", True),
        ("[TimeoutError(), None]", True),
        ("exc_cls", True),
        ("lambda *a: None", False),
        ("[1, 2]", False),
        ("Declined", False),
    ],
)
def test_is_error(spelled: str, expected: bool) -> None:
    assert errors.is_error(ast.parse(spelled, mode="eval").body) is expected


def test_exercises_failure_needs_an_injected_error_and_a_check_or_an_expected_one() -> None:
    index = module(
        """
        def test_injected(pay):
            pay.side_effect = exception.Declined('x')
            assert pay


        def test_unchecked(pay):
            pay.side_effect = exception.Declined('x')
            pay()


        def test_fake():
            def fail(*args):
                raise ConnectionRefusedError()
            self.assertTrue(fail)


        def test_stub():
            def stop(*args):
                raise NotImplementedError()
            self.assertTrue(stop)


        def test_try(self, pay):
            try:
                pay()
                self.fail('no error')
            except ValueError:
                pass
        """
    )

    def exercises(qualname: str, local: bool = True) -> bool:
        found = scope(index, qualname)
        return errors.exercises_failure(found, list(walk(found.node)), (), local, NAMES, {})

    assert exercises("test_injected") is True
    assert exercises("test_unchecked") is False
    assert exercises("test_fake") is True
    assert exercises("test_stub") is False
    assert exercises("test_try") is True
    assert exercises("test_try", local=False) is False  # a shared helper's try serves the happy tests too


def test_exercises_failure_is_computed_once_per_function() -> None:
    index = module("def test_it(self):\n    self.assertRaises(ValueError, int, 'x')\n")
    found = scope(index, "test_it")
    memo: dict[object, object] = {}
    assert errors.exercises_failure(found, list(walk(found.node)), (), True, NAMES, memo) is True
    assert errors.exercises_failure(found, [], (), True, NAMES, memo) is True  # the nodes are not read again
    assert errors.exercises_failure(found, [], (), False, NAMES, memo) is False


def test_first_expected_error_gives_the_line_and_the_callee() -> None:
    index = module(
        "def test_it(self):\n    self.boot()\n    self.assertRaises(ValueError, int, 'x')\n\n\n"
        "def test_happy(self):\n    self.boot()\n"
    )
    assert errors.first_expected_error(scope(index, "test_it"), (), NAMES) == (3, "self.assertRaises")
    assert errors.first_expected_error(scope(index, "test_happy"), (), NAMES) is None


def test_a_project_subclass_counts_only_through_names() -> None:
    index, call = first_call("testlib.ExpectedError(KeyError)")
    index.imports["testlib"] = "shop.testlib"
    subclassing = Names(NAMES.canonical, lambda index, spelled, bases: spelled == "testlib.ExpectedError")
    assert errors.expects_error(index, call, (), NAMES, False) is False
    assert errors.expects_error(index, call, (), subclassing, False) is True


def test_exercises_failure_reads_project_classes_only_when_asked_and_nothing_else_answers() -> None:
    index = module(
        "from shop import testlib\n\n\ndef test_it():\n    with testlib.ExpectedError(KeyError):\n        {}['x']\n"
    )
    subclassing = Names(NAMES.canonical, lambda index, spelled, bases: spelled == "testlib.ExpectedError")
    found = scope(index, "test_it")
    memo: dict[object, object] = {}
    nodes = list(walk(found.node))
    assert errors.exercises_failure(found, nodes, (), True, subclassing, memo, look_up=False) is False
    assert errors.exercises_failure(found, nodes, (), True, subclassing, memo, look_up=True) is True
