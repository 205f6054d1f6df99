"""RG903 `config-restored`: configuration objects are the same after a targeted test."""

from __future__ import annotations

from .base import Rule


class ConfigRestored(Rule):
    """Configuration objects are the same after a targeted test as before.

    ## What it does
    For each object named in `runtime-probes` (`module:attribute`, default
    `oslo_config.cfg:CONF`, probed only when the module is already
    imported), compares the registered options and groups, the overrides and
    the defaults before each targeted test's setup and after its teardown.
    A difference fails the test's teardown: "rg_region: 'north' -> 'leaked'",
    "group 'vgpu_nvidia-11' registered and never unregistered".

    ## Why is this bad?
    oslo.config's `CONF` is a process-wide singleton: an override or an
    option registered by one test is seen by every later one, so tests pass
    alone and fail in a full run.

    ## Example
    ```python
    from oslo_config import cfg


    def test_region():
        cfg.CONF.set_override("rg_region", "leaked")
    ```

    Use instead:
    ```python
    from oslo_config import cfg
    from oslo_config import fixture as config_fixture


    def test_region():
        fixture = config_fixture.Config(cfg.CONF)
        fixture.setUp()
        fixture.config(rg_region="north")
        fixture.cleanUp()
    ```
    """

    code = "RG903"
    name = "config-restored"
    summary = "Configuration objects are the same after a targeted test as before"
    cwe = 664
    kind = "runtime"
