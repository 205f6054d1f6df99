"""The env probe (RG902): snapshots of os.environ in, leaks in words out."""

from __future__ import annotations

import pytest

from pytest_reviewgate.probes import EnvProbe, Probe


def _diff(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """Diff two snapshots of a plain-dict stand-in for os.environ."""
    return EnvProbe(environ={}).diff(before, after)


def test_env_probe_follows_the_probe_protocol() -> None:
    probe = EnvProbe()
    assert isinstance(probe, Probe)
    assert (probe.rule, probe.name) == ("RG902", "env")


def test_no_difference_is_no_leak() -> None:
    assert _diff({"A": "1"}, {"A": "1"}) == []


@pytest.mark.parametrize(
    ("before", "after", "leak"),
    [
        ({"FOO": "a"}, {"FOO": "b"}, "FOO: 'a' -> 'b'"),
        ({}, {"FOO": "x"}, "FOO: set to 'x'"),
        ({"FOO": "x"}, {}, "FOO: removed (was 'x')"),
        ({}, {"API_TOKEN": "hunter2"}, "API_TOKEN: set to '***'"),
        ({}, {"LONG": "x" * 200}, "LONG: set to '" + "x" * 75 + "...'"),
    ],
)
def test_each_kind_of_change_reads_as_one_leak(before, after, leak) -> None:
    assert _diff(before, after) == [leak]


def test_leaks_are_sorted_by_name() -> None:
    leaks = _diff({"B": "1", "C": "1"}, {"A": "1", "C": "2"})
    assert leaks == ["A: set to '1'", "B: removed (was '1')", "C: '1' -> '2'"]


def test_snapshot_copies_and_leaves_out_pytest_current_test_and_ignored_names(monkeypatch) -> None:
    monkeypatch.setenv("PYTEST_CURRENT_TEST", "x (call)")
    monkeypatch.setenv("RG_IGNORED", "1")
    monkeypatch.setenv("RG_KEPT", "1")
    probe = EnvProbe().configure({"ignore": ["RG_IGNORED"]})
    before = probe.snapshot()
    monkeypatch.setenv("PYTEST_CURRENT_TEST", "x (teardown)")
    monkeypatch.setenv("RG_IGNORED", "2")
    monkeypatch.setenv("RG_KEPT", "2")
    assert probe.diff(before, probe.snapshot()) == ["RG_KEPT: '1' -> '2'"]


@pytest.mark.parametrize("ignore", ["RG_X", [1]])
def test_option_ignore_must_be_a_list_of_names(ignore) -> None:
    with pytest.raises(TypeError, match="option `ignore` of env-restored must be a list"):
        EnvProbe().configure({"ignore": ignore})


class _Racing(dict):
    """An os.environ stand-in that another thread changes while it is copied, twice."""

    races = 2

    def __iter__(self):
        if self.races:
            self.races -= 1
            raise RuntimeError("dictionary changed size during iteration")
        return super().__iter__()

    def keys(self):
        return list(iter(self))


def test_snapshot_retries_when_another_thread_changes_the_environment() -> None:
    environ = _Racing(FOO="1")
    probe = EnvProbe(environ=environ)
    assert probe.snapshot() == {"FOO": "1"}
    environ.races = 100
    with pytest.raises(RuntimeError, match="kept changing"):
        probe.snapshot()
