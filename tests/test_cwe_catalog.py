"""The shipped CWE catalog, its loader, typo suggestions, `cwe-taxonomy` parsing and the script that makes it."""

from __future__ import annotations

import fnmatch
import importlib.util
import re
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from pytest_reviewgate import cwe
from pytest_reviewgate.config import ConfigError, Settings, settings_from_table
from pytest_reviewgate.cwe import CATALOG, PILLARS, Taxonomy, closest, cwe_name, parse_catalog

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "pytest_reviewgate" / cwe.DATA
# ids that real reviews cite and the ten pillars rejected; 772 is the CWE of RG201 and RG301
REAL = (20, 377, 400, 526, 772)


# -- the shipped data ---------------------------------------------------------------------------


def test_the_shipped_catalog_is_whole_and_says_what_it_holds() -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    counts = r"(\d+) weaknesses, (\d+) categories, (\d+) views, (\d+) ids"
    head = re.search(rf"^# CWE catalog version (4\.\d+) \(.+\): {counts}$", text, re.MULTILINE)
    assert head, "the first comment names the version and the counts"
    weaknesses, categories, views, total = (int(head.group(n)) for n in range(2, 6))
    assert weaknesses >= 940
    assert categories >= 370
    assert views >= 50
    assert weaknesses + categories + views == total == len(cwe.catalog().names)
    assert cwe.catalog().version == head.group(1)
    assert re.search(r"^# Source: .+$", text, re.MULTILINE)
    assert "The MITRE Corporation" in text  # the terms of use ask every copy to carry them


def test_the_shipped_catalog_is_sorted_with_one_line_per_id() -> None:
    rows = [line.split("\t") for line in SHIPPED.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    assert all(len(row) == 2 and row[0].isdigit() and row[1] == row[1].strip() and row[1] for row in rows)
    ids = [int(row[0]) for row in rows]
    assert ids == sorted(set(ids))


def test_weaknesses_categories_and_views_have_their_names() -> None:
    assert cwe_name(772) == "Missing Release of Resource after Effective Lifetime"
    assert cwe_name(664) == "Improper Control of a Resource Through its Lifetime"
    assert cwe_name(1000) == "Research Concepts"  # a view
    assert cwe_name(2) == "7PK - Environment"  # a category
    assert cwe_name(6640) is None
    assert cwe.describe(20) == "CWE-20 (Improper Input Validation)"
    assert cwe.describe(99999) == "CWE-99999"


def test_the_catalog_holds_the_ids_real_reviews_cite_and_every_pillar() -> None:
    assert all(cwe_id in CATALOG for cwe_id in (*REAL, *PILLARS, 1059, 1088, 1106))
    assert 6640 not in CATALOG
    assert 0 not in CATALOG


def test_the_data_file_is_package_data() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    patterns = config["package-data"]["pytest_reviewgate"]
    assert any(fnmatch.fnmatch(cwe.DATA, pattern) for pattern in patterns)


def test_reading_the_configuration_does_not_read_the_catalog() -> None:
    cwe.catalog.cache_clear()
    settings = settings_from_table({"cwe-taxonomy": "catalog", "extend-cwe-taxonomy": [99999]})
    settings.digest()
    Settings().digest()
    taxonomy = settings.cwe_taxonomy
    assert taxonomy is not None
    assert 99999 in taxonomy  # an extra id needs no catalog either
    assert cwe.catalog.cache_info().currsize == 0
    assert 772 in taxonomy
    assert cwe.catalog.cache_info().currsize == 1


# -- the loader ---------------------------------------------------------------------------------


def test_parse_catalog_reads_ids_names_and_the_version_and_skips_comments() -> None:
    text = "# CWE catalog version 4.99 (2030-01-01): x\n# id<TAB>name\n\n7\tSeven  \n42\tThe Answer\n"
    catalog = parse_catalog(text)
    assert catalog.version == "4.99"
    assert dict(catalog.names) == {7: "Seven", 42: "The Answer"}


@pytest.mark.parametrize("line", ["42 The Answer", "x\tName", "42\t ", "-1\tMinus"])
def test_parse_catalog_names_the_line_it_cannot_read(line: str) -> None:
    with pytest.raises(ValueError, match=r"^line 3: expected `id<TAB>name`"):
        parse_catalog(f"# c\n1\tOne\n{line}\n")


# -- suggestions --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "known", "expected"),
    [
        (6640, [640, 660, 664], [664]),  # an extra digit: the longest common prefix wins
        (7720, [772, 720], [772]),
        (12435, [1243, 12345], [1243]),  # an extra digit beats a swap
        (1243, [1234, 1244], [1234]),  # a swap beats a wrong digit
        (1234, [12345, 1235], [1235]),  # a wrong digit beats a missing one
        (477, [4777], [4777]),
        (1236, [1234, 1235, 1237, 1238, 1239], [1234, 1235, 1237]),  # at most three of a tie
        (772, [772], []),  # itself is no suggestion
        (99, [9, 999], []),  # two digits: too many ids are one slip away
        (5000, [6001, 500_000], []),  # two slips away
    ],
)
def test_closest_ids_are_one_slip_away_best_first(typed: int, known: list[int], expected: list[int]) -> None:
    assert closest(typed, known) == expected


