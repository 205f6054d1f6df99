"""Review bytes -> text and physical lines, as a reviewer and ``ast`` count them; opaque regions.

Only ``\\r\\n``, ``\\r`` and ``\\n`` end a line: form feed and U+2028 do not
(``str.splitlines`` would disagree with every editor and with ``ast``).
Opaque regions (fenced code, block quotes, HTML comments) are blanked, keeping
every other character's offset; titles and slugs are Markdown made plain.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..model import ReviewgateError
from .directives import directive
from .mentions import noanchor

_EOL = re.compile(r"\r\n|\r|\n")
_TICKS = re.compile(r"`+")
# matched after the indentation (``str.lstrip``), so no pattern rescans it
_FENCE = re.compile(r"(`{3,}|~{3,})(.*)$")
_LIST_OR_HEADING = re.compile(r"(?:[-*+][ \t]|[0-9]{1,9}[.)](?:[ \t]|$)|#{1,6}(?:[ \t]|$))")
BOM = "\ufeff"
BOLD_START = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
LINK = re.compile(r"\[([^\[\]\n]*)\]\([^()\n]*\)")
# "_Env leak_": emphasis by single underscores around words with a space between; "_helper" and "a_b_c" are names
ITALIC = re.compile(r"(?<![\w`])_([^\s_][^_\n]*?[ \t][^_\n]*?[^\s_])_(?!\w)")
EMPHASIS = re.compile(r"\*\*|__|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)")
SENTENCE_END = re.compile(r"(?<!\be\.g)(?<!\bi\.e)(?<!\bE\.g)[.!?](?=\s)")
SLUG = re.compile(r"[^a-z0-9]+")
TITLE_MAX = 80


@dataclass(frozen=True)
class Text:
    """Decoded review text; offsets index ``text``, which excludes a leading BOM."""

    text: str
    bom: bool
    lines: tuple[str, ...]  # without line endings
    starts: tuple[int, ...]  # offset of each line in ``text``

    def line_of(self, offset: int) -> int:
        """1-based line holding ``offset`` (binary search over line starts)."""
        lo, hi = 0, len(self.starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1


def decode(data: bytes, path: str = "") -> Text:
    """Decode UTF-8 (a BOM is fine); anything else names the line and byte."""
    bom = data.startswith(b"\xef\xbb\xbf")
    body = data[3:] if bom else data
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        head = body[: exc.start]
        line = head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1
        column = exc.start - max(head.rfind(b"\n"), head.rfind(b"\r"))
        raise ReviewgateError(
            f"not UTF-8: byte 0x{body[exc.start]:02x} at line {line}, column {column}", path, line
        ) from None
    return split(text, bom)


def split(text: str, bom: bool = False) -> Text:
    lines: list[str] = []
    starts: list[int] = []
    pos = 0
    for match in _EOL.finditer(text):
        starts.append(pos)
        lines.append(text[pos : match.start()])
        pos = match.end()
    if pos < len(text) or not lines:
        starts.append(pos)
        lines.append(text[pos:])
    return Text(text=text, bom=bom, lines=tuple(lines), starts=tuple(starts))


def code_spans(line: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each Markdown code span of one line, backticks included.

    A run of N backticks opens a span closed by the next run of exactly N; one pass
    over the runs, so a line full of unmatched backticks stays linear.
    """
    runs = [(m.start(), m.end()) for m in _TICKS.finditer(line)]
    following: list[int | None] = [None] * len(runs)
    last: dict[int, int] = {}
    for index in range(len(runs) - 1, -1, -1):
        width = runs[index][1] - runs[index][0]
        following[index] = last.get(width)
        last[width] = index
    spans: list[tuple[int, int]] = []
    index = 0
    while index < len(runs):
        close = following[index]
        if close is None:
            index += 1
            continue
        spans.append((runs[index][0], runs[close][1]))
        index = close + 1
    return spans


def _comments(line: str, in_comment: bool) -> tuple[str, bool]:
    """Blank HTML comments (which may span lines); ``<!--`` inside a code span is text."""
    blanks: list[tuple[int, int]] = []
    spans = code_spans(line) if "`" in line else []
    pos, span = 0, 0
    while pos < len(line):
        if not in_comment:
            begin = line.find("<!--", pos)
            if begin < 0:
                break
            while span < len(spans) and spans[span][1] <= begin:
                span += 1
            if span < len(spans) and spans[span][0] <= begin:
                pos = spans[span][1]
                continue
            in_comment, pos = True, begin + 2  # ``<!-->`` and ``<!--->`` close at once
            blanks.append((begin, begin + 2))
        end = line.find("-->", pos)
        stop = len(line) if end < 0 else end + 3
        blanks.append((pos, stop))
        in_comment, pos = end < 0, stop
    if not blanks:
        return line, in_comment
    pieces, last = [], 0
    for start, stop in blanks:
        pieces += [line[last:start], " " * (stop - start)]
        last = stop
    pieces.append(line[last:])
    return "".join(pieces), in_comment


