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

from assay.extract.events.prefilter import PatternSet
from assay.extract.text.gazetteer import GEO, Mention, find_mentions

# (actor, rank, wordings): rank 1 is the most specific kind of actor.
_BODIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "US:DOC",
        (
            r"(?:U\.?S\.?\s*)Department\s*of\s*Commerce",
            r"Commerce\s*Department",
            r"Bureau\s*of\s*Industry\s*and\s*Security",
            r"\bBIS\b",
            "美国商务部",
        ),
    ),
    ("US:DOE", (r"Department\s*of\s*Energy", r"\bDOE\b", "美国能源部")),
    ("US:DOD", (r"Department\s*of\s*Defen[cs]e", r"\bPentagon\b", r"\bDoD\b", "美国国防部")),
    ("US:USTR", (r"\bUSTR\b", r"U\.?S\.?\s*Trade\s*Representative")),
    ("CN:MOFCOM", (r"Ministry\s*of\s*Commerce", r"Commerce\s*Ministry", r"\bMOFCOM\b", "商务部")),
    (
        "CN:MIIT",
        (
            r"Ministry\s*of\s*Industry\s*and\s*Information\s*Technology",
            r"Ministry\s*of\s*Information\s*and\s*Technology",
            r"\bMIIT\b",
            r"\bindustry\s+ministry\b",
            "工业和信息化部",
            "工信部",
        ),
    ),
    ("CN:GACC", (r"General\s*Administration\s*of\s*Customs", r"\bGACC\b", "海关总署")),
    (
        "CN:NDRC",
        (
            r"National\s*Development\s*and\s*Reform\s*Commission",
            r"\bNDRC\b",
            "国家发展和改革委员会",
            "国家发展改革委",
            "发改委",
            "发展改革委",
        ),
    ),
    (
        "CN:NFSRA",
        (
            r"National\s*Food\s*and\s*Strategic\s*Reserves?\s*Administration",
            r"State\s*Reserve\s*Bureau",
            "国家粮食和物资储备局",
            "国家储备局",
        ),
    ),
    ("CN:MNR", (r"Ministry\s*of\s*Natural\s*Resources", r"\bMNR\b", "自然资源部")),
    (
        "CN:MEE",
        (
            r"Ministry\s*of\s*(?:Ecology\s*and\s*)?Environment(?:al\s*Protection)?",
            r"\bMEE\b",
            "生态环境部",
            "环境保护部",
        ),
    ),
    ("CN:MOF", (r"Ministry\s*of\s*Finance", "财政部")),
    ("CN:STATE_COUNCIL", (r"State\s*Council", "国务院")),
    ("CN:CTC", (r"Customs\s*Tariff\s*Commission", "关税税则委员会")),
    ("EU", (r"European\s*(?:Commission|Parliament|Council)", "欧盟委员会", "欧洲议会", "欧委会")),
)
# "主管部门", "有关部门": the competent authorities of a Chinese text are the central government
_AUTHORITIES_ZH = re.compile(r"主管部门|有关部门|国家有关部门")
_CUSTOMS = re.compile(r"(?i)\bcustoms\b|海关")

_COUNTRIES: tuple[tuple[str, str], ...] = (
    ("EU", r"\bEuropean\s*Union\b|\bEU\b|\bBrussels\b|欧盟"),
    (
        "US",
        r"\b(?:Biden|Trump|Obama)\s+administration\b|\bWhite\s+House\b|\bUnited\s*States\b|\bU\.S\.(?:A\.)?|\bUS\b|\bUSA\b|\bWashington\b|\bAmerica\b|美国",
    ),
    ("JP", r"\bJapan(?:ese)?\b|日本"),
    ("KR", r"\bSouth\s*Korea\b|\bKorea\b|韩国"),
    ("AU", r"\bAustralia(?:n)?\b|澳大利亚"),
    ("MM", r"\bMyanmar\b|\bBurma\b|缅甸"),
    ("IN", r"\bIndia(?:n)?\b|印度"),
    ("VN", r"\bVietnam(?:ese)?\b|越南"),
    ("CA", r"\bCanada\b|\bCanadian\b|加拿大"),
    ("SA", r"\bSaudi(?:\s*Arabia)?\b|沙特"),
    ("RU", r"\bRussia(?:n)?\b|俄罗斯"),
    ("CN", r"\bChina(?:'s|’s)?\b|\bChinese\b|\bBeijing\b|\bPRC\b|中国|我国|国务院"),
)
_WORLD = re.compile(r"(?i)\bglobal(?:ly)?\b|\bworld(?:wide)?\b|\bwestern governments\b|全球|西方国家")
_COMPANY_AFTER_PLACE = re.compile(
    r"[\u4e00-\u9fff]{0,6}?(?:集团|公司|股份)|\s+(?:[A-Z][\w&-]*\s+){0,3}(?:Group|Co\b|Company|Corporation|Holdings)"
)
_LOCATIVE_BEFORE = re.compile(r"(?i)\b(?:in|at|based in|headquartered in)\s+$|(?:在|于|落户)$")
_GOVERNMENT_WORDS = re.compile(
    r"(?i)^\W{0,3}(?:local\s+|provincial\s+|municipal\s+|city\s+|regional\s+|people['’]s\s+)*(?:government|authorit)"
    r"|^(?:省|市|县)?(?:人民)?政府|^(?:省|市)委"
    # a place as the subject of a governing verb: "Yulin ordered its smelters", "榆林市要求"
    r"|^\s+(?:ordered|instructed|told|required|issued|imposed|announced)\b|^(?:市|县)?(?:要求|印发|出台|发布|责令)"
)

