"""The cache is a pure speed-up (SPEC 9): keyed by every input and its path, its entries read as untrusted input.

Identical review and module pairs in two directories whose conftests differ each get their own
result, in every xdist mode; an entry that is stale, moved, damaged, of the wrong shape or not a
regular file costs a re-analysis and never changes an outcome, a message or the exit code.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from pytest_reviewgate import files
from pytest_reviewgate.engine import cache
from pytest_reviewgate.engine.analyse import ItemResult

if TYPE_CHECKING:
    from conftest import Tree

MODULE = """\
from oslo_config import cfg

CONF = cfg.CONF


def test_region(cfg_fix):
    switch = False  # statically a change of configuration; never run
    if switch:
        CONF.set_override("region", "north")
"""
REVIEW = "1. **Config**: `test_region` line 6\n   expect: config-reverted-via-fixtures on test_region\n"
REVERTING = """\
import pytest
from oslo_config import cfg


@pytest.fixture
def cfg_fix():
    yield
    switch = False
    if switch:
        cfg.CONF.clear_override("region")
"""
KEEPING = "import pytest\n\n\n@pytest.fixture\ndef cfg_fix():\n    yield\n"
ENTRIES = Path(".pytest_cache", "d", "reviewgate", f"v{cache.FORMAT}")
TIMING = re.compile(r"\d+\.\d+s|^rootdir: |^cachedir: |^platform ")
FROM_CACHE = re.compile(r"analysis: [\d.]+s for (\d+) reviews? \((\d+) from cache\)")
CONFIG_ITEM = "test_region.review.txt::finding-1::config-reverted-via-fixtures"


def pair(tree: Tree, folder: str, conftest: str | None) -> None:
    """The same review and module in ``folder``, with a conftest whose fixture reverts the change or not."""
    tree.write(f"{folder}/__init__.py", "")
    tree.write(f"{folder}/test_region.py", MODULE)
    tree.write(f"{folder}/test_region.review.txt", REVIEW)
    if conftest is not None:
        tree.write(f"{folder}/conftest.py", conftest)


def shown(result: pytest.RunResult) -> list[str]:
    """What a user sees, less what changes from run to run anyway (durations, the header)."""
    return [line for line in result.stdout.lines if not TIMING.search(line)]


def from_cache(result: pytest.RunResult) -> tuple[int, int]:
    found = FROM_CACHE.search(result.stdout.str())
    assert found, result.stdout.str()[-2000:]
    return int(found.group(1)), int(found.group(2))


def entries(tree: Tree) -> dict[str, tuple[Path, dict[str, Any]]]:
    """The analysis entries by the folder of the module they hold."""
    out = {}
    for path in (tree.path / ENTRIES / "analysis").iterdir():
        data = json.loads(path.read_bytes())
        module = next(p for p in data["inputs"] if p.endswith("test_region.py"))
        out[Path(module).parent.name] = (path, data)
    return out


@pytest.mark.parametrize("mode", [(), ("-n", "2"), ("-n", "2", "--dist", "loadfile")], ids=["serial", "n2", "loadfile"])
def test_identical_pairs_whose_conftests_differ_each_get_their_own_result(tree: Tree, mode: tuple[str, ...]) -> None:
    pair(tree, "reverted", REVERTING)
    pair(tree, "kept", KEEPING)
    for run in ("cold", "warm"):
        result = tree.run(*mode, subprocess=True, timeout=120)
        tree.survived(result)
        result.assert_outcomes(passed=8, failed=1)
        result.stdout.fnmatch_lines(["  kept/test_region.py:9 in test_region: *"])
        result.stdout.fnmatch_lines([f"PASSED reverted/{CONFIG_ITEM}", f"FAILED kept/{CONFIG_ITEM}*"])
        result.stdout.no_fnmatch_line("*reverted/test_region.py:9*")
        if run == "warm" and not mode:
            assert from_cache(result) == (2, 2)


def test_the_sarif_of_a_warm_run_names_the_files_of_its_own_pair(tree: Tree) -> None:
    pair(tree, "reverted", REVERTING)
    pair(tree, "kept", KEEPING)
    for _ in range(2):
        result = tree.run("--reviewgate-sarif", "out.sarif")
        tree.survived(result, changed=tuple(tree.changed))
        assert set(tree.changed) <= {"out.sarif"}
        result.assert_outcomes(passed=8, failed=1)
        log = json.loads((tree.path / "out.sarif").read_bytes())
        uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]]
        assert uris == ["kept/test_region.py"]


def test_a_conftest_added_after_a_run_is_seen_by_the_next(tree: Tree) -> None:
    """The first run relied on there being no conftest.py beside the module: the cache must know that too."""
    pair(tree, "kept", None)
    tree.write("conftest.py", KEEPING)
    first = tree.run()
    tree.survived(first)
    first.assert_outcomes(passed=4, failed=1)
    tree.write("kept/conftest.py", REVERTING)
    second = tree.run()
    tree.survived(second, pytest.ExitCode.OK)
    second.assert_outcomes(passed=5)


PATCHING = """\
from unittest import mock


