"""Slot filling for one number: which metric, commodity, place, partner, whole and period it belongs to.

The rules look outward from the number: first its clause, then its sentence, then what the
paragraph has established so far (carried context), then the heading above, then the
document's title. Each rule is written for a class of wording, not for one document.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import cast

from assay.extract.facts import cues
from assay.extract.periods.finder import PeriodMention
from assay.extract.text.gazetteer import COMMODITY, COMPANY, GEO, METRIC, Mention
from assay.extract.text.layout import Span
from assay.extract.text.openers import fast_start
from assay.model import Quantity, QuantityKind
from assay.vocab import ancestors

LEVEL_METRICS: dict[QuantityKind, tuple[str, ...]] = {
    QuantityKind.MASS: (
        "exports", "imports", "production", "reserves", "consumption", "mining_quota", "smelting_quota",
        "trading_volume", "capacity", "quota", "shipments",
    ),
    QuantityKind.RATE: ("capacity", "production"),
    QuantityKind.MONEY: ("revenue", "net_profit", "investment", "output_value", "trade_value", "value", "exports",
                         "imports", "shipments"),
    QuantityKind.PRICE: ("price",),
}  # fmt: skip
SHARE_METRICS = {
    "production": "production_share",
    "reserves": "reserves_share",
    "capacity": "capacity_share",
    "exports": "exports_share",
    "imports": "imports_share",
}
TRADE = ("exports", "imports")
_PARTNER_TO = fast_start(
    re.compile(
        r"(?:\b(?:to|into|towards|destined for|bound for|for|shipped to|sent to)(?:\s+the)?\s*$)"
        r"|(?:向|对|出口到|出口至|运往|销往)\s*$",
        re.IGNORECASE,
    )
)
_FROM = re.compile(r"(?:\b(?:from|out of)(?:\s+the)?\s*$)|(?:自|从|来自|进口自)\s*$", re.IGNORECASE)
_OF_WHOLE = re.compile(r"(?:\bof(?:\s+the)?(?:\s+total)?\s*$|\bin\s*$|占(?:到|据|据了)?\s*$|在\s*$)", re.IGNORECASE)
# the measure a Chinese whole is written with: 全国产量, 全国总产量的, 全省镁产量的
_ZH_WHOLE_MEASURE = r"(?:[\u4e00-\u9fff]{0,2}?(?:总产量|总储量|总量|产量|储量|资源量|出口量|出口总量|产能|消费量))?"
_ZH_WHOLE_AFTER = re.compile(
    rf"^{_ZH_WHOLE_MEASURE}的?\s*[约近超]?\s*(?:\d|一半|半数|[二两三四五六七八九十]分之|[一二三四五六七八九]成)"
)
_ZH_SHARE_VERB = re.compile(r"占|(?:超过|超出|接近|相当于|达到)了?\s*$")
_OF_FOR = re.compile(r"\s*(?:of|for)\s+(?:the\s+|all\s+)?", re.IGNORECASE)
_LOCATIVE = re.compile(r"\bin\s+(?:the\s+)?(?:(?:north|south|east|west)\w*\s+|central\s+)?$|[在于]\s*$", re.I)
_OF_AFTER = re.compile(r"\s*(?:of|in)\s+(?:the\s+)?(?:total\s+)?(?:of\s+)?(?:the\s+)?$|\s*的\s*$", re.IGNORECASE)
_WORLD_LEVEL_GAP = re.compile(
    r"(?:'s|’s)?\s*(?:[a-z]+\s+){0,2}?(?:output|production|reserves|resources|total|consumption|demand|supply|capacity)"
    r"\s*(?:of|at|was|were|is|stood at|came to|reached|totall?ed|[:：])?\s*"
    r"(?:about|around|some|roughly|nearly|approximately|an estimated|only)?\s*(?:US\$|\$|RMB|CNY)?\s*"
    r"|[\u4e00-\u9fff]{0,4}?(?:总产量|产量|储量|总储量|消费量|产能|总量)\s*(?:为|达|达到|约|约为|仅)?\s*",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(r"[,，;；。]|[)）]\s*[,，、]")
_WHOLE_GAP = re.compile(rf"\s*{_ZH_WHOLE_MEASURE}(?:的|'s|’s)?\s*(?:[约近超]|超过|约为)?\s*")
# "占据了陕西省30.66万吨总产量的81.86%": the whole named after the share verb, its own level between
_SHARE_VERB_BEFORE = re.compile(r"占(?:到|据|据了)?|\b(?:account(?:s|ed|ing)?\s+for|occup(?:y|ies|ied|ying))\b", re.I)
_PLACE_AFTER_GAP = re.compile(r"\s*(?:(?:was|were)\s+(?:produced|mined|made|output)\s+)?(?:in|at)\s+(?:the\s+)?", re.I)
# "fused magnesia, basis 97% MgO", "90-92% MgO": a percent of an oxide is a grade, the content, not the
# product ("99.9% magnesium ingot" names the product)
_GRADE_BEFORE = re.compile(r"\d\s*%?\s*\Z")  # "97% MgO", "96 MgO"
_GRADE_AFTER = re.compile(r"\s*\d+(?:\.\d+)?\s*%")  # "FM MgO 98%"
_OXIDE_FORMULA = re.compile(r"(?:[A-Z][a-z]?\d?O\d?|T?REO)")


def _is_grade(m: Mention, text: str) -> bool:
    return bool(
        _OXIDE_FORMULA.fullmatch(text, m.start, m.end)
        and (_GRADE_BEFORE.search(text, max(0, m.start - 12), m.start) or _GRADE_AFTER.match(text, m.end))
    )


_LABEL_GAP = re.compile(r"[ \t]*[:：][ \t]*")
_REASON_BETWEEN = fast_start(
    re.compile(
        r"\b(?:in response to|due to|because of|amid|driven by|on the back of|thanks to|owing to|as a result of)\b"
        r"|由于|因为|得益于|受益于",
        re.IGNORECASE,
    )
)
# a sentence that opens on a subordinate clause ("After the U.S. responded, …", "随着美国加征关税，…")
_OPENING_CLAUSE = re.compile(
    r"\s*(?:(?:after|when|as|since|before|although|though|while|once|because|following|despite)\s[^,;\d]{0,60},"
    r"|(?:随着|由于|因为|虽然|尽管)[^，,；;。\d]{0,30}[，,]|在[^，,；;。\d]{0,30}(?:后|之后|以后|时|之际)[，,])",
    re.IGNORECASE,
)
_TOPIC_OPENING = re.compile(
    r"(?:\b(?:in terms of|as for|as to|regarding|when it comes to)(?:\s+the)?\s*|(?:至于|至於)\s*)\Z", re.I
)
_LIST_GLUE = re.compile(r"^\s*(?:[,、/&]|and|or|和|及|与|以及)\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Carry:
    """What the paragraph (or heading, or title) has established for the numbers that follow."""

    commodity: str | None = None
    form: str | None = None
    metric: str | None = None
    geo: str | None = None
    partner: str | None = None
    period: str | None = None
    local: bool = False  # set in this paragraph (not only inherited from earlier ones)


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence with the mentions, periods and numbers inside it."""

    span: Span
    mentions: Sequence[Mention]
    periods: Sequence[PeriodMention]
    quantities: Sequence[Quantity]
    # What is worked out once per sentence (geo roles, number starts) lives and dies with the sentence,
    # so one document's positions can never be handed to another's sentence at the same span.
    memo: dict[object, object] = field(default_factory=dict, compare=False, repr=False)


