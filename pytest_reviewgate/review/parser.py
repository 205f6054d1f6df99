"""Review text -> module-level text and an ordered list of findings (SPEC 3.2).

One pass classifies each physical line; a second groups lines into findings. Both are
linear in the input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath

from ..model import Expectation, Finding, LineAnchor, Problem, Review, ReviewgateError, SymbolAnchor
from . import extract, frontmatter
from .polarity import polarity, verdict
from .text import Text, decode

HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
NUMBERED = re.compile(r"^(\s*)(\d{1,9})[.)](?:\s+|$)(.*)$")
BULLET = re.compile(r"^(\s*)[-*+]\s+(.*)$")
BOLD_START = re.compile(r"^\*\*(.+?)\*\*|^__(.+?)__")
WHOLLY_BOLD = re.compile(r"^(?:\*\*(.+)\*\*|__(.+)__)\s*:?$")
NUMBER_TITLE = re.compile(r"^(\d{1,9})[.)]\s+(.*)$")
FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
SENTENCE = re.compile(r"(?<=[.!?])\s")
MARKDOWN = re.compile(r"\*\*|__|`|(?<!\w)\*(?!\s)|(?<!\s)\*(?!\w)")
SLUG = re.compile(r"[^a-z0-9]+")


@dataclass
class Line:
    number: int  # 1-based
    text: str  # with opaque parts blanked
    indent: int
    kind: str  # blank | heading | numbered | bullet | text
    content: str = ""  # the text after the list marker or heading hashes
    number_value: int | None = None


@dataclass
class _Open:
    start: Line
    number: int | None
    title: str
    heading: str
    lines: list[Line] = field(default_factory=list)


def _indent(text: str) -> int:
    width = 0
    for char in text:
        if char == " ":
            width += 1
        elif char == "\t":
            width += 4 - width % 4
        else:
            break
    return width


def _opaque(lines: tuple[str, ...], start: int) -> list[str]:
    """Blank fenced code, block quotes and HTML comments: nothing is taken from them."""
    out: list[str] = []
    fence = ""
    in_comment = False
    for index, raw in enumerate(lines):
        if index < start:
            out.append("")
            continue
        if fence:
            if raw.strip().startswith(fence) and not raw.strip().strip(fence[0]):
                fence = ""
            out.append("")
            continue
        match = FENCE.match(raw)
        if match and not in_comment:
            fence = match.group(1)
            out.append("")
            continue
        text, pos, kept = raw, 0, []
        while pos <= len(text):
            if in_comment:
                end = text.find("-->", pos)
                if end < 0:
                    pos = len(text) + 1
                    break
                in_comment, pos = False, end + 3
            else:
                begin = text.find("<!--", pos)
                if begin < 0:
                    kept.append(text[pos:])
                    break
                kept.append(text[pos:begin] + " " * 4)
                in_comment, pos = True, begin + 4
        line = "".join(kept)
        if line.lstrip().startswith(">"):
            line = ""
        out.append(line)
    return out


def _classify(number: int, text: str) -> Line:
    if not text.strip():
        return Line(number, "", 0, "blank")
    indent = _indent(text)
    heading = HEADING.match(text)
    if heading:
        return Line(number, text, indent, "heading", heading.group(2))
    numbered = NUMBERED.match(text)
    if numbered:
        return Line(number, text, indent, "numbered", numbered.group(3), int(numbered.group(2)))
    bullet = BULLET.match(text)
    if bullet:
        return Line(number, text, indent, "bullet", bullet.group(2))
    return Line(number, text, indent, "text", text.strip())


def clean_title(text: str) -> str:
    text = MARKDOWN.sub("", text).strip()
    return text.rstrip(":").strip()


def _title(content: str) -> str:
    bold = BOLD_START.match(content.strip())
    if bold:
        return clean_title(bold.group(1) or bold.group(2))
    plain = clean_title(content)
    first = SENTENCE.split(plain, maxsplit=1)[0]
    return first[:80].rstrip()


def slug(text: str) -> str:
    return SLUG.sub("-", text.lower()).strip("-")[:60].strip("-")


def _heading_finding(content: str) -> tuple[int | None, str] | None:
    """A heading starts a finding when it starts with ``N.`` or is wholly bold."""
    numbered = NUMBER_TITLE.match(content)
    if numbered:
        return int(numbered.group(1)), _title(numbered.group(2))
    bold = WHOLLY_BOLD.match(content)
    if bold:
        inner = (bold.group(1) or bold.group(2)).strip()
        numbered = NUMBER_TITLE.match(inner)
        if numbered:
            return int(numbered.group(1)), clean_title(numbered.group(2))
        return None, clean_title(inner)
    return None


def parse_review(data: bytes, path: str, *, suffix: str = ".review.txt", max_findings: int = 10000) -> Review:
    """Parse a review; problems are collected in ``Review.problems``, never raised."""
    name = PurePosixPath(path.replace("\\", "/")).name
    default_module = name[: -len(suffix)] + ".py" if suffix and name.endswith(suffix) else ""
    try:
        text = decode(data, path)
    except ReviewgateError as exc:
        return Review(path=path, module=default_module, fatal=exc.message, problems=(Problem(exc.line, exc.message),))
    return _Parser(text, path, default_module, max_findings).run()


class _Parser:
    def __init__(self, text: Text, path: str, module: str, max_findings: int) -> None:
        self.text = text
        self.path = path
        self.module = module
        self.max_findings = max_findings
        self.problems: list[Problem] = []

    def run(self) -> Review:
        lines = self.text.lines
        body_start = 0
        fm = frontmatter.FrontMatter()
        fm_lines = (0, 0)
        bounds = frontmatter.find(lines)
        if bounds is not None:
            opening, closing = bounds
            fm = frontmatter.parse("\n".join(lines[opening + 1 : closing]), opening + 2)
            body_start, fm_lines = closing + 1, (opening + 1, closing + 1)
        elif lines and lines[0].rstrip() == "---":
            self.problems.append(Problem(1, "front matter has no closing '---' line"))
        self.problems.extend(fm.problems)
        module = fm.module or self.module
        classified = [_classify(i + 1, t) for i, t in enumerate(_opaque(lines, body_start))][body_start:]
        groups, module_lines = self._group(classified)
        if len(groups) > self.max_findings:
            reason = f"{len(groups)} findings, more than max-findings ({self.max_findings})"
            return Review(path=self.path, module=module, fatal=reason, problems=(Problem(1, reason),))
        module_name = PurePosixPath(module).name
        findings = self._findings(groups, module_name)
        module_expectations = list(fm.expectations)
        module_text: list[str] = []
        module_status = None
        for line in module_lines:
            found = extract.directive(line.text, line.number)
            if found is None:
                module_text.append(line.text)
                continue
            if found.keyword == "expect":
                parsed = self._expect(found)
                module_expectations.extend(
                    Expectation(e.rule, e.targets, e.line, source="module") for e in parsed
                )
            elif found.keyword == "status":
                module_status = self._status(found)
            else:
                self.problems.append(Problem(found.line, "id: stands outside any finding"))
        if module_status is not None:
            module_expectations = [
                e if e.source != "module" else Expectation(e.rule, e.targets, e.line, module_status, source="module")
                for e in module_expectations
            ]
        all_cwes = [(c, line.number) for line in classified for c in extract.cwes(line.text)]
        return Review(
            path=self.path,
            module=module,
            findings=tuple(findings),
            expectations=tuple(module_expectations),
            cwes=tuple(all_cwes),
            verdict=verdict("\n".join(module_text)),
            requires=fm.requires,
            pins=fm.pins,
            problems=tuple(sorted(self.problems, key=lambda p: p.line)),
            front_matter_lines=fm_lines,
        )

    def _group(self, lines: list[Line]) -> tuple[list[_Open], list[Line]]:
        list_indents = [line.indent for line in lines if line.kind in ("numbered", "bullet")]
        top = min(list_indents) if list_indents else 0
        groups: list[_Open] = []
        module_lines: list[Line] = []
        current: _Open | None = None
        heading = ""
        cut: int | None = None  # where an unindented paragraph after a blank line began
        after_blank = False
        for line in lines:
            start = self._start(line, top, heading)
            if start is not None:
                current, cut, after_blank = start, None, False
                groups.append(current)
                current.lines.append(line)
            elif line.kind == "heading":
                heading = slug(clean_title(line.content))
                current = None
                module_lines.append(line)
            elif current is None:
                module_lines.append(line)
            else:
                if line.kind == "blank":
                    after_blank = True
                else:
                    if after_blank and line.indent == 0 and line.kind == "text" and cut is None:
                        cut = len(current.lines)
                    after_blank = False
                current.lines.append(line)
        if current is not None and cut is not None:
            # After the last finding, the first unindented paragraph after a blank line ends it.
            module_lines.extend(current.lines[cut:])
            del current.lines[cut:]
        return groups, module_lines

    def _start(self, line: Line, top: int, heading: str) -> _Open | None:
        if line.kind == "numbered" and line.indent == top:
            return _Open(line, line.number_value, _title(line.content), heading)
        if line.kind == "bullet" and line.indent == top and BOLD_START.match(line.content):
            return _Open(line, None, _title(line.content), heading)
        if line.kind == "heading":
            found = _heading_finding(line.content)
            if found is not None:
                return _Open(line, found[0], found[1], "")
        return None

    def _findings(self, groups: list[_Open], module_name: str) -> list[Finding]:
        findings = [self._finding(group, module_name) for group in groups]
        used: set[str] = set()
        for finding in findings:
            if finding.explicit_id in used:
                self.problems.append(Problem(finding.first_line, f"id: {finding.explicit_id} is not unique"))
            if finding.explicit_id:
                used.add(finding.explicit_id)
        keyed: list[Finding] = []
        for finding in findings:
            key = finding.explicit_id or ""
            if not key:
                key = str(finding.number) if finding.number is not None else slug(finding.title)
                key = key or f"line-{finding.first_line}"
                if key in used and finding.heading:
                    key = f"{finding.heading}-{key}"
                base, counter = key, 2
                while key in used:
                    key, counter = f"{base}-{counter}", counter + 1
                used.add(key)
            keyed.append(replace(finding, key=key))
        return keyed

    def _finding(self, group: _Open, module_name: str) -> Finding:
        while group.lines and group.lines[-1].kind == "blank":
            group.lines.pop()
        line_anchors: list[LineAnchor] = []
        symbols: dict[str, SymbolAnchor] = {}
        expectations: list[Expectation] = []
        cwes: list[tuple[int, int]] = []
        status = None
        explicit_id = None
        bullet = 0
        prose: list[str] = []
        for index, line in enumerate(group.lines):
            if index and line.kind in ("bullet", "numbered"):
                bullet += 1
            found = extract.directive(line.text, line.number)
            if found is not None:
                if found.keyword == "expect":
                    expectations.extend(self._expect(found))
                elif found.keyword == "status":
                    status = self._status(found) or status
                else:
                    explicit_id = self._id(found) or explicit_id
                continue
            base = self.text.starts[line.number - 1]
            prose.append(line.text)
            cwes.extend((c, line.number) for c in extract.cwes(line.text))
            line_anchors.extend(extract.line_anchors(line.text, line.number, base, bullet, module_name))
            for symbol in extract.symbols(line.text, line.number, base, bullet):
                symbols.setdefault(symbol.name, symbol)
        if status is not None:
            expectations = [
                Expectation(e.rule, e.targets, e.line, status, e.severity, e.when, e.source) for e in expectations
            ]
        body = "\n".join(prose)
        return Finding(
            key="",
            title=group.title or f"finding at line {group.start.number}",
            first_line=group.start.number,
            last_line=group.lines[-1].number if group.lines else group.start.number,
            number=group.number,
            heading=group.heading,
            cwes=tuple(cwes),
            line_anchors=tuple(line_anchors),
            symbol_anchors=tuple(symbols.values()),
            expectations=tuple(expectations),
            status=status,
            explicit_id=explicit_id,
            polarity=polarity(body, bool(cwes)),
            text=body,
        )

    def _expect(self, found: extract.Directive) -> list[Expectation]:
        parsed = extract.parse_expect(found.value, found.line)
        if parsed is None:
            self.problems.append(
                Problem(found.line, f"cannot parse 'expect: {found.value}': write 'expect: RULE[, RULE] [on TARGET[, TARGET]]'")
            )
            return []
        return parsed

    def _status(self, found: extract.Directive) -> str | None:
        if extract.STATUS.match(found.value):
            return found.value
        self.problems.append(Problem(found.line, f"cannot parse 'status: {found.value}': write 'status: open' or 'status: closed'"))
        return None

    def _id(self, found: extract.Directive) -> str | None:
        if extract.ID.match(found.value):
            return found.value
        self.problems.append(Problem(found.line, f"cannot parse 'id: {found.value}': an id is lowercase letters, digits and '-'"))
        return None
