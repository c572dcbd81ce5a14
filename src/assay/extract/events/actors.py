"""Who acts in an event: government bodies, provinces and cities, countries, companies.

Actors follow EventSpec: a geo code (`CN`, `CN-LN`, `EU`, `US`), a body as `GEO:BODY`
(`CN:MOFCOM`), a city as `PROVINCE:Name` (`CN-LN:Anshan`), or `company:<slug>`.
English names tolerate missing spaces ("DepartmentofEnergy"), which PDF text often has.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from assay.extract.events.prefilter import PatternScan
from assay.extract.events.words import cue, gated_cue, read_data
from assay.extract.text.gazetteer import COMPANY, GEO, Mention, find_mentions
from assay.extract.text.openers import fast_start

# (actor, rank, wordings): rank 1 is the most specific kind of actor.
_BODIES: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (row["actor"], tuple(row["wordings"])) for row in read_data("actors.toml")["body"]
)
# "主管部门", "有关部门": the competent authorities of a Chinese text are the central government
_AUTHORITIES_ZH = gated_cue("actors.AUTHORITIES_ZH")
_CUSTOMS = gated_cue("actors.CUSTOMS")

_COUNTRIES: tuple[tuple[str, str], ...] = tuple(
    (row["geo"], row["regex"]) for row in read_data("actors.toml")["country"]
)
_WORLD = PatternScan([cue("actors.WORLD")])  # "global", "world": common, so tried only where they start
_COMPANY_AFTER_PLACE = re.compile(
    r"[\u4e00-\u9fff]{0,6}?(?:集团|公司|股份)|\s+(?:[A-Z][\w&-]*\s+){0,3}(?:Group|Co\b|Company|Corporation|Holdings)"
)
_LOCATIVE_BEFORE = cue("actors.LOCATIVE_BEFORE")
_GOVERNMENT_WORDS = cue("actors.GOVERNMENT_WORDS")

_COMPANY_SUFFIX = (
    r"Group|Co\.?|Company|Corp\.?|Corporation|Inc\.?|Ltd\.?|Limited|Holdings|Materials?|Magnetics|Mining"
    r"|Resources|Metals?"
)
# skips fast to a capital (`fast_start`): the word boundary it opens with made re try every character
_COMPANY_EN = fast_start(
    re.compile(
        rf"\b(?P<name>(?:[A-Z][\w&'’.-]*\s+){{0,4}}?[A-Z][\w&-]*\s+(?:{_COMPANY_SUFFIX}))(?![\w])(?!\s+(?:Science|Cent|Base|Industr))"
    )
)
_NOT_COMPANY_START = cue("actors.NOT_COMPANY_START")
# "Ford CEO Jim Farley", "Toyota's chief executive": a firm outside the vocabulary, named by its officer
_COMPANY_BY_OFFICER = gated_cue("actors.COMPANY_BY_OFFICER")
_COMPANY_STOP = {"co", "co.", "ltd", "ltd.", "inc", "inc.", "corp", "corp.", "limited"}


@dataclass(frozen=True, slots=True)
class ActorMention:
    start: int
    end: int
    actor: str
    rank: int  # 1 body, 2 local government, 3 province, 4 city, 5 company, 6 country, 7 world


def slug(name: str) -> str:
    words = [w for w in re.split(r"[^\w]+", name.lower()) if w and w not in _COMPANY_STOP]
    return "-".join(words)


@cache
def compiled_bodies() -> tuple[tuple[str, ...], PatternScan]:
    """The government bodies' actors and their wordings' patterns (one per body), in one scan."""
    patterns = [re.compile("|".join(words), re.IGNORECASE) for _, words in _BODIES]
    return tuple(actor for actor, _ in _BODIES), PatternScan(patterns)


@cache
def compiled_countries() -> tuple[tuple[str, ...], PatternScan]:
    """The countries' codes and their patterns, in one scan."""
    return tuple(code for code, _ in _COUNTRIES), PatternScan([re.compile(source) for _, source in _COUNTRIES])


@cache
def actor_scan() -> tuple[int, int, PatternScan]:
    """The bodies', the countries' and the world's patterns in one scan (one pass over a statement
    and its lower case, not three): how many patterns are bodies', how many countries', and the scan."""
    bodies, countries = compiled_bodies()[1].patterns, compiled_countries()[1].patterns
    return len(bodies), len(countries), PatternScan([*bodies, *countries, *_WORLD.patterns])