@mock.patch("mypkg.thing.func")
def test_thing(func):
    assert func
"""


@pytest.mark.parametrize(
    ("created", "outcome"),
    [
        ({"mypkg/__init__.py": "", "mypkg/thing.py": "def other():\n    pass\n"}, "FAILED"),
        ({"mypkg/__init__.py": "", "mypkg/thing/__init__.py": "", "mypkg/thing/func.py": ""}, "PASSED"),
    ],
    ids=["module-without-the-name", "package-with-the-name"],
)
def test_a_project_module_created_after_a_run_is_seen_by_the_next(
    tree: Tree, created: dict[str, str], outcome: str
) -> None:
    """A patch target in a module that did not exist: the result depended on its absence."""
    tree.write("test_thing.py", PATCHING)
    tree.write("test_thing.review.txt", "1. **Patch**: `test_thing` line 4\n   expect: patch-targets-exist\n")
    first = tree.run("--reviewgate-only")
    first.stdout.fnmatch_lines(["PASSED test_thing.review.txt::finding-1::patch-targets-exist"])
    for name, text in created.items():
        tree.write(name, text)
    second = tree.run("--reviewgate-only")
    second.stdout.fnmatch_lines([f"{outcome} test_thing.review.txt::finding-1::patch-targets-exist*"])
    assert from_cache(second) == (1, 0)


def _passing(data: dict[str, Any]) -> dict[str, Any]:
    """The entry with every result emptied: each item would pass."""
    empty = {"violations": [], "problems": [], "skip": "", "error": "", "ignored": 0, "fixes": [], "notes": []}
    return {**data, "results": {k: dict(empty) for k in data["results"]}}


def _module_path(data: dict[str, Any]) -> str:
    return next(p for p in data["inputs"] if p.endswith("test_region.py"))


def _retyped(data: dict[str, Any], field: str, value: object) -> dict[str, Any]:
    results = json.loads(json.dumps(data["results"]))
    for result in results.values():
        result[field] = value
    return {**data, "results": results}


def _violation_changed(data: dict[str, Any], field: str, value: object) -> dict[str, Any]:
    results = json.loads(json.dumps(data["results"]))
    for result in results.values():
        for violation in result["violations"]:
            violation[field] = value
    return {**data, "results": results}


def _json(data: object) -> bytes:
    return json.dumps(data).encode()


def _fifo(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


def _link(target: str) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        path.unlink()
        path.symlink_to(target)

    return make


def _loop(path: Path) -> None:
    path.unlink()
    path.symlink_to(path)


def _directory(path: Path) -> None:
    path.unlink()
    path.mkdir()
    (path / "x").write_text("{}")


def _huge(path: Path) -> None:
    with path.open("r+b") as f:
        f.truncate(cache.MAX_ENTRY_BYTES + 1)  # sparse: costs no disk


# name -> the entry's new bytes, from (its data, the passing pair's entry data, the tree)
CONTENTS: dict[str, Callable[[dict[str, Any], dict[str, Any], Path], bytes]] = {
    "the passing pair's entry copied over": lambda data, good, root: _json(good),
    "claims a pass under another key": lambda data, good, root: _json({**_passing(data), "key": good["key"]}),
    "claims a pass for older module bytes": lambda data, good, root: _json(
        {**_passing(data), "inputs": {**data["inputs"], _module_path(data): hashlib.sha256(b"old").hexdigest()}}
    ),
    "claims a pass without its conftest": lambda data, good, root: _json(
        {**_passing(data), "inputs": {k: v for k, v in data["inputs"].items() if not k.endswith("conftest.py")}}
    ),
    "claims a pass on a project file that changed": lambda data, good, root: _json(
        {**_passing(data), "inputs": {**data["inputs"], str(root / "test_plain.py"): "0" * 64}}
    ),
    "claims a pass on /dev/zero": lambda data, good, root: _json(
        {**_passing(data), "inputs": {**data["inputs"], "/dev/zero": "0" * 64}}
    ),
    "claims a pass on a named pipe": lambda data, good, root: _json(
        {**_passing(data), "inputs": {**data["inputs"], str(root / "pipe"): "0" * 64}}
    ),
    "claims a pass on a missing file being there": lambda data, good, root: _json(
        {**_passing(data), "inputs": {**data["inputs"], str(root / "nothing.py"): files.PRESENT}}
    ),
    "names a violation in the other pair's module": lambda data, good, root: _json(
        _violation_changed(data, "path", _module_path(good))
    ),
    "results is a list": lambda data, good, root: _json({**data, "results": list(data["results"])}),
    "a line is a string": lambda data, good, root: _json(_violation_changed(data, "line", "9")),
    "a line is a bool": lambda data, good, root: _json(_violation_changed(data, "line", True)),
    "ignored is negative": lambda data, good, root: _json(_retyped(data, "ignored", -1)),
    "notes is a string": lambda data, good, root: _json(_retyped(data, "notes", "x")),
    "an item is missing": lambda data, good, root: _json(
        {**data, "results": {k: v for k, v in data["results"].items() if "config" not in k}}
    ),
    "an item too many": lambda data, good, root: _json({**data, "results": {**data["results"], "finding-9::x": {}}}),
    "one field too many": lambda data, good, root: _json({**data, "extra": 1}),
    "an older format": lambda data, good, root: _json({**data, "format": 1}),
    "null": lambda data, good, root: b"null",
    "truncated": lambda data, good, root: _json(data)[:-20],
    "not UTF-8": lambda data, good, root: b"\xff\xfe" + _json(data),
    "nested a million deep": lambda data, good, root: b"[" * 1_000_000,
}
# name -> what is put in the entry's place
IN_PLACE: dict[str, Callable[[Path], None]] = {
    "a named pipe": _fifo,
    "a symlink to /dev/zero": _link("/dev/zero"),
    "a symlink to a missing file": _link("/nonexistent/entry"),
    "a symlink to itself": _loop,
    "a directory": _directory,
    "larger than the entry limit": _huge,
}


def test_no_damaged_moved_or_stale_entry_changes_an_outcome(tree: Tree) -> None:
    """One pair per way of spoiling an entry; the second run must show exactly what the first showed."""
    os.mkfifo(tree.path / "pipe")
    pair(tree, "good", REVERTING)
    names = {f"p{n:02d}": name for n, name in enumerate([*CONTENTS, *IN_PLACE])}
    for folder in names:
        pair(tree, folder, KEEPING)
    first = tree.run(subprocess=True, timeout=120)
    tree.survived(first)
    count = len(names) + 1
    first.assert_outcomes(passed=4 * count + 1 - len(names), failed=len(names))
    assert from_cache(first) == (count, 0)
    found = entries(tree)
    good = found["good"][1]
    for folder, name in names.items():
        path, data = found[folder]
        if name in CONTENTS:
            path.write_bytes(CONTENTS[name](data, good, tree.path))
        else:
            IN_PLACE[name](path)
    second = tree.run(subprocess=True, timeout=120)
    tree.survived(second)
    assert shown(second) == [line for line in shown(first) if not FROM_CACHE.search(line)] or _diff(first, second)
    assert from_cache(second) == (count, 1)  # only the untouched entry of the passing pair
    third = tree.run(subprocess=True, timeout=120)
    tree.survived(third)
    assert from_cache(third) == (count, count - 1)  # every entry put back but the one a directory is in the way of


def _diff(first: pytest.RunResult, second: pytest.RunResult) -> bool:
    a = [line for line in shown(first) if not FROM_CACHE.search(line)]
    b = [line for line in shown(second) if not FROM_CACHE.search(line)]
    raise AssertionError("\n".join(f"- {x}\n+ {y}" for x, y in zip(a, b, strict=False) if x != y) or f"{a}\n{b}")


REVIEW_CONTENTS: dict[str, Callable[[dict[str, Any]], bytes]] = {
    "claims no findings under another key": lambda data: _json(
        {"key": "0" * 64, "review": {**data["review"], "findings": []}}
    ),
    "the review of another path": lambda data: _json(
        {**data, "review": {**data["review"], "path": "elsewhere.review.txt", "findings": []}}
    ),
    "a finding of the wrong shape": lambda data: _json({**data, "review": {**data["review"], "findings": [1]}}),
    "one field too many": lambda data: _json({**data, "extra": 1}),
}
REVIEW_IN_PLACE: dict[str, Callable[[Path], None]] = {
    "a named pipe": _fifo,
    "a symlink to /dev/zero": _link("/dev/zero"),
}


def test_no_damaged_review_parse_entry_changes_an_outcome(tree: Tree) -> None:
    names = {f"r{n}": name for n, name in enumerate([*REVIEW_CONTENTS, *REVIEW_IN_PLACE])}
    for folder in names:
        pair(tree, folder, KEEPING)
    first = tree.run(subprocess=True, timeout=120)
    tree.survived(first)
    for path in (tree.path / ENTRIES / "review").iterdir():
        data = json.loads(path.read_bytes())
        name = names[data["review"]["path"].split("/")[0]]
        if name in REVIEW_CONTENTS:
            path.write_bytes(REVIEW_CONTENTS[name](data))
        else:
            REVIEW_IN_PLACE[name](path)
    second = tree.run(subprocess=True, timeout=120)
    tree.survived(second)
    assert [line for line in shown(second) if not FROM_CACHE.search(line)] == [
        line for line in shown(first) if not FROM_CACHE.search(line)
    ]


def _file_for_our_directory(root: Path) -> None:
    (root / ".pytest_cache" / "d").mkdir(parents=True)
    (root / ".pytest_cache" / "d" / "reviewgate").write_text("")


def _in_place_of_the_version(make: Callable[[Path], None]) -> Callable[[Path], None]:
    def spoil(root: Path) -> None:
        (root / ".pytest_cache" / "d" / "reviewgate").mkdir(parents=True)
        make(root / ".pytest_cache" / "d" / "reviewgate" / f"v{cache.FORMAT}")

    return spoil


@pytest.mark.parametrize(
    "spoil",
    [
        _file_for_our_directory,
        _in_place_of_the_version(os.mkfifo),
        _in_place_of_the_version(lambda path: path.symlink_to("/dev/null")),
    ],
    ids=["reviewgate-is-a-file", "version-is-a-pipe", "version-is-a-device"],
)
def test_a_cache_directory_in_the_way_only_loses_the_speed_up(tree: Tree, spoil: Callable[[Path], None]) -> None:
    pair(tree, "kept", KEEPING)
    spoil(tree.path)
    for _ in range(2):
        result = tree.run(subprocess=True, timeout=60)
        tree.survived(result)
        result.assert_outcomes(passed=4, failed=1)
        assert from_cache(result) == (1, 0)


# -- the entry check, unit by unit -------------------------------------------------------------------------


def _entry(tmp_path: Path) -> tuple[dict[str, Any], dict[str, str]]:
    module = tmp_path / "m.py"
    module.write_bytes(b"x = 1\n")
    known = {str(module): files.state(module)}
    violation = {"rule": "RG101", "message": "m", "path": str(module), "line": 1, "definition": "", "source": "",
                 "suppressed": ""}
    result = {"violations": [violation], "problems": [[1, "p", "RG003"]], "skip": "", "error": "", "ignored": 0,
              "fixes": [[1, 2, "3"]], "notes": ["n"], "inherited": [], "watched": []}
    return cache.entry("a" * 64, known, {"review": result}, 0, ""), known


def test_a_well_formed_entry_is_accepted(tmp_path: Path) -> None:
    data, known = _entry(tmp_path)
    found = cache.verified(data, "a" * 64, known, ["review"], ItemResult)
    assert found is not None
    assert found[0]["review"].violations[0].line == 1


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.update(key="b" * 64),
        lambda d: d.update(format=True),
        lambda d: d.pop("stale"),
        lambda d: d.update(stale=-1),
        lambda d: d.update(stale=1.5),
        lambda d: d.update(module_error=None),
        lambda d: d.update(inputs=[]),
        lambda d: d["inputs"].update({"/x": "not a state"}),
        lambda d: d["inputs"].update({"/x": 1}),
        lambda d: d["inputs"].clear(),
        lambda d: d["results"].update(other={}),
        lambda d: d["results"]["review"].update(skip=0),
        lambda d: d["results"]["review"].update(problems=[[1, "p"]]),
        lambda d: d["results"]["review"].update(problems=[["1", "p", "RG003"]]),
        lambda d: d["results"]["review"].update(fixes=[[1, 2, 3]]),
        lambda d: d["results"]["review"].update(violations={}),
        lambda d: d["results"]["review"]["violations"][0].pop("rule"),
        lambda d: d["results"]["review"]["violations"][0].update(line=-1),
        lambda d: d["results"]["review"]["violations"][0].update(message=["m"]),
        lambda d: d["results"]["review"]["violations"][0].update(path="/elsewhere.py"),
        lambda d: d["results"]["review"].update(extra=1),
    ],
)
def test_an_entry_of_any_other_shape_is_refused(tmp_path: Path, change: Callable[[dict[str, Any]], object]) -> None:
    data, known = _entry(tmp_path)
    change(data)
    assert cache.verified(data, "a" * 64, known, ["review"], ItemResult) is None


def test_an_optional_item_may_be_missing_but_no_other(tmp_path: Path) -> None:
    data, known = _entry(tmp_path)
    assert cache.verified(data, "a" * 64, known, ["review", "finding-1::anchors"], ItemResult) is None
    found = cache.verified(data, "a" * 64, known, ["review", "f::anchors"], ItemResult, optional=["f::anchors"])
    assert found is not None
    assert cache.verified(data, "a" * 64, known, ["f::anchors"], ItemResult, optional=["f::anchors"]) is None


@pytest.mark.parametrize("data", [None, [], "x", 1, {}, {"format": cache.FORMAT}])
def test_an_entry_that_is_not_an_object_of_the_fields_is_refused(data: object) -> None:
    assert cache.verified(data, "a" * 64, {}, ["review"], ItemResult) is None


def test_an_entry_whose_other_input_changed_is_refused(tmp_path: Path) -> None:
    data, known = _entry(tmp_path)
    other = tmp_path / "base.py"
    other.write_bytes(b"class Base: ...\n")
    data["inputs"][str(other)] = files.state(other)
    assert cache.verified(data, "a" * 64, known, ["review"], ItemResult) is not None
    other.write_bytes(b"class Base(object): ...\n")
    assert cache.verified(data, "a" * 64, known, ["review"], ItemResult) is None


CHECKING_HELPER = "def compare(value):\n    assert value\n"
BASE_CALLING_IT = """\
import unittest