def _distance(m_start: int, m_end: int, q: Quantity) -> int:
    if m_end <= q.start:
        return q.start - m_end
    if m_start >= q.end:
        return m_start - q.end
    return 0


def nearest(
    mentions: Sequence[Mention], q: Quantity, clause: Span, allowed: tuple[str, ...] | None = None
) -> Mention | None:
    """The nearest mention, preferring the number's clause, then what precedes it."""
    best: tuple[int, int, int, Mention] | None = None
    for m in mentions:
        if allowed is not None and m.value not in allowed:
            continue
        in_clause = clause.start <= m.start and m.end <= clause.end
        after = m.start >= q.end
        key = (0 if in_clause else 1, 1 if after else 0, _distance(m.start, m.end, q), m)
        if best is None or key[:3] < best[:3]:
            best = key
    return best[3] if best else None


def choose_metric(
    sentence: Sentence, q: Quantity, clause: Span, kinds: tuple[str, ...], text: str, carried: str | None = None
) -> str | None:
    """The metric cue nearest the number among those its kind allows; `value`, `quota`, shipments resolved.
    A cue in a reason given after the number ("… 653,528 t in 2017 in response to growing overseas demand")
    is the reason's, not the number's."""
    cues = [
        m
        for m in sentence.mentions
        if m.kind == METRIC and not (m.start >= q.end and _REASON_BETWEEN.search(text, q.end, m.start))
    ]
    found = nearest(cues, q, clause, kinds)
    if found is None:
        return None
    metric = found.value
    in_clause = [m.value for m in cues if clause.start <= m.start and m.end <= clause.end]
    companies = any(m.kind == COMPANY for m in sentence.mentions)
    if metric == "shipments":
        in_sentence = [m.value for m in cues]
        metric = (
            "imports"
            if "imports" in in_sentence or (carried == "imports" and "exports" not in in_sentence)
            else "exports"
        )
    if (
        not companies
        and any(v in in_clause for v in ("value", "revenue"))
        and any(t in in_clause for t in (*TRADE, "shipments"))
    ):
        return "trade_value"
    if metric in TRADE and q.kind is QuantityKind.MONEY:
        return "trade_value"
    if metric in TRADE and ("value" in in_clause or "trade_value" in in_clause):
        return "trade_value"
    if metric == "value":  # "Their value fell 25.7%" after a sentence on exports
        trade = [m.value for m in cues if m.value in TRADE]
        return "trade_value" if trade or carried in TRADE else None
    if metric == "quota":
        nxt = min((o.start for o in sentence.quantities if o.start >= q.end), default=clause.end)
        ahead = Span(q.start, min(nxt, clause.end) if nxt > q.start else clause.end)
        for span in (ahead, clause, sentence.span):  # "270,000 t for mining and 254,000 t for smelting"
            words = text[span.start : span.end].lower()
            if re.search(r"smelt|separat|冶炼|分离", words):
                return "smelting_quota"
            if re.search(r"\bmin(?:e|ing)\b|开采", words):
                return "mining_quota"
        return "mining_quota"
    return metric


