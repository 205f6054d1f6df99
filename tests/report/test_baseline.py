"""Baseline identity, file format and the rule that a run fails only where a count grows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pytest_reviewgate.model import ReviewgateError, Violation
from pytest_reviewgate.report import baseline as bl
from pytest_reviewgate.report.rewrite import read_for_rewrite


def _v(line: int, source: str = "CONF.host = 'x'", **kw: str) -> Violation:
    fields = {
        "rule": "RG101",
        "message": "assigning `CONF.host` persists -> use `self.flags(host=...)`",
        "path": "tests/test_vgpu.py",
        "definition": "VGPUTests.setUp",
    }
    fields.update(kw)
    return Violation(line=line, source=source, **fields)


def test_identity_ignores_line_and_whitespace_but_not_rule_module_or_definition() -> None:
    base = bl.identity(_v(10))
    assert bl.identity(_v(99, source="CONF.host   =  'x'")) == base
    assert bl.identity(_v(10, message="another wording")) == base
    assert bl.identity(_v(10, path="tests\\test_vgpu.py")) == base
    assert bl.identity(_v(10, rule="RG103")) != base
    assert bl.identity(_v(10, path="tests/test_other.py")) != base
    assert bl.identity(_v(10, definition="VGPUTests.tearDown")) != base
    assert bl.identity(_v(10, source="CONF.host = 'y'")) != base


def test_identity_is_unambiguous_when_parts_contain_separators() -> None:
    assert bl.identity(_v(1, definition="a", source="b|c")) != bl.identity(
        _v(1, definition="a|b", source="c")
    )


def test_from_violations_counts_repeats_and_skips_otherwise_suppressed_ones() -> None:
    b = bl.from_violations([_v(1), _v(2), _v(3, source="other()"), _v(4, suppressed="ignore")])
    assert dict(b) == {bl.identity(_v(1)): 2, bl.identity(_v(3, source="other()")): 1}
    assert len(b) == 2


def test_baseline_is_immutable() -> None:
    b = bl.from_violations([_v(1)])
    with pytest.raises(TypeError):
        b[bl.identity(_v(1))] = 5  # type: ignore[index]


def test_dump_is_stable_sorted_versioned_json_that_loads_back(tmp_path: Path) -> None:
    vs = [_v(3, path="b.py"), _v(1, path="a.py"), _v(2, path="a.py"), _v(5, rule="RG201")]
    text = bl.dump(bl.from_violations(vs))
    assert text == bl.dump(bl.from_violations(reversed(vs)))
    data = json.loads(text)
    assert data["version"] == bl.VERSION
    assert [(e["path"], e["rule"], e["count"]) for e in data["violations"]] == [
        ("a.py", "RG101", 2),
        ("b.py", "RG101", 1),
        ("tests/test_vgpu.py", "RG201", 1),
    ]
    assert data["violations"][0]["code"] == "CONF.host = 'x'"
    f = tmp_path / "baseline.json"
    assert bl.save(f, bl.from_violations(vs)).status == "written"
    assert bl.load(f) == bl.from_violations(vs)


def test_save_with_a_snapshot_refuses_a_baseline_edited_meanwhile(tmp_path: Path) -> None:
    f = tmp_path / "baseline.json"
    f.write_text(bl.dump(bl.Baseline()))
    snap = read_for_rewrite(f)
    f.write_text(bl.dump(bl.from_violations([_v(1)])))
    assert bl.save(snap, bl.Baseline()).status == "changed"


def test_a_missing_baseline_file_is_empty(tmp_path: Path) -> None:
    assert bl.load(tmp_path / "nope.json") == {}


@pytest.mark.parametrize(
    "text",
    [
        "{not json",
        "[]",
        '{"version": 2, "violations": []}',
        '{"version": 1}',
        '{"version": 1, "violations": [{"rule": "RG101"}]}',
        '{"version": 1, "violations": [{"rule": "RG101", "path": "a", "definition": "",'
        ' "code": "x", "count": 0}]}',
        '{"version": 1, "violations": [{"rule": "RG101", "path": "a", "definition": "",'
        ' "code": "x", "count": true}]}',
    ],
)
def test_a_malformed_baseline_raises_an_error_naming_the_file(tmp_path: Path, text: str) -> None:
    f = tmp_path / "baseline.json"
    f.write_text(text)
    with pytest.raises(ReviewgateError, match="malformed baseline") as info:
        bl.load(f)
    assert info.value.path == str(f)
    assert str(f) in str(info.value)


def test_apply_suppresses_known_violations_until_the_count_is_exceeded() -> None:
    b = bl.from_violations([_v(10), _v(20)])
    current = [_v(30), _v(5), _v(18, source="CONF.host  = 'x'"), _v(40, source="new()")]
    out = bl.apply(b, current)
    assert [v.line for v in out] == [30, 5, 18, 40]
    assert [v.suppressed for v in out] == ["", "baseline", "baseline", ""]


def test_apply_leaves_other_suppressions_alone_and_does_not_spend_counts_on_them() -> None:
    b = bl.from_violations([_v(1)])
    out = bl.apply(b, [_v(1, suppressed="ignore"), _v(2, suppressed="open"), _v(3)])
    assert [v.suppressed for v in out] == ["ignore", "open", "baseline"]


def test_apply_with_an_empty_baseline_changes_nothing() -> None:
    vs = [_v(1), _v(2)]
    assert bl.apply(bl.Baseline(), vs) == vs


def test_compare_reports_grown_and_shrunk_counts() -> None:
    b = bl.from_violations([_v(1), _v(2), _v(3, source="gone()")])
    cmp = bl.compare(b, [_v(1), _v(2), _v(3), _v(4, source="new()")])
    assert cmp.grown == {bl.identity(_v(1)): 1, bl.identity(_v(4, source="new()")): 1}
    assert cmp.shrunk == {bl.identity(_v(3, source="gone()")): 1}
