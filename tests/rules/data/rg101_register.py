"""Registering options or groups on the global object needs an unregister cleanup."""

# settings: {"reverting-bases": ["nova.test.TestCase"]}

import nova.conf.libvirt
from nova import test
from oslo_config import cfg
from oslo_config import fixture as config_fixture

CONF = cfg.CONF
OPTS = [cfg.StrOpt("region")]


class TestRegister(test.TestCase):
    def test_register_opts(self):
        CONF.register_opts(OPTS, group="inventory")  # RG101

    def test_register_opt_and_group(self):
        CONF.register_opt(OPTS[0])  # RG101
        CONF.register_group(cfg.OptGroup("inventory"))  # RG101
        CONF.register_cli_opts(OPTS)  # RG101

    def test_register_function_on_the_global_object(self):
        nova.conf.libvirt.register_opts(CONF)  # RG101

    def test_register_function_on_a_local_object(self):
        conf = cfg.ConfigOpts()
        nova.conf.libvirt.register_opts(conf)
        conf.register_opts(OPTS)

    def test_unregistered_at_cleanup(self):
        CONF.register_opts(OPTS, group="inventory")
        self.addCleanup(CONF.unregister_opts, OPTS, group="inventory")

    def test_through_the_fixture(self):
        fixture = self.useFixture(config_fixture.Config(CONF))
        fixture.register_opts(OPTS, group="inventory")

    def test_a_config_fixture_does_not_unregister(self):
        self.useFixture(config_fixture.Config(CONF))
        CONF.register_opts(OPTS)  # RG101

    def test_exported_state_restored_at_cleanup(self):
        self.addCleanup(CONF.__setstate__, CONF.export_state())
        CONF.register_opts(OPTS)
        CONF.set_override("host", "compute1")

    def test_overrides_are_excused_by_the_reverting_base(self):
        CONF.set_override("host", "compute1")
        CONF.set_default("workers", 4)
        self.flags(host="compute1")


class TestUnknownBase(unknown_module.TestCase):  # noqa: F821
    def test_unknown_base_does_not_excuse(self):
        CONF.set_override("host", "compute1")  # RG101
