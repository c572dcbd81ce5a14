"""Rules for numbers that state a change or a comparison, and for the levels around them.

- which baseline a percent change has when the wording names none: a yearly or year-to-date total of a
  flow changes against the same span a year before (pct_yoy); a quarter's sequential change is against the
  quarter before (pct_qoq); "in the same comparison", 也 take the basis of the change before them;
- which measure a change belongs to: the level it follows ("Export values totalled $45 million, an increase
  of 20%" is a change of the value, not of the exports), the flow a 数量/volume names, a price when the
  change is over a week;
- levels around a change: the baseline level after it ("up 5% from 114,000 tonnes in 2021") is a level of
  the same measure; "from 25% to 60%" states two levels, not a change; "fell from 6,000 t to zero" states a
  zero level.

Each rule reads a short window next to one number, after a cheap keyword test.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assay.extract.facts import cues
from assay.extract.text.openers import fast_start
from assay.model import Fact, Quantity, QuantityKind

PCT_UNITS = frozenset({"pct_yoy", "pct_mom", "pct_qoq", "pct_change"})

# Totals that add up over a span of time: a year's (or the year so far's) total compares with the same span
# a year before. Prices, capacities and stocks are levels at a point: their change has no implied baseline.
_FLOW_METRICS = frozenset(
    {"exports", "imports", "production", "consumption", "trade_value", "output_value", "revenue", "net_profit",
     "mining_quota", "smelting_quota", "trading_volume"}
)  # fmt: skip
_YEAR = re.compile(r"(?:19|20)\d\d")
_YEAR_TO_DATE = re.compile(r"((?:19|20)\d\d)-01/((?:19|20)\d\d)-(0[2-9]|1[0-2])|((?:19|20)\d\d)-H1")
# "since May", "年初以来", "so far this year": the change runs from a point in time, not from a year before
_FROM_A_POINT = re.compile(
    r"\bsince\b|\bso far\b|\bthis year\b|\bfrom the (?:start|beginning) of\b|\byear-to-date\b|\bytd\b|以来|至今|年初",
    re.IGNORECASE,
)


_MOVEMENT_AFTER = re.compile(
    r"^\s*(?:higher|lower|more|less|rise|increase|decrease|decline|drop|fall|gain|jump|growth|surge|climb|"
    r"reduction|plunge|slump|year-on-year|year on year|yoy)\b",
    re.IGNORECASE,
)


def movement_after(after: str) -> bool:
    """ "representing a 60% decline": a movement noun after the number makes it a change, not a share."""
    return _MOVEMENT_AFTER.match(after) is not None


_CONTRAST = re.compile(r"\b(?:but|while|whereas|although)\b|但|而", re.IGNORECASE)


def own_statement(window: str) -> str:
    """The part of a window after its last contrast ("the highest since 2014, but the value slumped 36%")."""
    ends = [m.end() for m in _CONTRAST.finditer(window)]
    return window[ends[-1] :] if ends else window


def yearly_unit(metric: str, period: str | None, clause_text: str) -> str | None:
    """pct_yoy for a change of a flow's yearly or year-to-date total that names no baseline, else None."""
    if metric not in _FLOW_METRICS or not period:
        return None
    ytd = _YEAR_TO_DATE.fullmatch(period)
    if not (_YEAR.fullmatch(period) or (ytd and (ytd.group(4) or ytd.group(1) == ytd.group(2)))):
        return None
    if _FROM_A_POINT.search(clause_text):
        return None
    return "pct_yoy"


def sequential_unit(unit: str, period: str | None) -> str:
    """环比 / "sequentially" of a quarter's figure is against the quarter before."""
    if unit == "pct_mom" and period and re.fullmatch(r"(?:19|20)\d\d-Q[1-4]", period):
        return "pct_qoq"
    return unit


_SAME_BASIS = re.compile(
    r"\bin the same comparison\b|\bon the same basis\b|\blikewise\b|(?:^|[，,、\s])(?:也|亦|同样|同樣)[^\d]{0,6}$",
    re.IGNORECASE,
)


def same_basis_unit(window_before: str, window_after: str, earlier: list[Fact]) -> str | None:
    """ "…slumped by 30% to 900 tonnes in the same comparison", "镁合金出口量也增长4%": the basis of the change
    stated before it in the sentence."""
    if not (_SAME_BASIS.search(window_before[-16:]) or _SAME_BASIS.search(window_after[:60])):
        return None
    named = [f.unit for f in earlier if f.unit in PCT_UNITS and f.unit != "pct_change"]
    return named[-1] if named else None


_WEEK = re.compile(
    r"\b(?:(?:over|in|for|during) the (?:past|last|previous) week|this week|for the week|on the week|"
    r"week-on-week|week on week|week-over-week|w-o-w|wow|weekly)\b|本周|上周|当周|周环比|较上周|一周",
    re.IGNORECASE,
)


def is_weekly(window: str) -> bool:
    """A change over a week is a market price's: trade and output are not counted by the week."""
    return _WEEK.search(window) is not None


