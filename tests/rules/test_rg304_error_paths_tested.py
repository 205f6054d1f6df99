"""RG304 `error-paths-tested`: what exercises a failure, helpers, the option, the one violation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pytest

from pytest_reviewgate.model import Violation
from pytest_reviewgate.rules.rg304_error_paths_tested import ErrorPathsTested
from pytest_reviewgate.testing import check_rule


def check(
    source: str,
    targets: Sequence[str] = (),
    options: Mapping[str, Any] | None = None,
    files: Mapping[str, str] | None = None,
) -> list[Violation]:
    """The rule's violations on ``source`` (``options``: its table under ``[tool.reviewgate.rules]``)."""
    config = {"rules": {"RG304": dict(options)}} if options is not None else None
    return check_rule(ErrorPathsTested, source, targets=targets, config=config, files=files)


HAPPY = """
    import pytest


    def _boot(server, expected_state="ACTIVE"):
        return server


    @pytest.mark.slow
    def test_boot():
        assert _boot(1)


    def test_boot_twice():
        assert _boot(_boot(1))


    def test_boot_error():
        assert _boot(1, expected_state="ERROR")
    """


def test_one_violation_at_the_first_targets_def_line_with_the_documented_message() -> None:
    [violation] = check(HAPPY, ["test_boot_twice", "test_boot"])
    assert (violation.rule, violation.line, violation.definition) == ("RG304", 10, "test_boot")
    assert violation.source == "def test_boot():"
    assert violation.message == (
        "none of the targeted tests exercises a failure -> add a test that expects one "
        "(`self.assertRaises`, `pytest.raises`, `testtools.ExpectedException` or a call with "
        "`expected_state='ERROR'`)"
    )


def test_the_default_error_assertion_matches_whatever_the_quotes() -> None:
    assert check(HAPPY, ["test_boot", "test_boot_error"]) == []


def test_a_failure_exercised_in_a_helper_counts_for_the_test_that_calls_it() -> None:
    source = """
        import unittest


        class TestIt(unittest.TestCase):
            def _expect_failure(self):
                with self.assertRaisesRegex(ValueError, "bad"):
                    int("x")

            def test_it(self):
                self._expect_failure()
        """
    assert check(source, ["TestIt.test_it"]) == []


@pytest.mark.parametrize(
    "line",
    [
        "self.assertRaises(ValueError, int, 'x')",
        "with pytest.raises(ValueError): int('x')",
        "with raises(ValueError): int('x')",
        "self.useFixture(testtools.ExpectedException(ValueError))",
        "self.assertThat(lambda: int('x'), Raises(MatchesException(ValueError)))",
    ],
)
def test_each_way_of_expecting_an_error_counts(line: str) -> None:
    source = f"""
        import pytest
        import testtools
        from pytest import raises
        from testtools.matchers import MatchesException, Raises


        class TestIt(Base):
            def test_it(self):
                {line}
        """
    assert check(source) == []


@pytest.mark.parametrize(
    ("entries", "flagged"),
    [
        (["status=*"], False),
        (["status='failed', code=500"], False),
        (["status='failed', code=404"], True),
        (["status=states.FAILED"], True),
        (["not valid (("], True),
        ("status=*", False),
        ([], True),
    ],
)
def test_the_error_assertions_option(entries: Any, flagged: bool) -> None:
    source = "def test_it(api):\n    api.wait(status='failed', code=500)\n"
    assert bool(check(source, options={"error-assertions": entries})) is flagged


def test_an_entry_may_spell_a_value_as_code() -> None:
    source = "def test_it(api):\n    api.wait(status=states.FAILED)\n"
    assert check(source, options={"error-assertions": ["status=states.FAILED"]}) == []


def test_no_entries_leaves_them_out_of_the_message() -> None:
    [violation] = check("def test_it():\n    pass\n", options={"error-assertions": []})
    assert violation.message.endswith("`testtools.ExpectedException`)")


