"""The mock probe (RG901): patches started and not stopped, named by what they replace.

Every patch started here is stopped before the test ends.
"""

from __future__ import annotations

import colorsys
import os
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

import pytest

from pytest_reviewgate.probes import MockPatchProbe, Probe


class Widget:
    colour = "red"
    size = 1


@contextmanager
def started(*patchers: object) -> Iterator[None]:
    for patcher in patchers:
        patcher.start()  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for patcher in reversed(patchers):
            patcher.stop()  # type: ignore[attr-defined]


def test_mock_probe_follows_the_probe_protocol() -> None:
    probe = MockPatchProbe()
    assert isinstance(probe, Probe)
    assert (probe.rule, probe.name) == ("RG901", "mock")


@pytest.mark.parametrize(
    ("patcher", "leak"),
    [
        (mock.patch("colorsys.rgb_to_hsv"), "patch of `colorsys.rgb_to_hsv` still active"),
        (
            mock.patch.object(Widget, "colour", "blue"),
            f"patch of `{__name__}.Widget.colour` still active",
        ),
        (
            mock.patch.object(Widget(), "size", 2),
            f"patch of `<{__name__}.Widget object>.size` still active",
        ),
        (
            mock.patch.multiple(Widget, colour="blue", size=2),
            f"patch of `{__name__}.Widget.colour`, `{__name__}.Widget.size` still active",
        ),
        (mock.patch.dict(os.environ, {"RG_X": "1"}), "patch.dict of `os.environ` still active"),
        (mock.patch.dict({}, {"a": 1}), "patch.dict of `<dict object>` still active"),
    ],
)
def test_a_started_patch_is_a_leak_named_by_its_target(patcher, leak) -> None:
    probe = MockPatchProbe()
    before = probe.snapshot()
    with started(patcher):
        assert probe.diff(before, probe.snapshot()) == [leak]
    assert probe.diff(before, probe.snapshot()) == []


def test_patches_active_before_are_no_leak() -> None:
    probe = MockPatchProbe()
    with started(mock.patch("colorsys.rgb_to_hsv")):
        before = probe.snapshot()
        with started(mock.patch("colorsys.hsv_to_rgb")):
            assert probe.diff(before, probe.snapshot()) == ["patch of `colorsys.hsv_to_rgb` still active"]


def test_decorators_and_context_managers_are_not_listed_as_active() -> None:
    probe = MockPatchProbe()
    before = probe.snapshot()
    with mock.patch("colorsys.rgb_to_hsv"):
        assert probe.snapshot() == before

    @mock.patch("colorsys.rgb_to_hsv")
    def decorated(_: object) -> object:
        return probe.snapshot()

    assert decorated() == before
    assert colorsys.rgb_to_hsv(0, 0, 0) == (0, 0, 0)


def test_snapshot_costs_nothing_when_mock_was_never_imported(monkeypatch) -> None:
    import sys

    monkeypatch.delitem(sys.modules, "unittest.mock")
    monkeypatch.delitem(sys.modules, "mock", raising=False)
    assert MockPatchProbe().snapshot() == ()