_EARLIER_TIME = re.compile(
    r"\b(?:last|previous|prior)\s+(?:year|month|week|quarter)\b|\ba\s+(?:year|month|week)\s+(?:ago|earlier|before)\b"
    r"|去年|上年|上月|上周|上季",
    re.IGNORECASE,
)


def names_a_time(window: str) -> bool:
    """ "8% more than it shipped the year prior", "40% lower than the average price last year": the comparison is
    with another time, not another place."""
    return _EARLIER_TIME.search(window) is not None or any(cue.search(window) for cue in (cues.YOY, cues.MOM, cues.QOQ))


_WEIGHT_BEFORE = re.compile(
    r"(?:减重|减轻重量|减轻|轻量化|\b(?:cuts?|reduces?|reduced|reducing|saves?|saving|lowers?)\s+(?:the\s+)?"
    r"(?:\w+\s+)?weight(?:\s+by)?|\bweight\s+(?:savings?|reductions?|cut)\s+of)[^\d]{0,6}$",
    re.IGNORECASE,
)
_WEIGHT_AFTER = re.compile(r"^\s*(?:lighter|less weight|weight (?:saving|reduction))\b|^\s*的?(?:减重|轻量化)", re.I)


def is_weight_saving(before: str, after: str) -> bool:
    """ "较铝合金方案减重15%", "cuts weight by 30%", "30% lighter": what a part saves, not a market's change."""
    return _WEIGHT_BEFORE.search(before[-40:]) is not None or _WEIGHT_AFTER.match(after) is not None


_ZH_COMPARATIVE = re.compile(r"[比较](?P<base>[^，,。;；\d%]{1,12}?)(?P<dir>低|高|多|少)(?:了|出)?\s*\Z")


def zh_comparative(before: str) -> int:
    """ "比去年均价低40%", "较上月高12%": -1 or +1 when the number ends a comparison with an earlier time, else 0
    ("比其他国家高20%" compares places, not times)."""
    m = _ZH_COMPARATIVE.search(before[-16:])
    if m is None or not names_a_time(m.group("base")):
        return 0
    return -1 if m.group("dir") in "低少" else 1


_PER_STEP = re.compile(
    r"(?:每|\bfor\s+(?:every|each)\s+(?:additional\s+)?)(?:增减|增加|减少|提高|降低|上涨|下跌|上升|下降)?\s*\Z",
    re.IGNORECASE,
)


def per_step(before: str) -> bool:
    """ "REO每增减1%，每吨调整536.68元", "for every 1% of REO": a step of a pricing formula, not a change."""
    return _PER_STEP.search(before[-12:]) is not None


_VOLUME = re.compile(r"数量|\bvolumes?\b|\btonnages?\b", re.IGNORECASE)
_VALUE = re.compile(r"金额|\bvalues?\b|\bworth\b", re.IGNORECASE)


_SEPARATOR = re.compile(r"[，;；]|,(?!\d)")


def statement_start(text: str, start: int, at: int) -> int:
    """Where the comma-separated statement holding `at` begins (a thousands comma does not count)."""
    ends = [m.end() for m in _SEPARATOR.finditer(text, start, at)]
    return ends[-1] if ends else start


def volume_named(window: str) -> bool:
    """ "金额为…，数量较8月减少30%": the change is of the quantity shipped, not of the money."""
    return _VOLUME.search(window) is not None and _VALUE.search(window) is None


@dataclass(frozen=True)
class Made:
    """A number already read in the sentence, and the fact it became."""

    quantity: Quantity
    fact: Fact


_BETWEEN_LEVEL_AND_CHANGE = re.compile(r"[^.;。；!?！？]{0,100}")
_NOT_THE_SAME_STATEMENT = re.compile(r"\b(?:while|whereas|but|although)\b|但|而|其中", re.IGNORECASE)


def level_before(made: list[Made], q: Quantity, text: str, asides: list[tuple[int, int]]) -> Made | None:
    """The level a change follows in its statement ("Export values totalled $45 million, an increase of 20%"),
    skipping asides in brackets; None when more than an aside and a few words stand between them."""
    outside = [m for m in made if not any(a <= m.quantity.start < b for a, b in asides)]
    if not outside:
        return None
    last = outside[-1]
    if last.fact.unit in PCT_UNITS or last.fact.unit == "%" or last.quantity.end > q.start:
        return None
    if q.start - last.quantity.end > 400:
        return None
    inside = [(a, b) for a, b in asides if a < q.start and b > last.quantity.end]
    gap = text[last.quantity.end : q.start]
    if inside:
        gap = "".join(text[i] for i in range(last.quantity.end, q.start) if not any(a <= i < b for a, b in inside))
    if not _BETWEEN_LEVEL_AND_CHANGE.fullmatch(gap) or _NOT_THE_SAME_STATEMENT.search(gap):
        return None
    return last


_BRACKETED = re.compile(r"[(（][^()（）]{0,160}[)）]")


