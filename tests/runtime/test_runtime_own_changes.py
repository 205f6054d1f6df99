"""Only a watched test's own changes count (SPEC 5): lazy library registration, leaks of others, xfail."""

from __future__ import annotations

import pytest

# A library that registers its options on first use, as oslo.messaging and oslo.policy do.
LAZY_LIBRARY = """
from oslo_config import cfg

_OPTS = [cfg.StrOpt("url"), cfg.IntOpt("retries", default=3)]


def connect(conf=cfg.CONF):
    conf.register_opts(_OPTS, group="rg_lazy")
    conf.register_opt(cfg.BoolOpt("rg_lazy_debug"))
    conf.set_default("retries", 5, group="rg_lazy")
    return conf.rg_lazy.url
"""


def test_options_a_library_registers_on_first_use_are_no_leak_of_the_test(project) -> None:
    project.pytester.makepyfile(rg_lazylib=LAZY_LIBRARY)
    project.pytester.makepyfile(
        test_lazy="""
        import pytest
        from oslo_config import cfg, fixture

        import rg_lazylib

        @pytest.mark.watch("RG903")
        def test_first_use_registers_the_library_options():
            rg_lazylib.connect()

        @pytest.mark.watch("RG903")
        def test_registers_an_option_itself():
            cfg.CONF.register_opt(cfg.StrOpt("rg_own"))

        @pytest.mark.watch("RG903")
        def test_registers_through_a_config_fixture_never_cleaned_up():
            config = fixture.Config(cfg.CONF)
            config.setUp()
            config.register_opt(cfg.StrOpt("rg_via_fixture"), group="rg_mine")
        """
    )
    result = project.run()
    result.assert_outcomes(passed=3, errors=2)
    result.stdout.fnmatch_lines(
        [
            "*_ ERROR at teardown of test_registers_an_option_itself _*",
            "  - option 'rg_own' registered and never unregistered",
            "*_ ERROR at teardown of test_registers_through_a_config_fixture_never_cleaned_up _*",
            "  - group 'rg_mine' registered and never unregistered",
            "  - option 'rg_mine.rg_via_fixture' registered and never unregistered",
        ]
    )
    result.stdout.no_fnmatch_line("*rg_lazy*")


def test_a_helper_module_of_the_test_file_registering_counts_as_the_test(project) -> None:
    """The registering frame decides: a function of the test module itself is the test's doing."""
    project.pytester.makepyfile(
        test_helper="""
        import pytest
        from oslo_config import cfg

        def _register():
            cfg.CONF.register_opts([cfg.StrOpt("a"), cfg.StrOpt("b")], group="rg_helper")

        @pytest.mark.watch("RG903")
        def test_uses_a_helper():
            _register()
        """
    )
    result = project.run()
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["  - group 'rg_helper' registered and never unregistered"])


OTHERS_LEAK = """
    import os
    import pytest
    from oslo_config import cfg, fixture

    cfg.CONF.register_opt(cfg.StrOpt("rg_shared", default="north"))

    def test_unwatched_leaks():
        cfg.CONF.set_override("rg_shared", "leaked")
        os.environ["RG_PRIOR"] = "leaked"

    @pytest.mark.watch("RG903")
    @pytest.mark.watch("RG902")
    def test_watched_cleans_up_after_it():
        config = fixture.Config(cfg.CONF)
        config.setUp()
        config.cleanUp()  # reset(): every override goes
        del os.environ["RG_PRIOR"]

    def test_unwatched_leaks_again():
        os.environ["RG_PRIOR"] = "again"

    @pytest.mark.watch("RG902")
    def test_watched_leaves_it():
        pass

    @pytest.mark.watch("RG902")
    def test_watched_changes_it_further():
        os.environ["RG_PRIOR"] = "further"
"""


