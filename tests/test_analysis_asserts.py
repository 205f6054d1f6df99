"""analysis/asserts.py: what a function checks, one call or statement at a time and summarised."""

from __future__ import annotations

import ast
import textwrap

import pytest

from pytest_reviewgate.analysis import asserts
from pytest_reviewgate.analysis.closures import Scope
from pytest_reviewgate.analysis.index import ModuleIndex, parse_module, walk

NAMES = asserts.Names(canonical=lambda qualified: qualified, subclass=lambda index, spelled, bases: False)


def module(source: str) -> ModuleIndex:
    return parse_module(textwrap.dedent(source).encode(), "test_mod.py")


def scope(index: ModuleIndex, qualname: str, role: str = "target") -> Scope:
    node = asserts.function_of(index, qualname)
    assert node is not None
    return Scope(index, index.by_qualname[qualname], node, role)


def first_call(source: str) -> tuple[ModuleIndex, ast.Call]:
    index = module(f"import pytest\nfrom unittest import mock\n\ndef f():\n    {source}\n")
    call = next(n for n in walk(index.nodes["f"]) if isinstance(n, ast.Call))
    return index, call


@pytest.mark.parametrize(
    ("source", "helpers", "expected"),
    [
        ("mocks['a'].assert_called_once_with(1)", (), True),
        ("factory().assert_not_called()", (), True),
        ("pytest.raises(ValueError)", (), True),
        ("mock.patch('a.b', new_callable=mock.NonCallableMock)", (), True),
        ("app.post('/x', {}, status=400)", (), True),
        ("mock.Mock(status=404)", (), False),
        ("app.post('/x', {}, status='ACTIVE')", (), False),
        ("self._update('/x', expected_code=exc.HTTPConflict.code)", (), True),
        ("api.post('/x', check_response_status=[400])", ("*check*",), True),
        ("api.post('/x', check_response_status=[400])", (), False),
        ("api.post('/x', check_response_status=None)", ("*check*",), False),
        ("server.resize()", ("*assert*",), False),
    ],
)
def test_asserting_call(source: str, helpers: tuple[str, ...], expected: bool) -> None:
    index, call = first_call(source)
    assert asserts.asserting_call(index, call, helpers, NAMES) is expected


def test_canonical_names_decide_the_asserting_calls_of_pytest_and_testtools() -> None:
    index, call = first_call("raises(ValueError)")
    folding = asserts.Names(lambda qualified: "pytest.raises" if qualified == "raises" else qualified,
                            NAMES.subclass)
    assert asserts.asserting_call(index, call, (), NAMES) is False
    assert asserts.asserting_call(index, call, (), folding) is True


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("if not ok:\n        raise ValueError('bad')", True),
        ("if not ok:\n        pass\n    else:\n        raise errors.Timeout()", True),
        ("if not ok:\n        raise exc if exc else Timeout()", True),
        ("if not ok:\n        raise NotImplementedError()", False),
        ("if not ok:\n        raise unittest.SkipTest('x')", False),
        ("if not ok:\n        raise", False),
    ],
)
def test_checking_raise(body: str, expected: bool) -> None:
    index = module(f"def f(ok):\n    {body}\n")
    statement = next(n for n in walk(index.nodes["f"]) if isinstance(n, ast.If))
    assert asserts.checking_raise(statement) is expected


def test_a_loop_that_sleeps_and_raises_polls_and_one_over_data_does_not() -> None:
    index = module(
        """
        import time


        def wait_until_true(predicate, timeout=10):
            while not predicate():
                time.sleep(1)
                if timeout < 0:
                    raise TimeoutError()


        def validate(items):
            for item in items:
                if not item:
                    raise ValueError(item)
        """
    )
    assert asserts.polls(index.nodes["wait_until_true"]) is True
    assert asserts.polls(index.nodes["validate"]) is False


