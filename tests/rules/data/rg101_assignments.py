"""Assigning a config attribute is always flagged, even when restored by hand."""

import nova.conf
from nova.conf import CONF as NOVA_CONF
from oslo_config import cfg

CONF = cfg.CONF
NCONF = nova.conf.CONF


class TestAssignments:
    def test_attribute(self):
        CONF.host = "compute1"  # RG101

    def test_group_attribute(self):
        CONF.inventory.region = "north"  # RG101

    def test_setattr(self):
        setattr(CONF, "host", "compute1")  # noqa: B010  # RG101
        setattr(CONF.inventory, "region", "north")  # noqa: B010  # RG101

    def test_restored_by_hand_is_still_flagged(self):
        old = CONF.region
        CONF.region = "north"  # RG101
        try:
            assert CONF.region == "north"
        finally:
            CONF.region = old  # RG101

    def test_project_conf_objects(self):
        NCONF.host = "compute1"  # RG101
        NOVA_CONF.host = "compute1"  # RG101
        nova.conf.CONF.host = "compute1"  # RG101
        NCONF.set_override("host", "compute1")  # RG101

    def test_reading_is_fine(self):
        host = CONF.host
        assert host

    def test_objects_the_test_made_are_fine(self):
        conf = cfg.ConfigOpts()
        conf.host = "compute1"
        self.conf = conf
        self.conf.host = "compute1"

    def test_a_parameter_named_conf_is_no_global(self, CONF):
        CONF.host = "compute1"
        CONF.set_override("host", "compute1")


def make_conf(CONF):
    CONF.host = "compute1"
