"""RG302 `no-hardcoded-uuids`: physical lines, module level, the `allow` option, messages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pytest

from pytest_reviewgate.model import Violation
from pytest_reviewgate.rules.rg302_no_hardcoded_uuids import NoHardcodedUuids
from pytest_reviewgate.testing import check_rule

UUID = "4b2c6a3e-9f1d-4c1e-8a7b-2d5e6f708192"


def check(source: str, targets: Sequence[str] = (), options: Mapping[str, Any] | None = None) -> list[Violation]:
    config = {"rules": {"RG302": dict(options)}} if options else None
    return check_rule(NoHardcodedUuids, source, targets=targets, config=config)


def test_a_uuid_gets_the_documented_message() -> None:
    [violation] = check(f"def test_it():\n    server_id = '{UUID}'\n")
    assert (violation.rule, violation.line, violation.definition) == ("RG302", 2, "test_it")
    assert violation.source == f"server_id = '{UUID}'"
    assert violation.message == (
        f"hard-coded UUID `{UUID}` -> generate it (`str(uuid.uuid4())`, "
        "`oslo_utils.fixture.uuidsentinel`) or list it under the rule's `allow` option"
    )


def test_uuids_in_a_multi_line_string_are_reported_at_their_own_lines() -> None:
    source = f'def test_it():\n    body = """\n    first\n    {UUID}\n    """\n'
    assert [v.line for v in check(source)] == [4]


def test_a_uuid_spelled_with_escapes_is_located_by_counting_newlines() -> None:
    escaped = "\\x34" + UUID[1:]
    source = f'def test_it():\n    body = """\n    first\n    {escaped}\n    """\n'
    assert [v.line for v in check(source)] == [4]


def test_columns_are_bytes_so_non_ascii_text_before_a_string_is_fine() -> None:
    source = f"def test_it():\n    pair = ('\u00e9\u00e9\u00e9', '{UUID}')\n"
    assert [v.line for v in check(source)] == [2]


def test_module_level_statements_count_only_when_the_whole_module_is_targeted() -> None:
    source = f"SERVER = '{UUID}'\n\n\ndef test_it():\n    assert SERVER\n"
    assert [v.line for v in check(source)] == [1]
    assert check(source, ["test_it"]) == []


def test_docstrings_and_near_misses_are_not_uuids() -> None:
    source = (
        f'def test_it():\n    """Looks up {UUID}."""\n'
        f"    a = '{UUID.replace('-', '')}'\n    b = '{UUID}0'\n    c = 'x{UUID[1:]}'\n"
    )
    assert [v.line for v in check(source)] == []


def test_name_based_uuids_are_expected_values_not_identifiers() -> None:
    # a uuid5/uuid3 result is what a derivation must return: the test has to spell it
    import uuid

    derived = str(uuid.uuid5(uuid.NAMESPACE_DNS, "compute-7"))
    md5 = str(uuid.uuid3(uuid.NAMESPACE_URL, "https://example.org/agents"))
    near = derived[:14] + "4" + derived[15:]  # same digits, version 4: an identifier again
    source = (
        f"def test_it():\n    assert provider_uuid('compute-7') == '{derived}'\n"
        f"    assert url_uuid() == '{md5.upper()}'\n    other = '{near}'\n"
    )
    assert [(v.line, v.message.split('`')[1]) for v in check(source)] == [(4, near)]


@pytest.mark.parametrize(
    ("allow", "reported"),
    [
        ([UUID.upper()], []),
        (["4b2c6a3e-*"], []),
        (["4B2C6A3E-????-*"], []),
        ("4b2c6a3e-*", []),
        (["00000000-*"], [2]),
        ([], [2]),
    ],
)
def test_the_allow_option_takes_literals_and_case_insensitive_globs(allow: Any, reported: list[int]) -> None:
    source = f"def test_it():\n    server_id = '{UUID}'\n"
    assert [v.line for v in check(source, options={"allow": allow})] == reported


def test_a_uuid_the_test_also_writes_in_binary_is_the_expected_result_of_a_conversion() -> None:
    import uuid

    guid = uuid.UUID("5e0c7a1d-3b44-4f2a-9c61-0d8e2f4b7a93")
    source = (
        "def test_little_endian():\n"
        f"    raw = {guid.bytes_le!r}\n"
        f"    assert to_text(raw) == '{guid}'\n"
        "\n\n"
        "def test_big_endian():\n"
        f"    assert str(from_bytes({guid.bytes!r})) == '{str(guid).upper()}'\n"
        "\n\n"
        "def test_other_bytes():\n"
        f"    raw = {bytes(16)!r}\n"
        f"    assert to_text(raw) == '{guid}'\n"
        "\n\n"
        "def test_bytes_elsewhere():\n"
        f"    assert lookup('{guid}')\n"
    )
    assert [(v.line, v.definition) for v in check(source)] == [(12, "test_other_bytes"), (16, "test_bytes_elsewhere")]