def test_summary_says_whether_a_function_asserts_or_which_helpers_it_leaves_to_its_bases() -> None:
    index = module(
        """
        class TestIt(Base):
            def test_assert(self):
                assert self.x

            def test_helper(self):
                self.check_state(1)
                self.boot()

            def test_parent(self):
                base = super(TestIt, self)
                base.verify_all()

            def test_fake(self):
                def fake(value):
                    if not value:
                        raise ValueError()
                self.stub(fake)
        """
    )
    helpers = asserts.patterns(["*CHECK*", "*verify*"])
    assert helpers == ("*check*", "*verify*")

    def summary(qualname: str) -> asserts.Summary:
        found = scope(index, qualname)
        return asserts.summary(found, list(walk(found.node)), helpers, NAMES, index.memo)

    assert summary("TestIt.test_assert") == (True, frozenset())
    assert summary("TestIt.test_helper") == (False, frozenset({"check_state"}))
    assert summary("TestIt.test_parent") == (True, frozenset())
    assert summary("TestIt.test_fake") == (False, frozenset())


def test_summary_is_computed_once_per_function_and_globs() -> None:
    index = module("def test_it():\n    assert True\n")
    found = scope(index, "test_it")
    memo: dict[object, object] = {}
    assert asserts.summary(found, list(walk(found.node)), (), NAMES, memo) == (True, frozenset())
    assert asserts.summary(found, [], (), NAMES, memo) == (True, frozenset())  # the nodes are not read again
    assert asserts.summary(found, [], ("*x*",), NAMES, memo) == (False, frozenset())


def test_fakes_that_a_setup_defines_assert_for_it() -> None:
    index = module(
        """
        class TestIt(Base):
            def setUp(self):
                def fake(value):
                    assert value == 1
                self.stub_out("app.call", fake)

            def tearDown(self):
                self.assertTrue(True)
        """
    )
    assert asserts.fakes_assert(scope(index, "TestIt.setUp", "setup"), NAMES) is True
    assert asserts.fakes_assert(scope(index, "TestIt.tearDown", "teardown"), NAMES) is False


def test_self_calls_and_body_asserts_through_module_functions() -> None:
    index = module(
        """
        def _compare(a, b):
            assert a == b


        def _relay(a, b):
            _compare(a, b)


        class TestIt(Base):
            def test_it(self):
                self.boot()
                self.other.call()
                _relay(1, 1)
        """
    )
    target = scope(index, "TestIt.test_it")
    assert asserts.self_calls(target) == frozenset({"boot"})
    assert asserts.body_asserts(index, target.node, 2, NAMES) is True
    assert asserts.body_asserts(index, target.node, 1, NAMES) is False


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("@unittest.skip('x')\ndef test_it():\n    assert 1\n", True),
        ("def test_it(self):\n    '''Doc.'''\n    self.skipTest('later')\n", True),
        ("def test_it():\n    raise unittest.SkipTest('x')\n", True),
        ("def test_it(self):\n    if old:\n        self.skipTest('old')\n", False),
        ("def test_it():\n    '''Only a docstring.'''\n", False),
    ],
)
def test_skipped(source: str, expected: bool) -> None:
    index = module("import unittest\n\n\n" + source)
    assert asserts.skipped(index, index.by_qualname["test_it"], NAMES) is expected


def test_first_check_prefers_an_assert_statement_then_the_first_asserting_call() -> None:
    index = module(
        "def test_a(m):\n    m.assert_called()\n    assert m\n\n\ndef test_b(m):\n    m.go()\n    m.x.assert_called()\n"
    )
    assert asserts.first_check(scope(index, "test_a"), NAMES) == (3, "")
    assert asserts.first_check(scope(index, "test_b"), NAMES) == (8, "m.x.assert_called")


@pytest.mark.parametrize(
    ("qualified", "expected"),
    [("app.tests.utils.check_x", True), ("shop.testing.verify", True), ("app.utils.check_x", False)],
)
def test_from_test_code(qualified: str, expected: bool) -> None:
    assert asserts.from_test_code(qualified) is expected


def test_matches_is_case_insensitive() -> None:
    assert asserts.matches("assertThat", ("*assert*",)) is True
    assert asserts.matches("boot", ("*assert*",)) is False
