"""Safe rewriting of user files and the byte-preserving text edits for fix and pin."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from pytest_reviewgate.model import ReviewgateError
from pytest_reviewgate.report.rewrite import (
    apply_replacements,
    decode,
    read_for_rewrite,
    set_pins,
    write_atomically,
    yaml_quote,
)

REVIEW = (
    "\ufeff1. **Café config leak** (CWE-664)\r\n"
    "   - `_create_mdev` lines 85-101 change the config.\r"
    "   - Also line 7, naïvely.\n"
    "\r\n"
    "Conclusion: ça va.\f next\u2028same line\r\n"
).encode()


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if "reviewgate-tmp" in p.name)


def _front_matter(data: bytes) -> object:
    text, _ = decode(data)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    assert lines[0] == "---"
    close = next(i for i in range(1, len(lines)) if lines[i] in ("---", "..."))
    return yaml.safe_load("\n".join(lines[1:close]))


# -- apply_replacements ------------------------------------------------------


def test_digit_replacement_keeps_bom_crlf_cr_and_accented_text_byte_for_byte() -> None:
    text, bom = decode(REVIEW)
    assert bom
    start = text.index("85")
    end = text.index("101")
    seven = text.index("7,")
    out = apply_replacements(
        REVIEW, [(end, end + 3, "113"), (start, start + 2, "98"), (seven, seven + 1, "12")]
    )
    expected = REVIEW.replace(b"85-101", b"98-113").replace(b"line 7,", b"line 12,")
    assert out == expected


def test_offsets_count_characters_of_the_text_without_the_bom() -> None:
    data = "\ufeffé 1".encode()
    assert apply_replacements(data, [(2, 3, "2")]) == "\ufeffé 2".encode()
    assert apply_replacements(b"\xc3\xa9 1", [(2, 3, "2")]) == "é 2".encode()


def test_replacing_anything_but_digits_is_refused() -> None:
    with pytest.raises(ValueError, match="digits"):
        apply_replacements(b"lines 85-101", [(0, 5, "12")])
    with pytest.raises(ValueError, match="digits"):
        apply_replacements(b"lines 85-101", [(6, 8, "x")])
    assert apply_replacements(b"lines 85", [(0, 5, "line")], digits_only=False) == b"line 85"


def test_overlapping_or_out_of_range_replacements_are_refused() -> None:
    with pytest.raises(ValueError, match="overlaps"):
        apply_replacements(b"123456", [(0, 3, "1"), (2, 4, "2")])
    with pytest.raises(ValueError, match="out of range"):
        apply_replacements(b"12", [(1, 5, "1")])


def test_bytes_that_are_not_utf8_raise_a_value_error() -> None:
    with pytest.raises(ValueError, match="utf-8"):
        apply_replacements(b"line \xff 1", [])


# -- write_atomically ----------------------------------------------------------


def test_write_keeps_the_mode_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    f = tmp_path / "test_x.review.txt"
    f.write_bytes(b"old")
    f.chmod(0o640)
    result = write_atomically(read_for_rewrite(f), b"new")
    assert result.ok
    assert result.status == "written"
    assert f.read_bytes() == b"new"
    assert stat.S_IMODE(f.stat().st_mode) == 0o640
    assert _leftovers(tmp_path) == []


def test_write_follows_a_symlink_and_the_link_stays_a_link(tmp_path: Path) -> None:
    target = tmp_path / "real" / "test_x.review.txt"
    target.parent.mkdir()
    target.write_bytes(b"old")
    link = tmp_path / "link.review.txt"
    link.symlink_to(target)
    snap = read_for_rewrite(link)
    assert snap.real_path == str(target)
    assert write_atomically(snap, b"new").status == "written"
    assert link.is_symlink()
    assert target.read_bytes() == b"new"
    assert _leftovers(target.parent) == []


def test_a_file_changed_since_it_was_read_is_left_alone(tmp_path: Path) -> None:
    f = tmp_path / "r.txt"
    f.write_bytes(b"old")
    snap = read_for_rewrite(f)
    f.write_bytes(b"edited by the user")
    result = write_atomically(snap, b"new")
    assert not result.ok
    assert result.status == "changed"
    assert "changed since it was read" in result.message
    assert str(f) in result.message
    assert f.read_bytes() == b"edited by the user"


def test_a_retargeted_symlink_counts_as_changed(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.write_bytes(b"same")
    b.write_bytes(b"same")
    link = tmp_path / "link"
    link.symlink_to(a)
    snap = read_for_rewrite(link)
    link.unlink()
    link.symlink_to(b)
    assert write_atomically(snap, b"new").status == "changed"
    assert a.read_bytes() == b.read_bytes() == b"same"


def test_a_file_removed_since_it_was_read_is_not_recreated(tmp_path: Path) -> None:
    f = tmp_path / "r.txt"
    f.write_bytes(b"old")
    snap = read_for_rewrite(f)
    f.unlink()
    assert write_atomically(snap, b"new").status == "changed"
    assert not f.exists()


def test_a_read_only_file_is_reported_by_name_and_not_written(tmp_path: Path) -> None:
    f = tmp_path / "r.txt"
    f.write_bytes(b"old")
    f.chmod(0o444)
    result = write_atomically(read_for_rewrite(f), b"new")
    assert result.status == "error"
    assert "read-only" in result.message
    assert str(f) in result.message
    assert f.read_bytes() == b"old"
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("error", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_an_interrupted_write_keeps_the_original_and_removes_the_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: BaseException
) -> None:
    f = tmp_path / "r.txt"
    f.write_bytes(b"old")
    snap = read_for_rewrite(f)

    def fail(*args: object) -> None:
        raise error

    monkeypatch.setattr(os, "replace", fail)
    if isinstance(error, OSError):
        result = write_atomically(snap, b"new")
        assert result.status == "error"
        assert "No space left" in result.message
    else:
        with pytest.raises(KeyboardInterrupt):
            write_atomically(snap, b"new")
    assert f.read_bytes() == b"old"
    assert _leftovers(tmp_path) == []


def test_a_failure_while_writing_the_data_keeps_the_original(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = tmp_path / "r.txt"
    f.write_bytes(b"old")

    def fail(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", fail)
    assert write_atomically(f, b"new").status == "error"
    assert f.read_bytes() == b"old"
    assert _leftovers(tmp_path) == []


def test_a_plain_path_is_created_with_the_usual_permissions(tmp_path: Path) -> None:
    f = tmp_path / "baseline.json"
    assert write_atomically(f, b"{}").status == "written"
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(f.stat().st_mode) == 0o666 & ~umask
    assert f.read_bytes() == b"{}"


def test_identical_content_is_not_rewritten(tmp_path: Path) -> None:
    f = tmp_path / "r.txt"
    f.write_bytes(b"same")
    os.utime(f, ns=(1, 1))
    assert write_atomically(read_for_rewrite(f), b"same").status == "unchanged"
    assert f.stat().st_mtime_ns == 1


def test_reading_a_missing_file_raises_an_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(ReviewgateError, match=r"missing\.txt"):
        read_for_rewrite(tmp_path / "missing.txt")


def test_snapshot_records_size_hash_and_mtime(tmp_path: Path) -> None:
    f = tmp_path / "r.txt"
    f.write_bytes(b"abc")
    snap = read_for_rewrite(f)
    assert (snap.data, snap.size, snap.mtime_ns) == (b"abc", 3, f.stat().st_mtime_ns)
    assert snap.sha256.startswith("ba7816bf")


# -- set_pins --------------------------------------------------------------------

PINS = {"finding-1/lines 85-101": "3f2a9c01", "finding-2/`f()`": 'a"b\\c'}


def test_pins_create_front_matter_with_the_file_line_ending_and_bom() -> None:
    out = set_pins(REVIEW, PINS)
    assert out.startswith("\ufeff---\r\npins:\r\n".encode())
    assert out.endswith(REVIEW[3:])
    assert _front_matter(out) == {"pins": PINS}


def test_pins_without_line_endings_default_to_lf() -> None:
    assert set_pins(b"", {"a": "b"}) == b'---\npins:\n  "a": "b"\n---\n'
    assert set_pins(b"x", {}) == b"---\npins: {}\n---\nx"


def test_pins_are_added_before_the_closing_line_of_existing_front_matter() -> None:
    data = b"---\r\nmodule: test_vgpu.py  # the module\r\nrequires: '>=0.2'\r\n---\r\nbody\r\n"
    out = set_pins(data, PINS)
    assert out.startswith(data[: data.index(b"---\r\nbody")])
    assert out.endswith(b"---\r\nbody\r\n")
    assert _front_matter(out) == {"module": "test_vgpu.py", "requires": ">=0.2", "pins": PINS}


@pytest.mark.parametrize(
    "old_pins",
    [
        "pins: {}  # written by --reviewgate-pin\n",
        "pins:\n  old/key: deadbeef\n\n  other: 1\n",
        'pins: {"a": "b",\n   "c": "d"}\n',
        "pins:\n- stray\n",
        '"pins":\n    x: y\n',
    ],
)
def test_existing_pins_are_replaced_and_every_other_byte_kept(old_pins: str) -> None:
    head = "---\nmodule: m.py\n"
    tail = "expect:\n  - rule: mocks-undone\n    status: open\n---\n1. Finding\n"
    out = set_pins((head + old_pins + tail).encode(), PINS).decode()
    assert out.startswith(head + "pins:\n")
    assert out.endswith(tail)
    assert _front_matter(out.encode()) == {
        "module": "m.py",
        "pins": PINS,
        "expect": [{"rule": "mocks-undone", "status": "open"}],
    }


def test_front_matter_may_close_with_dots() -> None:
    data = b"---\nmodule: m.py\n...\nbody\n"
    assert set_pins(data, {"k": "v"}) == b'---\nmodule: m.py\npins:\n  "k": "v"\n...\nbody\n'


def test_pins_keep_a_blank_line_that_separates_the_next_key() -> None:
    data = b"---\npins:\n  a: b\n\nmodule: m.py\n---\n"
    assert set_pins(data, {"k": "v"}) == b'---\npins:\n  "k": "v"\n\nmodule: m.py\n---\n'


def test_a_dashes_line_without_a_closing_one_is_not_front_matter() -> None:
    data = b"---\nJust a rule line in prose\n"
    out = set_pins(data, {"k": "v"})
    assert out == b'---\npins:\n  "k": "v"\n---\n' + data


@pytest.mark.parametrize("front", [b"- a list\n", b"module: [\n", b"{module: m.py}\n"])
def test_front_matter_that_is_no_block_mapping_is_refused(front: bytes) -> None:
    with pytest.raises(ValueError, match="front matter"):
        set_pins(b"---\n" + front + b"---\n", {"k": "v"})


def test_a_second_pins_key_is_refused_rather_than_left_to_win() -> None:
    with pytest.raises(ValueError, match="without changing"):
        set_pins(b"---\npins: {}\npins: {a: b}\n---\n", {"k": "v"})


@given(st.text())
def test_any_text_round_trips_through_a_yaml_double_quoted_scalar(value: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return  # lone surrogates cannot be in a file at all
    assert yaml.safe_load(yaml_quote(value)) == value


@given(st.dictionaries(st.text(min_size=1), st.text()))
def test_set_pins_round_trips_any_keys_and_values(pins: dict[str, str]) -> None:
    try:
        "".join(pins).encode() + "".join(pins.values()).encode()
    except UnicodeEncodeError:
        return
    out = set_pins(b"---\nmodule: m.py\n---\nbody\n", pins)
    assert _front_matter(out) == {"module": "m.py", "pins": pins}
    assert out.endswith(b"\n---\nbody\n")


def test_the_report_layer_imports_neither_pytest_nor_yaml() -> None:
    code = (
        "import sys\n"
        "import pytest_reviewgate.report.rewrite, pytest_reviewgate.report.sarif\n"
        "import pytest_reviewgate.report.baseline\n"
        "print(sorted({'pytest', '_pytest', 'yaml', 'jsonschema'} & set(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