def commodity_of(mentions: Sequence[Mention], q: Quantity, clause: Span, text: str) -> tuple[str, str | None] | None:
    """The commodity nearest the number; a list of several (镁锭、镁合金、镁粉) gives their common parent."""
    items = [m for m in mentions if m.kind == COMMODITY and not _is_grade(m, text)]
    for m in items:  # "Rmb 660 a tonne for caustic calcined magnesia", "22,966 tonnes of magnesium ingot"
        if m.start >= q.end and _OF_FOR.fullmatch(text[q.end : m.start]):
            return m.value, m.form
    found = nearest(items, q, clause)
    if found is None:
        return None
    if found.start >= q.end and found.end > clause.end and not _opening_phrase_subject(items, found, q, clause, text):
        return None  # a later clause's product ("13 Mt in 2023 (contained MgO)"): leave it to the context
    group = [found]
    i = items.index(found)
    j = i - 1
    while j >= 0 and _LIST_GLUE.match(text[items[j].end : group[0].start]):
        group.insert(0, items[j])
        j -= 1
    j = i + 1
    while j < len(items) and _LIST_GLUE.match(text[group[-1].end : items[j].start]) and items[j].end <= q.start:
        group.append(items[j])
        j += 1
    # "In terms of light rare earth, neodymium oxide was quoted …", "至于中重稀土，氧化铽…": the topic the
    # sentence opens with, not an item of a list
    group = [m for m in group if m is found or not _TOPIC_OPENING.search(text, max(0, m.start - 24), m.start)]
    ids = {m.value for m in group}
    if len(ids) == 1:
        return found.value, found.form
    common = common_parent([m.value for m in group])
    return (common, None) if common else (found.value, found.form)


def _opening_phrase_subject(items: Sequence[Mention], found: Mention, q: Quantity, clause: Span, text: str) -> bool:
    """A product named right after an opening price phrase, with no product before the number."""
    if any(m.start < q.start for m in items):
        return False
    return bool(
        cues.OPENING_PRICE_PHRASE.match(text[clause.start : q.start])
        and cues.SUBJECT_AFTER_COMMA.search(text, clause.end, found.start)
    )


def common_parent(ids: Sequence[str]) -> str | None:
    chains = [ancestors(i) for i in ids if i != "-"]
    if not chains:
        return None
    for candidate in chains[0]:
        if all(candidate in chain for chain in chains):
            return candidate
    return None


def geo_roles(sentence: Sentence, text: str, metric: str | None) -> dict[int, str]:
    """For each geo or company mention of a sentence (by start), its role: geo, partner, whole, skip.
    Roles depend on the sentence and on whether the number is an import; they are worked out once."""
    key = ("roles", metric if metric in TRADE else None)
    cached = sentence.memo.get(key)
    if cached is None:
        cached = sentence.memo[key] = _geo_roles(sentence, text, metric)
    return cast(dict[int, str], cached)  # the memo holds under this key only what this function stored


