"""Plain questions answered from stored facts, with citations: `assay ask "..."`.

A question is read with the extraction gazetteer (commodity, metric, places) and a period
reader; the answer is the matching observation of `build_series`. When the sources of that
observation disagree beyond the metric's tolerance, the answer says so and shows each value;
when nothing matching is stored, it says that instead of guessing. English and Chinese.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from assay.analyze.bands import tolerance
from assay.analyze.concentration import country_name, is_country
from assay.analyze.series import (
    Observation,
    Series,
    SeriesQuery,
    SourceRef,
    json_number,
    selection_for,
    series_from_records,
)
from assay.extract.text.gazetteer import COMMODITY, GEO, METRIC, Mention, find_mentions
from assay.model import Period
from assay.store.series import select_facts
from assay.vocab import commodities, metrics, places

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
_UNIT_ZH = {
    "t": "吨",
    "t/yr": "吨/年",
    "CNY": "元",
    "USD": "美元",
    "CNY/t": "元/吨",
    "USD/t": "美元/吨",
    "CNY/kg": "元/千克",
}
_METRIC_ZH = {"production": "产量", "exports": "出口量", "imports": "进口量", "reserves": "储量", "price": "价格"}


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


@dataclass(frozen=True)
class Answer:
    question: Question
    value: float | None
    unit: str | None
    period: str | None
    sources: tuple[SourceRef, ...]
    text: str
    disagreement: bool = False

    def as_json(self) -> dict[str, Any]:
        q = self.question
        answer = None
        if self.value is not None:
            answer = {
                "value": json_number(self.value),
                "unit": self.unit,
                "period": self.period,
                "commodity": q.commodity,
                "metric": q.metric,
                "geo": q.geo,
                "partner": q.partner,
            }
        return {
            "answer": answer,
            "sources": [
                {"doc": s.doc or s.dataset, "quote": s.quote, "dataset": s.dataset, "value": s.value}
                for s in self.sources
            ],
            "text": self.text,
            "disagreement": self.disagreement,
        }


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
    mentions = find_mentions(text)
    found_commodities = [m for m in mentions if m.kind == COMMODITY]
    commodity = max(found_commodities, key=lambda m: m.end - m.start, default=None)
    metric = next((m.value for m in mentions if m.kind == METRIC), None)
    if metric is None and re.search(r"price|cost|价格|价", text, re.IGNORECASE):
        metric = "price"
    geo, partner = _places(text, [m for m in mentions if m.kind == GEO])
    # the gazetteer may read 中国稀土 as the company China Rare Earth: a question means the words
    name, form = (commodity.value, commodity.form) if commodity else (_vocab_match(text, _commodity_words()), None)
    geo = geo or _vocab_match(text, _place_words())
    return Question(
        text=text,
        lang="zh" if _ZH.search(text) else "en",
        commodity=name,
        form=form,
        metric=metric,
        geo=geo,
        partner=partner,
        period=read_period(text),
    )


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


def _pick_series(found: list[Series], q: Question) -> Series | None:
    candidates = [s for s in found if s.fields["partner"] == q.partner]
    if not candidates:
        return None
    typical = metrics()[q.metric].typical_units if q.metric in metrics() else ()

    def rank(s: Series) -> tuple[int, int, int, int]:
        f = s.fields
        unit_rank = typical.index(str(f["unit"])) if f["unit"] in typical else len(typical)
        geo_rank = 0 if q.geo else {"CN": 0, "WORLD": 1}.get(str(f["geo"]), 2)
        return (int(f["form"] != q.form), unit_rank, geo_rank, -len(s.observations))

    return min(candidates, key=rank)


def answer_question(session: Session, text: str) -> Answer:
    q = parse_question(text)
    if q.commodity is None or q.metric is None:
        missing = " and ".join(w for w, v in (("commodity", q.commodity), ("figure", q.metric)) if v is None)
        return _nothing(q, f"I could not tell which {missing} the question is about; nothing was looked up.")
    selection = replace(
        selection_for(SeriesQuery(q.commodity, q.metric, geo=q.geo, partner=q.partner)),
        partner_is_null=q.partner is None,  # a question without a partner asks for the total
    )
    found = series_from_records(select_facts(session, selection))
    series = _pick_series(found, q)
    if series is None or not series.observations:
        return _nothing(q, f"Nothing is stored about {_subject(q)}.")
    if q.period:
        obs = next((o for o in series.observations if o.period == q.period), None)
        if obs is None:
            known = ", ".join(o.period for o in series.observations[-6:])
            return _nothing(q, f"Nothing is stored about {_subject(q)} for {q.period} (known periods: {known}).")
    else:
        obs = series.observations[-1]
    q = Question(q.text, q.lang, q.commodity, q.form, q.metric, str(series.fields["geo"]), q.partner, obs.period)
    return _answer(q, obs)


def _answer(q: Question, obs: Observation) -> Answer:
    used = tuple(s for s in obs.sources if s.in_consensus)
    tol, absolute = tolerance(q.metric or "", obs.unit, obs.period)
    values = [s.value for s in used if s.value is not None]
    spread = (max(values) - min(values)) if values else 0.0
    disagree = obs.n_independent > 1 and (spread > tol if absolute else obs.spread > tol)
    amount = _amount(obs.value, obs.value_high, obs.unit, q.lang)
    cites = "; ".join(f"{s.doc or s.dataset}: “{s.quote}”" for s in used[:3])
    if q.lang == "zh":
        head = f"{_period_text(obs.period, 'zh')}{_subject(q, 'zh')}"
        if disagree:
            each = "；".join(
                f"{s.doc or s.dataset}称{_amount(s.value or 0, s.value_high, obs.unit, 'zh')}" for s in used
            )
            text = f"各来源说法不一：{each}。中位数为{amount}。"
        else:
            text = f"{head}为{amount}（{obs.n_independent}个独立来源）。来源：{cites}"
    else:
        head = f"{_place(q.geo, 'en')} {_commodity_name(q.commodity, 'en')} {q.metric}"
        if q.partner:
            head += f" ({'to' if q.metric == 'exports' else 'from'} {_place(q.partner, 'en')})"
        if disagree:
            each = "; ".join(
                f"{s.doc or s.dataset} says {_amount(s.value or 0, s.value_high, obs.unit, 'en')}" for s in used
            )
            text = f"Sources disagree on {head} in {obs.period}: {each}. The median is {amount}."
        else:
            text = f"{head} in {obs.period}: {amount} ({obs.n_independent} independent source(s)). Sources: {cites}"
    return Answer(q, obs.value, obs.unit, obs.period, used, text.strip(), disagree)


def _nothing(q: Question, text_en: str) -> Answer:
    text = text_en
    if q.lang == "zh":
        text = (
            "没有找到相关数据："
            + (_subject(q, "zh") or q.text)
            + (f"（{q.period}）" if q.period else "")
            + "。不做猜测。"
        )
    return Answer(q, None, None, q.period, (), text)


def _subject(q: Question, lang: str = "en") -> str:
    if lang == "zh":
        return (
            f"{_place(q.geo, 'zh')}{_commodity_name(q.commodity, 'zh')}{_METRIC_ZH.get(q.metric or '', q.metric or '')}"
        )
    partner = f" with {_place(q.partner, 'en')}" if q.partner else ""
    return f"{_place(q.geo, 'en')} {_commodity_name(q.commodity, 'en')} {q.metric}{partner}".strip()


def _place(code: str | None, lang: str) -> str:
    if code is None:
        return "" if lang == "zh" else "any place's"
    known = places().get(code)
    if known is not None:
        return known.chinese if lang == "zh" else known.name
    return code if lang == "zh" or not is_country(code) else country_name(code)


def _commodity_name(commodity: str | None, lang: str) -> str:
    item = commodities().get(commodity or "")
    if item is None:
        return commodity or ""
    if lang == "zh":
        chinese = [w for w in item.wordings if _ZH.search(w)]
        return min(reversed(chinese), key=len) if chinese else item.name
    return item.name


def _period_text(period: str, lang: str) -> str:
    if lang != "zh":
        return period
    parts = period.split("-")
    if len(parts) == 1 and period.isdigit():
        return f"{period}年"
    if len(parts) == 2 and parts[1].isdigit():
        return f"{parts[0]}年{int(parts[1])}月"
    return period


def _amount(value: float, high: float | None, unit: str, lang: str) -> str:
    def fmt(v: float) -> str:
        return f"{v:,.0f}" if abs(v) >= 100 or v == int(v) else f"{v:,.4g}"

    number = fmt(value) + (f"-{fmt(high)}" if high is not None else "")
    if lang == "zh":
        return f"{number}{_UNIT_ZH.get(unit, ' ' + unit)}"
    return f"{number} {unit}"