def test_a_keyword_value_too_deep_to_print_never_matches_and_never_crashes() -> None:
    deep = "+".join(["1"] * 1000)
    source = f"def test_it(api):\n    api.wait(status={deep})\n"
    assert len(check(source, options={"error-assertions": ["status=1"]})) == 1


INJECTED = """
    import unittest
    from unittest import mock

    from shop import exception


    class TestCheckout(unittest.TestCase):
        {decorator}
        def test_checkout(self, pay=None):
            {body}
    """


TRY = "try:\n                pay()\n                {}"


@pytest.mark.parametrize(
    ("decorator", "body"),
    [
        # a failure injected with side_effect, then checked
        ("@mock.patch('shop.pay', side_effect=exception.CardDeclined)", "self.assertFalse(pay.called)"),
        ("", "pay = mock.Mock(side_effect=[TimeoutError(), None])\n            assert pay"),
        ("", "pay = mock.Mock()\n            pay.side_effect = exception.OutOfStock('x')\n            assert pay"),
        # a fake that raises, installed and checked
        ("", "def fail(*args):\n                raise ConnectionRefusedError()\n            self.assertTrue(fail)"),
        # an ERROR state passed positionally, or as a dict value
        ("", "self._wait_for_state_change(server, 'ERROR')"),
        ("", "self._wait_for_server_parameter(server, {'status': 'ERROR'})"),
        ("", "self._live_migrate(server, migration_expected_state='failed')"),
        ("", "self._wait_for_migration_status(server, ['error'])"),
        ("", "self.assertEqual('ERROR', server['status'])"),
        # an error HTTP status expected or asserted
        ("", "self.api.api_post('/orders', {}, check_response_status=[400])"),
        ("", "self.api.delete('/orders/1', expected_status=404)"),
        ("", "self.assertEqual(409, ex.response.status_code)"),
        ("", "self.assertEqual(response.status, '401 Unauthorized')"),
        # a failure a helper injects from its parameter
        ("", "pay.side_effect = exc_cls('declined')\n            self.assertTrue(pay)"),
        # try / except / self.fail
        ("", TRY.format("self.fail('no error')\n            except ValueError:\n                pass")),
        ("", TRY.format("\n            except ValueError as e:\n                self.assertIn('declined', str(e))")),
        ("", "try:\n                raise ValueError('x')\n            except ValueError:\n                pass"),
    ],
)
def test_a_failure_injected_checked_or_expected_counts(decorator: str, body: str) -> None:
    assert check(INJECTED.format(decorator=decorator, body=body)) == []


@pytest.mark.parametrize(
    ("decorator", "body"),
    [
        ("@mock.patch('shop.pay', side_effect=exception.CardDeclined)", "pay()"),  # injected, never checked
        ("@mock.patch('shop.pay', side_effect=lambda *a: None)", "self.assertTrue(pay)"),  # no error
        ("", "pay.side_effect = [1, 2]\n            self.assertTrue(pay)"),
        ("", "self._wait_for_state_change(server, 'ACTIVE')"),
        ("", "self._live_migrate(server, migration_expected_state='completed')"),
        ("", "self.log('failed')"),
        ("", "self.api.api_post('/orders', {}, check_response_status=[200, 202])"),
        ("", "self.assertEqual(404, len(items))"),  # a number that is no status
        ("", "self.assertEqual(response.status, '200 OK')"),
        ("", TRY.format("\n            except ValueError as e:\n                self.fail(str(e))")),
        ("", "raise NotImplementedError"),
        ("", "def stop(*args):\n                raise NotImplementedError()\n            self.assertTrue(stop)"),
    ],
)
def test_happy_paths_that_look_like_failures_are_reported(decorator: str, body: str) -> None:
    assert len(check(INJECTED.format(decorator=decorator, body=body))) == 1


