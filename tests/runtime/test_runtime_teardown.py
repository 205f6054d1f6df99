"""A watched test's leak fails its teardown, pytest-style; open watches warn; probes may fail."""

from __future__ import annotations

import pytest

CONFIG_MODULE = """
    import pytest
    from oslo_config import cfg

    CONF = cfg.CONF
    CONF.register_opt(cfg.StrOpt("rg_region", default="north"))

    @pytest.mark.watch("RG903")
    def test_reverts_its_override():
        CONF.set_override("rg_region", "south")
        CONF.clear_override("rg_region")

    @pytest.mark.watch("RG903")
    def test_leaks_an_override():
        CONF.set_override("rg_region", "leaked")
"""


def test_config_leak_fails_the_teardown_naming_rule_review_finding_and_leak(project) -> None:
    project.pytester.makepyfile(test_config=CONFIG_MODULE)
    result = project.run()
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*_ ERROR at teardown of test_leaks_an_override _*",
            "RG903 config-restored: the test left state changed"
            ' (review test_x.review.txt:9, finding-3 "Global State Manipulation")',
            "  - rg_region: 'north' -> 'leaked' (set_override never cleared) (at test_config.py:14)",
            "*= short test summary info =*",
            "PASSED test_config.py::test_reverts_its_override",
            "PASSED test_config.py::test_leaks_an_override",
            "ERROR test_config.py::test_leaks_an_override - Failed: RG903 rg_region: *",
        ]
    )
    result.stdout.no_fnmatch_line("*Traceback*")
    result.stdout.no_fnmatch_line("*runtime.py*")
    result.stdout.no_fnmatch_line("*INTERNALERROR*")


def test_each_probe_reports_each_leak_of_one_test(project, monkeypatch) -> None:
    monkeypatch.setenv("RG_CHANGED", "a")
    monkeypatch.setenv("RG_REMOVED", "gone")
    project.pytester.makepyfile(
        test_all="""
        import os
        from unittest import mock
        import pytest

        @pytest.mark.watch("RG901")
        @pytest.mark.watch("RG902")
        def test_leaks_everything():
            mock.patch("colorsys.rgb_to_hsv").start()
            os.environ["RG_CHANGED"] = "b"
            os.environ["RG_NEW"] = "x"
            del os.environ["RG_REMOVED"]
        """
    )
    result = project.run()
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "RG901 no-leaked-patches: the test left state changed*",
            "  - patch of `colorsys.rgb_to_hsv` still active (at test_all.py:8)",
            "RG902 env-restored: the test left state changed*",
            "  - RG_CHANGED: 'a' -> 'b'",
            "  - RG_NEW: set to 'x'",
            "  - RG_REMOVED: removed (was 'gone')",
        ]
    )
    result.stdout.no_fnmatch_line("*PYTEST_CURRENT_TEST*")


def test_state_restored_by_construction_is_no_leak(project) -> None:
    project.pytester.makepyfile(
        test_clean="""
        import os
        import unittest
        from unittest import mock
        import pytest
        from oslo_config import cfg, fixture

        @pytest.mark.watch("RG901")
        @pytest.mark.watch("RG902")
        @pytest.mark.watch("RG903")
        class TestClean(unittest.TestCase):
            def setUp(self):
                patcher = mock.patch("colorsys.rgb_to_hsv")
                patcher.start()
                self.addCleanup(patcher.stop)

            @mock.patch("colorsys.hsv_to_rgb")
            def test_decorated(self, _):
                with mock.patch.dict(os.environ, {"RG_X": "1"}):
                    pass

            def test_config_fixture(self):
                conf = fixture.Config(cfg.CONF)
                conf.setUp()
                conf.register_opt(cfg.StrOpt("rg_scratch"))
                conf.config(rg_scratch="x")
                conf.cleanUp()

        @pytest.mark.watch("RG902")
        def test_monkeypatch(monkeypatch):
            monkeypatch.setenv("RG_Y", "1")
            monkeypatch.delenv("HOME", raising=False)
        """
    )
    project.run().assert_outcomes(passed=3)


def test_open_watch_warns_and_passes(project) -> None:
    project.pytester.makepyfile(
        test_open="""
        import pytest
        from oslo_config import cfg

        @pytest.mark.watch("RG903", open=True)
        def test_registers_a_group():
            cfg.CONF.register_group(cfg.OptGroup("vgpu_nvidia-11"))
        """
    )
    result = project.run()
    result.assert_outcomes(passed=1, warnings=1)
    result.stdout.fnmatch_lines(
        [
            "*ReviewgateWarning: RG903 config-restored: the test left state changed*",
            "    - group 'vgpu_nvidia-11' registered and never unregistered",
            "    (status: open)",
        ]
    )
    [violation] = project.violations()
    assert violation["suppressed"] == "open"


def test_untargeted_tests_are_not_watched(project) -> None:
    project.pytester.makepyfile(
        test_mixed="""
        import os
        import pytest

        def test_unwatched_leak():
            os.environ["RG_UNWATCHED"] = "1"

        @pytest.mark.watch("RG902")
        def test_watched_after_it():
            pass
        """
    )
    project.run().assert_outcomes(passed=2)
    assert project.violations() == []


