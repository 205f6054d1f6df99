"""Regenerate ``pytest_reviewgate/data/cwe_catalog.tsv`` from MITRE's CWE list in XML.

Usage::

    pip download --no-deps --dest /tmp/cwe cwe2
    python scripts/update_cwe_catalog.py /tmp/cwe/cwe2-3.0.0-py3-none-any.whl

The argument is MITRE's ``cwec_vX.Y.xml``, a zip that holds one (MITRE's ``cwec_latest.xml.zip``),
or a wheel that ships one, such as the PyPI package ``cwe2`` (``cwe2/database_*/cwec_v4.14.xml``);
when an archive holds several, the highest version wins. Every weakness, category and view is
written as ``id<TAB>name``, sorted by id, below a header giving the catalog's version, its source
and MITRE's terms of use, which ask that any copy of CWE carry them. ``--output`` writes elsewhere.
"""

from __future__ import annotations

import argparse
import re
import sys
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "pytest_reviewgate" / "data" / "cwe_catalog.tsv"
SECTIONS = {"Weaknesses": "weaknesses", "Categories": "categories", "Views": "views"}
XML_NAME = re.compile(r"(?:^|/)cwec_(?:v(\d+(?:\.\d+)*)|latest)\.xml$")
WHEEL_NAME = re.compile(r"^([A-Za-z0-9_.]+?)-(\d[^-]*)-.*\.whl$")

# MITRE's copyright designation and license, which the license asks every copy of CWE to reproduce.
TERMS_OF_USE = """\
CWE Usage: MITRE hereby grants you a non-exclusive, royalty-free license to use
CWE for research, development, and commercial purposes. Any copy you make for
such purposes is authorized on the condition that you reproduce MITRE's
copyright designation and this license in any such copy.

DISCLAIMERS

ALL DOCUMENTS AND THE INFORMATION CONTAINED IN THE CWE ARE PROVIDED ON AN
"AS IS" BASIS AND THE CONTRIBUTOR, THE ORGANIZATION HE/SHE REPRESENTS OR IS
SPONSORED BY (IF ANY), THE MITRE CORPORATION, ITS BOARD OF TRUSTEES, OFFICERS,
AGENTS, AND EMPLOYEES, DISCLAIM ALL WARRANTIES, EXPRESS OR IMPLIED, INCLUDING
BUT NOT LIMITED TO ANY WARRANTY THAT THE USE OF THE INFORMATION THEREIN WILL NOT
INFRINGE ANY RIGHTS OR ANY IMPLIED WARRANTIES OF MERCHANTABILITY OR FITNESS FOR
A PARTICULAR PURPOSE AND NONINFRINGEMENT.

IN NO EVENT SHALL THE CONTRIBUTOR, THE ORGANIZATION HE/SHE REPRESENTS OR IS
SPONSORED BY (IF ANY), THE MITRE CORPORATION, ITS BOARD OF TRUSTEES, OFFICERS,
AGENTS, AND EMPLOYEES BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY,
WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
CONNECTION WITH THE INFORMATION OR THE USE OR OTHER DEALINGS IN THE CWE."""


@dataclass(frozen=True)
class Catalog:
    version: str
    date: str
    names: dict[int, str]
    counts: dict[str, int]


def read_xml(path: Path) -> tuple[bytes, str]:
    """The catalog's XML and a sentence naming where it came from."""
    if not zipfile.is_zipfile(path):
        return path.read_bytes(), path.name
    with zipfile.ZipFile(path) as archive:
        members = [(m, XML_NAME.search(m)) for m in archive.namelist()]
        found = [(m, match) for m, match in members if match]
        if not found:
            raise SystemExit(f"{path}: holds no cwec_v*.xml")
        member, _ = max(found, key=lambda pair: tuple(int(p) for p in (pair[1].group(1) or "0").split(".")))
        data = archive.read(member)
    wheel = WHEEL_NAME.match(path.name)
    if wheel:
        return data, f"{member} of the PyPI package {wheel.group(1)} {wheel.group(2)} ({path.name})"
    return data, f"{member} in {path.name}"


def parse(data: bytes) -> Catalog:
    """Every weakness, category and view of a ``Weakness_Catalog`` document, by id."""
    root = ET.fromstring(data)
    if _local(root.tag) != "Weakness_Catalog":
        raise SystemExit(f"not a CWE catalog: the root element is {_local(root.tag)}")
    names: dict[int, str] = {}
    counts = dict.fromkeys(SECTIONS.values(), 0)
    for section in root:
        kind = SECTIONS.get(_local(section.tag))
        if kind is None:
            continue
        for entry in section:
            cwe_id, name = entry.get("ID", ""), " ".join(entry.get("Name", "").split())
            if not cwe_id.isdigit() or not name:
                raise SystemExit(f"{kind}: an entry without a numeric ID or a Name: {entry.attrib}")
            if int(cwe_id) in names:
                raise SystemExit(f"CWE-{cwe_id} appears twice")
            names[int(cwe_id)] = name
            counts[kind] += 1
    return Catalog(root.get("Version", "?"), root.get("Date", "?"), names, counts)


def render(catalog: Catalog, source: str) -> str:
    counts = ", ".join(f"{count} {kind}" for kind, count in catalog.counts.items())
    year = catalog.date[:4] if catalog.date[:4].isdigit() else ""
    header = [
        f"CWE catalog version {catalog.version} ({catalog.date}): {counts}, {len(catalog.names)} ids",
        f"Source: {source}",
        "Regenerate with scripts/update_cwe_catalog.py (its docstring says how to get the data).",
        "",
        f"Copyright (c) 2006-{year}, The MITRE Corporation. CWE, CWSS, CWRAF, and the CWE logo",
        "are trademarks of The MITRE Corporation.",
        "",
        *TERMS_OF_USE.splitlines(),
        "",
        "id<TAB>name",
    ]
    lines = [f"# {line}".rstrip() for line in header]
    lines.extend(f"{cwe_id}\t{name}" for cwe_id, name in sorted(catalog.names.items()))
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("source", type=Path, help="cwec_vX.Y.xml, a zip of it, or a wheel that ships it")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help=f"default: {DEFAULT_OUTPUT}")
    args = parser.parse_args(argv)
    data, source = read_xml(args.source)
    catalog = parse(data)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(render(catalog, source), encoding="utf-8", newline="\n")
    counts = ", ".join(f"{count} {kind}" for kind, count in catalog.counts.items())
    print(f"{args.output}: CWE {catalog.version} ({catalog.date}), {counts}, {args.output.stat().st_size} bytes")
    return 0


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


if __name__ == "__main__":
    sys.exit(main())
