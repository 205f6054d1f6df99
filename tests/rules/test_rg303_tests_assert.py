"""RG303 `tests-assert`: what counts as asserting, which targets are tests, the option, places."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pytest

from pytest_reviewgate.model import Violation
from pytest_reviewgate.rules.rg303_tests_assert import TestsAssert
from pytest_reviewgate.testing import check_rule


def check(
    source: str,
    targets: Sequence[str] = (),
    options: Mapping[str, Any] | None = None,
    files: Mapping[str, str] | None = None,
) -> list[Violation]:
    """The rule's violations on ``source`` (``options``: its table under ``[tool.reviewgate.rules]``)."""
    config = {"rules": {"RG303": dict(options)}} if options is not None else None
    return check_rule(TestsAssert, source, targets=targets, config=config, files=files)


def test_a_test_without_assertion_is_reported_at_its_def_line() -> None:
    source = """
        import pytest


        @pytest.mark.slow
        def test_resize(server):
            server.resize()
        """
    [violation] = check(source)
    assert (violation.rule, violation.line, violation.definition) == ("RG303", 6, "test_resize")
    assert violation.source == "def test_resize(server):"
    assert violation.message == (
        "test `test_resize` asserts nothing -> assert on the outcome (`assert`, `self.assert*`, "
        "`pytest.raises`, a mock's `assert_called_*`), or list the helper that asserts under "
        "`assert-helpers`"
    )


@pytest.mark.parametrize(
    "body",
    [
        "assert server",
        "self.assertTrue(server)",
        "self.failUnless(server)",
        "self.fail('no')",
        "self.expectThat(server, matchers.Equals(1))",
        "server.resize.assert_called_once_with()",
        "np.testing.assert_array_equal(server, server)",
        "self.assertRaises(ValueError, server)",
        "with pytest.raises(ValueError): server()",
        "with raises(ValueError): server()",
        "with pytest.warns(UserWarning): server()",
        "self.useFixture(testtools.ExpectedException(ValueError))",
        "with ExpectedException(ValueError): server()",
        "self.wait_for_state(server)",
        "self.verifyThing(server)",
    ],
)
def test_each_kind_of_assertion_counts(body: str) -> None:
    source = f"""
        import pytest
        import testtools
        from pytest import raises
        from testtools.testcase import ExpectedException


        class TestServer(Base):
            def test_it(self, server):
                {body}
        """
    assert check(source) == []


def test_a_module_helper_counts_when_it_asserts_and_a_project_helper_by_name_only_when_unseen() -> None:
    source = """
        import unittest


        def _check(value):
            assert value


        class TestIt(unittest.TestCase):
            def _verify(self, value):
                return value

            def test_module_helper(self):
                _check(1)

            def test_seen_method_that_does_not_assert(self):
                self._verify(1)

            def test_unseen_method_matching_the_option(self):
                self.check_state(1)

            def test_unseen_method_not_matching(self):
                self.boot(1)
        """
    assert [v.definition for v in check(source)] == [
        "TestIt.test_seen_method_that_does_not_assert",
        "TestIt.test_unseen_method_not_matching",
    ]


def test_the_assert_helpers_option_replaces_the_default() -> None:
    source = """
        class TestIt(Base):
            def test_ensure(self):
                self.ensure_booted()

            def test_check(self):
                self.check_booted()
        """
    option = {"assert-helpers": ["ensure_*"]}
    assert [v.definition for v in check(source, options=option)] == ["TestIt.test_check"]
    assert [v.definition for v in check(source, options={"assert-helpers": "ENSURE*"})] == ["TestIt.test_check"]


def test_only_tests_are_checked() -> None:
    source = """
        def helper():
            return 1


        class Mixin:
            def test_like(self):
                return 1


        class TestReal:
            def test_real(self):
                helper()
        """
    assert [v.definition for v in check(source)] == ["TestReal.test_real"]
    assert check(source, ["helper", "Mixin.test_like"]) == []


def test_setup_assertions_do_not_count_for_the_test() -> None:
    source = """
        import unittest


        class TestIt(unittest.TestCase):
            def setUp(self):
                self.assertTrue(True)

            def test_it(self):
                pass
        """
    assert [v.line for v in check(source, ["TestIt.test_it"])] == [9]


def test_a_helper_of_a_project_base_class_is_followed() -> None:
    base = """
        import unittest


        class Base(unittest.TestCase):
            def _confirm(self, value):
                self.assertEqual(value, 1)

            def _boot(self, value):
                return value
        """
    source = """
        from app import base


        class TestIt(base.Base):
            def test_confirm(self):
                self._confirm(1)

            def test_boot(self):
                self._boot(1)
        """
    violations = check(source, files={"app/__init__.py": "", "app/base.py": base})
    assert [v.definition for v in violations] == ["TestIt.test_boot"]