def test_the_error_handling_of_a_shared_base_helper_is_not_the_tests() -> None:
    base = """
        import unittest


        class NotFound(Exception):
            pass


        class Base(unittest.TestCase):
            def _wait_until_deleted(self, api, server):
                try:
                    api.get(server)
                    self.fail("still there")
                except NotFound:
                    return

            def _delete_fails(self, api, server):
                self.assertRaises(NotFound, api.delete, server)
        """
    source = """
        from app import base


        class TestServers(base.Base):
            def test_delete(self):
                self._wait_until_deleted(self.api, "s1")

            def test_delete_twice(self):
                self._delete_fails(self.api, "s1")
        """
    files = {"app/__init__.py": "", "app/base.py": base}
    assert [v.definition for v in check(source, ["TestServers.test_delete"], files=files)] == [
        "TestServers.test_delete"
    ]
    assert check(source, files=files) == []


@pytest.mark.parametrize(
    ("call", "flagged"),
    [
        ("self._update('/orders/1', {}, expected_code=webob.exc.HTTPNotFound.code)", False),
        ("self._update('/orders/1', {}, expected_code=404)", False),
        ("self._update('/orders/1', {}, expected_status=HTTPStatus.CONFLICT)", False),
        ("self._update('/orders/1', {}, expected_code=webob.exc.HTTPOk.code)", True),
        ("self._update('/orders/1', {}, expected_status=HTTPStatus.OK)", True),
        ("self._update('/orders/1', {}, expected_code=200)", True),
    ],
)
def test_an_http_error_a_request_helper_is_told_to_expect_is_a_failure_path(call: str, flagged: bool) -> None:
    source = f"""
        from http import HTTPStatus

        import webob.exc


        class TestOrders(Base):
            def test_missing(self):
                {call}
        """
    assert bool(check(source)) is flagged


def test_a_project_subclass_of_expected_exception_expects_an_error() -> None:
    testlib = """
        import testtools


        class ExpectedError(testtools.ExpectedException):
            pass


        class Recorder:
            def __init__(self, *args):
                self.args = args
        """
    expecting = """
        from shop import testlib


        class TestOrders(Base):
            def test_missing(self):
                with testlib.ExpectedError(KeyError):
                    {}["missing"]
        """
    recording = expecting.replace("ExpectedError", "Recorder")
    files = {"shop/__init__.py": "", "shop/testlib.py": testlib}
    assert check(expecting, files=files) == []
    assert len(check(recording, files=files)) == 1


@pytest.mark.parametrize(
    ("line", "flagged"),
    [
        ("self.assertEqual(HTTPStatus.NOT_FOUND, response.status_int)", False),
        ("self.assertEqual(webob.exc.HTTPForbidden.code, response.status_code)", False),
        ("self.assertEqual(HTTPStatus.OK, response.status_int)", True),
        ("self.assertEqual(HTTPStatus.NOT_FOUND, len(response.body))", True),
    ],
)
def test_an_assertion_that_compares_a_status_with_a_named_http_error(line: str, flagged: bool) -> None:
    source = f"""
        from http import HTTPStatus

        import webob.exc


        class TestVolumes(Base):
            def test_show(self):
                response = self.app.get("/volumes/1")
                {line}
        """
    assert bool(check(source)) is flagged


@pytest.mark.parametrize(
    ("imports", "status", "flagged"),
    [
        ("import http.client", "http.client.NOT_FOUND", False),
        ("import http.client as http", "http.FORBIDDEN", False),
        ("from six.moves import http_client", "http_client.CONFLICT", False),
        ("from http import client", "client.BAD_REQUEST", False),
        ("from http import HTTPStatus as Status", "Status.NOT_FOUND", False),
        ("import http.client", "http.client.OK", True),
        ("import http.client", "http.client.responses", True),
        ("from app import client", "client.NOT_FOUND", True),
    ],
)
def test_a_status_constant_of_http_client_is_a_named_http_error(imports: str, status: str, flagged: bool) -> None:
    source = f"""
        {imports}


        class TestImages(Base):
            def test_missing(self):
                response = self.api_get("/images/missing")
                self.assertEqual({status}, response.status)
        """
    assert bool(check(source)) is flagged



