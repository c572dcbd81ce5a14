"""Cutting clean text into statements for event rules: sentences, bullets, slide items.

Slide decks and PDFs break sentences across lines ("New floatation production\\n\\nlines
were added"), so a line break continues a statement when the next line starts in lower
case or the line before ends on a connecting word. Headings ("1. Strict Export Quotas and
Licensing", "MORE CONSOLIDATION") are kept apart: they name topics, they do not state events.
Timelines in the "A: action / C: consequence" layout get the year of their column.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

# "o Lynas awarded ...": a sub-bullet as PDF and slide text renders it, a lone "o" before a capital
_BULLET = re.compile(
    r"^\s*(?:[•·▪●◦‣∗*]|[-–]\s|\(?\d{1,2}[.)、]\s*(?=\D)|[一二三四五六七八九十]+、|[A-C]\s*[:：]|o\s+(?=[A-Z]))"
)
_TIMELINE_ITEM = re.compile(r"^\s*(?P<tag>A|C|Action|Consequence)\s*[:：]\s*", re.IGNORECASE)
_YEAR_LINE = re.compile(r"^\s*(?P<y>(?:19|20)\d\d)\s*$")
_CONNECTOR_END = re.compile(
    r"(?i)(?:\b(?:and|or|of|to|the|a|an|in|on|for|with|by|from|at|as|its|their|is|are|was|were|will|be|that)|[,，、(（\-–])\s*$"
)
# a line ends on one of these, whitespace aside ([.!?。！？;；:：]\s*$, read with `rstrip`: it strips what \s matches)
_TERMINAL_MARKS = (".", "!", "?", "。", "！", "？", ";", "；", ":", "：")
_CONNECTOR_LONGEST = 5  # characters of the longest connecting word ("their"), before the trailing space
_HEADING_WORDS = 9  # a heading has at most this many words
_DIGIT_FIRST = re.compile(r"^\s*\d")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_SENTENCE_END = re.compile(
    r"(?<=[.!?])[\"'”’)]*\s+(?=[\"“(\[A-Z0-9\u4e00-\u9fff])|(?<=[。！？；;])|(?<=[a-z0-9)%])\.(?=[A-Z][a-z])"
)
# every cut opens just after one of these, or at a full stop: where `_sentence_ends` tries it
_STOP = re.compile(r"[.!?。！？；;]")
# "through Jan. 4, 2022": a month's short name does not end the sentence either
_ABBREVIATION_END = re.compile(
    r"(?:\b[A-Z]|\be\.g|\bi\.e|\bNo|\bvs|\bMr|\bDr|\bCo|\bLtd|\bInc|\bSt"
    r"|\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec))\.[\"'”’)]*\s*$"
)
_WORD = re.compile(r"[A-Za-z][\w'’-]*")
_SMALL_WORDS = {"and", "or", "of", "the", "a", "an", "in", "on", "for", "to", "by", "with", "from", "at", "as"}


@dataclass(frozen=True, slots=True)
class Line:
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Statement:
    """A sentence or a bullet item: its span in the text, and where it sits."""

    start: int
    end: int
    text: str
    block: int  # statements of one paragraph or bullet share a block number
    heading: bool
    timeline_year: str | None = None


def _lines(text: str) -> list[Line]:
    out: list[Line] = []
    position = 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        stripped = body.strip()
        if stripped:
            lead = len(body) - len(body.lstrip())
            out.append(Line(position + lead, position + lead + len(stripped), stripped))
        position += len(raw)
    return out


def is_heading(text: str) -> bool:
    """A title rather than a statement: short, no verb-like ending, title case or capitals."""
    body = _BULLET.sub("", text) if _DIGIT_FIRST.match(text) else text
    body = body.strip()
    if not body or (body.endswith(_TERMINAL_MARKS) and not body.endswith(":")):
        return False
    if _CJK.search(body):
        return len(body) <= 12 and not re.search(r"[，,]", body)
    if body.isupper():
        return True
    # ten words are more than a heading holds: a paragraph's words are not all read
    words = [m.group() for m in itertools.islice(_WORD.finditer(body), _HEADING_WORDS + 1)]
    if len(words) <= 2:
        return True
    if len(words) > _HEADING_WORDS:
        return False
    content = [w for w in words if w.lower() not in _SMALL_WORDS]
    capitalised = sum(1 for w in content if w[0].isupper())
    return capitalised == len(content)


def _continues(previous: str, following: str) -> bool:
    """Whether `following` carries on the statement that `previous` began."""
    if _BULLET.match(following) or _TIMELINE_ITEM.match(following) or _YEAR_LINE.match(following):
        return False
    if _YEAR_LINE.match(previous) or previous.rstrip().endswith(_TERMINAL_MARKS):
        return False
    first = following[0]
    if first.islower():
        return True
    # a connecting word ends the line: looked for only in its last characters (`\b` still sees the one before)
    if _CONNECTOR_END.search(previous, max(0, len(previous.rstrip()) - _CONNECTOR_LONGEST)):
        return True
    if not first.isupper():
        return False
    # a name broken across lines: "... Material Trading\nCenter (NAMMTC) is ..."
    words = _WORD.findall(previous)
    if len(words) < 4 or not (words[-1][0].isupper() and words[-2][0].isupper()):
        return False
    # not when the name is closed by a quote, or the next line is a labelled item ("Guideline: ...")
    return (
        not previous.rstrip().endswith(('"', "”", "’", ")")) and ":" not in following[:40] and not is_heading(following)
    )


def _blocks(text: str) -> list[list[Line]]:
    blocks: list[list[Line]] = []
    for line in _lines(text):
        if blocks and _continues(blocks[-1][-1].text, line.text):
            blocks[-1].append(line)
        else:
            blocks.append([line])
    return blocks


def _timeline_years(blocks: list[list[Line]]) -> dict[int, str]:
    """Block index -> year, for A:/C: items of a timeline whose columns are labelled by year lines."""
    items = [i for i, b in enumerate(blocks) if _TIMELINE_ITEM.match(b[0].text) and "|" not in b[0].text]
    years = [(i, m["y"]) for i, b in enumerate(blocks) if (m := _YEAR_LINE.match(b[0].text)) and len(b) == 1]
    if len(items) < 2 or len(years) < 2:
        return {}
    out: dict[int, str] = {}
    trailing = items[0] < years[0][0]
    for item in items:
        if trailing:
            after = [y for i, y in years if i > item]
            if after:
                out[item] = after[0]
        else:
            before = [y for i, y in years if i < item]
            if before:
                out[item] = before[-1]
    return out


def _sentence_ends(text: str) -> Iterator[re.Match[str]]:
    """The matches of `_SENTENCE_END.finditer(text)`, tried only where one can start: just after a
    stop (the look-behinds of the first two wordings) or at a full stop (the third), instead of at
    every character. No two wordings can match at one place (their look-behinds want different
    characters), so after the empty one the next try is one character on, as for `finditer`."""
    after = 0
    for stop in _STOP.finditer(text):
        at = stop.start()
        for start in (at, at + 1) if text[at] == "." else (at + 1,):
            if start < after:
                continue
            m = _SENTENCE_END.match(text, start)
            if m is not None:
                yield m
                after = max(m.end(), start + 1)


def _split_sentences(text: str, start: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    cursor = 0
    for m in _sentence_ends(text):
        if m.group().strip() == "" and _ABBREVIATION_END.search(text[max(0, m.start() - 12) : m.start() + 1]):
            continue
        if m.start() <= cursor:
            continue
        spans.append((cursor, m.start()))
        cursor = m.end()
    spans.append((cursor, len(text)))
    out: list[tuple[int, int]] = []
    for a, b in spans:
        piece = text[a:b]
        if not piece.strip():
            continue
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece.rstrip())
        out.append((start + a + lead, start + a + trail))
    return out


def statements(text: str) -> list[Statement]:
    """The document's statements in order, with their block and timeline year."""
    blocks = _blocks(text)
    years = _timeline_years(blocks)
    out: list[Statement] = []
    for index, block in enumerate(blocks):
        start, end = block[0].start, block[-1].end
        body = text[start:end]
        heading = len(block) == 1 and is_heading(body)
        for a, b in _split_sentences(body, start):
            out.append(Statement(a, b, text[a:b], index, heading, years.get(index)))
    return out


def strip_label(text: str) -> int:
    """How many leading characters are a bullet or an "A:" tag, not part of the statement."""
    m = _BULLET.match(text) or _TIMELINE_ITEM.match(text)
    return m.end() if m else 0
