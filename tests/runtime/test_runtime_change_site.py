"""A runtime leak points at the line that made the change, when its probe recorded it, else at the test.

The sessions run in a subprocess: their leaks are real.

The mock probe records where a patch was started, the oslo.config probe where an override or a
default was set; the environment probe knows no line, so its leaks point at the test's ``def``.
"""

from __future__ import annotations

import colorsys
import json
from unittest import mock

import pytest

from pytest_reviewgate.probes import MockPatchProbe

MODULE = """\
import os
from unittest import mock

from oslo_config import cfg

CONF = cfg.CONF
CONF.register_opt(cfg.StrOpt("rg_site_region", default="south"))


def _start_patch():
    patcher = mock.patch("colorsys.rgb_to_hsv")
    return patcher.start()


def test_patch():
    _start_patch()
    assert True


def test_config():
    value = "north"
    CONF.set_override("rg_site_region", value)
    assert value


def test_env():
    os.environ["RG_SITE_LEAK"] = "1"
"""

REVIEW = "expect: no-leaked-patches, config-restored, env-restored\n"


@pytest.fixture
def leaking(pytester: pytest.Pytester) -> pytest.Pytester:
    pytest.importorskip("oslo_config")
    pytester.makepyfile(test_leak=MODULE)
    pytester.makefile(".review.txt", test_leak=REVIEW)
    pytester.makepyprojecttoml("[tool.reviewgate]\n")
    return pytester


def _locations(pytester: pytest.Pytester) -> dict[str, tuple[str, int, str]]:
    log = json.loads((pytester.path / "out.sarif").read_text(encoding="utf-8"))
    found = {}
    for result in log["runs"][0]["results"]:
        location = result["locations"][0]
        physical = location["physicalLocation"]
        name = location["logicalLocations"][0]["fullyQualifiedName"]
        found[result["ruleId"]] = (physical["artifactLocation"]["uri"], physical["region"]["startLine"], name)
    return found


@pytest.mark.parametrize("workers", [(), ("-n", "2")], ids=["one-process", "xdist"])
def test_sarif_points_at_the_line_that_made_the_change(leaking: pytest.Pytester, workers: tuple[str, ...]) -> None:
    result = leaking.runpytest_subprocess(f"--reviewgate-sarif={leaking.path / 'out.sarif'}", *workers)
    result.assert_outcomes(passed=7, errors=3)
    assert _locations(leaking) == {
        "RG901": ("test_leak.py", 12, "_start_patch"),  # patcher.start(), in the helper the test called
        "RG903": ("test_leak.py", 22, "test_config"),  # CONF.set_override(...)
        "RG902": ("test_leak.py", 26, "test_env"),  # no line known: the test's def
    }


def test_the_terminal_names_the_line_of_the_change(leaking: pytest.Pytester) -> None:
    result = leaking.runpytest_subprocess("-rE", "-vv")  # -vv: the -r lines are not cut to the terminal's width
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_patch*",
            "RG901 patch of `colorsys.rgb_to_hsv` still active (at test_leak.py:12)",
            "  - patch of `colorsys.rgb_to_hsv` still active (at test_leak.py:12)",
            "*ERROR at teardown of test_config*",
            "  - rg_site_region: 'south' -> 'north' (set_override never cleared) (at test_leak.py:22)",
            "*ERROR at teardown of test_env*",
            "  - RG_SITE_LEAK: set to '1'",
            "ERROR test_leak.py::test_patch - Failed: RG901 patch of `colorsys.rgb_to_hsv` still active (at *:12)",
            "ERROR test_leak.py::test_config - Failed: RG903 rg_site_region: 'south' -> 'north' *(at test_leak.py:22)",
            "ERROR test_leak.py::test_env - Failed: RG902 RG_SITE_LEAK: set to '1'",
        ]
    )


def test_the_mock_probe_records_where_a_patch_started() -> None:
    probe = MockPatchProbe()
    before = probe.snapshot()  # installs the recording start() on the imported library
    patcher = mock.patch("colorsys.rgb_to_hsv")
    patcher.start(); line = _line()  # noqa: E702 - the start and its line, on one line
    try:
        (leak,) = probe.diff(before, probe.snapshot())
        frames = probe.origin(leak)
        assert frames[0][:2] == (__file__, line)
        assert frames[0][2].endswith("test_the_mock_probe_records_where_a_patch_started")
    finally:
        patcher.stop()
    assert colorsys.rgb_to_hsv(1, 0, 0)[2] == 1  # the patch is gone
    assert probe.origin("patch of `nothing` still active") == ()


def test_the_oslo_probe_records_where_an_override_was_set() -> None:
    cfg = pytest.importorskip("oslo_config.cfg")
    from pytest_reviewgate.probes import OsloConfigProbe

    conf = cfg.ConfigOpts()
    conf.register_opt(cfg.StrOpt("colour", default="red"))
    holder = type("Holder", (), {"CONF": conf})
    import sys

    sys.modules["_rg_site_holder"] = holder  # type: ignore[assignment]
    try:
        probe = OsloConfigProbe("_rg_site_holder:CONF")
        before = probe.snapshot()
        conf.set_override("colour", "blue"); line = _line()  # noqa: E702
        (leak,) = probe.diff(before, probe.snapshot())
        assert probe.origin(leak)[0][:2] == (__file__, line)
        assert conf.colour == "blue"  # the wrapper set it
    finally:
        del sys.modules["_rg_site_holder"]


def _line() -> int:
    """The caller's line."""
    import sys

    return sys._getframe(1).f_lineno
