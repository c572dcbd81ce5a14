"""The layout of a clean text: blocks (paragraphs and headings), sentences and clauses.

Everything is a character span of the original text, found in one left-to-right pass, so
slot filling can ask "which sentence holds offset 1234" and "where does its clause start".
A heading is a short line without closing punctuation; it gives context to what follows it
until the next heading. Headline-style labels run into the text by careless extraction
("Export DynamicsSeptember Volume: 5,774 tons") are split where a lower-case letter meets
an upper-case one.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from assay.extract.text.openers import fast_start

_SENTENCE_END = re.compile(  # each wording consumes the character before the cut, so scanning skips fast
    r"[.!?](?=[\"'”’)]?\s+[\"'“‘(]?[A-Z0-9\u4e00-\u9fff])"  # Latin full stop before a capital or digit
    r"|\.(?<=[a-z0-9%)]\.)(?=[A-Z][a-z])"  # a full stop with the space lost: "year-on-year.Jan-Sep"
    r"|[。！？；;]"  # Chinese full stops and semicolons always end one
    r"|\n(?![ \t]*[a-z0-9])"  # a line break, unless a wrapped line goes on in lower case or digits
    # a label run into the text: "DynamicsSeptember Volume:" (a capital next, tested first, fails most letters fast)
    r"|[a-z](?=[A-Z])(?<=[a-z]{3})(?=[A-Z][a-z]{2,}|[A-Z]{2,}[:：])"
)
# _SENTENCE_END's matches are one character each, so its finditer finds every position where one of its
# wordings matches: the same cuts come from two scans that re runs fast, each opening with a class it
# skips to in C (the stops, each wording's own test after it; and the capital after a label's last
# letter, read back from the capital, so that lower-case letters are not stopped at).
_STOP_END = re.compile(
    r"[.!?。！？；;\n](?:(?<=[.!?])(?=[\"'”’)]?\s+[\"'“‘(]?[A-Z0-9\u4e00-\u9fff])"
    r"|(?<=\.)(?<=[a-z0-9%)]\.)(?=[A-Z][a-z])"
    r"|(?<=[。！？；;])"
    r"|(?<=\n)(?![ \t]*[a-z0-9]))"
)
_LABEL_END = re.compile(r"[A-Z](?<=[a-z]{3}[A-Z])(?=[a-z]{2}|[A-Z]+[:：])")


def _sentence_ends(text: str) -> list[tuple[int, str]]:
    """(end, character) of each match of _SENTENCE_END in `text`, in order."""
    found = [(m.end(), m.group()) for m in _STOP_END.finditer(text)]
    labels = [(m.start(), text[m.start() - 1]) for m in _LABEL_END.finditer(text)]
    if labels:
        found = sorted(found + labels)
    return found


_ABBREVIATIONS = (
    "U.S.", "U.K.", "E.U.", "Co.", "Ltd.", "Inc.", "Corp.", "No.", "vs.", "e.g.", "i.e.", "approx.", "St.",
    "Jan.", "Feb.", "Mar.", "Apr.", "Jun.", "Jul.", "Aug.", "Sep.", "Sept.", "Oct.", "Nov.", "Dec.", "Mr.", "Dr.",
)  # fmt: skip
_INITIAL = re.compile(r"(?:^|\s)[A-Z]\.$")  # "J. Smith"
_FIGURE_WITH_UNIT = re.compile(r"\d[\d,.]*\s*(?:%|t\b|tons?|tonnes|吨|元|美元)")  # a heading states no figure
_CLAUSE_BREAK = fast_start(re.compile(r"[,，;；:：(（)）\[\]【】]|\s[-–—]\s|—|(?<=\S)\s+(?:while|whereas|but)\s"))
_HEADING_MAX = 90


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph (one or more lines without a blank line between) or a heading line."""

    start: int
    end: int
    heading: bool


@dataclass
class Layout:
    text: str
    blocks: list[Block] = field(default_factory=list)
    sentences: list[Span] = field(default_factory=list)
    _sentence_starts: list[int] = field(default_factory=list)
    _block_starts: list[int] = field(default_factory=list)
    _clause_breaks: list[int] = field(default_factory=list)

    def sentence_at(self, offset: int) -> int:
        """Index of the sentence holding `offset` (the last one starting at or before it)."""
        return max(0, bisect.bisect_right(self._sentence_starts, offset) - 1)

    def block_at(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self._block_starts, offset) - 1)

    def clause(self, offset: int) -> Span:
        """The clause around `offset`, bounded by its sentence."""
        sentence = self.sentences[self.sentence_at(offset)]
        i = bisect.bisect_right(self._clause_breaks, offset)
        start = self._clause_breaks[i - 1] if i > 0 else sentence.start
        end = self._clause_breaks[i] if i < len(self._clause_breaks) else sentence.end
        return Span(max(start, sentence.start), min(end, sentence.end))

    def heading_before(self, block_index: int) -> Block | None:
        for i in range(block_index - 1, max(-1, block_index - 40), -1):
            if self.blocks[i].heading:
                return self.blocks[i]
        return None


