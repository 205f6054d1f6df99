"""The options inventory.conf registers (plain pytest style, not reviewed)."""

import pytest

from inventory import conf


def test_defaults(config):
    assert conf.CONF.region == "north"
    assert conf.CONF.reservation_ttl == 300
    assert conf.CONF.backend.retries == 2


def test_list_opts_names_every_option():
    names = {group: [opt.name for opt in opts] for group, opts in conf.list_opts()}

    assert names == {
        None: ["region", "reservation_ttl"],
        conf.backend_group: ["endpoint", "timeout", "retries"],
    }


def test_ttl_must_be_positive(config):
    with pytest.raises(ValueError):
        config.config(reservation_ttl=0)