from pkg.tests.helpers import compare


class Base(unittest.TestCase):
    def verify(self, value):
        compare(value)
"""
USING_BASE = "from pkg.tests import base\n\n\nclass T(base.Base):\n    def test_x(self):\n        self.verify(1)\n"


def test_every_module_that_asks_about_a_shared_helper_depends_on_its_file(tree: Tree) -> None:
    """The helper's answer is worked out once, for the first module; the later ones read it from the
    memo, and their cached analyses must depend on the helper's file all the same."""
    tree.write("pkg/__init__.py", "")
    tree.write("pkg/tests/__init__.py", "")
    tree.write("pkg/tests/helpers.py", CHECKING_HELPER)
    tree.write("pkg/tests/base.py", BASE_CALLING_IT)
    for name in "abcdef":  # the base module stays parsed after three analyses: its memo outlives them
        tree.write(f"pkg/tests/test_{name}.py", USING_BASE)
        tree.write(f"pkg/tests/test_{name}.review.txt", "expect: tests-assert\n")
    tree.run("--reviewgate-only").assert_outcomes(passed=12)
    tree.write("pkg/tests/helpers.py", "def compare(value):\n    return value\n")
    warm = tree.run("--reviewgate-only")
    warm.assert_outcomes(passed=6, failed=6)
    assert from_cache(warm) == (6, 0)
