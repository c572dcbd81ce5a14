"""Commodity readings the event rules need beyond the gazetteer's.

Two classes of wording: a Chinese compound whose last character the gazetteer reads alone
(菱镁 "magnesite", read as 镁 "magnesium"), and process words that name a product by how it
is made (graphitisation plants make synthetic graphite).
"""

from __future__ import annotations

import re
from dataclasses import replace

from assay.extract.gazetteer import COMMODITY, Mention, find_mentions

# 菱镁(矿/产业/行业), 菱苦土: the magnesite industry, not magnesium metal
_MAGNESITE_BEFORE = re.compile(r"菱$")
_PROCESS_WORDS = (
    (re.compile(r"(?i)\bgraphiti[sz]ation\b|\bgraphiti[sz]ing\b|石墨化"), "synthetic_graphite"),
    (re.compile(r"菱苦土"), "magnesia"),
)


def event_mentions(text: str) -> list[Mention]:
    """The gazetteer's mentions, with 菱镁 read as magnesite and process words as their product."""
    found: list[Mention] = []
    for mention in find_mentions(text):
        if (
            mention.kind == COMMODITY
            and mention.value == "magnesium"
            and _MAGNESITE_BEFORE.search(text[max(0, mention.start - 1) : mention.start])
        ):
            mention = replace(mention, start=mention.start - 1, value="magnesite")
        found.append(mention)
    for pattern, commodity in _PROCESS_WORDS:
        for m in pattern.finditer(text):
            if not any(f.start <= m.start() < f.end for f in found if f.kind == COMMODITY):
                found.append(Mention(m.start(), m.end(), COMMODITY, commodity))
    return sorted(found, key=lambda m: (m.start, m.end))
