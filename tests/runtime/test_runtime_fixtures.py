"""What setUpClass or a class-, module- or session-scoped fixture changes belongs to it."""

from __future__ import annotations


def test_set_up_class_that_tears_down_what_it_registered_is_not_reported(project) -> None:
    project.pytester.makepyfile(
        test_balanced="""
        import unittest
        import pytest
        from oslo_config import cfg

        OPT = cfg.StrOpt("rg_class_opt", default="a")

        @pytest.mark.watch("RG903")
        class BalancedTests(unittest.TestCase):
            @classmethod
            def setUpClass(cls):
                cfg.CONF.register_opt(OPT)
                cfg.CONF.set_override("rg_class_opt", "b")

            @classmethod
            def tearDownClass(cls):
                cfg.CONF.clear_override("rg_class_opt")
                cfg.CONF.unregister_opt(OPT)

            def test_one(self):
                self.assertEqual(cfg.CONF.rg_class_opt, "b")

            def test_two(self):
                pass
        """
    )
    project.run().assert_outcomes(passed=2)
    assert project.violations() == []


LEAKY_CLASS = """
    import unittest
    import pytest
    from oslo_config import cfg

    @pytest.mark.watch("RG903")
    class LeakyTests(unittest.TestCase):
        @classmethod
        def setUpClass(cls):
            cfg.CONF.register_opt(cfg.StrOpt("rg_class_opt"))

        def test_one(self):
            pass

        def test_two(self):
            pass

        def test_three(self):
            cfg.CONF.set_override("rg_class_opt", "x")
            cfg.CONF.clear_override("rg_class_opt")

        def test_zzz_last(self):
            pass
"""


def test_set_up_class_leak_is_reported_once_naming_the_class_hooks(project) -> None:
    project.pytester.makepyfile(test_leaky=LEAKY_CLASS)
    result = project.run()
    result.assert_outcomes(passed=4, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*_ ERROR at teardown of LeakyTests.test_zzz_last _*",
            "RG903 config-restored: setUpClass/tearDownClass of LeakyTests left state changed"
            ' (review test_x.review.txt:9, finding-3 "Global State Manipulation")',
            "  - option 'rg_class_opt' registered and never unregistered",
        ]
    )
    [violation] = project.violations()
    assert violation["nodeid"] == "test_leaky.py::LeakyTests::test_zzz_last"
    assert violation["message"].startswith(
        "setUpClass/tearDownClass of LeakyTests: option 'rg_class_opt' registered and never unregistered -> "
    )
    assert (violation["path"], violation["line"], violation["definition"]) == (
        "test_leaky.py",
        7,
        "LeakyTests.setUpClass",
    )


def test_fixture_leak_is_not_blamed_on_the_tests_and_test_leak_not_on_the_fixture(project) -> None:
    project.pytester.makepyfile(
        test_fixtures="""
        import os
        import pytest

        @pytest.fixture(scope="class")
        def leaky_env():
            os.environ["RG_CLASS"] = "1"
            yield

        @pytest.fixture(scope="module")
        def restoring_env():
            os.environ["RG_MODULE"] = "1"
            yield
            del os.environ["RG_MODULE"]

        @pytest.mark.watch("RG902")
        @pytest.mark.usefixtures("restoring_env", "leaky_env")
        class TestIt:
            def test_clean(self):
                assert os.environ["RG_CLASS"] == os.environ["RG_MODULE"] == "1"

            def test_leaks(self):
                os.environ["RG_TEST"] = "1"

            def test_last(self):
                pass
        """
    )
    result = project.run()
    result.assert_outcomes(passed=3, errors=2)
    result.stdout.fnmatch_lines(
        [
            "*_ ERROR at teardown of TestIt.test_leaks _*",
            "RG902 env-restored: the test left state changed*",
            "  - RG_TEST: set to '1'",
            "*_ ERROR at teardown of TestIt.test_last _*",
            "RG902 env-restored: class-scoped fixture `leaky_env` left state changed*",
            "  - RG_CLASS: set to '1'",
        ]
    )
    result.stdout.no_fnmatch_line("*RG_MODULE*")
    locations = [(v["definition"], v["line"]) for v in project.violations()]
    assert locations == [("TestIt.test_leaks", 21), ("leaky_env", 4)]


def test_session_fixture_leak_is_reported_at_the_last_teardown(project) -> None:
    project.pytester.makeconftest(
        project.pytester.path.joinpath("conftest.py").read_text()
        + """

from oslo_config import cfg  # imported before the fixture runs: probed from the start

@pytest.fixture(scope="session")
def session_override():
    cfg.CONF.register_opt(cfg.StrOpt("rg_session", default="a"))
    cfg.CONF.set_override("rg_session", "b")
    yield
"""
    )
    project.pytester.makepyfile(
        test_session="""
        import pytest

        @pytest.mark.watch("RG903")
        def test_uses_it(session_override):
            pass

        def test_unwatched_last():
            pass
        """
    )
    result = project.run()
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*_ ERROR at teardown of test_unwatched_last _*",
            "RG903 config-restored: session-scoped fixture `session_override` left state changed*",
            "  - option 'rg_session' registered and never unregistered",
        ]
    )


def test_higher_scoped_fixtures_requested_in_the_body_or_parametrized_are_not_blamed(
    project,
) -> None:
    project.pytester.makepyfile(
        test_dynamic="""
        import os
        import pytest

        @pytest.fixture(scope="module", params=["a", "b"])
        def flavour(request):
            os.environ["RG_FLAVOUR"] = request.param
            yield request.param
            del os.environ["RG_FLAVOUR"]

        @pytest.fixture(scope="module")
        def lazy():
            os.environ["RG_LAZY"] = "1"
            yield
            del os.environ["RG_LAZY"]

        @pytest.mark.watch("RG902")
        def test_flavour(flavour):
            assert os.environ["RG_FLAVOUR"] == flavour

        @pytest.mark.watch("RG902")
        def test_lazy(request):
            request.getfixturevalue("lazy")
        """
    )
    project.run().assert_outcomes(passed=3)
    assert project.violations() == []


def test_xunit_setup_module_leak_names_the_module_hooks(project) -> None:
    project.pytester.makepyfile(
        test_xunit="""
        import os
        import pytest

        def setup_module():
            os.environ["RG_XUNIT"] = "1"

        @pytest.mark.watch("RG902")
        def test_one():
            pass
        """
    )
    result = project.run()
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "RG902 env-restored: setup_module/teardown_module of test_xunit left state changed*",
            "  - RG_XUNIT: set to '1'",
        ]
    )


def test_a_fixture_of_other_tests_finishing_in_a_watched_teardown_is_not_blamed(project) -> None:
    project.pytester.makepyfile(
        test_others="""
        import os
        import pytest

        @pytest.fixture(scope="module")
        def theirs():
            os.environ["RG_THEIRS"] = "1"
            yield
            del os.environ["RG_THEIRS"]

        def test_unwatched(theirs):
            pass

        @pytest.mark.watch("RG902")
        def test_watched_last():
            pass
        """
    )
    project.run("--setup-show").assert_outcomes(passed=2)
