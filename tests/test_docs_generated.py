"""The docs stand alone and cannot rot: generated parts match the code, links resolve, nothing cites private files."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest

from pytest_reviewgate import docs
from pytest_reviewgate.config import RULE_OPTION_KEYS, ConfigError, Settings, settings_from_table
from pytest_reviewgate.rules import BUILTIN_RULES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted((ROOT / "docs").glob("*.md"))
PUBLISHED = [ROOT / "README.md", ROOT / "example_project" / "README.md", *PAGES]
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^(`{3,}|~{3,})")


def _headings(path: Path) -> set[str]:
    """GitHub's anchors of a Markdown file's headings (outside fenced code), with -1, -2 for repeats."""
    anchors: set[str] = set()
    counts: dict[str, int] = {}
    fence = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        opening = FENCE.match(line)
        if opening and (not fence or opening.group(1).startswith(fence)):
            fence = "" if fence else opening.group(1)
            continue
        if fence or not line.startswith("#"):
            continue
        text = line.lstrip("#").strip().replace("`", "")
        slug = re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")
        seen = counts.get(slug, 0)
        counts[slug] = seen + 1
        anchors.add(slug if not seen else f"{slug}-{seen}")
    return anchors


def _links(path: Path) -> list[str]:
    text, inside, fence = [], False, ""
    for line in path.read_text(encoding="utf-8").splitlines():
        opening = FENCE.match(line)
        if opening and (not fence or opening.group(1).startswith(fence)):
            fence = "" if fence else opening.group(1)
            inside = bool(fence)
            continue
        if not inside:
            text.append(line)
    return LINK.findall("\n".join(text))


def test_the_generated_parts_of_readme_and_docs_are_up_to_date() -> None:
    assert docs.stale(ROOT) == [], "run `python -m pytest_reviewgate.docs` and commit the result"


def test_the_docs_command_finds_a_stale_block_and_rebuilds_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(ROOT / "README.md", tmp_path / "README.md")
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    rules = tmp_path / "docs" / "rules.md"
    rules.write_text(rules.read_text(encoding="utf-8").replace("## RG101\n", "## RG101 (edited by hand)\n"))
    assert docs.main(["--check", "--root", str(tmp_path)]) == 1
    assert "docs/rules.md is stale" in capsys.readouterr().out
    assert docs.main(["--root", str(tmp_path)]) == 0
    assert docs.main(["--check", "--root", str(tmp_path)]) == 0
    assert rules.read_text(encoding="utf-8") == (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")


def test_a_file_that_lost_its_block_markers_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(ROOT / "README.md", tmp_path / "README.md")
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    cli = tmp_path / "docs" / "cli.md"
    cli.write_text(cli.read_text(encoding="utf-8").replace("<!-- /options -->", ""))
    assert docs.main(["--check", "--root", str(tmp_path)]) == 2
    assert "docs/cli.md: no block '<!-- options -->'" in capsys.readouterr().err


def test_every_rule_has_a_section_at_its_stable_anchor_with_the_docs_sections() -> None:
    anchors = _headings(ROOT / "docs" / "rules.md")
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    for rule in BUILTIN_RULES:
        assert docs.rule_anchor(rule) == rule.code.lower()
        assert docs.rule_anchor(rule) in anchors, rule.code
        section = text.split(f"\n## {rule.code}\n", 1)[1].split("\n## ", 1)[0]
        for title in ("### What it does", "### Why is this bad?", "### Example", "Use instead:"):
            assert title in section, f"{rule.code}: {title}"


def test_every_settings_field_has_a_documented_key_type_and_default() -> None:
    names = {f.name.replace("_", "-") for f in fields(Settings)}
    assert set(docs.KEY_DOCS) == names, "document the key in KEY_DOCS of pytest_reviewgate/docs.py"
    keys = docs.settings_keys()
    assert [k.name for k in keys] == [f.name.replace("_", "-") for f in fields(Settings)]
    text = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    for key in keys:
        assert f"### `{key.name}`" in text


def test_every_documented_default_is_what_the_parser_makes_of_it() -> None:
    defaults = Settings()
    for key in docs.settings_keys():
        if key.default in ("not set", "empty"):
            continue
        table = tomllib.loads(f"{key.name} = {key.default.strip('`')}")
        assert getattr(settings_from_table(table), key.field) == getattr(defaults, key.field), key.name


def test_keys_documented_as_extendable_are_the_ones_the_parser_extends() -> None:
    for key in docs.settings_keys():
        if key.type == "list of strings":
            assert key.extendable, key.name
            extended = settings_from_table({f"extend-{key.name}": ["x:y"]})
            assert getattr(extended, key.field) == (*getattr(Settings(), key.field), "x:y")
        elif key.name != "cwe-taxonomy":
            assert not key.extendable, key.name
            with pytest.raises(ConfigError):
                settings_from_table({f"extend-{key.name}": []})


def test_every_option_of_every_builtin_rule_is_documented_and_accepted() -> None:
    text = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    for rule in BUILTIN_RULES:
        for option, default in rule.options.items():
            assert option in RULE_OPTION_KEYS, f"{rule.code} {option}"
            assert f"| `{option}` |" in text
            value = list(default) if isinstance(default, tuple) else default
            settings_from_table({"rules": {rule.name: {option: value}}})


def test_every_command_line_option_is_documented() -> None:
    options = [o.name for o in docs.cli_options()]
    assert options
    assert all(o.startswith("--reviewgate-") for o in options)
    assert set(docs.CLI_DOCS) == set(options), "document the option in CLI_DOCS of pytest_reviewgate/docs.py"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "reviewgate", "--help"],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )
    shown = set(re.findall(r"(--reviewgate-[a-z-]+[a-z])", result.stdout))
    assert shown == set(options)
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for option in shown:
        assert f"### `{option}`" in text


@pytest.mark.parametrize("page", PUBLISHED, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_relative_link_and_anchor_resolves(page: Path) -> None:
    for link in _links(page):
        if re.match(r"[a-z]+:", link):
            continue  # https://, mailto:
        target, _, fragment = link.partition("#")
        path = (page.parent / target).resolve() if target else page
        assert path.exists(), f"{page.name}: {link}"
        if fragment and path.suffix == ".md":
            assert fragment in _headings(path), f"{page.name}: {link}"


@pytest.mark.parametrize(
    "path",
    [*PUBLISHED, ROOT / ".pre-commit-hooks.yaml", *sorted((ROOT / "docs" / "ci").iterdir())],
    ids=lambda p: p.relative_to(ROOT).as_posix(),
)
def test_nothing_refers_to_files_a_user_does_not_have(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for private in ("SPEC", "ARCHITECTURE", "shared/", "planning repository", "STYLE.md", "review-samples"):
        assert private not in text, f"{path.name} mentions {private}"
    assert not re.search(r"pip install (-U )?pytest-reviewgate\b", text), "the package is not on PyPI"


def test_the_readme_links_the_docs_and_the_docs_index_links_every_page() -> None:
    readme = {link.partition("#")[0] for link in _links(ROOT / "README.md")}
    index = {link.partition("#")[0] for link in _links(ROOT / "docs" / "README.md")}
    for page in PAGES:
        if page.name != "README.md":
            assert page.name in index, f"docs/README.md does not link {page.name}"
    pages = ("getting-started", "writing-reviews", "review-format", "rules", "configuration", "cli", "custom-rules")
    for name in (*pages, "ci"):
        assert f"docs/{name}.md" in readme, f"README.md does not link docs/{name}.md"


def test_the_cwe_ids_the_prompt_names_are_ones_the_default_taxonomy_accepts() -> None:
    text = (ROOT / "docs" / "writing-reviews.md").read_text(encoding="utf-8")
    prompt = text.split("```text\nYou are reviewing", 1)[1].split("```", 1)[0]
    cited = {int(n) for n in re.findall(r"\b([0-9]{2,4})\b", prompt.split("CWE id", 1)[1].split("\n-", 1)[0])}
    assert cited
    assert all(cwe in Settings().cwe_taxonomy for cwe in cited)
