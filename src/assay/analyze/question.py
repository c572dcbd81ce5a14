"""What a plain question asks for: its subject (commodity, metric, place, period) and its kind.

The subject is read with the extraction gazetteer and a period reader. The kind is what the
answer must be, not only what it is about: a level ("how much did China export"), a share
("what share of world output", 占比, 份额), a change ("by how much", 增长了多少, 同比), a value
in money ("worth", 价值, 多少钱) in the currency named, or a price in the currency and per-unit
named. English, Simplified and Traditional Chinese (folded to Simplified before reading).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from assay.extract.text.gazetteer import COMMODITY, GEO, METRIC, Mention, find_mentions, to_simplified
from assay.model import Period
from assay.vocab import commodities, places

LEVEL, SHARE, CHANGE, VALUE, PRICE = "level", "share", "change", "value", "price"

_MONTHS = {
    m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)
}
_ZH_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_PERIOD_PATTERNS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"(\d{4})-(\d{2})-(\d{2})"), lambda m: f"{m[1]}-{m[2]}-{m[3]}"),
    (re.compile(r"(\d{4})年(\d{1,2})[-—至到~](\d{1,2})月"), lambda m: f"{m[1]}-{int(m[2]):02d}/{m[1]}-{int(m[3]):02d}"),
    (re.compile(r"(\d{4})年(\d{1,2})月"), lambda m: f"{m[1]}-{int(m[2]):02d}"),
    (re.compile(r"(\d{4})年第?([一二三四1-4])季度"), lambda m: f"{m[1]}-Q{_ZH_DIGITS[m[2]]}"),
    (re.compile(r"(\d{4})年(上|下)半年"), lambda m: f"{m[1]}-H{1 if m[2] == '上' else 2}"),
    (re.compile(r"\bQ([1-4])\s*(\d{4})\b", re.IGNORECASE), lambda m: f"{m[2]}-Q{m[1]}"),
    (re.compile(r"\b(\d{4})\s*Q([1-4])\b", re.IGNORECASE), lambda m: f"{m[1]}-Q{m[2]}"),
    (
        re.compile(r"\b(first|second) half of (\d{4})\b", re.IGNORECASE),
        lambda m: f"{m[2]}-H{1 if m[1] == 'first' else 2}",
    ),
    (re.compile(r"\bH([12])\s*(\d{4})\b", re.IGNORECASE), lambda m: f"{m[2]}-H{m[1]}"),
    (
        re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{4})\b", re.IGNORECASE),
        lambda m: f"{m[2]}-{_MONTHS[m[1].lower()]:02d}",
    ),
    (re.compile(r"(?<!\d)(\d{4})(?:年|\b)"), lambda m: m[1]),
)
_PARTNER_BEFORE = re.compile(r"(?:\bto|\bfrom|\binto|对|向|到|自|从|往)\s*(?:the\s+)?$", re.IGNORECASE)
_ZH = re.compile(r"[\u4e00-\u9fff]")

# the kind of answer a question wants; checked in this order (a share's "how much" is still a share)
_SHARE = re.compile(
    r"(?i)\b(?:what|which)\s+(?:\w+\s+)?(?:share|percentage|proportion|percent)\b|\bshare of\b|\bper ?cent of\b"
    r"|\bmarket share\b|占比|份额|比重|占.{0,8}(?:比例|百分之|多少|几成)|所占比例"
)
_CHANGE = re.compile(
    r"(?i)\bby how much\b|\bhow much (?:did|has|have|had|does|do|was|were|is|are)\b.{0,60}?"
    r"\b(?:rise|rose|risen|fall|fell|fallen|grow|grew|grown|increase|increased|decrease|decreased|drop|dropped"
    r"|change|changed|climb|climbed|decline|declined|jump|jumped|slump|slumped)\b"
    r"|\bhow much (?:higher|lower|more|less)\b|\b(?:growth|change|increase|decrease|decline) (?:rate|in|of)\b"
    r"|\byear[- ]on[- ]year\b|\byoy\b|\bmonth[- ]on[- ]month\b|\bpercent(?:age)? change\b|按年|按月"
    r"|(?:增长|增加|下降|减少|下跌|上涨|回落|变化|变动|降低|提高)了?(?:多少|几多|百分之几|几成)|同比|环比|增幅|降幅|涨幅|跌幅|增速"
)
_MONTH_ON_MONTH = re.compile(r"(?i)\bmonth[- ]on[- ]month\b|\bmom\b|\bfrom the previous month\b|环比|按月")
_VALUE = re.compile(
    r"(?i)\bworth\b|\bvalue[ds]? (?:of|at)\b|\b(?:what|the) (?:was |is )?(?:the )?value\b|\bhow much money\b"
    r"|\bin (?:us )?dollars\b|\bin (?:yuan|rmb|renminbi|euros?)\b|价值|金额|多少钱|值多少|几多钱|贸易额|出口额|进口额"
)
_CURRENCIES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("USD", re.compile(r"(?i)US\$|\$|\bdollars?\b|\busd\b|美元|美金")),
    ("EUR", re.compile(r"(?i)€|\beuros?\b|\beur\b|欧元")),
    ("CNY", re.compile(r"(?i)\byuan\b|\brmb\b|\bcny\b|\brenminbi\b|人民币|元")),
)
_PER_UNIT: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("kg", re.compile(r"(?i)\bper (?:kg|kilo(?:gram)?)\b|/kg\b|a kilo(?:gram)?\b|每(?:公斤|千克)|/(?:公斤|千克)")),
    ("t", re.compile(r"(?i)\bper (?:metric )?(?:tonne|ton|mt|t)\b|/t\b|a tonne\b|每吨|/吨")),
)
_WORLD_WHOLE = re.compile(r"(?i)\b(?:world|global|worldwide)\b|全球|世界")
_EXPORT_WORDS = re.compile(r"(?i)export|出口")
_IMPORT_WORDS = re.compile(r"(?i)import|进口")
_SMELTING = re.compile(r"(?i)smelt|separat|冶炼|分离")
_SHARE_BASES = ("production", "reserves", "capacity", "exports", "imports")
_MONEY_METRICS = ("trade_value", "revenue", "net_profit", "output_value", "investment")


@dataclass(frozen=True)
class Question:
    text: str
    lang: str  # en or zh
    commodity: str | None
    form: str | None
    metric: str | None
    geo: str | None
    partner: str | None
    period: str | None
    kind: str = LEVEL  # level, share, change, value or price: what the answer must be
    currency: str | None = None  # the currency the question names (value and price questions)
    per: str | None = None  # the per-unit a price question names: t or kg
    share_of: str | None = None  # the whole a share question names
    flow: str | None = None  # exports or imports, for a value question about trade
    month_on_month: bool = False  # a change question that asks against the previous month


def _external_period_reader() -> Callable[..., Any] | None:
    """The extract stage's `find_periods`, when that module is installed."""
    try:
        module = importlib.import_module("assay.extract.periods.finder")
    except ImportError:
        return None
    reader = getattr(module, "find_periods", None)
    return reader if callable(reader) else None