@pytest.mark.parametrize(
    ("line", "flagged"),
    [
        ("self.assertEqual(upgradecheck.Code.FAILURE, result.code)", False),
        ("self.assertEqual(result.status, fields.SnapshotStatus.ERROR)", False),
        ("self.assertIn(vm_states.FAILED, result.states)", False),
        ("self.assertNotEqual(vm_states.ERROR, result.status)", True),
        ("self.assertEqual(upgradecheck.Code.SUCCESS, result.code)", True),
        ("self.report(upgradecheck.Code.FAILURE)", True),
        ("self.assertEqual(result.Error, result.code)", True),
    ],
)
def test_an_assertion_that_expects_a_failed_state_constant_checks_an_error_state(line: str, flagged: bool) -> None:
    source = f"""
        from app import fields, upgradecheck, vm_states


        class TestChecks(Base):
            def test_check(self):
                result = self.check()
                {line}
        """
    assert bool(check(source)) is flagged


LOGGING_HOOK = """
    from unittest import mock

    import fixtures

    from inventory import hook


    class TestMethodPatch:
        @mock.patch.object(hook.LOG, "warning", autospec=True)
        def test_truncated(self, warn):
            hook.parse(b"\\x00")
            self.assertEqual(1, warn.call_count)


    @mock.patch.object(hook.LOG, "error", autospec=True)
    class TestClassPatch:
        def test_garbage(self, error):
            hook.parse(b"??")
            error.assert_called_once_with(mock.ANY)


    class TestFixturePatch:
        def test_garbage(self):
            log = self.useFixture(fixtures.MockPatch("inventory.hook.LOG.exception")).mock
            hook.parse(b"??")
            log.assert_called_once_with(mock.ANY)


    class TestNeverLogged:
        @mock.patch.object(hook.LOG, "warning", autospec=True)
        def test_clean(self, warn):
            hook.parse(b"ok")
            self.assertFalse(warn.called)


    class TestInfoLogged:
        @mock.patch("inventory.hook.LOG.info", autospec=True)
        def test_clean(self, info):
            hook.parse(b"ok")
            info.assert_called_once_with(mock.ANY)
    """


@pytest.mark.parametrize("target", ["TestMethodPatch", "TestClassPatch", "TestFixturePatch"])
def test_a_test_that_asserts_a_patched_logger_reported_a_problem_exercises_a_failure(target: str) -> None:
    assert check(LOGGING_HOOK, targets=[target]) == []


@pytest.mark.parametrize("target", ["TestNeverLogged", "TestInfoLogged"])
def test_a_logger_patched_but_never_asserted_called_or_below_warning_is_no_failure(target: str) -> None:
    assert [v.definition for v in check(LOGGING_HOOK, targets=[target])] == [f"{target}.test_clean"]


WHOLE_LOGGER = """
    from unittest import mock

    import ddt
    import fixtures
    import pytest

    from inventory import hook


    class TestObjectPatch:
        @mock.patch.object(hook, "LOG", autospec=True)
        def test_garbage(self, log):
            hook.parse(b"??")
            log.warning.assert_called_once_with(mock.ANY)


    class TestStringPatch:
        @mock.patch.object(hook, "save", autospec=True)
        @mock.patch("inventory.hook.LOG")
        def test_garbage(self, mock_log, save):
            hook.parse(b"??")
            mock_log.error.assert_called_once_with(mock.ANY)


    class TestFixture:
        def test_garbage(self):
            mock_log = self.useFixture(fixtures.MockPatch("inventory.hook.LOG")).mock
            hook.parse(b"??")
            self.assertTrue(mock_log.exception.called)


    class TestContext:
        def test_garbage(self):
            with mock.patch.object(hook, "LOG") as log:
                hook.parse(b"??")
            self.assertEqual(2, log.critical.call_count)


    class TestStarted:
        def test_garbage(self):
            patcher = mock.patch.object(hook, "LOG")
            log = patcher.start()
            hook.parse(b"??")
            assert log.warning.called


    class TestSetUp:
        def setUp(self):
            self.log = self.useFixture(fixtures.MockPatchObject(hook, "LOG")).mock

        def test_garbage(self):
            hook.parse(b"??")
            self.log.error.assert_called()


    def test_mocker(mocker):
        log = mocker.patch.object(hook, "LOG")
        hook.parse(b"??")
        log.warning.assert_called()


    @ddt.ddt
    class TestData:
        @ddt.data(True, False)
        @mock.patch.object(hook.LOG, "warning")
        def test_garbage(self, strict, warn):  # the mock comes after ddt's argument
            hook.parse(b"??", strict)
            warn.assert_called_once()
    """