def test_deprecated_entries_are_never_suggested() -> None:
    assert (cwe_name(1187) or "").startswith("DEPRECATED:")
    assert closest(11870, [1187]) == []
    assert closest(11870, [1187, 1180]) == [1180]


# -- RG002's message ----------------------------------------------------------------------------


def test_an_unknown_id_names_the_closest_catalog_entry() -> None:
    assert CATALOG.problem(6640) == (
        "CWE-6640 is not in the CWE catalog; "
        "did you mean CWE-664 (Improper Control of a Resource Through its Lifetime)?"
    )
    assert CATALOG.problem(99999) == "CWE-99999 is not in the CWE catalog"


def test_a_real_id_outside_a_chosen_taxonomy_is_named_without_suggestions() -> None:
    pillars = settings_from_table({"cwe-taxonomy": "pillars"}).cwe_taxonomy
    assert pillars is not None
    assert pillars.problem(772) == (
        'CWE-772 (Missing Release of Resource after Effective Lifetime) is not in cwe-taxonomy ("pillars")'
    )
    assert pillars.problem(7100) == (
        'CWE-7100 is in neither cwe-taxonomy ("pillars") nor the CWE catalog; '
        "did you mean CWE-710 (Improper Adherence to Coding Standards)?"
    )
    listed = Taxonomy(catalog=False, ids=frozenset({20}), label="")
    assert listed.problem(99999) == "CWE-99999 is in neither cwe-taxonomy nor the CWE catalog"


# -- `cwe-taxonomy` -----------------------------------------------------------------------------


def test_the_default_taxonomy_is_the_catalog() -> None:
    taxonomy = Settings().cwe_taxonomy
    assert taxonomy == settings_from_table({}).cwe_taxonomy
    assert taxonomy == settings_from_table({"cwe-taxonomy": "catalog"}).cwe_taxonomy
    assert taxonomy is not None
    assert all(cwe_id in taxonomy for cwe_id in REAL)
    assert 6640 not in taxonomy


def test_pillars_any_and_a_list_remain() -> None:
    pillars = settings_from_table({"cwe-taxonomy": "pillars"}).cwe_taxonomy
    assert pillars is not None
    assert sorted(cwe_id for cwe_id in (*REAL, *PILLARS) if cwe_id in pillars) == sorted(PILLARS)
    assert settings_from_table({"cwe-taxonomy": "any"}).cwe_taxonomy is None
    listed = settings_from_table({"cwe-taxonomy": [772, 99999]}).cwe_taxonomy
    assert listed is not None
    assert (772 in listed, 99999 in listed, 664 in listed) == (True, True, False)


@pytest.mark.parametrize("order", ["extend-last", "extend-first"])
def test_extend_adds_ids_to_the_chosen_taxonomy_whatever_the_table_order(order: str) -> None:
    items = [("cwe-taxonomy", "pillars"), ("extend-cwe-taxonomy", [772, 99999])]
    taxonomy = settings_from_table(dict(items if order == "extend-last" else items[::-1])).cwe_taxonomy
    assert taxonomy is not None
    assert (664 in taxonomy, 772 in taxonomy, 99999 in taxonomy, 20 in taxonomy) == (True, True, True, False)
    catalog = settings_from_table({"extend-cwe-taxonomy": [99999]}).cwe_taxonomy
    assert catalog is not None
    assert (20 in catalog, 99999 in catalog, 99998 in catalog) == (True, True, False)
    assert settings_from_table({"cwe-taxonomy": "any", "extend-cwe-taxonomy": [1]}).cwe_taxonomy is None


def test_each_taxonomy_has_its_own_digest() -> None:
    tables: list[dict[str, object]] = [
        {},
        {"cwe-taxonomy": "pillars"},
        {"cwe-taxonomy": "any"},
        {"cwe-taxonomy": sorted(PILLARS)},
        {"extend-cwe-taxonomy": [99999]},
    ]
    digests = [settings_from_table(table).digest() for table in tables]
    assert len(set(digests)) == len(tables)
    assert settings_from_table({"cwe-taxonomy": "catalog"}).digest() == Settings().digest()