def _geo_roles(sentence: Sentence, text: str, metric: str | None) -> dict[int, str]:
    roles: dict[int, str] = {}
    for m in sentence.mentions:
        if m.kind not in (GEO, COMPANY):
            continue
        before = text[max(sentence.span.start, m.start - 24) : m.start]
        after = text[m.end : min(sentence.span.end, m.end + 24)]
        if m.kind == GEO and m.value in ("WORLD", "CN") and cues.SUPERLATIVE_AFTER.match(after):
            roles[m.start] = "skip"  # "the world's largest", "作为全国第二大原镁产地": the superlative's field
        elif m.kind == GEO and _OF_WHOLE.search(before) and _share_before(text, sentence.span.start, m.start):
            roles[m.start] = "whole"
        elif (
            m.kind == GEO
            and _ZH_WHOLE_AFTER.match(after)
            and _ZH_SHARE_VERB.search(text[sentence.span.start : m.start])
        ):
            roles[m.start] = "whole"  # 约占全国的85%、全球的22%
        elif m.kind == GEO and _is_dateline(text, m):
            roles[m.start] = "skip"  # a dateline: "SHANGHAI, Nov 24 (SMM) -"
        elif m.kind == GEO and _PARTNER_TO.search(before):
            roles[m.start] = "partner" if metric != "imports" else "geo"
            if _in_list(sentence, m, text):
                roles[m.start] = "skip"  # "exported to the US, Holland, Japan and Iran": no single partner
        elif m.kind == GEO and _FROM.search(before):
            roles[m.start] = "partner" if metric == "imports" else ("geo" if metric == "exports" else "skip")
        else:
            roles[m.start] = "geo"
    for places in partner_lists(sentence, text, metric):
        for m in places:
            roles[m.start] = "skip"  # no single partner, unless a run of as many values pairs them
    return roles


def partner_lists(sentence: Sentence, text: str, metric: str | None) -> list[list[Mention]]:
    """Lists of places on the other side of a trade flow: "to Japan and the US", "from the U.S. and Myanmar"."""
    key = ("partner_lists", metric if metric in TRADE else None)
    cached = sentence.memo.get(key)
    if cached is not None:
        return cast(list[list[Mention]], cached)
    geos = [m for m in sentence.mentions if m.kind == GEO]
    lists: list[list[Mention]] = []
    i = 0
    while i < len(geos):
        m = geos[i]
        before = text[max(sentence.span.start, m.start - 24) : m.start]
        to_side = bool(_PARTNER_TO.search(before)) and metric != "imports"
        from_side = bool(_FROM.search(before)) and metric == "imports"
        group = [m]
        while (to_side or from_side) and i + 1 < len(geos):
            nxt = geos[i + 1]
            if not cues.LIST_MEMBER_GLUE.fullmatch(text, group[-1].end, nxt.start):
                break
            group.append(nxt)
            i += 1
        if len(group) > 1:
            lists.append(group)
        i += 1
    sentence.memo[key] = lists
    return lists


def _paired_partner(sentence: Sentence, q: Quantity, text: str, metric: str) -> str | None:
    """ "Imports from the U.S. and Myanmar slipped by 14.6% and 31.6%": the n-th value is the n-th place's."""
    lists = partner_lists(sentence, text, metric)
    if not lists:
        return None  # the common case: no list of places, no walk over the sentence's numbers
    run: list[int] = []  # starts of a run of values of one kind; q may be a re-signed copy of its reading
    kinds = {o.start: o.kind for o in sentence.quantities}
    ends = {o.start: o.end for o in sentence.quantities}
    for o in sentence.quantities:
        if run and kinds[run[-1]] is o.kind and _VALUE_GLUE.fullmatch(text, ends[run[-1]], o.start):
            run.append(o.start)
        elif q.start in run:
            break
        else:
            run = [o.start]
    if q.start not in run or len(run) < 2:
        return None
    for places in lists:
        if len(places) == len(run) and places[-1].end <= run[0]:
            return places[run.index(q.start)].value
    return None


def governments_as_countries(mentions: Sequence[Mention], text: str) -> list[Mention]:
    """Mentions with each capital named as a government ("Beijing set the quota") turned into its country."""
    out = list(mentions)
    for i, m in enumerate(out):
        country = cues.CAPITAL_OF.get(m.value) if m.kind == GEO else None
        if country and cues.GOVERNMENT_AFTER.match(text, m.end):
            out[i] = Mention(m.start, m.end, GEO, country, m.form)
    return out


