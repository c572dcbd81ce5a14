"""Cues the event rules read around a trigger, and the commodity readings they need.

Cues: wordings that say which occasion, date or scope a statement belongs to ("in the same
announcement", "the rules cover", "takes effect on"), and titled legal texts. Commodity
readings beyond the gazetteer's: a Chinese compound whose last character the gazetteer reads
alone (菱镁 "magnesite", read as 镁 "magnesium"), and process words that name a product by how
it is made (graphitisation plants make synthetic graphite).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from functools import cache
from operator import itemgetter

from assay.extract.events.prefilter import Gated
from assay.extract.events.statements import Statement
from assay.extract.events.words import cue, gated_cue, table
from assay.extract.text.analysed import AnalysedText
from assay.extract.text.gazetteer import COMMODITY, Mention, find_mentions, to_simplified
from assay.vocab import commodities

# A titled legal text ("Regulations on the Administration of Rare Earths", 《稀土管理条例》): the
# provisions listed after it take its date.
NAMED_POLICY = cue("cues.NAMED_POLICY")
# "In the same announcement the ministry lifted...", "与此同时": a second measure of the occasion just reported
SAME_OCCASION = cue("cues.SAME_OCCASION")
ITEM_START = cue("cues.ITEM_START")
# "It also said that ...", "此外": a further measure of the same occasion, not a restatement of the first
ADDITIONAL = cue("cues.ADDITIONAL")
# "will continue to crack down", "将继续": an ongoing practice, dated by no announcement around it
CONTINUING = cue("cues.CONTINUING")
# "some have cut runs", "are said to be losing money": a disruption under way as the document is written
UNDER_WAY = cue("cues.UNDER_WAY")
# "Local governments are told to step up inspections", "要求各地": an instruction that comes with the measure
DIRECTIVE = cue("cues.DIRECTIVE")
# "The rules cover ...", "纳入出口管制的物项包括": what the measure just reported applies to
SCOPE = cue("cues.SCOPE")
TAKES_EFFECT = cue("cues.TAKES_EFFECT")
# an undated event the page reports as current ("has climbed", "in recent weeks", "近日") takes the page's date
CURRENT = gated_cue("cues.CURRENT")
# 菱镁(矿/产业/行业), 菱苦土: the magnesite industry, not magnesium metal
_MAGNESITE_BEFORE = cue("cues.MAGNESITE_BEFORE")
_PROCESS_WORDS = tuple(
    (gated_cue(f"cues.word.{commodity}"), commodity) for commodity in ("synthetic_graphite", "magnesia")
)
# elements the vocabulary has no id for, read as the group an event on them touches ("thulium" is a
# heavy rare earth): a quote that names thulium then carries heavy_rare_earths
_GROUP_KEYS = tuple(table("element_groups"))
_GROUP_WORDS = tuple(
    (re.compile(rf"(?i)\b{word}\b" if word.isascii() else word), group)
    for word, group in table("element_groups").items()
)


def event_mentions(text: str, gazetteer: Sequence[Mention] | None = None) -> list[Mention]:
    """The gazetteer's mentions, with 菱镁 read as magnesite and process words as their product.
    `gazetteer` is `find_mentions(text)`, when the caller has it already."""
    found: list[Mention] = []
    for mention in find_mentions(text) if gazetteer is None else gazetteer:
        if (
            mention.kind == COMMODITY
            and mention.value == "magnesium"
            and _MAGNESITE_BEFORE.search(text[max(0, mention.start - 1) : mention.start])
        ):
            mention = replace(mention, start=mention.start - 1, value="magnesite")
        found.append(mention)
    lowered = text.lower()
    readings: list[tuple[Gated | re.Pattern[str], str]] = [*_PROCESS_WORDS]
    readings += [(p, c) for (p, c), word in zip(_GROUP_WORDS, _GROUP_KEYS, strict=True) if word in lowered]
    for pattern, commodity in readings:
        for m in pattern.finditer(text):
            if not any(f.start <= m.start() < f.end for f in found if f.kind == COMMODITY):
                found.append(Mention(m.start(), m.end(), COMMODITY, commodity))
    return sorted(found, key=lambda m: (m.start, m.end))


def about_technology(text: str, low: int, t_start: int, t_end: int) -> bool:
    """Whether the licence or ban is on know-how: a technology word in the trigger's own noun
    phrase, not in a second one joined by "and" ("graphite export licences ... and the rare
    earth technology ban")."""
    window = text[low : t_end + 40]
    offset = t_start - low
    for m in re.finditer(r"(?i)technolog|know-how|技术", window):
        between = window[min(m.start(), offset) : max(m.start(), offset + (t_end - t_start))]
        if not re.search(r"(?i)\band the\b|\bwhile\b|[;；]", between):
            return True
    return False


def paragraph_commodities(
    found: Sequence[Statement], mentions: Sequence[Sequence[Mention]] | None = None
) -> dict[int, tuple[str, ...]]:
    """The commodities each paragraph names, in order of first mention. `mentions` are the
    statements' own `event_mentions`, when the caller has them already."""
    named: dict[int, list[str]] = {}
    for index, statement in enumerate(found):
        values = named.setdefault(statement.block, [])
        read = event_mentions(to_simplified(statement.text)) if mentions is None else mentions[index]
        for m in read:
            if m.kind == COMMODITY and m.value in _known() and m.value not in values:
                values.append(m.value)
    return {block: tuple(values) for block, values in named.items()}


def document_commodities(text: str, title: str | None, analysed: AnalysedText | None = None) -> tuple[str, ...]:
    """The commodities a document is about: the commonest family, its two commonest ids.
    `analysed` is the text already read (its gazetteer pass is reused), when it is."""
    heading = ((title or "") + "\n") * 3  # the title counts three times
    shared = analysed is not None and analysed.text == text
    apart = analysed.mentions_apart(heading) if analysed is not None and shared else None
    if apart is not None:
        named = _commodities_named(heading + text, apart, len(heading))
    else:
        gazetteer = analysed.mentions_after(heading) if analysed is not None and shared else None
        named = [m.value for m in event_mentions(heading + text, gazetteer) if m.kind == COMMODITY]
    counts = Counter(value for value in named if value in _known())
    if not counts:
        return ()
    ranked = counts.most_common(2)
    top = ranked[0][1]
    # a second commodity shares the document when it is named at least a third as often
    return tuple(c for c, n in ranked if n * 3 >= top)


def _commodities_named(text: str, apart: tuple[Sequence[Mention], Sequence[Mention]], shift: int) -> list[str]:
    """The values of the commodity mentions of `event_mentions(text, gazetteer)`, in its order, where
    `gazetteer` is `apart[0]` followed by `apart[1]` moved `shift` characters on: read off the
    mentions where they are, rather than moved into new ones (a document's mentions, when the
    title is repeated above its text). Same steps as `event_mentions`, on (start, end, value)."""
    spans: list[tuple[int, int, str]] = []
    for offset, mentions in ((0, apart[0]), (shift, apart[1])):
        for mention in mentions:
            if mention.kind != COMMODITY:
                continue  # other kinds neither count nor change where a commodity is read
            start, value = mention.start + offset, mention.value
            if value == "magnesium" and _MAGNESITE_BEFORE.search(text[max(0, start - 1) : start]):
                start, value = start - 1, "magnesite"
            spans.append((start, mention.end + offset, value))
    lowered = text.lower()
    readings: list[tuple[Gated | re.Pattern[str], str]] = [*_PROCESS_WORDS]
    readings += [(p, c) for (p, c), word in zip(_GROUP_WORDS, _GROUP_KEYS, strict=True) if word in lowered]
    for pattern, commodity in readings:
        for m in pattern.finditer(text):
            if not any(start <= m.start() < end for start, end, _ in spans):
                spans.append((m.start(), m.end(), commodity))
    spans.sort(key=itemgetter(0, 1))  # stable, as `event_mentions`'s sort
    return [value for _, _, value in spans]


@cache
def _known() -> frozenset[str]:
    return frozenset(commodities())