def find_actors(text: str, mentions: Sequence[Mention] | None = None) -> list[ActorMention]:
    """Actor mentions in the text; a mention inside a longer one is dropped. `mentions` are the
    gazetteer's for this text, when the caller has them already."""
    found: list[ActorMention] = []
    bodies, countries = compiled_bodies()[0], compiled_countries()[0]
    body_count, country_count, scan = actor_scan()
    scanned = list(scan.finditer(text))  # only the patterns that may match, tried where they may
    for index, matches in scanned:
        if index < body_count:
            found += [ActorMention(m.start(), m.end(), bodies[index], 1) for m in matches]
    located_until = -1  # end of the last place read as a location: a place right after it is one too
    mentions = find_mentions(text) if mentions is None else mentions
    for place in mentions:
        # provinces and cities from the gazetteer; "Beijing" in policy news is the central government
        if place.kind != GEO or not place.value.startswith("CN-") or place.value == "CN-BJ":
            continue
        if _COMPANY_AFTER_PLACE.match(text, place.end):
            continue  # "赣州稀土集团", "Baotou Steel Group": the place is part of a company's name
        governs = bool(_GOVERNMENT_WORDS.search(text[place.end : place.end + 40]))
        rank = 2 if governs else (4 if ":" in place.value else 3)
        chained = located_until >= 0 and not text[located_until : place.start].strip(" ,，、")
        if not governs and (chained or _LOCATIVE_BEFORE.search(text[max(0, place.start - 6) : place.start])):
            # "set up in Ganzhou, Jiangxi", "在江西赣州成立": where it happened, no more telling than a country
            rank = 6
            located_until = place.end
        # a city named as a place ("mines in Haicheng", "the Baotou exchange") is not a city
        # government acting: the measure is its province's
        actor = place.value if governs else place.value.split(":")[0]
        found.append(ActorMention(place.start, place.end, actor, rank))
    # companies the vocabulary knows (companies.csv, found by the gazetteer) keep its slug; a name
    # that only looks like a company's ("Acme Rare Earth Co") is slugged from its words
    known = [ActorMention(m.start, m.end, m.value, 5) for m in mentions if m.kind == COMPANY]
    found += known
    for m in _COMPANY_EN.finditer(text):
        name = m["name"]
        if _NOT_COMPANY_START.match(name) or len(name.split()) < 2:
            continue
        if any(k.start < m.end() and m.start() < k.end for k in known):
            continue
        found.append(ActorMention(m.start(), m.end(), f"company:{slug(name)}", 5))
    found += [
        ActorMention(m.start("name"), m.end("name"), f"company:{slug(m['name'])}", 5)
        for m in _COMPANY_BY_OFFICER.finditer(text)
    ]
    for index, matches in scanned:
        if body_count <= index < body_count + country_count:
            found += [ActorMention(m.start(), m.end(), countries[index - body_count], 6) for m in matches]
    for index, matches in scanned:
        if index >= body_count + country_count:
            found += [ActorMention(m.start(), m.end(), "WORLD", 7) for m in matches]
    found += [ActorMention(m.start(), m.end(), "CN:GACC", 6) for m in _CUSTOMS.finditer(text)]
    found += [ActorMention(m.start(), m.end(), "CN", 6) for m in _AUTHORITIES_ZH.finditer(text)]
    # a mention inside a longer one goes ("美国商务部" is not also "商务部"): one sweep, longest first
    kept: list[ActorMention] = []
    reach, reach_span = -1, (-1, -1)
    for a in sorted(found, key=lambda a: (a.start, a.start - a.end)):
        if a.end <= reach and (a.start, a.end) != reach_span:
            continue
        kept.append(a)
        if a.end > reach:
            reach, reach_span = a.end, (a.start, a.end)
    return sorted(kept, key=lambda a: (a.start, a.rank))


def choose_actor(mentions: list[ActorMention]) -> str | None:
    """The most specific actor named; the first one among equals."""
    if not mentions:
        return None
    best = min(mentions, key=lambda a: (a.rank, a.start))
    return best.actor


def dominant_place(text: str, mentions: Sequence[Mention] | None = None) -> str | None:
    """The Chinese province or city a document is mostly about, when it names one at least twice.
    `mentions` are the gazetteer's for the text, when the caller has them already."""
    mentions = find_mentions(text) if mentions is None else mentions
    if _PLACES_ONLY_FROM_GAZETTEER and not _some_province_twice(mentions):
        return None  # the actors' provinces are a subset of these places: none can reach two
    counts: dict[str, int] = {}
    for mention in find_actors(text, mentions):
        if mention.actor.startswith("CN-"):
            province = mention.actor.split(":")[0]
            counts[province] = counts.get(province, 0) + 1
    if not counts:
        return None
    province, count = max(counts.items(), key=lambda item: item[1])
    return province if count >= 2 else None


# Provinces and cities come to find_actors only from the gazetteer's places, unless a body or a
# country wording names one: then dominant_place cannot bound its count by the places alone.
_PLACES_ONLY_FROM_GAZETTEER = not any(
    actor.startswith("CN-") for actor in (*(a for a, _ in _BODIES), *(g for g, _ in _COUNTRIES))
)


def _some_province_twice(mentions: Sequence[Mention]) -> bool:
    """Whether the places that find_actors may read as a province name one province twice or more."""
    seen: set[str] = set()
    for place in mentions:
        if place.kind == GEO and place.value.startswith("CN-") and place.value != "CN-BJ":
            province = place.value.split(":")[0]
            if province in seen:
                return True
            seen.add(province)
    return False