# "对美稀土磁铁出口量", "對日出口": a trading partner under its one-character name, right after 对 and ahead of
# the trade word; not 对美元, 对日益, 对欧洲 (a longer word the character starts)
_SHORT_PARTNER = re.compile(
    r"对(?P<name>[美日韩欧德俄印])(?![元洲益前常内均本国发刷度尼罗盟方])(?=[\u4e00-\u9fff]{0,10}?(?:出口|进口|出货))"
)
_SHORT_PARTNER_CODE = {"美": "US", "日": "JP", "韩": "KR", "欧": "EU", "德": "DE", "俄": "RU", "印": "IN"}


def short_partner_names(mentions: Sequence[Mention], text: str) -> list[Mention]:
    """Mentions with the one-character partners of trade statements ("对美出口", "對韓稀土出口") added."""
    if "对" not in text:
        return list(mentions)
    found = [
        Mention(m.start("name"), m.end("name"), GEO, _SHORT_PARTNER_CODE[m["name"]])
        for m in _SHORT_PARTNER.finditer(text)
    ]
    if not found:
        return list(mentions)
    return sorted([*mentions, *found], key=lambda m: (m.start, m.end))


def _is_dateline(text: str, m: Mention) -> bool:
    surface = text[m.start : m.end]
    return len(surface) > 4 and surface.isupper() and text[m.end : m.end + 2].startswith((",", " (", " -"))


def _in_list(sentence: Sentence, m: Mention, text: str) -> bool:
    later = [o for o in sentence.mentions if o.kind == GEO and o.start >= m.end]
    return bool(later) and bool(re.fullmatch(r"\s*(?:,|、|and|和|及)\s*(?:the\s+)?", text[m.end : later[0].start]))


def _share_before(text: str, sentence_start: int, at: int) -> bool:
    window = text[max(sentence_start, at - 60) : at].lower()
    return bool(
        re.search(
            r"account|share|make up|making up|made up|represent|take up|taking up|took up|occup|占|份额|比重", window
        )
    )


def _is_country(code: str) -> bool:
    return code not in ("WORLD", "CN") and not code.startswith(("CN-", "company:"))


def choose_geo(
    sentence: Sentence, q: Quantity, clause: Span, text: str, metric: str | None, carry: Carry
) -> tuple[str | None, str | None]:
    """(geo, partner) of a number: the subject place or company, and the other side of a trade flow."""
    is_share = bool(metric and metric.endswith("_share"))
    metric = metric.removesuffix("_share") if metric else None
    roles = geo_roles(sentence, text, metric)
    places = [m for m in sentence.mentions if m.kind in (GEO, COMPANY)]
    subjects = [m for m in places if roles.get(m.start) == "geo"]
    if is_share:  # "77% of world output", "22% of the world's": the world is the whole, never the subject
        subjects = [m for m in subjects if m.value != "WORLD" and not _OF_AFTER.match(text, q.end, m.start)]
    world_level = _world_level(places, q, text)
    partners = [m for m in places if roles.get(m.start) == "partner" and m.kind == GEO]
    geo: str | None = None
    companies = [m for m in subjects if m.kind == COMPANY and m.start < q.start]
    if companies:
        geo = companies[-1].value
    else:
        in_clause_before = [m for m in subjects if clause.start <= m.start and m.end <= q.start]
        in_clause_before = [
            m for i, m in enumerate(in_clause_before) if i == 0 or not _LOCATIVE.search(text[clause.start : m.start])
        ]  # "Liaoning, in northeast China, …": China only locates Liaoning
        before = [m for m in subjects if m.end <= q.start]
        opening = _OPENING_CLAUSE.match(text, sentence.span.start, q.start)
        if opening is not None:  # "After the U.S. responded, China's exports …": the opening clause's actor
            before = [m for m in before if m.start >= opening.end()] or before
        after_in_clause = [m for m in subjects if m.start >= q.end and m.end <= clause.end]
        wholes_just_before = [
            m
            for m in places
            if roles.get(m.start) == "whole" and 0 <= q.start - m.end <= 30 and q.kind is not QuantityKind.PERCENT
        ]  # "world output of 940,000 tonnes": a whole before a level is its place
        if wholes_just_before:
            in_clause_before = [*in_clause_before, wholes_just_before[-1]]
        labelled = [m for m in subjects if m.end <= q.start and _LABEL_GAP.fullmatch(text, m.end, q.start)]
        previous = [o for o in sentence.quantities if o.end <= q.start]
        if not labelled and previous and not any(previous[-1].end <= m.start < q.start for m in subjects):
            # "山西:230,739吨,同比增加3.6%": a change right after a labelled level is the same place's
            lead = previous[-1]
            labelled = [m for m in subjects if m.end <= lead.start and _LABEL_GAP.fullmatch(text, m.end, lead.start)]
        if labelled:  # "山西:230,739吨", "Shanxi: 230,739 t": a place written as the label of its number
            in_clause_before = [labelled[-1]]
        if not in_clause_before and any(m.value == "WORLD" for m in after_in_clause):
            in_clause_before = [m for m in after_in_clause if m.value == "WORLD"]  # "22 Mt worldwide"
        placed_after = next(
            (m for m in after_in_clause if m.kind == GEO and _PLACE_AFTER_GAP.fullmatch(text, q.end, m.start)), None
        )
        if placed_after is not None and in_clause_before:
            last = in_clause_before[-1]  # "455.7 kt in Shaanxi and 162.3 kt in Shanxi": Shaanxi is the first's
            if any(
                o.end <= last.start and _PLACE_AFTER_GAP.fullmatch(text, o.end, last.start) for o in sentence.quantities
            ):
                in_clause_before = []
        if world_level is not None:
            geo = world_level
        elif in_clause_before:
            geo = in_clause_before[-1].value  # "Vietnam with 22 Mt and Brazil with 21 Mt": the nearest
        elif placed_after is not None:
            geo = placed_after.value  # "455.7 kt was produced in Shaanxi, 162.3 kt in Shanxi"
        elif before and is_share:
            geo = before[-1].value  # "Liaoning's resources at 3.52 bn t, some 85% of the national total"
        elif before:
            geo = before[0].value
        elif after_in_clause:
            geo = after_in_clause[0].value
    partner: str | None = None
    if metric in TRADE:
        found = nearest(partners, q, clause)
        paired = _paired_partner(sentence, q, text, metric)
        if paired is not None:
            partner = paired
        elif found is not None and not (found.start > q.end and found.start - q.end > 40):
            partner = found.value
        elif geo is not None and _is_country(geo):
            home_named = [m for m in places if m.kind == GEO and m.value in ("CN",) and roles.get(m.start) == "geo"]
            home = carry.geo or "CN"
            written_as_label = _labels_number(text, geo, subjects, q, sentence)
            if (
                not home_named
                and not _is_country(home)
                and (written_as_label or (metric == "exports" and _destination_subject(text, geo, subjects, q)))
            ):
                partner, geo = geo, None
    return geo, partner