def opaque(lines: tuple[str, ...], start: int = 0) -> list[str]:
    """The lines with fenced code, block quotes and HTML comments blanked.

    Offsets within a line are kept (comments become spaces); a line wholly opaque
    becomes ``""``. Lines before ``start`` (front matter) are ``""``. A block quote
    also takes its lazy continuation lines, as Markdown does, except list items,
    headings and directives.
    """
    out: list[str] = [""] * min(start, len(lines))
    fence = ""
    in_comment = quote = False
    for raw in lines[start:]:
        if fence:
            stripped = raw.strip()
            if stripped.startswith(fence) and not stripped.strip(fence[0]):
                fence = ""
            out.append("")
            continue
        opening = None if in_comment else _FENCE.match(raw.lstrip(" \t"))
        if opening and not (opening.group(1)[0] == "`" and "`" in opening.group(2)):
            fence, quote = opening.group(1), False
            out.append("")
            continue
        line, in_comment = _comments(raw, in_comment)
        stripped = line.strip()
        if stripped.startswith(">") or (
            quote and stripped and not _LIST_OR_HEADING.match(stripped) and directive(stripped, 0) is None
        ):
            quote = True
            out.append("")
            continue
        quote = False
        out.append(line)
    return out


# inline HTML that LLMs mix into Markdown: "<b>Leak</b>:", "<code>setUp</code>", "<li>...", "<h3>...</h3>"
HTML_TAG = re.compile(r"<(/?)(b|strong|i|em|code|tt|li|ol|ul|p|br|h[1-6])[ \t]*/?>", re.I)


def _markdown(tag: re.Match[str]) -> str:
    """One tag as the Markdown it stands for, padded with spaces to its length (offsets are kept); the
    padding lies outside the emphasis: ``<b>`` -> `` **``, ``</b>`` -> ``**  ``."""
    closing, name, size = tag.group(1), tag.group(2).lower(), len(tag.group(0))
    mark = {"b": "**", "strong": "**", "i": "*", "em": "*", "code": "`", "tt": "`"}.get(name)
    if mark is not None:
        return mark.ljust(size) if closing else mark.rjust(size)
    if name == "li" and not closing:
        return "- ".ljust(size)
    if name[0] == "h" and not closing:
        return ("#" * int(name[1]) + " ").ljust(size) if int(name[1]) + 1 <= size else " " * size
    return " " * size


def markdown(line: str) -> str:
    """A line with inline HTML tags read as Markdown, every offset kept."""
    return HTML_TAG.sub(_markdown, line) if "<" in line else line


def unitalic(text: str) -> str:
    """``_Env leak_`` -> `` Env leak ``: single-underscore emphasis blanked, every offset kept."""
    return ITALIC.sub(lambda m: f" {m.group(1)} ", text) if "_" in text else text


def _plain_text(text: str) -> str:
    return EMPHASIS.sub("", LINK.sub(r"\1", ITALIC.sub(r"\1", text) if "_" in text else text))


def clean_title(text: str) -> str:
    """Text without Markdown: code spans keep their content, emphasis and links go."""
    pieces, last = [], 0
    for start, end in code_spans(text) if "`" in text else []:
        span = text[start:end]
        ticks = len(span) - len(span.lstrip("`"))
        pieces += [_plain_text(text[last:start]), span[ticks:-ticks].strip()]
        last = noanchor(text, end) or end  # "`tmp_path`{.noanchor}" reads "tmp_path"
    pieces.append(_plain_text(text[last:]))
    return " ".join("".join(pieces).split()).rstrip(":").strip()


def _short(text: str) -> str:
    if len(text) <= TITLE_MAX:
        return text
    cut = text[:TITLE_MAX]
    space = cut.rfind(" ")
    return (cut[:space] if space > TITLE_MAX // 2 else cut).rstrip(" ,;:-")


# "*Mock leak* - ...", "_Env leak_: ...": an emphasised title closed by a colon or a dash
ITALIC_START = re.compile(r"(?:\*([^*\s][^*\n]*?)\*|_([^_\s][^_\n]*?)_)(?=[ \t]*(?::|[-\u2013\u2014](?:[ \t]|$)))")


def title_of(content: str) -> str:
    """The bold text it starts with, else its first sentence (at most 80 characters)."""
    bold = BOLD_START.match(content.strip()) or ITALIC_START.match(content.strip())
    if bold:
        return clean_title(bold.group(1) or bold.group(2))
    plain = clean_title(content)
    end = SENTENCE_END.search(plain)
    return _short((plain[: end.start()] if end else plain).rstrip(".:").strip())


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return SLUG.sub("-", ascii_text.lower()).strip("-")[:60].strip("-")