def bracketed(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Asides in brackets between two positions ("(nearly all NdFeB, minor SmCo)"), nested ones as one."""
    window = text[start:end]
    spans: list[tuple[int, int]] = []
    for _ in range(3):  # innermost first: "(excluding NdFeB powders ($105M), …)"
        found = [(m.start(), m.end()) for m in _BRACKETED.finditer(window)]
        if not found:
            break
        spans.extend(found)
        for a, b in found:
            window = window[:a] + " " * (b - a) + window[b:]
    return [(start + a, start + b) for a, b in spans]


_BASELINE_BEFORE_LEVEL = re.compile(
    r"(?:\bfrom|\bthan|\bcompared (?:to|with)|\bagainst|\bversus|比|较)[^,，;；。.!?]{0,20}\Z", re.IGNORECASE
)


def is_baseline_level(text: str, start: int) -> bool:
    """ "比2024年同期的3326吨", "from 653,528 tonnes": a level that a change is measured from."""
    return _BASELINE_BEFORE_LEVEL.search(text, max(0, start - 24), start) is not None


_BASELINE_LEVEL_BEFORE = re.compile(
    r"(?:\bfrom|\bcompared (?:to|with)|\bagainst|\bversus)\s+(?:the\s+)?(?:about|around|some|roughly|nearly|"
    r"an estimated)?\s*(?:US\$|\$|RMB|CNY|Rmb)?\s*\Z",
    re.IGNORECASE,
)


def change_before(made: list[Made], q: Quantity, text: str) -> Fact | None:
    """ "up by 5% from 114,000 tonnes in 2021": the change whose baseline this level is."""
    if not made or q.kind is QuantityKind.PERCENT:
        return None
    last = made[-1]
    if last.fact.unit not in PCT_UNITS:
        return None
    gap = text[last.quantity.end : q.start]
    if len(gap) > 30 or not _BASELINE_LEVEL_BEFORE.search(gap):
        return None
    return last.fact


_RUNNING_TOTAL = re.compile(
    r"\b(?:producing|bringing|taking|making|giving|pushing|lifting)\s+(?:(?:a|an|the|its|their)\s+)?"
    r"(?:[\w-]+\s+){0,2}totals?\s+(?:of|to)\s+(?:about|around|some|roughly|nearly)?\s*\Z",
    re.IGNORECASE,
)


def running_total(text: str, start: int, at: int) -> int | None:
    """ "…, producing a 2024 total of 132,931 tons", "bringing the total to": the sum of the measure named
    before; where the phrase starts (its verb is not the measure), else None."""
    lo = max(start, at - 48)
    if "total" not in text[lo:at].lower():
        return None  # the cheap test first
    m = _RUNNING_TOTAL.search(text, lo, at)
    return m.start() if m else None


_SPAN_WORD = re.compile(r"\bfrom\b|\bto\b|从|從|由|至|到", re.IGNORECASE)
_FROM_PERCENT = re.compile(r"(?:\bfrom|从|從|由)\s*$", re.IGNORECASE)
_TO_PERCENT = re.compile(
    r"^\s*(?:to|至|到|提高到|提高至|上升到|上升至|增至|降至|下降到|下降至|升至)\s*$", re.IGNORECASE
)


def percent_span_levels(q: Quantity, quantities: Sequence[Quantity], text: str) -> bool:
    """ "climbed from 25% to 60%", "从30%提高到55%": each percent is a level (a rate, a share), not a change."""
    if q.kind is not QuantityKind.PERCENT:
        return False
    if not _SPAN_WORD.search(text, max(0, q.start - 8), min(len(text), q.end + 12)):
        return False  # the cheap test first: no from/to word beside the number
    i = next((k for k, o in enumerate(quantities) if o is q), None)
    if i is None:
        return False
    nxt = quantities[i + 1] if i + 1 < len(quantities) else None
    prev = quantities[i - 1] if i > 0 else None
    if nxt is not None and nxt.kind is QuantityKind.PERCENT and _TO_PERCENT.match(text[q.end : nxt.start]):
        return _FROM_PERCENT.search(text[max(0, q.start - 6) : q.start]) is not None
    if prev is not None and prev.kind is QuantityKind.PERCENT and _TO_PERCENT.match(text[prev.end : q.start]):
        return _FROM_PERCENT.search(text[max(0, prev.start - 6) : prev.start]) is not None
    return False


_ZERO = fast_start(
    re.compile(r"\bto\s+(?P<en>zero|nil)\b|(?:降|减|跌|减少|下降)(?:至|到|为)\s*(?P<zh>零|0)(?![\d.])", re.IGNORECASE)
)


def zero_after(made: list[Made], text: str, end: int) -> tuple[Made, int, int] | None:
    """ "fell from 6,000 tonnes in May to zero in June", "从5月的500吨降至零": a level of zero, in the unit of the
    level it fell from; (that level, the span of the zero word)."""
    if not made:
        return None
    last = made[-1]
    if last.fact.unit in PCT_UNITS or last.fact.unit == "%":
        return None
    m = _ZERO.search(text, last.quantity.end, min(end, last.quantity.end + 40))
    if m is None or re.search(r"[,，;；。.]", text[last.quantity.end : m.start()]):
        return None
    word = "en" if m.group("en") else "zh"
    return last, m.start(word), m.end(word)