def _is_heading(line: str) -> bool:
    stripped = line.strip()
    if not stripped or len(stripped) > _HEADING_MAX:
        return False
    if stripped[-1] in ".。!！?？;；,，:" or stripped.startswith(("•", "-", "*")):
        return stripped[-1] in ":：" and len(stripped) < 40
    return not _FIGURE_WITH_UNIT.search(stripped)


def _numeric_comma(text: str, pos: int) -> bool:
    """A comma inside a number (22,966) or directly followed by a digit group does not break a clause."""
    return text[pos] == "," and 0 < pos < len(text) - 1 and text[pos - 1].isdigit() and text[pos + 1].isdigit()


def analyse(text: str) -> Layout:
    """Blocks, sentences and clause breaks of `text`, in linear time."""
    layout = Layout(text)
    pos = 0
    for chunk in re.split(r"(\n[ \t]*\n+)", text):
        if chunk and not chunk.isspace():
            lines = [ln for ln in chunk.split("\n") if ln.strip()]
            heading = len(lines) == 1 and _is_heading(lines[0])
            layout.blocks.append(Block(pos, pos + len(chunk), heading))
        pos += len(chunk)
    if not layout.blocks:
        layout.blocks.append(Block(0, len(text), False))
    layout._block_starts = [b.start for b in layout.blocks]

    starts = [0]
    for cut, char in _sentence_ends(text):
        end = cut - 1 if char == "\n" else cut  # where the sentence's own text stops
        if text[end - 1 : end] == "." and _ends_with_abbreviation(text, end):
            continue
        if cut > starts[-1]:
            starts.append(cut)
    # block boundaries are sentence boundaries too
    merged = _cap_lengths(text, sorted(set(starts) | set(layout._block_starts)))
    layout._sentence_starts = merged
    layout.sentences = [Span(s, merged[i + 1] if i + 1 < len(merged) else len(text)) for i, s in enumerate(merged)]
    # only a comma can sit inside a number: other breaks skip the call
    layout._clause_breaks = [
        m.start() for m in _CLAUSE_BREAK.finditer(text) if m.group() != "," or not _numeric_comma(text, m.start())
    ]
    return layout


_SENTENCE_MAX = 800  # a run-on "sentence" (a table flattened, a page without stops) is cut near here


def _cap_lengths(text: str, starts: list[int]) -> list[int]:
    """Cut sentences longer than _SENTENCE_MAX at a comma or space, so work per number stays bounded."""
    out: list[int] = []
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(text)
        out.append(start)
        pos = start
        while end - pos > _SENTENCE_MAX:
            window = text[pos + _SENTENCE_MAX // 2 : pos + _SENTENCE_MAX]
            cut = max(window.rfind(","), window.rfind("，"), window.rfind(" "))
            pos = pos + _SENTENCE_MAX // 2 + cut + 1 if cut >= 0 else pos + _SENTENCE_MAX
            out.append(pos)
    return out


def _ends_with_abbreviation(text: str, end: int) -> bool:
    window = text[max(0, end - 8) : end]
    return window.endswith(_ABBREVIATIONS) or bool(_INITIAL.search(window))


# --- tables as text extraction leaves them (read by tables.py) ---------------------------------

SPACE_ROW = re.compile(  # "China 210,000 240,000": a row of a table aligned with spaces
    # the label's first letter is found atomically: retrying later letters only re-scans the line (quadratic)
    r"^(?P<label>(?>[^\d|\t]*?[^\W\d_])[^|\t]*?|(?:19|20)\d\d)[ \t]+"
    # a value may be a range ("70000-80000": a price report's low and high quote)
    r"(?P<values>\d[\d,]*(?:\.\d+)?(?:-\d[\d,]*(?:\.\d+)?)?%?"
    r"(?:[ \t]+\d[\d,]*(?:\.\d+)?(?:-\d[\d,]*(?:\.\d+)?)?%?)+)[ \t]*$"
)


def pipe_follows(text: str, lines: list[tuple[int, int]], k: int) -> bool:
    """A blank line inside a table whose rows go on below it (markdown written with blank lines)."""
    for j in range(k + 1, min(len(lines), k + 3)):
        line = text[lines[j][0] : lines[j][1]]
        if line.strip():
            return "|" in line.strip()[1:-1]
    return False


def is_cell_line(text: str, lines: list[tuple[int, int]], k: int) -> bool:
    s, e = lines[k]
    stripped = text[s:e].strip()
    return stripped == "|" or (0 < len(stripped) <= 40 and (stripped.endswith("|") or next_is_bar(text, lines, k)))


def next_is_bar(text: str, lines: list[tuple[int, int]], k: int) -> bool:
    if k + 1 >= len(lines):
        return False
    s, e = lines[k + 1]
    return text[s:e].strip() == "|"
