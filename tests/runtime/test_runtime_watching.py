"""The pure half of the runtime: which probes serve which watch, and how leaks are worded."""

from __future__ import annotations

import subprocess
import sys

import pytest

from pytest_reviewgate.probes import BUILTIN_PROBES, builtin_probes
from pytest_reviewgate.probes.watching import Broken, ProbeSet, Watch, describe_failure, entry


class Counter:
    """A probe of a number that tests move by hand."""

    name = "counter"
    hint = "put it back"

    def __init__(self, rule: str = "RG990") -> None:
        self.rule = rule
        self.value = 0
        self.options: dict[str, object] = {}

    def snapshot(self) -> int:
        return self.value

    def diff(self, before: object, after: object) -> list[str]:
        return [] if before == after else [f"counter: {before} -> {after}"]

    def configure(self, options: dict[str, object]) -> Counter:
        configured = Counter(self.rule)
        configured.options = options
        return configured


def watch(rule: str = "RG990", finding: str = "finding-1", **options: object) -> Watch:
    return Watch(rule, "counted", "t.review.txt", finding, "Counting", 4, options=options)


def test_builtin_table_lists_one_probe_class_per_runtime_rule() -> None:
    assert sorted(BUILTIN_PROBES) == ["RG901", "RG902", "RG903"]
    probes = builtin_probes(("a:b", "c:d.e", "a:b"))
    assert [(p.rule, p.name) for p in probes] == [
        ("RG901", "mock"),
        ("RG902", "env"),
        ("RG903", "a:b"),
        ("RG903", "c:d.e"),
    ]


def test_watches_get_the_probes_of_their_rule_by_code_or_name() -> None:
    probes = ProbeSet([Counter("RG990"), Counter("counted"), Counter("RG991")])
    unserved = Watch("RG992", "other", "t.review.txt", "finding-2", "", 5)
    probes.add({"t.py::test_a": [watch()], "t.py::test_b": [unserved]})
    assert list(probes.plans) == ["t.py::test_a"]  # no probe serves RG992: nothing to watch
    assert probes.plans["t.py::test_a"].probes == (0, 1)
    assert probes.everything == (0, 1)


def test_probes_are_configured_once_per_distinct_options() -> None:
    probes = ProbeSet([Counter()])
    probes.add(
        {
            "t.py::a": [watch(ignore=["X"])],
            "t.py::b": [watch(finding="finding-2", ignore=["X"])],
            "t.py::c": [watch()],
        }
    )
    assert [p.options for p in probes.probes] == [{"ignore": ["X"]}, {}]  # type: ignore[attr-defined]
    assert probes.plans["t.py::a"].probes == probes.plans["t.py::b"].probes == (0,)


def test_options_a_probe_refuses_name_the_rule_table() -> None:
    probes = ProbeSet(builtin_probes())
    with pytest.raises(ValueError, match=r"\[tool.reviewgate.rules.env-restored\]: option `ignore`"):
        probes.add({"t.py::a": [Watch("RG902", "env-restored", "r", "f", "", 1, options={"ignore": "X"})]})


def test_leaks_less_the_excused_changes_and_broken_probes() -> None:
    counter = Counter()
    probes = ProbeSet([counter])
    probes.add({"t.py::a": [watch()]})
    plan = probes.plans["t.py::a"]
    before = probes.take(plan.probes)
    counter.value = 1
    after = probes.take(plan.probes)
    assert probes.test_leaks(plan, before, after, []) == [(watch(), [("counter: 0 -> 1", "put it back")])]
    assert probes.test_leaks(plan, before, after, [(before, after)]) == [(watch(), [])]

    counter.snapshot = lambda: 1 / 0  # type: ignore[method-assign]
    broken = probes.take(plan.probes)
    assert probes.leaks(0, before, broken) == ["probe counter raised ZeroDivisionError: division by zero"]


def test_fixture_leaks_exclude_what_the_tests_changed_meanwhile() -> None:
    counter = Counter()
    probes = ProbeSet([counter])
    probes.add({"t.py::a": [watch()], "t.py::b": [watch()]})
    shots = []
    for value in (0, 1, 2, 2):  # the fixture sets 1, a test leaks 2, the fixture leaves it
        counter.value = value
        shots.append(probes.take((0,)))
    plans = probes.plans.values()
    assert probes.fixture_leaks(plans, (shots[0], shots[1], shots[2], shots[3])) == [
        (watch(), [("counter: 0 -> 2", "put it back")])
    ]
    counter.value = 1
    assert probes.fixture_leaks(plans, (shots[0], shots[1], shots[1], probes.take((0,)))) == [
        (watch(), [("counter: 0 -> 1", "put it back")])
    ]


def test_failure_text_names_rule_subject_review_finding_and_each_leak() -> None:
    assert describe_failure(watch(), "the test", ["counter: 0 -> 1"]) == (
        'RG990 counted: the test left state changed (review t.review.txt:4, finding-1 "Counting")\n  - counter: 0 -> 1'
    )
    untitled = Watch("RG990", "counted", "t.review.txt", "expect", "", 1)
    assert describe_failure(untitled, "the test", ["probe counter raised OSError: x"]) == (
        "RG990 counted: could not check the test (review t.review.txt:1, expect)\n  - probe counter raised OSError: x"
    )