def _destination_subject(text: str, code: str, subjects: Sequence[Mention], q: Quantity) -> bool:
    """In a home country's export statement, a foreign country that is not written as the exporter
    ("Germany received 1,116 tons") is where the goods went."""
    mentions = [m for m in subjects if m.value == code and m.end <= q.start]
    return bool(mentions) and not cues.EXPORTER_AFTER.match(text, mentions[-1].end)


def _world_level(places: Sequence[Mention], q: Quantity, text: str) -> str | None:
    """`world output of 940,000 tonnes`, `全球产量为94万吨`: a level of the world named just before it."""
    if q.kind is QuantityKind.PERCENT:
        return None
    for m in places:
        if m.value == "WORLD" and 0 <= q.start - m.end <= 40 and _WORLD_LEVEL_GAP.fullmatch(text, m.end, q.start):
            return "WORLD"
    return None


def _labels_number(text: str, code: str, subjects: Sequence[Mention], q: Quantity, sentence: Sentence) -> bool:
    """A country written right before a trade number (`Turkey 3,196 mt, accounting for 14%`, `US: Shipments
    fell`) names a destination, for that number and the ones after it in its sentence."""
    for m in subjects:
        if m.value != code or m.end > q.start:
            continue
        first = next((o for o in sentence.quantities if o.start >= m.end), None)
        if first is None:
            continue
        gap = text[m.end : first.start]
        if re.fullmatch(r"\s*[,:：]?\s*", gap) or (re.match(r"\s*[:：]", gap) and len(gap) <= 40):
            return True
    return False


