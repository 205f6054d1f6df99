"""RG304 `error-paths-tested`: at least one targeted test exercises a failure."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import partial
from typing import Any, ClassVar

from ..analysis import errors
from ..analysis.asserts import Names
from ..model import Violation
from . import _evidence
from ._patches import Reach, canonical, closure_of, project_subclass
from .base import Context, Evidence, Rule

DEFAULT_ERROR_ASSERTIONS = ["expected_state='ERROR'"]


class ErrorPathsTested(Rule):
    """At least one targeted test exercises a failure.

    ## What it does
    Looks through the targeted tests and the module helpers they call for one
    that exercises a failure. It expects an error: `self.assertRaises*` (any
    receiver), `pytest.raises`, `testtools.ExpectedException` (or a project
    class derived from it) or the `Raises` matcher, `try: ...; self.fail(...) except ...:`, an `except` block that
    asserts on what it caught, or a `try` that raises an error to handle it.
    It checks an error state or status: a positional `'ERROR'`
    (`self._wait_for_state_change(server, 'ERROR')`, `{'status': 'ERROR'}`),
    a failed state passed to a `*state*` keyword or to a `*state*`/`*status*`
    callee (`migration_expected_state='failed'`,
    `self._wait_for_migration_status(server, ['error'])`),
    an HTTP status 400-599 (`404`, `'404 Not Found'`, `webob.exc.HTTPNotFound.code`,
    `HTTPStatus.NOT_FOUND`, `http.client.NOT_FOUND`)
    that a `*status*` or `expected_code` keyword expects (`check_response_status=[400]`,
    `self._update(..., expected_code=exc.HTTPConflict.code)`), or that an assertion
    compares with a status or code (`self.assertEqual(404, resp.status_code)`,
    `self.assertEqual(HTTPStatus.NOT_FOUND, response.status_int)`), or an
    assertion that expects a failed-state constant (`upgradecheck.Code.FAILURE`,
    `vm_states.ERROR`; not `assertNotEqual`).
    Or it injects a failure and asserts something: `side_effect=` an
    exception (named `*Error`, `*Exception`, `*NotFound`, `*Failed`...,
    taken from a module such as `exception` or `webob.exc`, or a parameter
    such as `exc_cls`), or a fake it defines that raises (other than
    `NotImplementedError`). Or it patches a logger's warning-or-worse method
    (`mock.patch.object(hook.LOG, "warning")` on the test or its class,
    `mock.patch("pkg.mod.LOG.error")`) or a whole logger (`mock.patch.object(hook,
    "LOG")`, `fixtures.MockPatch("pkg.mod.LOG")`) and checks that this mock (the
    decorator's parameter, the `as` name, what `start()` or `useFixture(...).mock`
    gives, also on `self` in the class's `setUp`) was told of a problem
    (`warn.assert_called*`, `log.error.assert_any_call`, `assert_has_calls`,
    `self.assertTrue(log.exception.called)`, a `call_count` compared with no zero),
    itself or in a method of its class it hands the mock to
    (`self._check_retries(log_error)`): the code under test reported a problem. A call whose
    keywords match an entry of `error-assertions` counts too (by default
    `expected_state='ERROR'`, as in functional tests that wait for a server
    to go to ERROR). When none does, one violation is reported at the first
    target's `def` line.

    ## Why is this bad?
    Tests that cover only the happy path leave the error handling, often the
    code that protects data and cleans up, unexercised; reviews ask for the
    failure case because that is where regressions hide.

    ## Example
    ```python
    def test_parse_number():
        assert int("42") == 42
    ```

    Use instead:
    ```python
    import pytest


    def test_parse_number():
        assert int("42") == 42


    def test_parse_garbage():
        with pytest.raises(ValueError):
            int("forty-two")
    ```

    ## Options
    `error-assertions` (default `["expected_state='ERROR'"]`): keyword patterns
    a call must pass, each `name=value` (several separated by commas). Values
    are compared as normalised source, so `"ERROR"` and `'ERROR'` are the same
    and `vm_states.ERROR` works too; `name=*` accepts any value. A bare value
    matches a positional argument (`"vm_states.ERROR"` for
    `self._wait_for_state_change(server, vm_states.ERROR)`).

    ## Known problems
    Exceptions are recognised by how they are named, not by their class: a
    `side_effect=Declined` of an exception class named otherwise is not seen.
    An injected failure counts when the same function asserts anything. A
    patched logger counts only when named as above: one kept in a list or a
    helper's attribute is not seen. In
    the methods of a base class defined in another module only `assertRaises`
    and its kin and `error-assertions` count: their `try` blocks and states
    serve the happy tests too.
    """

    code = "RG304"
    name = "error-paths-tested"
    version = "7"
    summary = "At least one targeted test exercises a failure"
    cwe = 703
    kind = "static"
    options: ClassVar[Mapping[str, Any]] = {"error-assertions": DEFAULT_ERROR_ASSERTIONS}

    def evidence(self, context: Context) -> list[Evidence]:
        """Why the targets pass, for triage (see ``_evidence.failures``)."""
        return _evidence_of(context)

    def check(self, context: Context) -> Iterator[Violation]:
        if not context.targets:
            return
        entries = _entries(context)
        patterns = _patterns(entries)
        path = context.index.path
        names = _names(context.project)
        memo = context.index.memo
        # worked out when asked for: the search stops at the first function that exercises a failure,
        # and reads the project's classes only when no function of any target does so by itself
        reach: Reach[Callable[[bool], bool]] = Reach(
            lambda scope, nodes: partial(
                errors.exercises_failure, scope, nodes, patterns, scope.index.path == path, names, memo
            )
        )
        for look_up in (False, True):
            for target in context.targets:
                if any(reach.summary(scope)(look_up) for scope in reach(closure_of(context, target.qualname))):
                    return
        first = min(context.targets, key=lambda d: (d.first_line, d.line))
        accepted = "`self.assertRaises`, `pytest.raises`, `testtools.ExpectedException`"
        if entries:
            accepted += " or a call with " + " / ".join(f"`{e}`" for e in entries)
        yield Violation(
            rule=self.code,
            message=(f"none of the targeted tests exercises a failure -> add a test that expects one ({accepted})"),
            path=context.index.path,
            line=first.line,
            definition=first.qualname,
            source=context.index.source_line(first.line),
        )


def _entries(context: Context) -> list[str]:
    option = context.options.get("error-assertions", DEFAULT_ERROR_ASSERTIONS)
    return [option] if isinstance(option, str) else list(option)


def _patterns(entries: list[str]) -> tuple[errors.Pattern, ...]:
    """The entries that parse (``expected_state='ERROR'``); the others match nothing."""
    return tuple(p for p in (errors.pattern(e) for e in entries) if p)


def _names(project: object) -> Names:
    return Names(canonical, lambda index, spelled, bases: project_subclass(project, index, spelled, bases), project)


# ---------------------------------------------------------------- pass-evidence (triage)


def _evidence_of(context: Context) -> list[Evidence]:
    """RG304: where a targeted test expects an error (the first call of its closure that does)."""

    patterns = _patterns(_entries(context))
    names = _names(None)  # project classes are not read for evidence
    out: list[Evidence] = []
    for target in context.targets:
        for scope in context.closures.get(target.qualname, ()):
            found = errors.first_expected_error(scope, patterns, names)
            if found is None:
                continue
            line, shown = found
            inside = "" if scope.definition.qualname == target.qualname else f" in `{scope.definition.qualname}`"
            text = (f"`{target.name}` expects a failure with `{shown}(...)`{inside} "
                    f"({_evidence.where(context, scope.index.path, line)})")
            out.append(Evidence(scope.index.path, line, text))
            break
    return _evidence.unique(out)
