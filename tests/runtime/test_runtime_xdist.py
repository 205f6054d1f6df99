"""Under pytest-xdist, every ``--dist`` mode gives the outcomes and violations of a serial run."""

from __future__ import annotations

import re

MIXED = """
    import os
    import unittest
    from unittest import mock
    import pytest
    from oslo_config import cfg

    cfg.CONF.register_opt(cfg.StrOpt("rg_xdist", default="north"))

    @pytest.mark.watch("RG903")
    def test_config_leak():
        cfg.CONF.set_override("rg_xdist", "leaked")

    @pytest.mark.watch("RG902")
    def test_env_leak():
        os.environ["RG_XDIST"] = "1"

    @pytest.mark.watch("RG901")
    def test_patch_leak():
        mock.patch("colorsys.rgb_to_hsv").start()

    @pytest.mark.watch("RG902", open=True)
    def test_open_leak():
        os.environ["RG_XDIST_OPEN"] = "1"

    @pytest.mark.watch("RG902")
    @pytest.mark.parametrize("n", range(6))
    def test_clean(n, monkeypatch):
        monkeypatch.setenv("RG_XDIST_CLEAN", str(n))

    def test_unwatched_leak():
        os.environ["RG_XDIST_UNWATCHED"] = "1"

    @pytest.mark.watch("RG903")
    class BalancedTests(unittest.TestCase):
        @classmethod
        def setUpClass(cls):
            cls.opt = cfg.StrOpt("rg_xdist_balanced")
            cfg.CONF.register_opt(cls.opt)

        @classmethod
        def tearDownClass(cls):
            cfg.CONF.unregister_opt(cls.opt)

        def test_a(self):
            pass

        def test_b(self):
            pass

    @pytest.mark.watch("RG903")
    class LeakyTests(unittest.TestCase):
        @classmethod
        def setUpClass(cls):
            cfg.CONF.register_opt(cfg.StrOpt("rg_xdist_leaky"))

        def test_only(self):
            pass
"""


def _summary(result) -> tuple[dict[str, int], list[str]]:
    errors = sorted(re.sub(r" - .*", "", line) for line in result.outlines if line.startswith("ERROR "))
    return result.parseoutcomes(), errors


def test_xdist_modes_give_the_serial_outcomes(project) -> None:
    project.pytester.makepyfile(test_mixed=MIXED)
    serial = project.run()
    serial.assert_outcomes(passed=14, errors=4, warnings=1)
    expected = _summary(serial)
    assert expected[1] == [
        "ERROR test_mixed.py::LeakyTests::test_only",
        "ERROR test_mixed.py::test_config_leak",
        "ERROR test_mixed.py::test_env_leak",
        "ERROR test_mixed.py::test_patch_leak",
    ]
    serial_violations = sorted(map(repr, project.violations()))
    for mode in ("load", "loadfile", "loadscope"):
        project.clear()
        result = project.run("-n", "2", "--dist", mode)
        assert _summary(result) == expected, mode
        assert sorted(map(repr, project.violations())) == serial_violations, mode