def choose_whole(sentence: Sentence, q: Quantity, text: str, geo: str, partner: str | None) -> str:
    """What a share is a share of: the place named after `of`/占, else the exporter (for a destination), else WORLD."""
    roles = geo_roles(sentence, text, None)
    following = min((o.start for o in sentence.quantities if o.start >= q.end), default=sentence.span.end)
    after = [
        m
        for m in sentence.mentions
        if m.kind == GEO
        and roles.get(m.start) == "whole"
        and 0 <= m.start - q.end < 60
        and not (m.end <= following and _WHOLE_GAP.fullmatch(text, m.end, following))
        and not _CLAUSE_BREAK.search(text, q.end, m.start)
    ]  # "占全省的86%，其中海城又占鞍山的70%": 鞍山 is the next number's whole; "(占比超80%),主产区集中在陕西": not one
    just_before = [
        m
        for m in sentence.mentions
        if m.kind == GEO and roles.get(m.start) == "whole" and _WHOLE_GAP.fullmatch(text, m.end, q.start)
    ]  # 约占全国的85%、全球的22%: the whole written right before its number wins over the next one's
    if just_before:
        return just_before[-1].value
    verbs = list(_SHARE_VERB_BEFORE.finditer(text, max(sentence.span.start, q.start - 40), q.start))
    if verbs:  # the share verb nearest before the number
        verb = verbs[-1]
        named = [m for m in sentence.mentions if m.kind == GEO and verb.end() <= m.start and m.end <= q.start]
        if named and roles.get(named[-1].start) == "whole":
            return named[-1].value
    if after:
        return after[0].value
    nxt = min((o.start for o in sentence.quantities if o.start >= q.end), default=sentence.span.end)
    window = text[q.end : min(nxt, q.end + 60)].lower()  # up to the next number: "85% of the national total and 22%…"
    before = text[max(sentence.span.start, q.start - 40) : q.start].lower()
    if re.search(r"global|world|international|全球|世界", window + before):
        return "WORLD"
    if re.search(r"chin|national|domestic|全国|国内|我国", window):
        return "CN"
    if geo.startswith("CN-") and re.search(r"全省|本省|the province\b", before[-12:] + window[:20]):
        return geo.split(":", 1)[0]  # 鞍山的资源量占全省的86%: the province the place is in
    if not partner and re.search(r"\bof\s+the\s+total\b", window[:20]) and not geo.startswith(("CN-", "company:")):
        # "World production was 1.6 Mt, so China mined about 77% of the total": a country's share of a
        # world figure given just before (the sentence or the one before it)
        lookback = text[max(0, q.start - 250) : q.start].lower()
        if re.search(r"\b(?:world|global|worldwide)\b|全球|世界", lookback):
            return "WORLD"
    if partner or re.search(r"\btotal\b|总量|总额|总", window[:30] + before[-10:]):
        return geo
    if geo.startswith("CN-"):
        return geo.rsplit(":", 1)[0] if ":" in geo else "CN"
    return "WORLD"


def is_bound_to_other(p: PeriodMention, q: Quantity, quantities: Sequence[Quantity], text: str) -> bool:
    """A period written right after another number (`6,146 tons in August`) belongs to that number, and so
    does a period naming the total right before one (`producing a 2024 total of 132,931 tons`)."""
    after = next((o for o in quantities if o.start >= p.end), None)  # a sentence's numbers are in text order
    if (
        after is not None
        and after is not q
        and after.start - p.end <= 24
        and _TOTAL_OF.fullmatch(text, p.end, after.start)
    ):
        return True
    for other in quantities:
        if other is q or other.end > p.start:
            continue
        gap = text[other.end : p.start]
        if len(gap) <= 12 and re.fullmatch(r"\s*(?:(?:in|for|during|of|as of|at|on)\s*(?:the\s*)?)?", gap, re.I):
            return other.start != q.start
    return False


_TOTAL_OF = re.compile(
    r"\s*(?:full[\s-]year\s+)?(?:total|tally|figure|volume|output|haul)s?\s+(?:of|at|was|stood\s+at|reached)\s*"
    r"|\s*(?:全年)?(?:总量|總量|合计|合計|累计|累計)(?:为|為|达|達)\s*",
    re.I,
)


def metrics_in(sentence: Sentence, clause: Span) -> set[str]:
    """The metric cues inside a clause."""
    return {m.value for m in sentence.mentions if m.kind == METRIC and clause.start <= m.start < clause.end}


def adjacent_price(text: str, q: Quantity, sentence: Sentence) -> bool:
    """A change written next to a price (`rose 30% to $800-940 per tonne`) is a change of that price."""
    for o in sentence.quantities:
        if o.kind is QuantityKind.PRICE and 0 <= o.start - q.end <= 12:
            return bool(re.fullmatch(r"\s*(?:to|from|at)\s*", text[q.end : o.start]))
    return False


_RESPECTIVELY = re.compile(r"\b(?:respectively|specifically)\b|分别|各为|依次为", re.IGNORECASE)
# the same wordings without the closing word boundary, which a sentence's end could grant where the whole text does
# not: a text this finds nothing in has no sentence `_RESPECTIVELY` finds anything in
_RESPECTIVELY_ANYWHERE = fast_start(re.compile(r"\b(?:respectively|specifically)|分别|各为|依次为", re.IGNORECASE))
# the same, opening with the class of its first characters (every letter re takes for r or s when case is ignored:
# ſ too), which re skips to in C; the word boundary and the rest are read after that character
_RESPECTIVELY_FROM_FIRST = re.compile(
    r"[rRsSſ分各依](?:(?<!\w[rRsSſ])(?i:(?<=r)espectively|(?<=s)pecifically)|(?<=分)别|(?<=各)为|(?<=依)次为)"
)