def test_a_status_member_of_http_client_is_a_status_a_request_helper_is_told_to_expect() -> None:
    source = """
        import http.client
        import unittest
        from http import client as http_client


        class TestOrders(unittest.TestCase):
            def test_forbidden(self):
                with self.client() as c:
                    c.post("/orders", json={}, expected_status_code=http.client.FORBIDDEN)

            def test_gone_through_an_alias(self):
                self.client().delete("/orders/1", expected_status_code=http_client.GONE)

            def test_not_a_status(self):
                self.client().delete("/orders/1", expected_status_code=http.client.responses)

            def test_a_fake_with_a_status(self):
                response = self.fake(status=http.client.NOT_FOUND)
                self.client().get("/orders", note=response)
        """
    flagged = [v.definition for v in check(source)]
    assert flagged == ["TestOrders.test_not_a_status", "TestOrders.test_a_fake_with_a_status"]


def test_a_first_call_to_a_helper_that_always_skips_makes_a_placeholder() -> None:
    base = """
        import unittest


        class Base(unittest.TestCase):
            def skip_inherited(self, why):
                if hasattr(unittest.TestCase, self._testMethodName):
                    return super().skipTest(why)
                raise Exception("not an inherited test")

            def skip_if_slow(self, why):
                if self.slow:
                    self.skipTest(why)

            def only_raises(self):
                raise RuntimeError("no")

            def returns_early(self, why):
                if self.fast:
                    return
                self.skipTest(why)
        """
    source = """
        from app import base


        class TestLdap(base.Base):
            def test_domains(self):
                \"\"\"LDAP has one domain.\"\"\"
                self.skip_inherited("N/A: one domain")

            def test_maybe_slow(self):
                self.skip_if_slow("slow")

            def test_raises(self):
                self.only_raises()

            def test_returns_early(self):
                self.returns_early("fast only")

            def test_skip_later(self):
                self.run_it()
                self.skip_inherited("N/A")
        """
    violations = check(source, files={"app/__init__.py": "", "app/base.py": base})
    assert [v.definition for v in violations] == [
        "TestLdap.test_maybe_slow", "TestLdap.test_raises", "TestLdap.test_returns_early",
        "TestLdap.test_skip_later",
    ]


def test_a_mixin_test_is_a_placeholder_when_every_class_combining_it_finds_a_skipping_helper() -> None:
    base = """
        import unittest


        class Base(unittest.TestCase):
            def skip_inherited(self, why):
                if hasattr(unittest.TestCase, self._testMethodName):
                    return super().skipTest(why)
                raise Exception("not an inherited test")
        """
    source = """
        from app import base, shared


        class DomainTests(shared.Checks):
            def test_domains(self):
                self.skip_inherited("N/A: one domain")


        class Combined(DomainTests):
            pass


        class TestLdap(Combined, base.Base):
            pass


        class OtherTests(shared.Checks):
            def test_other(self):
                self.skip_inherited("N/A")


        class TestOther(OtherTests, base.Base):
            pass


        class TestLocal(OtherTests, base.Base):
            def skip_inherited(self, why):
                self.why = why
        """
    files = {"app/__init__.py": "", "app/base.py": base, "app/shared.py": "class Checks:\n    pass\n"}
    violations = check(source, files=files)
    assert [v.definition for v in violations] == ["OtherTests.test_other"]


@pytest.mark.parametrize(
    ("package", "flagged"),
    [
        ("from app.unit.core import *  # noqa\n", []),  # keystone's ``keystone/tests/unit/__init__.py``
        ("from .core import *\n", []),
        ("from app.unit.other import *\n", ["TestLdap.test_domains"]),  # re-exports no ``Base``
        ("", ["TestLdap.test_domains"]),
    ],
)
def test_a_base_class_re_exported_by_a_star_import_is_followed(package: str, flagged: list[str]) -> None:
    core = """
        import unittest


        class Base(unittest.TestCase):
            def skip_inherited(self, why):
                if hasattr(unittest.TestCase, self._testMethodName):
                    return super().skipTest(why)
                raise Exception("not an inherited test")
        """
    source = """
        from app import unit


        class TestLdap(unit.Base):
            def test_domains(self):
                self.skip_inherited("N/A: one domain")
        """
    files = {
        "app/__init__.py": "",
        "app/unit/__init__.py": package,
        "app/unit/core.py": core,
        "app/unit/other.py": "class Other:\n    pass\n",
    }
    assert [v.definition for v in check(source, files=files)] == flagged


def test_a_skipping_hook_that_a_subclass_of_the_module_overrides_makes_no_placeholder() -> None:
    source = """
        import unittest


        class Base(unittest.TestCase):
            def require_feature(self):
                self.skipTest("the base driver has no such feature")

            def test_feature(self):
                self.require_feature()
                self.driver.do()


        class WithFeature(Base):
            def require_feature(self):
                pass


        class AlsoSkipping(Base):
            def require_feature(self):
                raise unittest.SkipTest("no feature either")
        """
    # ``Base.test_feature`` runs, asserting nothing, under ``WithFeature``
    assert [v.definition for v in check(source)] == ["Base.test_feature"]


def test_a_skipping_hook_that_every_subclass_keeps_still_makes_a_placeholder() -> None:
    source = """
        import unittest


        class Base(unittest.TestCase):
            def require_feature(self):
                self.skipTest("the base driver has no such feature")

            def test_feature(self):
                self.require_feature()
                self.driver.do()


        class Skipping(Base):
            def require_feature(self):
                raise unittest.SkipTest("no feature here either")
        """
    assert check(source) == []