def test_state_other_tests_left_changed_is_a_warning_naming_the_test_before(project) -> None:
    project.pytester.makepyfile(test_others=OTHERS_LEAK)
    result = project.run("-p", "no:randomly")
    result.assert_outcomes(passed=5, errors=1, warnings=2)
    result.stdout.fnmatch_lines(
        [
            "*_ ERROR at teardown of test_watched_changes_it_further _*",
            "RG902 env-restored: the test left state changed*",
            "  - RG_PRIOR: 'again' -> 'further'",
            "*= warnings summary =*",
            "*test_others.py:7: ReviewgateWarning: state was already changed when"
            " test_others.py::test_watched_cleans_up_after_it started after test_others.py::test_unwatched_leaks ran;"
            " not counted as its leak:",
            "    RG902 env-restored: RG_PRIOR: set to 'leaked'",
            "    RG903 config-restored: rg_shared: 'north' -> 'leaked' (set_override never cleared)",
            "*ReviewgateWarning: state was already changed when test_others.py::test_watched_leaves_it started"
            " after test_others.py::test_unwatched_leaks_again ran*",
            "    RG902 env-restored: RG_PRIOR: set to 'again'",
        ]
    )
    result.stdout.no_fnmatch_line("*test_watched_changes_it_further started*")  # warned once
    result.stdout.no_fnmatch_line("*(cleared)*")
    result.stdout.no_fnmatch_line("*removed (was*")


def test_a_watched_leak_is_not_blamed_again_on_the_next_watched_test(project) -> None:
    project.pytester.makepyfile(
        test_twice="""
        import pytest
        from oslo_config import cfg, fixture

        cfg.CONF.register_opt(cfg.StrOpt("rg_twice", default="north"))

        @pytest.mark.watch("RG903")
        def test_leaks():
            cfg.CONF.set_override("rg_twice", "leaked")

        @pytest.mark.watch("RG903")
        def test_resets_through_its_fixture():
            config = fixture.Config(cfg.CONF)
            config.setUp()
            config.cleanUp()
        """
    )
    result = project.run("-p", "no:randomly")
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(["*_ ERROR at teardown of test_leaks _*"])
    result.stdout.no_fnmatch_line("*ReviewgateWarning*")


@pytest.mark.parametrize(
    ("marks", "outcomes"),
    [
        pytest.param('@pytest.mark.xfail(reason="known bug")', {"xfailed": 1}, id="xfail"),
        pytest.param('@pytest.mark.xfail(reason="fixed")', {"xpassed": 1}, id="xpass"),
        pytest.param('@pytest.mark.xfail(raises=OSError, reason="bug")', {"xfailed": 1}, id="xfail-raises"),
    ],
)
def test_a_leak_fails_the_teardown_of_an_xfail_test(project, marks: str, outcomes: dict[str, int]) -> None:
    fails = "" if "xpass" in str(outcomes) else "raise OSError('known')"
    project.pytester.makepyfile(
        test_xfail=f"""
        import os
        import pytest

        @pytest.mark.watch("RG902")
        {marks}
        def test_leaks():
            os.environ["RG_XFAIL"] = "1"
            {fails}
        """
    )
    result = project.run()
    result.assert_outcomes(errors=1, **outcomes)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        [
            "*_ ERROR at teardown of test_leaks _*",
            "RG902 env-restored: the test left state changed*",
            "  - RG_XFAIL: set to '1'",
            "ERROR test_xfail.py::test_leaks - Failed: RG902 RG_XFAIL: set to *",
        ]
    )
    result.stdout.no_fnmatch_line("*XFAIL*teardown*")


def test_an_xfail_test_without_leak_keeps_its_expected_failure(project) -> None:
    project.pytester.makepyfile(
        test_clean_xfail="""
        import pytest

        @pytest.mark.watch("RG902")
        @pytest.mark.xfail(reason="known bug")
        def test_fails_cleanly():
            assert False

        @pytest.mark.watch("RG902")
        def test_leaks_after_it():
            import os
            os.environ["RG_AFTER"] = "1"
        """
    )
    result = project.run("-p", "no:randomly")
    result.assert_outcomes(xfailed=1, passed=1, errors=1)
    result.stdout.fnmatch_lines(["ERROR test_clean_xfail.py::test_leaks_after_it - Failed: RG902*"])