EXPECTED = "expected \"catalog\", \"pillars\", \"any\" or a list of CWE numbers"


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"cwe-taxonomy": "pilars"}, f"cwe-taxonomy: {EXPECTED}, got 'pilars'"),
        ({"cwe-taxonomy": [True]}, f"cwe-taxonomy: {EXPECTED}, got [True]"),
        ({"cwe-taxonomy": [0]}, f"cwe-taxonomy: {EXPECTED}, got [0]"),
        ({"cwe-taxonomy": ["CWE-772"]}, f"cwe-taxonomy: {EXPECTED}, got ['CWE-772']"),
        ({"cwe-taxonomy": 772}, f"cwe-taxonomy: {EXPECTED}, got 772"),
        ({"extend-cwe-taxonomy": "catalog"}, "extend-cwe-taxonomy: expected a list of CWE numbers, e.g. [772, 1088]"),
        ({"extend-cwe-taxonomy": [-1]}, "extend-cwe-taxonomy: expected a list of CWE numbers, e.g. [772, 1088]"),
    ],
)
def test_a_wrong_taxonomy_is_a_config_error_naming_the_key(table: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError) as info:
        settings_from_table(table)
    assert str(info.value) == f"[tool.reviewgate] {message}"


# -- scripts/update_cwe_catalog.py ---------------------------------------------------------------

XML = """<?xml version="1.0" encoding="UTF-8"?>
<Weakness_Catalog Name="CWE" Version="{version}" Date="2031-05-06" xmlns="http://cwe.mitre.org/cwe-7">
  <Weaknesses>
    <Weakness ID="772" Name="Missing Release of Resource after Effective Lifetime" Abstraction="Base"/>
    <Weakness ID="20" Name="Improper  Input
       Validation" Abstraction="Class"/>
  </Weaknesses>
  <Categories><Category ID="2" Name="7PK - Environment"/></Categories>
  <Views><View ID="1000" Name="Research Concepts"/></Views>
  <External_References><External_Reference Reference_ID="REF-1"/></External_References>
</Weakness_Catalog>
"""


@pytest.fixture
def script() -> Iterator[ModuleType]:
    spec = importlib.util.spec_from_file_location("update_cwe_catalog", ROOT / "scripts" / "update_cwe_catalog.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules[spec.name]


def test_the_script_writes_every_weakness_category_and_view_sorted(script: ModuleType, tmp_path: Path) -> None:
    source, output = tmp_path / "cwec_v4.90.xml", tmp_path / "out" / "catalog.tsv"
    source.write_text(XML.format(version="4.90"), encoding="utf-8")
    assert script.main([str(source), "--output", str(output)]) == 0
    text = output.read_text(encoding="utf-8")
    assert text.splitlines()[:2] == [
        "# CWE catalog version 4.90 (2031-05-06): 2 weaknesses, 1 categories, 1 views, 4 ids",
        "# Source: cwec_v4.90.xml",
    ]
    assert "# Copyright (c) 2006-2031, The MITRE Corporation." in text
    assert [line for line in text.splitlines() if not line.startswith("#")] == [
        "2\t7PK - Environment",
        "20\tImproper Input Validation",
        "772\tMissing Release of Resource after Effective Lifetime",
        "1000\tResearch Concepts",
    ]
    catalog = parse_catalog(text)
    assert catalog.version == "4.90"
    assert len(catalog.names) == 4


def test_the_script_reads_the_newest_catalog_of_a_wheel(script: ModuleType, tmp_path: Path) -> None:
    wheel, output = tmp_path / "cwe2-9.1.0-py3-none-any.whl", tmp_path / "catalog.tsv"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("cwe2/database_v9/cwec_v4.9.xml", XML.format(version="4.9"))
        archive.writestr("cwe2/database_v10/cwec_v4.10.xml", XML.format(version="4.10"))
        archive.writestr("cwe2/weakness.py", "")
    script.main([str(wheel), "--output", str(output)])
    lines = output.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# CWE catalog version 4.10 ")
    assert lines[1] == (
        "# Source: cwe2/database_v10/cwec_v4.10.xml of the PyPI package cwe2 9.1.0 (cwe2-9.1.0-py3-none-any.whl)"
    )


def test_the_script_refuses_what_is_no_catalog(script: ModuleType, tmp_path: Path) -> None:
    empty, other = tmp_path / "empty.zip", tmp_path / "other.xml"
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("README", "")
    other.write_text("<Attack_Pattern_Catalog/>", encoding="utf-8")
    with pytest.raises(SystemExit, match="holds no cwec_v"):
        script.main([str(empty), "--output", str(tmp_path / "x.tsv")])
    with pytest.raises(SystemExit, match="not a CWE catalog"):
        script.main([str(other), "--output", str(tmp_path / "x.tsv")])
    assert not (tmp_path / "x.tsv").exists()