def test_leak_adds_plain_violation_data_to_the_report(project) -> None:
    project.pytester.makepyfile(test_config=CONFIG_MODULE)
    project.run().assert_outcomes(passed=2, errors=1)
    assert project.violations() == [
        {
            "nodeid": "test_config.py::test_leaks_an_override",
            "when": "teardown",
            "rule": "RG903",
            "message": "rg_region: 'north' -> 'leaked' (set_override never cleared) -> change "
            "configuration with `self.flags()`, the oslo.config `Config` fixture, `monkeypatch` "
            "or `mock.patch.object`, and unregister what the test registers",
            "path": "test_config.py",
            "line": 14,  # the set_override call, which the oslo.config probe recorded
            "definition": "test_leaks_an_override",
            "source": "",
            "suppressed": "",
            "review": "test_x.review.txt",
            "review_line": 9,
            "finding": "finding-3",
        }
    ]


BROKEN_PROBES = """
    class Broken:
        rule = "RG990"
        name = "broken"

        def __init__(self, where):
            self.where = where
            self.calls = 0

        def snapshot(self):
            self.calls += 1
            if self.where == "snapshot" and self.calls == 2:
                raise RuntimeError("boom")
            return self.calls

        def diff(self, before, after):
            if self.where == "diff":
                raise ValueError("cannot compare")
            return []

    def pytest_reviewgate_runtime_probes(config):
        return [Broken("snapshot")]
"""


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("snapshot", "probe broken raised RuntimeError: boom"),
        ("diff", "probe broken raised ValueError: cannot compare"),
    ],
)
def test_probe_that_raises_is_that_probes_error_on_the_test(project, where, message) -> None:
    project.pytester.makepyfile(plugin_probes=BROKEN_PROBES.replace('Broken("snapshot")', f"Broken({where!r})"))
    project.pytester.makepyfile(
        test_probe="""
        import pytest

        @pytest.mark.watch("RG990")
        def test_first():
            pass

        def test_second():
            pass
        """
    )
    result = project.run("-p", "plugin_probes")
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_first*",
            "RG990 RG990: could not check the test*",
            f"  - {message}",
        ]
    )
    result.stdout.no_fnmatch_line("*INTERNALERROR*")
    assert project.violations() == []


def test_custom_probe_may_serve_a_built_in_rule_by_name(project) -> None:
    project.pytester.makepyfile(
        plugin_probes="""
        import sys

        class Answer:
            rule = "config-restored"
            name = "answer"

            def snapshot(self):
                return getattr(sys.modules["test_answer"], "ANSWER", None)

            def diff(self, before, after):
                return [] if before == after else [f"ANSWER: {before!r} -> {after!r}"]

        def pytest_reviewgate_runtime_probes(config):
            return [Answer()]
        """,
        test_answer="""
        import pytest

        ANSWER = 42

        @pytest.mark.watch("RG903")
        def test_changes_the_answer():
            global ANSWER
            ANSWER = 41
        """,
    )
    result = project.run("-p", "plugin_probes")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["  - ANSWER: 42 -> 41"])


def test_failing_teardown_keeps_its_error_and_shows_the_leak_in_a_section(project) -> None:
    project.pytester.makepyfile(
        test_both="""
        import os
        import pytest

        @pytest.fixture
        def broken_teardown():
            yield
            raise OSError("disk gone")

        @pytest.mark.watch("RG902")
        def test_leaks(broken_teardown):
            os.environ["RG_LEAK"] = "1"
        """
    )
    result = project.run()
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["E       OSError: disk gone", "*reviewgate teardown*", "*RG_LEAK: set to '1'"])
    assert [v["rule"] for v in project.violations()] == ["RG902"]


def test_rule_option_ignore_skips_named_variables(project) -> None:
    project.pytester.makepyfile(
        test_ignore="""
        import os
        import pytest

        @pytest.mark.watch("RG902", options={"ignore": ["RG_CACHE"]})
        def test_sets_an_ignored_variable():
            os.environ["RG_CACHE"] = "warm"
        """
    )
    project.run().assert_outcomes(passed=1)


def test_malformed_runtime_probe_entry_is_a_usage_error(project) -> None:
    project.pytester.makeini("[pytest]\nrg_probes = oslo_config.cfg.CONF\n")
    project.pytester.makepyfile(
        test_one="""
        import pytest

        @pytest.mark.watch("RG903")
        def test_one():
            pass
        """
    )
    result = project.run()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*runtime-probes: runtime probe 'oslo_config.cfg.CONF' is not `module:attribute`*"])


def test_hook_result_that_is_no_probe_is_set_aside_for_the_review_items_to_report(project) -> None:
    """The runtime expectation items of reviews fail naming it (tests/reliability/test_rel_hooks.py);
    the session goes on."""
    project.pytester.makepyfile(
        plugin_probes="""
        def pytest_reviewgate_runtime_probes(config):
            return [object()]
        """,
        test_one="""
        import pytest

        @pytest.mark.watch("RG903")
        def test_one():
            pass
        """,
    )
    result = project.run("-p", "plugin_probes")
    result.assert_outcomes(passed=1)
    assert "INTERNALERROR" not in result.stdout.str() + result.stderr.str()