def read_period(text: str) -> str | None:
    reader = _external_period_reader()
    if reader is not None:
        try:
            mentions = reader(text, date.today())
        except Exception:
            mentions = []
        for mention in mentions:
            period = getattr(mention, "period", None)
            if isinstance(period, str) and not getattr(mention, "relative", False):
                return period
    for pattern, build in _PERIOD_PATTERNS:
        if m := pattern.search(text):
            period = build(m)
            try:
                Period.parse(period)
            except (ValueError, KeyError):
                continue
            return period
    return None


def parse_question(text: str) -> Question:
    folded = to_simplified(text)  # same length: Traditional questions read like Simplified ones
    mentions = find_mentions(folded)
    found_commodities = [m for m in mentions if m.kind == COMMODITY]
    # the longest wording; of two as long, the later one: the head noun (稀土磁铁 is a magnet)
    commodity = max(found_commodities, key=lambda m: (m.end - m.start, m.start), default=None)
    named_metrics = [m.value for m in mentions if m.kind == METRIC]
    # "production capacity", "产能": capacity is the head noun, production only qualifies it
    metric = "capacity" if "capacity" in named_metrics else next(iter(named_metrics), None)
    if metric == "quota":  # 配额: a smelting quota when the question says so, else a mining quota
        metric = "smelting_quota" if _SMELTING.search(folded) else "mining_quota"
    kind = _kind(folded)
    geo_mentions = [m for m in mentions if m.kind == GEO]
    share_of = None
    if kind == SHARE:
        # "China's share of world production": the world is the whole, China the place
        whole = [m for m in geo_mentions if m.value == "WORLD"]
        share_of = "WORLD" if whole or _WORLD_WHOLE.search(folded) else None
        geo_mentions = [m for m in geo_mentions if m.value != "WORLD"]
    geo, partner = _places(folded, geo_mentions)
    if partner is not None and not _is_flow(metric, folded):
        # "output that came from China": only a trade flow has a partner; elsewhere it is the place
        geo, partner = geo or partner, None
    # the gazetteer may read 中国稀土 as the company China Rare Earth: a question means the words
    name, form = (commodity.value, commodity.form) if commodity else (_vocab_match(folded, _commodity_words()), None)
    geo = geo or _vocab_match(folded, _place_words())
    if geo == "WORLD" and share_of == "WORLD":
        geo = None
    flow = "exports" if _EXPORT_WORDS.search(folded) else "imports" if _IMPORT_WORDS.search(folded) else None
    metric = _metric_for(kind, metric, folded, flow)
    return Question(
        text=text,
        lang="zh" if _ZH.search(text) else "en",
        commodity=name,
        form=form,
        metric=metric,
        geo=geo,
        partner=partner,
        period=read_period(folded),
        kind=kind,
        currency=next((code for code, words in _CURRENCIES if words.search(folded)), None),
        per=next((per for per, words in _PER_UNIT if words.search(folded)), None),
        share_of=share_of,
        flow=flow if metric == "trade_value" else None,
        month_on_month=bool(_MONTH_ON_MONTH.search(folded)),
    )