_COMPANY_SUFFIX = (
    r"Group|Co\.?|Company|Corp\.?|Corporation|Inc\.?|Ltd\.?|Limited|Holdings|Materials?|Magnetics|Mining"
    r"|Resources|Metals?"
)
_COMPANY_EN = re.compile(
    rf"\b(?P<name>(?:[A-Z][\w&'’.-]*\s+){{0,4}}?[A-Z][\w&-]*\s+(?:{_COMPANY_SUFFIX}))(?![\w])(?!\s+(?:Science|Cent|Base|Industr))"
)
# Chinese company names that have a usual English form: the slug is made from it.
_KNOWN_COMPANIES = {
    "北方稀土": "china-northern-rare-earth",
    "中国稀土集团": "china-rare-earth-group",
    "盛和资源": "shenghe-resources",
    "厦门钨业": "xiamen-tungsten",
    "正海磁材": "zhenghai-magnetic-materials",
    "金力永磁": "jl-mag-rare-earth",
    "宁波韵升": "ningbo-yunsheng",
    "中科三环": "zhong-ke-san-huan",
    "广晟有色": "guangsheng-nonferrous",
    "包钢股份": "baotou-steel",
    "云海金属": "yunhai-metals",
}
_NOT_COMPANY_START = re.compile(
    r"(?i)^(?:rare|the|critical|new|global|chinese|china['’]s|magnesium|graphite|magnet|high|all|and|a|in|on|for|of)\b"
)
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
def _compiled_bodies() -> tuple[tuple[tuple[str, re.Pattern[str]], ...], PatternSet]:
    bodies = tuple((actor, re.compile("|".join(words), re.IGNORECASE)) for actor, words in _BODIES)
    return bodies, PatternSet([pattern for _, pattern in bodies])


@cache
def _known_companies_zh() -> re.Pattern[str]:
    return re.compile("|".join(re.escape(name) for name in sorted(_KNOWN_COMPANIES, key=len, reverse=True)))


@cache
def _compiled_countries() -> tuple[tuple[tuple[str, re.Pattern[str]], ...], PatternSet]:
    countries = tuple((code, re.compile(source)) for code, source in _COUNTRIES)
    return countries, PatternSet([pattern for _, pattern in countries])


def find_actors(text: str, mentions: Sequence[Mention] | None = None) -> list[ActorMention]:
    """Actor mentions in the text; a mention inside a longer one is dropped. `mentions` are the
    gazetteer's for this text, when the caller has them already."""
    found: list[ActorMention] = []
    bodies, body_index = _compiled_bodies()
    possible = body_index.possible(text)
    for index, (actor, pattern) in enumerate(bodies):
        if index in possible:  # the others' opening words are not in the text
            found += [ActorMention(m.start(), m.end(), actor, 1) for m in pattern.finditer(text)]
    located_until = -1  # end of the last place read as a location: a place right after it is one too
    for place in find_mentions(text) if mentions is None else mentions:
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
    for m in _COMPANY_EN.finditer(text):
        name = m["name"]
        if _NOT_COMPANY_START.match(name) or len(name.split()) < 2:
            continue
        found.append(ActorMention(m.start(), m.end(), f"company:{slug(name)}", 5))
    for m in _known_companies_zh().finditer(text):
        found.append(ActorMention(m.start(), m.end(), f"company:{_KNOWN_COMPANIES[m.group()]}", 5))
    countries, country_index = _compiled_countries()
    possible = country_index.possible(text)
    for index, (code, pattern) in enumerate(countries):
        if index in possible:
            found += [ActorMention(m.start(), m.end(), code, 6) for m in pattern.finditer(text)]
    found += [ActorMention(m.start(), m.end(), "WORLD", 7) for m in _WORLD.finditer(text)]
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


def dominant_place(text: str) -> str | None:
    """The Chinese province or city a document is mostly about, when it names one at least twice."""
    counts: dict[str, int] = {}
    for mention in find_actors(text):
        if mention.actor.startswith("CN-"):
            province = mention.actor.split(":")[0]
            counts[province] = counts.get(province, 0) + 1
    if not counts:
        return None
    province, count = max(counts.items(), key=lambda item: item[1])
    return province if count >= 2 else None
