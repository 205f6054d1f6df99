"""Per-rule counts of one run over the prepared suite, and a seeded sample of sites to read.

Reads the run's output (``-rf`` lines) and SARIF. Prints, per rule: failing items, distinct sites
(file:line) that fail an item, how many of those lie outside the reviewed module, inherited sites
reported as warnings (and how many reviewed modules reach them); writes every site and a sample of
25 per rule (``random.seed(13)``) with the source around each to ``<out>.sites.tsv`` / ``.sample.txt``.
Usage: python bench/precision-state/measure.py RUN.txt RUN.sarif ROOT [--rules RG101,RG102,RG103]
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections import defaultdict
from pathlib import Path
from urllib.parse import unquote, urlparse

FAILED = re.compile(r"^FAILED (\S+?\.review\.txt)::expect::(\S+)", re.M)
INHERITED = re.compile(r"\(inherited by (\d+) reviewed modules?")
NAMES = {
    "config-reverted-via-fixtures": "RG101",
    "env-reverted-via-fixtures": "RG102",
    "no-unreverted-monkeypatch": "RG103",
}


BASE = ""  # the run's %SRCROOT%, as a path ending in "/"
ROOT = ""  # the suite's root, as a path ending in "/": paths are shown relative to it


def _uri(location: dict) -> str:
    """The file of a location, relative to the suite's root whatever rootdir the run had."""
    artifact = location["physicalLocation"]["artifactLocation"]
    uri = unquote(str(artifact["uri"]))
    full = BASE + uri if artifact.get("uriBaseId") else urlparse(uri).path
    return full.removeprefix(ROOT)


def load_sites(sarif: Path, root: Path) -> dict[str, dict[tuple[str, int], dict]]:
    """rule -> (file, line) -> {messages, reviews, levels, modules}."""
    global BASE, ROOT
    data = json.loads(sarif.read_text())
    BASE = urlparse(data["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]).path
    ROOT = str(root.resolve()) + "/"
    sites: dict[str, dict[tuple[str, int], dict]] = defaultdict(dict)
    for result in data["runs"][0]["results"]:
        if result.get("suppressions"):
            continue
        location = result["locations"][0]
        key = (_uri(location), int(location["physicalLocation"]["region"].get("startLine", 0)))
        site = sites[result["ruleId"]].setdefault(
            key, {"messages": set(), "reviews": set(), "failing": set(), "levels": set(), "modules": 0}
        )
        site["messages"].add(result["message"]["text"])
        site["levels"].add(result.get("level", "error"))
        for related in result.get("relatedLocations", []):
            site["reviews"].add(_uri(related))
            if result.get("level", "error") == "error":
                site["failing"].add(_uri(related))
        inherited = INHERITED.search(result["message"]["text"])
        site["modules"] = max(site["modules"], int(inherited.group(1)) if inherited else 0)
    return sites


def reviewed(review: str) -> str:
    return review.removesuffix(".review.txt") + ".py"


def context(root: Path, path: str, line: int, around: int = 3) -> str:
    try:
        lines = (root / path).read_text().splitlines()
    except OSError:
        return "    (unreadable)"
    low, high = max(line - around, 1), min(line + around, len(lines))
    return "\n".join(f"{'>' if n == line else ' '}{n:6} {lines[n - 1]}" for n in range(low, high + 1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("run", type=Path)
    parser.add_argument("sarif", type=Path)
    parser.add_argument("root", type=Path)
    parser.add_argument("--rules", default="RG101,RG102,RG103")
    parser.add_argument("--size", type=int, default=25)
    args = parser.parse_args()
    failed: dict[str, set[str]] = defaultdict(set)
    for review, name in FAILED.findall(args.run.read_text()):
        failed[NAMES.get(name, name)].add(review)
    sites = load_sites(args.sarif, args.root)
    stem = args.sarif.with_suffix("")
    rows, sample_text = [], []
    for code in args.rules.split(","):
        found = sites.get(code, {})
        failing = {k: s for k, s in found.items() if "error" in s["levels"]}
        warned = {k: s for k, s in found.items() if "error" not in s["levels"]}
        outside = {k for k, s in failing.items() if any(reviewed(r) != k[0] for r in s["failing"])}
        only_outside = sum(
            1 for review in failed[code]
            if all(k[0] != reviewed(review) for k, s in failing.items() if review in s["failing"])
        )
        print(
            f"{code}: {len(failed[code])} failing items; {len(failing)} distinct failing sites, "
            f"{len(outside)} outside the reviewed module; {only_outside} items fail only on other files' "
            f"lines; {len(warned)} inherited sites as warnings "
            f"(reached by {sum(s['modules'] for s in warned.values())} module-site pairs)"
        )
        for (path, line), site in sorted(found.items()):
            rows.append(f"{code}\t{path}\t{line}\t{'/'.join(sorted(site['levels']))}\t{len(site['reviews'])}"
                        f"\t{sorted(site['messages'])[0]}")
        random.seed(13)
        keys = sorted(found)
        for number, (path, line) in enumerate(random.sample(keys, min(args.size, len(keys))), 1):
            site = found[(path, line)]
            sample_text.append(
                f"== {code} #{number} {path}:{line} [{'/'.join(sorted(site['levels']))}, "
                f"{len(site['reviews'])} reviews]\n   {sorted(site['messages'])[0]}\n"
                f"{context(args.root, path, line)}\n"
            )
    Path(f"{stem}.sites.tsv").write_text("\n".join(rows) + "\n")
    Path(f"{stem}.sample.txt").write_text("\n".join(sample_text))
    print(f"wrote {stem}.sites.tsv and {stem}.sample.txt")


if __name__ == "__main__":
    main()
