"""Noise removal that knows no strings in advance, only repetition.

- a page body carried twice (the same long run of paragraphs re-stated later): kept once;
- within one document, lines repeated across pages/slides, and long lines recurring 3+ times
  (download watermarks), with the short crumbs that always travel next to them;
- across the documents of one source, lines most of its documents carry (navigation, banners).
Lines are compared after normalisation; blank lines are structure and never count.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter, deque
from dataclasses import dataclass, field

MIN_REPEATED_LINE = 20  # shorter lines ("MORE", "2018") repeat legitimately
MIN_REPEATS = 3
MIN_BODY_LINES = 3
MIN_BODY_CHARS = 300
MAX_COMPANION = 40
MAX_EDGE_LINES = 10
MAX_FOLIO_LETTERS = 16  # "Page 3 of 9", "Report 2023 | 7": few words around the digits
PAGE_EDGE_LINES = 1  # running headers and footers are a page's first and last lines
_DIGITS = re.compile(r"\d+")


@dataclass
class Removal:
    lines: list[str]
    dropped: int  # distinct lines (or blocks) removed


def drop_repeated_body(lines: list[str]) -> Removal:
    """Remove later copies of a long block of paragraphs that already appeared, with their edge crumbs."""
    removed = 0
    for _ in range(3):
        found = _longest_repeat([line for line in lines if line])
        if found is None:
            break
        lines = _remove_copy(lines, *found)
        removed += 1
    return Removal(lines, removed)


def _longest_repeat(keys: list[str]) -> tuple[int, int, int] | None:
    """(first start, copy start, length) of the longest re-stated run of non-blank lines, if long enough."""
    positions: dict[str, list[int]] = {}
    best: tuple[int, int, int] | None = None
    best_chars = 0
    j = 0
    while j < len(keys):
        key = keys[j]
        earlier = positions.setdefault(key, [])
        step = 1
        if len(key) >= MIN_REPEATED_LINE:
            for p in earlier[:3]:
                k = 0
                while p + k < j and j + k < len(keys) and keys[p + k] == keys[j + k]:
                    k += 1
                if k < MIN_BODY_LINES:
                    continue
                chars = sum(len(keys[j + t]) for t in range(k))
                if chars >= MIN_BODY_CHARS:
                    step = max(step, k)  # a copy's lines are not searched again: linear time
                    if chars > best_chars:
                        best, best_chars = (p, j, k), chars
        earlier.append(j)
        j += step
    return best


def _remove_copy(lines: list[str], first: int, copy: int, length: int) -> list[str]:
    nonblank = [i for i, line in enumerate(lines) if line]
    keys = [lines[i] for i in nonblank]
    # crumbs around the copy (navigation a page prints again with it) go when the first copy had them too
    before = "\n".join(keys[max(0, first - MAX_EDGE_LINES) : first + length])
    after = "\n".join(keys[first : min(copy, first + length + MAX_EDGE_LINES)])
    start, end = copy, copy + length
    while start - 1 >= first + length and copy - start < MAX_EDGE_LINES and keys[start - 1] in before:
        start -= 1
    while end < len(keys) and end - (copy + length) < MAX_EDGE_LINES and keys[end] in after:
        end += 1
    drop = set(nonblank[start:end])
    return [line for i, line in enumerate(lines) if i not in drop]


def drop_repeated_lines(lines: list[str]) -> Removal:
    """Drop long lines recurring MIN_REPEATS+ times, their truncated variants and their companion crumbs.

    Linear in the text (after one sort of the noisy lines): prefixes are found by binary search,
    crumbs by looking up a line's own beginnings, never by comparing every line with every other.
    """
    counts = Counter(line for line in lines if line)
    noisy = {line for line, n in counts.items() if n >= MIN_REPEATS and len(line) >= MIN_REPEATED_LINE}
    noisy = {line for line in noisy if not is_table_row(line)}
    if not noisy:
        return Removal(lines, 0)
    ordered = sorted(noisy)
    truncated = {
        line
        for line in counts
        if line not in noisy and len(line) >= MIN_REPEATED_LINE and _prefix_of_any(line, ordered)
    }
    noisy |= truncated
    companions = _companions(lines, noisy, counts)
    noise = noisy | companions
    crumb_lengths = sorted({len(crumb) for crumb in companions if len(crumb) >= 6}, reverse=True)
    next_is_noise = _next_nonblank_in(lines, noise)
    kept: list[str] = []
    previous_noise = False
    for index, line in enumerate(lines):
        if line in noise:
            previous_noise = True
            continue
        if line and crumb_lengths and (previous_noise or next_is_noise[index]):
            for length in crumb_lengths:
                if len(line) >= length and line[:length] in companions:
                    line = line[length:].strip()
                    break
        if line:
            previous_noise = False
        kept.append(line)
    return Removal(kept, len(noisy) + len(companions))


def _prefix_of_any(line: str, ordered: list[str]) -> bool:
    """Whether some line of the sorted list starts with `line` (those sort right after it)."""
    at = bisect_left(ordered, line)
    return at < len(ordered) and ordered[at].startswith(line)


def _next_nonblank_in(lines: list[str], noise: set[str]) -> list[bool]:
    """For each index, whether the next non-blank line after it is noise."""
    flags = [False] * len(lines)
    following = False
    for index in range(len(lines) - 1, -1, -1):
        flags[index] = following
        if lines[index]:
            following = lines[index] in noise
    return flags


def _companions(lines: list[str], noisy: set[str], counts: Counter[str]) -> set[str]:
    """Short lines that only ever occur right next to a noisy line (a watermark's URL, say)."""
    nonblank = [line for line in lines if line]
    beside: Counter[str] = Counter()
    for i, line in enumerate(nonblank):
        if line in noisy or len(line) > MAX_COMPANION:
            continue
        if (i > 0 and nonblank[i - 1] in noisy) or (i + 1 < len(nonblank) and nonblank[i + 1] in noisy):
            beside[line] += 1
    return {line for line, n in beside.items() if n >= 2 and n == counts[line]}


def drop_page_repeats(pages: list[str]) -> tuple[list[str], int]:
    """Drop lines that recur on most pages of a PDF or deck: anywhere when identical, and in the
    first or last lines of a page also when they differ only in digits ("Page 3 of 9", a date)."""
    if len(pages) < MIN_REPEATS:
        return pages, 0
    per_page = [[line.strip() for line in page.split("\n")] for page in pages]
    seen: Counter[str] = Counter()
    for page_lines in per_page:
        seen.update({key for index, line in enumerate(page_lines) for key in _page_keys(page_lines, index, line)})
    threshold = max(MIN_REPEATS, (len(pages) + 1) // 2)
    noisy = {key for key, n in seen.items() if n >= threshold}
    if not noisy:
        return pages, 0
    removed: set[str] = set()
    cleaned = []
    for page_lines in per_page:
        kept = []
        for index, line in enumerate(page_lines):
            if any(key in noisy for key in _page_keys(page_lines, index, line)):
                removed.add(_DIGITS.sub("#", line))
            else:
                kept.append(line)
        cleaned.append("\n".join(kept))
    return cleaned, len(removed)


def _page_keys(page_lines: list[str], index: int, line: str) -> tuple[str, ...]:
    if not line:
        return ()
    at_edge = index < PAGE_EDGE_LINES or index >= len(page_lines) - PAGE_EDGE_LINES
    if at_edge and sum(1 for char in line if char.isalpha()) <= MAX_FOLIO_LETTERS:
        return (line, "#edge:" + _DIGITS.sub("#", line))
    return (line,)


def is_table_row(line: str) -> bool:
    return line.count("|") >= 2


# Copies of one text arrive close together (a feed re-served, a page crawled twice in a run); remembering
# the most recent texts of a source catches them while memory stays flat over a run of any length.
RECENT_TEXTS = 4096


@dataclass
class _SourceCounts:
    documents: int = 0
    lines: Counter[int] = field(default_factory=Counter)
    texts: set[int] = field(default_factory=set)
    order: deque[int] = field(default_factory=deque)

    def seen(self, text_key: int) -> bool:
        """Whether this text was among the source's recent ones; remembers it if not."""
        if text_key in self.texts:
            return True
        self.texts.add(text_key)
        self.order.append(text_key)
        if len(self.order) > RECENT_TEXTS:
            self.texts.discard(self.order.popleft())
        return False


@dataclass
class SourceBoilerplate:
    """Per-source counts of the lines each document carries; a line in >= 3 documents and >= half of
    the source's documents is boilerplate. Counts are pruned so a long run stays small in memory."""

    min_documents: int = 3
    min_share: float = 0.5
    max_drop_share: float = 0.6  # a document that would lose more than this is left alone
    _sources: dict[str, _SourceCounts] = field(default_factory=dict)

    def observe(self, source: str, lines: list[str]) -> None:
        """Count one document's lines for its source (also usable to prime from stored documents)."""
        counts = self._sources.setdefault(source, _SourceCounts())
        if counts.seen(hash("\n".join(lines))):
            return  # the same text again (a copy) must not make its own lines look like boilerplate
        counts.documents += 1
        counts.lines.update({hash(line) for line in lines if line})
        if counts.documents % 500 == 0:
            floor = counts.documents // 20
            counts.lines = Counter({key: n for key, n in counts.lines.items() if n > floor})

    def filter(self, source: str, lines: list[str]) -> Removal:
        counts = self._sources.get(source)
        if counts is None or counts.documents < self.min_documents:
            return Removal(lines, 0)
        needed = max(self.min_documents, counts.documents * self.min_share)
        nonblank = [i for i, line in enumerate(lines) if line]
        drop: set[int] = set()
        for position, i in enumerate(nonblank):
            line = lines[i]
            if counts.lines.get(hash(line), 0) < needed:
                continue
            if is_table_row(line) and self._in_table(lines, nonblank, position):
                continue
            drop.add(i)
        if not drop:
            return Removal(lines, 0)
        total = sum(len(lines[i]) for i in nonblank)
        if sum(len(lines[i]) for i in drop) > self.max_drop_share * total:
            return Removal(lines, 0)
        return Removal([line for i, line in enumerate(lines) if i not in drop], len(drop))

    @staticmethod
    def _in_table(lines: list[str], nonblank: list[int], position: int) -> bool:
        neighbours = nonblank[max(0, position - 1) : position] + nonblank[position + 1 : position + 2]
        return any("|" in lines[i] for i in neighbours)
