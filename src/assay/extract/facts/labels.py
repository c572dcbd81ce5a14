"""Labelled items run together on one line: `山西:230,739噸,同比增加3.6%。陜西:181,123噸,同比增加20%`.

A list of regions, each a label, a colon and its figures, often reaches the extractor as one line (a
flattened table or a PDF row). Each figure belongs to the label right before it, not to a place named
earlier in the sentence: the item runs from its label's colon to the next label.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assay.extract.text.gazetteer import GEO, Mention

_LABEL_START = re.compile(r"[,，。;；、|\n:：]")
_LABEL_TAIL = 8  # 寧夏回族自治區: a label may go on a few characters past the place's name


def labelled_place(text: str, lo: int, at: int, mentions: Sequence[Mention]) -> str | None:
    """The Chinese region named as the label of the item holding offset `at` (the sentence starts at `lo`)."""
    colon = max(text.rfind(":", lo, at), text.rfind("：", lo, at))  # the last colon, either width
    if colon < 0:
        return None
    starts = [m.end() for m in _LABEL_START.finditer(text, lo, colon)]
    label_start = starts[-1] if starts else lo
    places = [m for m in mentions if m.kind == GEO and label_start <= m.start and m.end <= colon]
    if len(places) != 1 or colon - places[0].end > _LABEL_TAIL or not places[0].value.startswith("CN-"):
        return None
    if any(m.kind == GEO and colon < m.start < at for m in mentions):
        return None  # the item names its own place after the label
    return places[0].value
