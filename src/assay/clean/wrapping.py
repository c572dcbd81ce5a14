"""Rejoin Chinese text that was hard-wrapped at a fixed width.

Newswire feeds and text exports of Chinese articles often break every line at a fixed number of
characters, sometimes with a blank line after each, so a sentence such as 中國７月稀土磁鐵出口量 is
split across two "paragraphs" (稀土磁 / 鐵). The extractor reads a paragraph as a unit, so a split
word is lost and a number is cut from its unit or subject. Chinese needs no space between words, so
rejoining is exact once the wrapped lines are found.

A line is taken as wrapped when it is as long as the document's wrapping width, ends inside a
sentence (a Han character, digit or comma-like mark, not 。！？ or a closing quote) and the next
non-blank line starts with Han text. The width is found from the text itself: at least three such
lines whose lengths lie within a few characters of each other. Headings, short lines and lines that
end a sentence are never joined, and text with no such width is left as it was.
"""

from __future__ import annotations

import re
from collections import Counter

# fixed-width wrapping counts display columns or bytes, so lines of one width differ by a character or two
_WIDTH_SLACK = 3
_MIN_WIDTH = 20  # shorter lines are headings or list items, not wrapped prose
_MAX_WIDTH = 100  # terminals, feeds and PDFs wrap Chinese well under this; longer lines are paragraphs
_MIN_WRAPPED = 3
_HAN = re.compile(r"[\u3400-\u9fff]")
_CONTINUES = re.compile(r"[\u3400-\u9fff0-9A-Za-z，、,（(《》“「%]$")
# a wrap may put closing punctuation first on a line; it never starts one of its own
_STARTS_HAN = re.compile(r"^[\u3400-\u9fff0-9，,、。.!?;:！？；：）)》”」%]")


def rejoin_wrapped_lines(text: str) -> tuple[str, int]:
    """The text with fixed-width wrapped Chinese lines joined back; the number of joins made."""
    lines = text.split("\n")
    width = _wrapping_width(lines)
    if width is None:
        return text, 0
    joined: list[str] = []
    joins = 0
    index = 0
    while index < len(lines):
        line = last = lines[index]
        following = _next_nonblank(lines, index + 1)
        while following is not None and _wrapped(last, width) and _STARTS_HAN.match(lines[following]):
            last = lines[following]
            line += last
            joins += 1
            index = following
            following = _next_nonblank(lines, index + 1)
        joined.append(line)
        index += 1
    return "\n".join(joined), joins


def _wrapping_width(lines: list[str]) -> int | None:
    """The longest length shared (within the slack) by enough mid-sentence Han lines, if any.

    Nothing in wrapped text is longer than its width, and much of it is that long: when long lines
    are longer, lines of one length are a coincidence (numbered headings of a web page), not a wrap."""
    prose = [len(line) for line in lines if len(line) >= _MIN_WIDTH and _HAN.search(line)]
    lengths = Counter(
        length
        for length, line in zip(map(len, lines), lines, strict=True)
        if _MIN_WIDTH <= length <= _MAX_WIDTH and _CONTINUES.search(line) and _HAN.search(line)
    )
    for width in sorted(lengths, reverse=True):
        near = sum(count for length, count in lengths.items() if width - _WIDTH_SLACK <= length <= width)
        if near >= _MIN_WRAPPED:
            longer = sum(1 for length in prose if length > width)
            at_width = sum(1 for length in prose if width - _WIDTH_SLACK <= length <= width)
            return width if 10 * longer <= len(prose) and 3 * at_width >= len(prose) else None
    return None


def _wrapped(line: str, width: int) -> bool:
    return width - _WIDTH_SLACK <= len(line) <= width and bool(_CONTINUES.search(line))


def _next_nonblank(lines: list[str], start: int) -> int | None:
    for index in range(start, len(lines)):
        if lines[index].strip():
            return index
    return None