def _is_flow(metric: str | None, text: str) -> bool:
    return metric in ("exports", "imports", "trade_value") or bool(
        _EXPORT_WORDS.search(text) or _IMPORT_WORDS.search(text)
    )


def _kind(text: str) -> str:
    if _SHARE.search(text):
        return SHARE
    if _CHANGE.search(text):
        return CHANGE
    per_unit = any(words.search(text) for _, words in _PER_UNIT)
    currency = any(words.search(text) for _, words in _CURRENCIES)
    if re.search(r"(?i)\bprices?\b|\bcosts?\b|价格|价位|报价|单价", text) or (per_unit and currency):
        return PRICE  # "每公斤多少美元", "how many dollars a kilo": money per unit is a price
    if _VALUE.search(text):
        return VALUE
    return LEVEL


def _metric_for(kind: str, metric: str | None, text: str, flow: str | None) -> str | None:
    """The stored metric that answers: a share of production is `production_share`, a trade
    flow's worth is `trade_value`."""
    if kind == SHARE:
        base = metric if metric in _SHARE_BASES else (flow or "production")
        return f"{base}_share"
    if kind == PRICE:
        return "price"
    if kind == VALUE:
        if metric in _MONEY_METRICS:
            return metric
        return "trade_value" if flow or metric in ("exports", "imports") else metric
    if metric is None and re.search(r"(?i)\bprices?\b|\bcosts?\b|价格|价", text):
        return "price"
    return metric


def _commodity_words() -> list[tuple[str, str]]:
    return [(w, c.id) for c in commodities().values() for w in c.wordings if len(w) > 2 or _ZH.search(w)]


def _place_words() -> list[tuple[str, str]]:
    return [(w, p.code) for p in places().values() for w in (p.name, p.chinese) if w]


def _vocab_match(text: str, words: list[tuple[str, str]]) -> str | None:
    """The id of the longest wording found in `text` (case-insensitive), or None."""
    lowered = text.lower()
    hits = [(len(w), ident) for w, ident in words if w.lower() in lowered]
    return max(hits)[1] if hits else None


def _places(text: str, found: list[Mention]) -> tuple[str | None, str | None]:
    geo: str | None = None
    partner: str | None = None
    for m in found:
        if _PARTNER_BEFORE.search(text[max(0, m.start - 8) : m.start]) and partner is None:
            partner = m.value
        elif geo is None:
            geo = m.value
        elif partner is None and m.value != geo:
            partner = m.value
    return geo, partner
