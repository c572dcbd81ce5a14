"""A document's clean text read once for both the fact and the event rules.

`AnalysedText` holds what several rules compute from the same text: its Simplified copy and its
gazetteer mentions, for the whole text (one Aho-Corasick pass) and for any span of it (a statement,
sliced out of that pass). Each is computed on first use and kept, so `extract_all` reads the
text once where `extract_facts` and `extract_events` called apart would each read it again.

Every answer equals what the rules got before from `to_simplified` and `find_mentions` called on
the span alone: a span is sliced from the whole-text pass only when its matching copy is, character
for character, the slice of the whole text's (no Traditional character that the conversion would
read in context, no letter whose lower case depends on its neighbours); otherwise it is read alone.
"""

from __future__ import annotations

from assay.extract.text.gazetteer import (
    GazetteerPass,
    Mention,
    find_mentions,
    reads_apart,
    simplified_by_table,
    to_simplified,
)

# the one letter whose lower case depends on the letters after it (Greek final sigma)
_CONTEXT_LOWER = "\u03a3"


class AnalysedText:
    """The Simplified copies and gazetteer mentions of one text and its spans, read on first use."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._simplified: dict[str, str] = {}
        self._mentions: dict[str, list[Mention]] = {}
        self._pass: GazetteerPass | None = None
        self._sliceable: bool | None = None
        self._pieces: dict[str, str] = {}  # OpenCC's reading of each piece of the text, once

    def simplified(self, text: str) -> str:
        """`to_simplified(text)`, computed once per distinct text."""
        found = self._simplified.get(text)
        if found is None:
            found = self._simplified[text] = to_simplified(text, self._pieces)
        return found

    def mentions(self, text: str) -> list[Mention]:
        """`find_mentions(text)`, computed once per distinct text (the whole text from its one pass)."""
        found = self._mentions.get(text)
        if found is None:
            found = self._whole_pass().mentions() if text == self.text else find_mentions(text)
            self._mentions[text] = found
        return list(found)  # a caller may change its list; the kept one stays as read

    def span_simplified(self, start: int, end: int) -> str:
        """`to_simplified(self.text[start:end])`."""
        if self.sliceable:
            return self.text[start:end]  # no character the conversion changes: the span is its own copy
        return self.simplified(self.text[start:end])

    def span_mentions(self, start: int, end: int) -> list[Mention]:
        """`find_mentions(to_simplified(self.text[start:end]))`, offsets into the span."""
        if self.sliceable:
            return self._whole_pass().mentions(start, end)
        span = self.span_simplified(start, end)
        return GazetteerPass(span, self.simplified(span)).mentions() if span else []  # = find_mentions(span)

    def mentions_after(self, prefix: str) -> list[Mention]:
        """`find_mentions(prefix + self.text)`, for a `prefix` that ends a line (a title repeated
        above the text): the prefix read alone, then the whole text's pass, when that is the same."""
        apart = self.mentions_apart(prefix)
        if apart is None:
            whole = prefix + self.text
            return GazetteerPass(whole, self.simplified(whole)).mentions()  # = find_mentions(whole)
        before, after = apart
        shift = len(prefix)
        return before + [Mention(m.start + shift, m.end + shift, m.kind, m.value, m.form) for m in after]

    def mentions_apart(self, prefix: str) -> tuple[list[Mention], list[Mention]] | None:
        """`find_mentions(prefix)` and `find_mentions(self.text)`, when `find_mentions(prefix + self.text)`
        is the first followed by the second moved past `prefix` (as `mentions_after` gives it); else None.
        For a caller that needs only the values and places, not the moved mentions."""
        if not (self.sliceable and _by_character(prefix) and reads_apart(prefix, self.text)):
            return None
        return find_mentions(prefix), self.mentions(self.text)

    @property
    def sliceable(self) -> bool:
        """Whether every span's Simplified, matching copy is the slice of the whole text's: no
        character the Simplified conversion changes, and lower case read letter by letter."""
        if self._sliceable is None:
            self._sliceable = _by_character(self.text)
        return self._sliceable

    def _whole_pass(self) -> GazetteerPass:
        if self._pass is None:
            self._pass = GazetteerPass(self.text, None if self.text.isascii() else self.simplified(self.text))
        return self._pass


def _by_character(text: str) -> bool:
    """Whether the matching copy of `text` is read character by character, so that the copy of a
    span, or of texts joined, is the slice, or the join, of the copies."""
    return text.isascii() or (
        simplified_by_table(text) == text and _CONTEXT_LOWER not in text and len(text.lower()) == len(text)
    )