def test_the_probes_never_import_pytest() -> None:
    code = (
        "import sys; import pytest_reviewgate.probes, pytest_reviewgate.probes.watching; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pytest', '_pytest')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


class Incomparable:
    """A snapshot that refuses ``==`` (as a numpy array would)."""

    def __eq__(self, other: object) -> bool:
        raise ValueError("ambiguous")

    __hash__ = None  # type: ignore[assignment]


def test_unchanged_is_the_short_path_only_for_equal_snapshots_no_probe_raised() -> None:
    probes = ProbeSet([Counter()])
    probes.add({"t::a": [watch()]})
    (index,) = probes.plans["t::a"].probes
    before = probes.take([index])
    assert probes.unchanged([index], before, probes.take([index]))
    probes.probes[index].value = 1  # type: ignore[attr-defined]
    assert not probes.unchanged([index], before, probes.take([index]))
    raised = {index: Broken("probe counter raised OSError: gone")}
    assert not probes.unchanged([index], raised, dict(raised))  # a probe error is always reported
    assert not probes.unchanged([index], {index: Incomparable()}, {index: Incomparable()})


class Table:
    """A probe of a dict of entries that tests change by hand; one leak per entry."""

    rule = "RG990"
    name = "table"

    def __init__(self) -> None:
        self.data: dict[str, int] = {"x": 0, "y": 0}

    def snapshot(self) -> dict[str, int]:
        return dict(self.data)

    def diff(self, before: object, after: object) -> list[str]:
        assert isinstance(before, dict)
        assert isinstance(after, dict)
        return [f"{key}: {before.get(key)} -> {after.get(key)}" for key in sorted(before) if before[key] != after[key]]


def _table_run(reference: dict[str, int], start: dict[str, int], end: dict[str, int]) -> list[str]:
    table = Table()
    probes = ProbeSet([table])
    probes.add({"t.py::a": [watch()]})
    shots = []
    for state in (reference, start, end):
        table.data = dict(state)
        shots.append(probes.take((0,)))
    return probes.own(0, shots[1], shots[2], [], shots[0])


@pytest.mark.parametrize(
    ("start", "end", "leaks"),
    [
        pytest.param({"x": 1, "y": 0}, {"x": 0, "y": 0}, [], id="undoes-another-tests-leak"),
        pytest.param({"x": 1, "y": 0}, {"x": 2, "y": 0}, ["x: 1 -> 2"], id="changes-it-further"),
        pytest.param({"x": 1, "y": 0}, {"x": 0, "y": 5}, ["y: 0 -> 5"], id="undoes-one-leaks-another"),
        pytest.param({"x": 0, "y": 0}, {"x": 3, "y": 0}, ["x: 0 -> 3"], id="found-it-as-before"),
        pytest.param({"x": 1, "y": 0}, {"x": 1, "y": 0}, [], id="leaves-it"),
    ],
)
def test_a_test_putting_an_entry_back_as_it_was_at_the_reference_is_no_leak(start, end, leaks) -> None:
    assert _table_run({"x": 0, "y": 0}, start, end) == leaks


def test_changes_found_at_a_test_start_less_what_fixtures_moved() -> None:
    table = Table()
    probes = ProbeSet([table])
    probes.add({"t.py::a": [watch()]})
    baseline = probes.take((0,))
    table.data["x"] = 1  # a module-scoped fixture finishing
    moved = probes.take((0,))
    table.data["y"] = 7  # a test nobody watches
    start = probes.take((0,))
    assert probes.prior(0, baseline, start, []) == ["x: 0 -> 1", "y: 0 -> 7"]
    assert probes.prior(0, baseline, start, [(baseline, moved)]) == ["y: 0 -> 7"]
    assert probes.prior(0, {}, start, []) == []  # no baseline yet
    table.snapshot = lambda: 1 / 0  # type: ignore[method-assign]
    assert probes.prior(0, baseline, probes.take((0,)), []) == []  # a probe error is the test's, not a warning


def test_an_entry_is_the_text_before_the_first_colon_space() -> None:
    assert entry("RG_X: 'a' -> 'b'") == "RG_X"
    assert entry("default of api.workers: 1 -> 2 (set_default never cleared)") == "default of api.workers"
    assert entry("option 'x' registered and never unregistered") == "option 'x' registered and never unregistered"


def test_a_plan_holds_the_files_of_its_watches() -> None:
    probes = ProbeSet([Counter()])
    one = Watch("RG990", "counted", "t.review.txt", "finding-1", "", 4, files=frozenset({"/p/test_a.py"}))
    two = Watch("RG990", "counted", "t.review.txt", "expect", "", 1, files=frozenset({"/p/base.py"}))
    probes.add({"t.py::a": [one, two]})
    assert probes.plans["t.py::a"].files == {"/p/test_a.py", "/p/base.py"}


def test_focus_tells_the_probes_that_take_it_and_skips_the_others() -> None:
    told: list[object] = []
    counter, table = Counter(), Table()
    table.set_own_files = told.append  # type: ignore[attr-defined]
    probes = ProbeSet([counter, table])
    probes.add({"t.py::a": [watch()]})
    probes.focus((0, 1), frozenset({"/p/test_a.py"}))
    assert told == [frozenset({"/p/test_a.py"})]