def may_pair_lists(text: str) -> bool:
    """False when no sentence of `text` can have `respective_runs`: one scan, not one per sentence."""
    return _RESPECTIVELY_FROM_FIRST.search(text) is not None  # = _RESPECTIVELY_ANYWHERE.search(text)


_LONGEST_LIST = 8  # a longer run of numbers is a table or a series, not a list paired with products
_VALUE_GLUE = re.compile(r"\s*(?:,|，|、|和|及|与|and|,\s*and)\s*", re.IGNORECASE)


def respective_runs(sentence: Sentence, text: str) -> list[list[Quantity]]:
    """Lists of values of one kind that a `respectively`/分别 sentence pairs, in order, with a list of
    products or measures: "镁锭和镁合金出口量分别为30万吨和12万吨", "were 300,000 t and 120,000 t respectively"."""
    if not _RESPECTIVELY.search(text, sentence.span.start, sentence.span.end):
        return []
    runs: list[list[Quantity]] = []
    for q in sentence.quantities:
        last = runs[-1][-1] if runs else None
        if last is not None and last.kind is q.kind and _VALUE_GLUE.fullmatch(text, last.end, q.start):
            runs[-1].append(q)
        else:
            runs.append([q])
    return [run for run in runs if 2 <= len(run) <= _LONGEST_LIST]


def percent_runs(sentence: Sentence, text: str) -> list[list[Quantity]]:
    """Lists of percents joined by commas or `and` ("slipped by 14.6% and 31.6%"), with or without
    `respectively`: the movement word before the first is every item's."""
    runs: list[list[Quantity]] = []
    for q in sentence.quantities:
        last = runs[-1][-1] if runs else None
        if q.kind is not QuantityKind.PERCENT:
            continue
        if last is not None and _VALUE_GLUE.fullmatch(text, last.end, q.start):
            runs[-1].append(q)
        else:
            runs.append([q])
    return [run for run in runs if 2 <= len(run) <= _LONGEST_LIST]


# "dead burned magnesia (DBM)": a product's abbreviation in brackets right after its name
_ABBREVIATION_AFTER = re.compile(r"\s*[(（][^()（）]{1,12}[)）]")


def respective_commodities(sentence: Sentence, run: Sequence[Quantity], text: str) -> list[Mention] | None:
    """The list of distinct products written before a run of values, when it is as long as the run; a name's
    abbreviation in brackets ("caustic calcined magnesia (CCM), dead burned magnesia (DBM) and …") is no item."""
    items = [m for m in sentence.mentions if m.kind == COMMODITY and m.end <= run[0].start and m.value != "-"]
    ends: dict[int, int] = {}  # an item's end, after its bracketed abbreviation
    named: list[Mention] = []
    for m in items:
        if named and m.start < ends[named[-1].start] and m.value == named[-1].value:
            continue  # the abbreviation itself
        abbreviation = _ABBREVIATION_AFTER.match(text, m.end)
        ends[m.start] = abbreviation.end() if abbreviation else m.end
        named.append(m)
    items = named
    if len(items) < len(run):
        return None
    group = [items[-1]]
    for m in reversed(items[:-1]):
        if _LIST_GLUE.match(text[ends[m.start] : group[0].start]):
            group.insert(0, m)
        else:
            break
    if len(group) > len(run) and re.fullmatch(
        r"\s*[,，、]\s*", text[group[-len(run) - 1].end : group[-len(run)].start]
    ):
        group = group[-len(run) :]  # "light rare earths, PrNd and Nd oxides": the list after an apposition
    if len(group) != len(run) or len({(m.value, m.form) for m in group}) != len(group):
        return None
    return group


def near_quantities(sentence: Sentence, q: Quantity, reach: int) -> list[Quantity]:
    """The sentence's other numbers starting within `reach` characters of `q`, found by bisection so that a
    sentence of a million numbers costs a logarithm per number, not a scan."""
    starts = sentence.memo.get("starts")
    if starts is None:
        starts = sentence.memo["starts"] = [o.start for o in sentence.quantities]
    starts = cast(list[int], starts)
    lo = bisect.bisect_left(starts, q.start - reach)
    hi = bisect.bisect_right(starts, q.end + reach)
    return [o for o in sentence.quantities[lo:hi] if o is not q]
