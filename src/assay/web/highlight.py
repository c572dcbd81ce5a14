"""A document's clean text cut into pieces, each plain or a quote that facts come from, so a
template can wrap the quotes in <mark> while escaping everything."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assay.store.facts import StoredFact


@dataclass(frozen=True)
class Piece:
    text: str
    fact_ids: tuple[int, ...] = ()  # the facts quoting this piece; empty for plain text


def highlight(text: str, facts: Sequence[StoredFact]) -> list[Piece]:
    """Pieces covering `text` in order. Facts quoting the same sentence share one piece; a fact whose
    span overlaps an earlier piece joins that piece; spans outside the text are left unmarked."""
    spans = sorted((f.fact.start, f.fact.end, f.id) for f in facts if 0 <= f.fact.start < f.fact.end <= len(text))
    pieces: list[Piece] = []
    at = 0
    for start, end, fact_id in spans:
        if start < at:
            last = pieces[-1]
            pieces[-1] = Piece(last.text, (*last.fact_ids, fact_id))
            continue
        if start > at:
            pieces.append(Piece(text[at:start]))
        pieces.append(Piece(text[start:end], (fact_id,)))
        at = end
    if at < len(text):
        pieces.append(Piece(text[at:]))
    return pieces
