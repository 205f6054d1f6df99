"""A parsed review survives the trip through JSON that the parse cache makes, exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_reviewgate.review import codec
from pytest_reviewgate.review.parser import parse_review

# the shared samples sit beside the checkout (``/work/shared`` for ``/work/main`` and ``/work/wt/<name>``)
SAMPLES = next((p / "shared" / "review-samples" for p in Path(__file__).resolve().parents
                if (p / "shared" / "review-samples").is_dir()), Path("shared") / "review-samples")
FULL = """---
module: test_x.py
requires: pytest>=7
expect:
  - rule: RG101
    on: [TestX.test_a]
    severity: warning
pins:
  TestX.test_a: abc123
---
Review of test_x.py.

1. **Config leak (CWE-664)**: lines 4-9, `TestX.test_a`, _helper()
   - the override of `CONF.region` persists.
   expect: config-reverted-via-fixtures on TestX.test_a, lines 2-3
   status: open
   id: config-leak

2. **No issue**: There isn't any direct evidence of a defect; use `tmp_path` and `_x`{.noanchor}.
   anchors: none

expect: the tests to pass
"""


def round_trip(data: bytes, name: str) -> None:
    review = parse_review(data, name)
    stored = json.loads(json.dumps(codec.dump(review)))
    assert codec.load(stored) == review


def test_an_entry_written_before_mentions_existed_is_parsed_afresh() -> None:
    data = json.loads(json.dumps(codec.dump(parse_review(FULL.encode(), "test_x.review.txt"))))
    for finding in data["findings"]:
        del finding["mentions"], finding["unanchored"]
    with pytest.raises(ValueError, match="not a dumped review"):
        codec.load(data)
    assert codec.VERSION >= 2  # and the cache key changed with the fields


def test_a_pin_named_like_a_parameter_round_trips() -> None:
    review = parse_review(FULL.replace("TestX.test_a: abc123", "obj: abc123").encode(), "test_x.review.txt")
    assert review.pins == {"obj": "abc123"}
    assert codec.load(json.loads(json.dumps(codec.dump(review)))) == review


def test_a_review_with_every_kind_of_field_round_trips() -> None:
    review = parse_review(FULL.encode(), "test_x.review.txt")
    assert review.findings[0].line_anchors
    assert review.findings[0].symbol_anchors
    assert [(m.name, m.role) for m in review.findings[1].mentions] == [("tmp_path", "recommended"), ("_x", "marked")]
    assert review.findings[1].unanchored
    assert review.problems
    round_trip(FULL.encode(), "test_x.review.txt")


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="shared review samples not present")
def test_every_sample_round_trips() -> None:
    samples = sorted(SAMPLES.glob("*.txt"))
    assert samples
    for sample in samples:
        round_trip(sample.read_bytes(), sample.name)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from([*"1.-*` \n:abcxyz_()eCWE#", "lines 3-4", "expect: RG101 on a", "---\n"])).map("".join))
def test_arbitrary_text_round_trips(text: str) -> None:
    round_trip(text.encode(), "test_x.review.txt")


def _tampered(**changes: object) -> dict[str, object]:
    data = json.loads(json.dumps(codec.dump(parse_review(FULL.encode(), "test_x.review.txt"))))
    finding = data["findings"][0]
    for key, value in changes.items():
        where, _, field = key.partition("__")
        target = {"review": data, "finding": finding, "anchor": finding["line_anchors"][0]}[where]
        target[field] = value
    return data


@pytest.mark.parametrize(
    "damaged",
    [
        None, [], {}, {"path": "x"}, {"findings": 3}, "text",
        _tampered(review__module=7),
        _tampered(review__front_matter_lines=[1e999, 0]),
        _tampered(review__pins={"a": 1}),
        _tampered(review__pins={"obj": 1}),
        _tampered(finding__first_line="3"),
        _tampered(finding__first_line=True),
        _tampered(finding__expectations=[{"rule": 101}]),
        _tampered(anchor__digits=[[1]]),
        _tampered(finding__unanchored="yes"),
        _tampered(finding__mentions=[{"name": "x", "line": 1, "offset": 0, "bullet": 0, "kind": "backtick",
                                      "role": 3}]),
        _tampered(finding__mentions=None),
    ],
)
def test_data_it_did_not_write_is_a_value_error(damaged: object) -> None:
    with pytest.raises(ValueError, match="not a dumped review"):
        codec.load(damaged)
