"""The words of company results: measure cues (`vocab/data/results_cues.csv`) and statements.

A measure cue names what the numbers after it measure: revenue, net profit, net loss, or a measure that
is not a fact (kind `other`: 毛利率, adjusted EBITDA, inventories). A statement is a sentence, a line, a
list item or a run ended by a footnote mark (`[1]`), so that list items run together on one line stay apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import ahocorasick

from assay.extract.text.gazetteer import normalise
from assay.extract.text.openers import fast_start
from assay.vocab import read_rows

_BREAK = fast_start(
    re.compile(r"[。！？!?\n]|\[\d+\]|(?<=[^\s\d.])\.\s+(?=[A-Z\"“(])|(?<=\S)\s+[-–•·]\s+|^\s*[-–•·]\s+", re.M)
)


@dataclass(frozen=True, slots=True)
class Cue:
    start: int
    end: int
    kind: str  # revenue, net_profit, net_loss, operating_income, or other (a measure that is not a fact)


@cache
def _automaton() -> ahocorasick.Automaton:
    """One pass finds every cue; the regex alternative of ~100 wordings is far too slow on long pages."""
    automaton = ahocorasick.Automaton()
    for row in read_rows("results_cues.csv"):
        cue = normalise(row["cue"].strip())
        automaton.add_word(cue, (cue, row["kind"]))
    automaton.make_automaton()
    return automaton


def _is_word(c: str) -> bool:
    return c.isascii() and c.isalnum()


def find_cues(text: str) -> list[Cue]:
    """Every results measure word in `text` (Simplified), leftmost-longest; Latin cues as whole words."""
    lowered = text.lower()  # the reader's text is Simplified already: case is all that is left to fold
    norm = lowered if len(lowered) == len(text) else normalise(text)
    hits: list[tuple[int, int, str]] = []
    for last, (cue, kind) in _automaton().iter(norm):
        start, end = last - len(cue) + 1, last + 1
        if _is_word(cue[0]) and start > 0 and _is_word(norm[start - 1]):
            continue
        if _is_word(cue[-1]) and end < len(norm) and _is_word(norm[end]):
            continue
        hits.append((start, end, kind))
    hits.sort(key=lambda h: (h[0], -h[1]))
    out: list[Cue] = []
    taken = -1
    for start, end, kind in hits:
        if start >= taken:
            out.append(Cue(start, end, kind))
            taken = end
    return out


def statements(text: str) -> list[tuple[int, int]]:
    """Spans of the statements of `text`: sentences, lines, list items and footnoted runs."""
    spans = []
    start = 0
    for m in _BREAK.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans
