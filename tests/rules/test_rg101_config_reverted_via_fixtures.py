"""RG101 `config-reverted-via-fixtures`: messages, places, pairing per test, settings, e2e."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

import pytest

from pytest_reviewgate.config import Settings
from pytest_reviewgate.model import Violation
from pytest_reviewgate.rules.rg101_config_reverted_via_fixtures import (
    ConfigRevertedViaFixtures,
    config_root,
)
from pytest_reviewgate.testing import check_rule

HEADER = "from oslo_config import cfg\n\nCONF = cfg.CONF\n\n"
# a project base class, for the ``reverting-bases`` setting
SHOP = {"shop/__init__.py": "", "shop/base.py": "class TestCase:\n    pass\n"}


def check(
    source: str,
    config: Mapping[str, Any] | None = None,
    targets: Sequence[str] = (),
    files: Mapping[str, str] | None = None,
) -> list[Violation]:
    return check_rule(ConfigRevertedViaFixtures, source, targets=targets, config=config, files=files)


def test_an_override_nothing_reverts_gets_the_documented_message() -> None:
    source = "class TestHost:\n    def test_host(self):\n        CONF.set_override('host', 'x')\n"
    [violation] = check(HEADER + source)
    assert violation.rule == "RG101"
    assert violation.line == 7
    assert violation.definition == "TestHost.test_host"
    assert violation.source == "CONF.set_override('host', 'x')"
    assert violation.message == (
        "`CONF.set_override('host', ...)` is never reverted -> use `self.flags(host=...)` "
        "or a `config_fixture.Config` fixture"
    )


def test_a_plain_test_function_is_told_to_use_the_config_fixture() -> None:
    [violation] = check(HEADER + "def test_host():\n    CONF.set_override('host', 'x')\n")
    assert violation.message == (
        "`CONF.set_override('host', ...)` is never reverted -> use a `config_fixture.Config` "
        "fixture and its `config(host=...)`"
    )


def test_config_assignment_in_helper_is_reported_at_the_helper_line() -> None:
    source = HEADER + textwrap.dedent(
        """
        class TestRegion:
            def test_north(self):
                self._switch_region("north")

            def _switch_region(self, region):
                CONF.region = region
        """
    )
    [violation] = check(source, targets=["TestRegion.test_north"])
    assert (violation.line, violation.definition) == (11, "TestRegion._switch_region")
    assert violation.message.startswith("`CONF.region = ...` assigns a config attribute")


def test_a_group_option_fix_names_the_group() -> None:
    [violation] = check(HEADER + "def test_x():\n    CONF.set_override('region', 'n', 'api')\n")
    assert "`config(region=..., group='api')`" in violation.message


def test_shared_setup_is_reported_once_when_one_test_does_not_revert() -> None:
    source = HEADER + textwrap.dedent(
        """
        class TestShared:
            def setUp(self):
                CONF.set_override("host", "compute1")

            def test_a(self):
                pass

            def test_b(self):
                pass
        """
    )
    violations = check(source)
    assert [(v.line, v.definition) for v in violations] == [(8, "TestShared.setUp")]


def test_a_cleanup_in_one_test_does_not_cover_another() -> None:
    source = HEADER + textwrap.dedent(
        """
        class TestPairing:
            def setUp(self):
                CONF.set_override("host", "compute1")

            def test_reverts(self):
                self.addCleanup(CONF.clear_override, "host")
        """
    )
    assert check(source, targets=["TestPairing.test_reverts"]) == []
    assert [v.line for v in check(source, targets=["TestPairing.setUp"])] == [8]


def test_a_reverting_base_excuses_overrides_but_not_registrations() -> None:
    source = HEADER + textwrap.dedent(
        """\
        from shop import base
        class TestBase(base.TestCase):
            def test_x(self):
                CONF.set_override("host", "compute1")
                CONF.register_opts([])
        """
    )
    config = {"reverting-bases": ["shop.base.TestCase"]}
    violations = check(source, config, files=SHOP)
    assert [v.line for v in violations] == [9]
    assert "registers on the global config" in violations[0].message


def test_an_unknown_base_never_counts_as_reverting() -> None:
    source = HEADER + "class TestX(Base):\n    def test_x(self):\n        CONF.set_default('a', 1)\n"
    config = {"reverting-bases": ["shop.base.TestCase"]}
    assert [v.line for v in check(source, config, files=SHOP)] == [7]


def test_config_objects_setting_names_more_objects() -> None:
    source = "from app.conf import SETTINGS\n\ndef test_x():\n    SETTINGS.debug = True\n"
    assert check(source) == []
    assert [v.line for v in check(source, {"config-objects": ["app.conf.SETTINGS"]})] == [4]


@pytest.mark.parametrize("entry", ["override", "tests.test_mod.override", "overr*"])
def test_reverting_calls_setting_trusts_a_helper(entry: str) -> None:
    source = HEADER + textwrap.dedent(
        """
        def override(**kw):
            for key, value in kw.items():
                CONF.set_override(key, value)

        def test_x():
            override(host="compute1")
        """
    )
    assert [v.definition for v in check(source, targets=["test_x"])] == ["override"]
    assert check(source, {"reverting-calls": [entry]}, targets=["test_x"]) == []


def test_django_settings_assignment_suggests_override_settings() -> None:
    source = "from django.conf import settings\n\ndef test_x():\n    settings.DEBUG = True\n"
    [violation] = check(source)
    assert violation.message == (
        "`settings.DEBUG = ...` assigns a setting directly -> use `override_settings(DEBUG=...)`, "
        "`self.settings(DEBUG=...)` or pytest-django's `settings` fixture"
    )


def test_calls_are_matched_by_qualified_name_not_spelling() -> None:
    source = "import oslo_config.cfg as c\n\ndef test_x():\n    c.CONF.set_default('a', 1)\n"
    assert [v.line for v in check(source)] == [4]
    source = "class cfg:\n    CONFIG = None\n\ndef test_x():\n    cfg.CONFIG.set_override('a', 1)\n"
    assert check(source) == []


@pytest.mark.parametrize(
    ("qualified", "root"),
    [
        ("oslo_config.cfg.CONF.host", "oslo_config.cfg.CONF"),
        ("nova.conf.CONF.api.region", "nova.conf.CONF"),
        ("django.conf.settings.DEBUG", "django.conf.settings"),
        ("CONF.host", "CONF"),
        ("self.CONF.host", ""),
        ("app.config.host", ""),
    ],
)
def test_config_root(qualified: str, root: str) -> None:
    assert config_root(qualified, Settings().config_objects, local={"self"}) == root


def test_every_message_is_one_sentence_with_one_arrow_and_no_trailing_period() -> None:
    source = HEADER + textwrap.dedent(
        """
        import nova.conf.libvirt

        def test_x():
            CONF.host = 1
            setattr(CONF, "host", 1)
            CONF.set_override("host", 1)
            CONF.set_default("host", 1)
            CONF.register_opt(None)
            nova.conf.libvirt.register_opts(CONF)
        """
    )
    messages = [v.message for v in check(source)]
    assert len(messages) == 6
    for message in messages:
        assert message.count(" -> ") == 1
        assert not message.endswith(".")
        assert message.startswith("`")


def test_deeply_nested_expressions_do_not_overflow() -> None:
    deep = " + ".join(["1"] * 2500)
    source = HEADER + f"def test_x():\n    CONF.set_override('host', {deep})\n"
    assert [v.line for v in check(source)] == [6]


def test_review_item_fails_with_the_violation_and_its_place(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_inventory=HEADER
        + textwrap.dedent(
            """
            class TestInventory:
                def _switch_region(self, region):
                    CONF.set_override("region", region)

                def test_north(self):
                    self._switch_region("north")

                def test_south(self):
                    self.flags(region="south")
            """
        )
    )
    pytester.makefile(
        ".review.txt",
        test_inventory="""
        Review of test_inventory.py.

        1. **Global state (CWE-664)**: `_switch_region` overrides the region.
           expect: config-reverted-via-fixtures on TestInventory.test_north

        2. **Flags**: `test_south` uses flags.
           expect: RG101 on TestInventory.test_south
        """,
    )
    result = pytester.runpytest("-p", "no:cacheprovider", "test_inventory.review.txt")
    result.assert_outcomes(passed=5, failed=1)  # review, cwe-known, two anchors items, finding 2
    result.stdout.fnmatch_lines(
        [
            "*RG101 config-reverted-via-fixtures*",
            "*test_inventory.py:8 in TestInventory._switch_region: "
            "`CONF.set_override('region', ...)` is never reverted -> use `self.flags(region=...)`*",
        ]
    )


def test_an_ignore_comment_suppresses_and_counts_the_violation(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_host=HEADER + "def test_host():\n    CONF.set_override('host', 'x')  # reviewgate: ignore[RG101]\n"
    )
    pytester.makefile(".review.txt", test_host="Review.\n\nexpect: config-reverted-via-fixtures\n")
    result = pytester.runpytest("-p", "no:cacheprovider", "test_host.review.txt")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*suppressed: 1 ignored*"])


def test_a_redefined_test_is_judged_by_the_definition_the_index_keeps_not_both() -> None:
    source = HEADER + textwrap.dedent(
        """
        def _override():
            CONF.set_override("region", "x")


        def _harmless():
            pass


        def test_region():
            _harmless()


        def test_region():  # noqa: F811 - the index keeps the first one; its closure takes no helper of this one
            _override()
        """
    )
    assert check(source, targets=["test_region"]) == []
    assert [v.line for v in check(source.replace("_harmless()\n", "_override()\n", 1), targets=["test_region"])] == [7]


def test_a_module_helper_called_only_under_a_reverting_base_is_reset_with_it() -> None:
    # the helper's override lasts until the base's cleanup resets the config; one caller outside
    # such a class (or the helper handed on as a callback) and it is reported again
    files = {
        "shop/__init__.py": "",
        "shop/base.py": (
            "import unittest\n\nfrom oslo_config import cfg\n\n\n"
            "class ResettingCase(unittest.TestCase):\n    def setUp(self):\n"
            "        self.addCleanup(cfg.CONF.reset)\n"
        ),
    }
    helper = (
        "from oslo_config import cfg\n\nfrom shop import base\n\n\n"
        "def enable_discounts(enabled):\n    cfg.CONF.set_override('discounts', enabled, group='cart')\n\n\n"
        "class TestCart(base.ResettingCase):\n    def setUp(self):\n        super().setUp()\n"
        "        enable_discounts(False)\n\n    def test_total(self):\n        enable_discounts(True)\n"
    )
    config = {"reverting-bases": ["shop.base.ResettingCase"]}
    assert check_rule(ConfigRevertedViaFixtures, helper, config=config, files=files) == []
    plain = helper + "\n\ndef test_plain():\n    enable_discounts(True)\n"
    assert [v.line for v in check_rule(ConfigRevertedViaFixtures, plain, config=config, files=files)] == [7]
    handed = helper + "\n\nCALLBACKS = [enable_discounts]\n"
    assert [v.line for v in check_rule(ConfigRevertedViaFixtures, handed, config=config, files=files)] == [7]


def test_configuring_a_mock_that_replaced_the_config_is_no_assignment_to_it() -> None:
    source = HEADER + (
        "from shop import settings\n\n\n"
        "class TestSections:\n    def test_sections(self):\n"
        "        self.mock_object(settings, 'CONF')\n"
        "        settings.CONF.list_all_sections.return_value = ['east']\n"
        "        settings.CONF.find_file.side_effect = OSError\n"
        "        CONF.region = 'east'\n"
    )
    assert [v.line for v in check(source)] == [source.count("\n")]


def test_a_function_nested_in_a_test_of_a_reverting_base_runs_under_its_reset() -> None:
    source = HEADER + textwrap.dedent(
        """\
        from unittest import mock

        from shop import base


        class TestSpawn(base.TestCase):
            def test_spawn(self):
                def on_prepare(argv):
                    def deeper():
                        CONF.set_override("host", "from-argv")
                    deeper()
                with mock.patch("shop.base.prepare", autospec=True) as prepare:
                    prepare.side_effect = on_prepare


        class TestPlain:
            def test_spawn(self):
                def on_prepare(argv):
                    CONF.set_override("host", "from-argv")
                on_prepare([])
        """
    )
    config = {"reverting-bases": ["shop.base.TestCase"]}
    assert {v.line for v in check(source, config, files=SHOP)} == {23}


def test_a_function_nested_in_a_helper_runs_under_the_config_fixture_of_its_class_setup() -> None:
    source = HEADER + textwrap.dedent(
        """\
        from oslo_config import fixture as config_fixture


        class TestSpawn:
            def setUp(self):
                self.useFixture(config_fixture.Config(CONF))

            def test_spawn(self):
                self._run()

            def _run(self):
                def on_prepare():
                    CONF.set_override("host", "from-argv")
                on_prepare()
        """
    )
    assert check(source) == []


def test_a_module_function_a_reverting_class_registers_as_its_cleanup_runs_under_its_reset() -> None:
    source = HEADER + textwrap.dedent(
        """\
        from shop import base


        def _use_provider(name):
            CONF.set_override("provider", name, "console")


        class TestProvider(base.TestCase):
            def setUp(self):
                _use_provider("systemd")
                self.addCleanup(_use_provider, "fake")
        """
    )
    config = {"reverting-bases": ["shop.base.TestCase"]}
    assert check(source, config, files=SHOP) == []
    # a class cleanup runs after the reset of the class's last test: the override stays behind
    leaked = source.replace("self.addCleanup", "self.addClassCleanup")
    assert [v.line for v in check(leaked, config, files=SHOP)] == [9]


def test_an_override_in_a_function_nested_in_a_method_is_reported_once_with_the_method_fix() -> None:
    source = HEADER + textwrap.dedent(
        """\
        class TestSpawn:
            def test_spawn(self):
                def on_prepare():
                    CONF.set_override("host", "from-argv")
                on_prepare()
        """
    )
    [violation] = check(source)
    assert (violation.line, violation.definition) == (8, "TestSpawn.test_spawn.on_prepare")
    assert violation.message.endswith("-> use `self.flags(host=...)` or a `config_fixture.Config` fixture")


@pytest.mark.parametrize("register", ["cls.fx.addCleanup(_use_provider)", "self.fx.addCleanup(_use_provider)"])
def test_a_module_function_registered_on_another_object_runs_outside_the_tests_reset(register: str) -> None:
    source = HEADER + textwrap.dedent(
        f"""\
        from shop import base


        def _use_provider():
            CONF.set_override("provider", "fake", "console")


        class TestProvider(base.TestCase):
            def setUp(self):
                {register}
        """
    )
    assert [v.line for v in check(source, {"reverting-bases": ["shop.base.TestCase"]}, files=SHOP)] == [9]


@pytest.mark.parametrize(
    ("hook", "flagged"),
    [
        ("tearDownClass", True),  # after the last test's reset: the override stays for the next class
        ("setUpClass", False),  # before the first test, whose reset takes it away
    ],
)
def test_an_override_nested_in_a_class_hook_of_a_reverting_class(hook: str, flagged: bool) -> None:
    source = HEADER + textwrap.dedent(
        f"""\
        from shop import base


        def _use_provider():
            CONF.set_override("provider", "fake", "console")


        class TestProvider(base.TestCase):
            @classmethod
            def {hook}(cls):
                def inner():
                    CONF.set_override("host", "x")
                inner()
                _use_provider()

            def test_a(self):
                pass
        """
    )
    found = check(source, {"reverting-bases": ["shop.base.TestCase"]}, files=SHOP)
    assert [v.definition for v in found] == (["_use_provider", f"TestProvider.{hook}.inner"] if flagged else [])