@pytest.mark.parametrize(
    "target",
    ["TestObjectPatch", "TestStringPatch", "TestFixture", "TestContext", "TestStarted", "TestSetUp", "test_mocker",
     "TestData"],
)
def test_a_patched_logger_whose_warning_or_worse_method_is_asserted_called_exercises_a_failure(target: str) -> None:
    assert check(WHOLE_LOGGER, targets=[target]) == []


@pytest.mark.parametrize(
    "checked",
    [
        "log.info.assert_called_once_with(mock.ANY)",  # below a warning
        "log.warning.assert_not_called()",  # nothing reported
        "self.assertFalse(log.error.called)",
        "self.assertEqual(0, log.error.call_count)",
        "save.assert_called_once_with(mock.ANY)",  # another mock called
        "other.warning.assert_called_once_with(mock.ANY)",  # a logger nobody patched
    ],
)
def test_a_patched_logger_not_told_of_a_problem_is_no_failure(checked: str) -> None:
    source = f"""
        from unittest import mock

        from inventory import hook


        class TestParse:
            @mock.patch.object(hook, "save", autospec=True)
            @mock.patch.object(hook, "LOG", autospec=True)
            def test_ok(self, log, save):
                other = hook.other_log
                hook.parse(b"ok")
                {checked}
        """
    assert [v.definition for v in check(source, targets=["TestParse"])] == ["TestParse.test_ok"]


@pytest.mark.parametrize(
    "checked",
    [
        "save.assert_called_once_with(mock.ANY)\n                warn.assert_not_called()",
        "self.assertEqual(0, warn.call_count)",
        "warn.assert_not_called()",
        "info.assert_called_once_with(mock.ANY)",
    ],
)
def test_the_called_check_must_be_on_the_patched_warning_method(checked: str) -> None:
    source = f"""
        from unittest import mock

        from inventory import hook


        class TestParse:
            @mock.patch.object(hook.LOG, "info", autospec=True)
            @mock.patch.object(hook, "save", autospec=True)
            @mock.patch.object(hook.LOG, "warning", autospec=True)
            def test_ok(self, warn, save, info):
                hook.parse(b"ok")
                {checked}
        """
    assert [v.definition for v in check(source, targets=["TestParse"])] == ["TestParse.test_ok"]


def test_a_patch_with_a_replacement_binds_no_parameter() -> None:
    source = """
        from unittest import mock

        from inventory import hook


        class TestParse:
            @mock.patch.object(hook, "LOG", new=mock.Mock())
            @mock.patch.object(hook, "save", autospec=True)
            def test_ok(self, save):
                hook.parse(b"ok")
                save.warning.assert_called_once_with(mock.ANY)
        """
    assert [v.definition for v in check(source, targets=["TestParse"])] == ["TestParse.test_ok"]


@pytest.mark.parametrize(
    ("checked", "flagged"),
    [
        ("log_error.assert_has_calls([mock.call('retry %s', 1)])", False),
        ("log_error.assert_not_called()", True),
        ("other.assert_called_once()", True),  # not the mock the test handed on
    ],
)
def test_a_logger_mock_handed_to_a_helper_method_that_checks_it(checked: str, flagged: bool) -> None:
    source = f"""
        from unittest import mock

        from inventory import cli


        class TestRetry:
            def _check_retries(self, log_error, command, other=None):
                command.execute()
                {checked}

            @mock.patch.object(cli.LOG, "error")
            def test_retry(self, log_error):
                self._check_retries(log_error, cli.Command(), other=mock.Mock())
        """
    assert bool(check(source, targets=["TestRetry.test_retry"])) is flagged
