"""Plain questions answered from stored facts, with citations: `assay ask "..."`.

`question.parse_question` reads what is asked: the subject and the kind of answer (a level, a
share, a change, a value in a currency, a price in a currency and per-unit). The answer is the
matching observation of `build_series`, in the metric and unit the question asks for; a change
with no stated percentage is worked out from two stored levels, both cited. When the sources
of that observation disagree beyond the metric's tolerance, the answer says so and shows each
value. When nothing stored answers the question (another metric, unit, year or country), the
answer is "unknown", never a near guess. English, Simplified and Traditional Chinese.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy.orm import Session

from assay.analyze.bands import tolerance
from assay.analyze.concentration import country_name, is_country
from assay.analyze.question import CHANGE, LEVEL, PRICE, SHARE, VALUE, Question, parse_question, read_period
from assay.analyze.series import (
    Observation,
    Series,
    SeriesQuery,
    SourceRef,
    json_number,
    observation,
    selection_for,
    series_from_records,
    series_of_keys,
    series_rank,
)
from assay.model import Period
from assay.store.records import StoredFactRecord, select_facts
from assay.store.series import FactSelection, SeriesSize, series_sizes
from assay.vocab import commodities, metrics, places

__all__ = ["Answer", "Question", "answer_question", "parse_question", "read_period"]

_ZH_UNITS = {
    "t": "吨",
    "t/yr": "吨/年",
    "CNY": "元",
    "USD": "美元",
    "CNY/t": "元/吨",
    "USD/t": "美元/吨",
    "CNY/kg": "元/千克",
    "USD/kg": "美元/千克",
    "%": "%",
    "pct_yoy": "%（同比）",
    "pct_mom": "%（环比）",
    "pct_change": "%",
}
_METRIC_ZH = {
    "production": "产量",
    "exports": "出口量",
    "imports": "进口量",
    "reserves": "储量",
    "price": "价格",
    "capacity": "产能",
    "consumption": "消费量",
    "trade_value": "贸易额",
    "revenue": "营业收入",
    "production_share": "产量份额",
    "exports_share": "出口份额",
    "reserves_share": "储量份额",
    "capacity_share": "产能份额",
}
_CHANGE_WORDS = {
    "pct_yoy": ("year on year", "同比"),
    "pct_mom": ("month on month", "环比"),
    "pct_qoq": ("quarter on quarter", "环比"),
    "pct_change": ("change", "变化"),
}
_CHANGE_UNITS = ("pct_yoy", "pct_change", "pct_qoq", "pct_mom")
_MONEY_METRICS = ("trade_value", "revenue", "net_profit", "output_value", "investment")


@dataclass(frozen=True)
class Answer:
    question: Question
    value: float | None
    unit: str | None
    period: str | None
    sources: tuple[SourceRef, ...]
    text: str
    disagreement: bool = False
    value_high: float | None = None  # the answer is a range
    change_pct: float | None = None  # a change worked out from two levels: the percentage beside it

    @property
    def known(self) -> bool:
        return self.value is not None

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
            if self.value_high is not None:
                answer["value_high"] = json_number(self.value_high)
            if q.share_of:
                answer["share_of"] = q.share_of
            if self.change_pct is not None:
                answer["change_pct"] = round(self.change_pct, 2)
        return {
            "answer": answer,
            "kind": q.kind,
            "sources": [
                {"doc": s.doc or s.dataset, "quote": s.quote, "dataset": s.dataset, "value": s.value}
                for s in self.sources
            ],
            "text": self.text,
            "disagreement": self.disagreement,
        }


def answer_question(session: Session, text: str, every_series: bool = False) -> Answer:
    """The answer to a question in words; `every_series` builds every series of the selection
    first (the plain path, kept as the reference the counted path is tested against)."""
    q = parse_question(text)
    if q.metric in _MONEY_METRICS and q.kind == LEVEL:
        q = replace(q, kind=VALUE)  # "what was the revenue": an amount of money
    if q.commodity is None or q.metric is None:
        missing = " and ".join(w for w, v in (("commodity", q.commodity), ("figure", q.metric)) if v is None)
        return _nothing(q, f"I could not tell which {missing} the question is about; nothing was looked up.")
    selection = replace(
        selection_for(SeriesQuery(q.commodity, q.metric, geo=q.geo, partner=q.partner, share_of=q.share_of)),
        partner_is_null=q.partner is None,  # a question without a partner asks for the total
    )
    if q.flow or every_series:
        # a trade value's direction is only in its quote (exports are not imports): read every statement
        records = select_facts(session, selection)
        if q.flow:
            records = [r for r in records if _states_flow(r, q.flow)]
        return answer_from_series(q, SeriesSource(series_from_records(records)))
    return answer_from_series(q, SeriesSource.counted(session, selection, q.period))


class SeriesSource:
    """The series a question may be answered from, built only when looked at: the keys are
    counted in SQL (periods per key, and which keys state the period asked), and a series is
    read and built when the answer reaches it, so an answer builds one series, not all."""

    def __init__(self, built: list[Series] | None = None) -> None:
        self._built: dict[tuple[str | None, ...], Series] = {s.key: s for s in built or []}
        self.sizes = [SeriesSize(s.key, len(s.observations), 0) for s in built or []]
        self.stating: set[tuple[str | None, ...]] = set()  # keys with a statement of the period asked
        self._session: Session | None = None
        self._selection: FactSelection | None = None
        self._period: str | None = None

    @classmethod
    def counted(cls, session: Session, selection: FactSelection, period: str | None) -> SeriesSource:
        source = cls()
        source._session, source._selection, source._period = session, selection, period
        source.sizes = sorted(series_sizes(session, selection), key=lambda s: series_rank(s.periods, s.key))
        if period is not None:
            source.stating = {s.key for s in series_sizes(session, replace(selection, period=period))}
        return source

    def has_period(self, key: tuple[str | None, ...], period: str) -> bool:
        if self._session is None:
            return any(o.period == period for o in self._built[key].observations)
        return period == self._period and key in self.stating

    def observation(self, key: tuple[str | None, ...], period: str) -> Observation | None:
        """The series' observation of `period`; read alone unless the series is built."""
        built = self._built.get(key)
        if built is not None or self._session is None or self._selection is None:
            return next((o for o in self._built[key].observations if o.period == period), None)
        records = select_facts(self._session, replace(self._selection, keys=(key,), period=period))
        return observation(period, records) if records else None

    def series(self, key: tuple[str | None, ...]) -> Series:
        found = self._built.get(key)
        if found is None:
            assert self._session is not None and self._selection is not None  # keys come from the counts
            (found,) = series_of_keys(self._session, self._selection, [key])
            self._built[key] = found
        return found


def answer_from_series(q: Question, found: SeriesSource) -> Answer:
    """The answer to `q` from the series of its selection (in the order `series_from_records` gives)."""
    fitting = [
        s
        for s in found.sizes
        if s.key[4] == q.partner
        and _unit_fits(str(s.key[6]), q)
        and (q.form is None or s.key[1] in (q.form, None))  # metal is not oxide: no near form
    ]
    if q.kind == CHANGE:
        stated = _stated_change(fitting, found, q)
        if stated is not None:
            return stated
        return _worked_change(found, q)
    chosen = _pick_series(fitting, found, q)
    if chosen is None or not chosen.periods:
        return _nothing(q, f"Nothing stored answers this: no {_wanted(q)} for {_subject(q)}.")
    if q.period:
        obs = found.observation(chosen.key, q.period)
        if obs is not None:  # the period's statements alone were read
            return _answer(_settled(q, Series(chosen.key, (obs,)), obs), obs)  # type: ignore[arg-type]  # a full key
        known = ", ".join(o.period for o in found.series(chosen.key).observations[-6:])
        return _nothing(q, f"Nothing is stored about {_subject(q)} for {q.period} (known periods: {known}).")
    series = found.series(chosen.key)
    obs = series.observations[-1]
    return _answer(_settled(q, series, obs), obs)


def _settled(q: Question, series: Series, obs: Observation) -> Question:
    return replace(q, geo=str(series.fields["geo"]), period=obs.period, share_of=series.fields["share_of"])


def _states_flow(record: StoredFactRecord, flow: str) -> bool:
    quote = record.fact.quote.lower()
    said = ("export" in quote or "出口" in quote, "import" in quote or "进口" in quote or "進口" in quote)
    return said[0] and not said[1] if flow == "exports" else said[1] and not said[0]


def _unit_fits(unit: str, q: Question) -> bool:
    """Whether a series in `unit` answers the kind of question asked (never a near unit)."""
    if q.kind == SHARE:
        return unit == "%"
    if q.kind == CHANGE:
        if q.month_on_month:
            return unit == "pct_mom"
        return unit in _CHANGE_UNITS and unit != "pct_mom"
    if unit.startswith("pct_") or (unit == "%" and not (q.metric or "").endswith("_share")):
        return False  # a level question is not answered by a rate
    if q.kind == VALUE:
        return "/" not in unit and (q.currency is None or unit == q.currency) and _is_money(unit)
    if q.kind == PRICE:
        money, _, per = unit.partition("/")
        return bool(per) and (q.currency is None or money == q.currency) and (q.per is None or per == q.per)
    if q.currency is not None:
        return unit.split("/")[0] == q.currency
    return True


def _is_money(unit: str) -> bool:
    return unit.isalpha() and unit.isupper() and len(unit) == 3


def _pick_series(candidates: list[SeriesSize], found: SeriesSource, q: Question) -> SeriesSize | None:
    if not candidates:
        return None
    typical = metrics()[q.metric].typical_units if q.metric in metrics() else ()

    def rank(s: SeriesSize) -> tuple[int, int, int, int, int]:
        form, geo, unit = s.key[1], s.key[3], str(s.key[6])
        unit_rank = typical.index(unit) if unit in typical else len(typical)
        change_rank = _CHANGE_UNITS.index(unit) if unit in _CHANGE_UNITS else 0
        geo_rank = 0 if q.geo else {"CN": 0, "WORLD": 1}.get(str(geo), 2)
        has_period = 0 if q.period is None or found.has_period(s.key, q.period) else 1
        return (has_period, int(form != q.form), change_rank, unit_rank * 3 + geo_rank, -s.periods)

    return min(candidates, key=rank)


def _stated_change(candidates: list[SeriesSize], found: SeriesSource, q: Question) -> Answer | None:
    """A percentage change the sources state for the period asked (or the latest one)."""
    chosen = _pick_series(candidates, found, q)
    if chosen is None:
        return None
    series = found.series(chosen.key)
    obs = next((o for o in series.observations if o.period == q.period), None) if q.period else series.observations[-1]
    return None if obs is None else _answer(_settled(q, series, obs), obs)


def _worked_change(found: SeriesSource, q: Question) -> Answer:
    """A change worked out from two stored levels of one series: the period asked (or the latest)
    against the one before it (a year earlier; a month earlier when asked month on month)."""
    level_q = replace(q, kind=LEVEL)
    levels = [s for s in found.sizes if s.key[4] == q.partner and _unit_fits(str(s.key[6]), level_q)]
    best: tuple[Series, Observation, Observation] | None = None
    for size in sorted(levels, key=lambda s: -s.periods):
        series = found.series(size.key)  # built one by one: the first with both periods answers
        by_period = {o.period: o for o in series.observations}
        periods = [q.period] if q.period else [o.period for o in reversed(series.observations)]
        for period in periods:
            before = _period_before(period, q.month_on_month)
            if period in by_period and before in by_period:
                best = (series, by_period[before], by_period[period])
                break
        if best:
            break
    if best is None:
        wanted = "month-on-month" if q.month_on_month else "percentage"
        return _nothing(
            q, f"Nothing stored answers this: no {wanted} change, nor two levels to compare, for {_subject(q)}."
        )
    series, earlier, later = best
    settled = _settled(q, series, later)
    change = later.value - earlier.value
    pct = change / earlier.value * 100 if earlier.value else None
    unit = later.unit
    used = (
        tuple(s for s in later.sources if s.in_consensus)[:2] + tuple(s for s in earlier.sources if s.in_consensus)[:2]
    )
    cites = "; ".join(f"{s.doc or s.dataset}: “{s.quote}”" for s in used)
    signed = f"{'+' if pct is not None and pct >= 0 else ''}{pct:.1f}%" if pct is not None else ""
    if q.lang == "zh":
        direction = "增加" if change >= 0 else "减少"
        text = (
            f"{_period_text(later.period, 'zh')}{_subject(settled, 'zh')}为{_amount(later.value, None, unit, 'zh')}，"
            f"较{_period_text(earlier.period, 'zh')}的{_amount(earlier.value, None, unit, 'zh')}"
            f"{direction}{_amount(abs(change), None, unit, 'zh')}（{signed}）。来源：{cites}"
        )
    else:
        direction = "rose" if change >= 0 else "fell"
        text = (
            f"{_subject(settled)} {direction} by {_amount(abs(change), None, unit, 'en')} ({signed}), "
            f"from {_amount(earlier.value, None, unit, 'en')} in {earlier.period} to "
            f"{_amount(later.value, None, unit, 'en')} in {later.period}. Sources: {cites}"
        )
    return Answer(settled, change, unit, later.period, used, text, change_pct=pct)


def _period_before(period: str, month_on_month: bool) -> str | None:
    """The period a change is measured against: a year earlier, or the month before."""
    try:
        Period.parse(period)
    except ValueError:
        return None
    head, _, rest = period.partition("-")
    if not head.isdigit() or "/" in period:
        return None
    if month_on_month and rest.isdigit() and len(rest) == 2:
        month = int(rest) - 1
        return f"{head}-{month:02d}" if month else f"{int(head) - 1}-12"
    return f"{int(head) - 1}{'-' + rest if rest else ''}"


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
            joiner = "" if obs.unit in _CHANGE_WORDS else "为"  # "产量同比+4.2%", "产量为95.3万吨"
            text = f"{head}{joiner}{amount}（{obs.n_independent}个独立来源）。来源：{cites}"
    else:
        head = _subject(q)
        if disagree:
            each = "; ".join(
                f"{s.doc or s.dataset} says {_amount(s.value or 0, s.value_high, obs.unit, 'en')}" for s in used
            )
            text = f"Sources disagree on {head} in {obs.period}: {each}. The median is {amount}."
        else:
            text = f"{head} in {obs.period}: {amount} ({obs.n_independent} independent source(s)). Sources: {cites}"
    return Answer(q, obs.value, obs.unit, obs.period, used, text.strip(), disagree, obs.value_high)


def _nothing(q: Question, text_en: str) -> Answer:
    text = f"unknown: {text_en}"
    if q.lang == "zh":
        text = (
            "未知：没有找到相关数据："
            + (_subject(q, "zh") or q.text)
            + (f"（{q.period}）" if q.period else "")
            + "。不做猜测。"
        )
    return Answer(q, None, None, q.period, (), text)


def _wanted(q: Question) -> str:
    if q.kind == VALUE:
        return f"value in {q.currency}" if q.currency else "money value"
    if q.kind == PRICE:
        money = q.currency or "any currency"
        return f"price in {money}{'/' + q.per if q.per else ''}"
    return {SHARE: "share", CHANGE: "change"}.get(q.kind, "figure")


def _subject(q: Question, lang: str = "en") -> str:
    metric = q.metric or ""
    if lang == "zh":
        of = "占全球" if q.share_of == "WORLD" else ""
        return f"{_place(q.geo, 'zh')}{_commodity_name(q.commodity, 'zh')}{of}{_METRIC_ZH.get(metric, metric)}"
    partner = ""
    if q.partner:
        partner = f" ({'to' if metric.startswith('exports') else 'from'} {_place(q.partner, 'en')})"
    of = f" of {_place(q.share_of, 'en')}" if q.share_of else ""
    return f"{_place(q.geo, 'en')} {_commodity_name(q.commodity, 'en')} {metric.replace('_', ' ')}{of}{partner}".strip()


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
        chinese = [w for w in item.wordings if re.search(r"[\u4e00-\u9fff]", w)]
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

    if unit in _CHANGE_WORDS:
        sign = "+" if value > 0 else ""
        words = _CHANGE_WORDS[unit][1 if lang == "zh" else 0]
        return f"{words}{sign}{value:.4g}%" if lang == "zh" else f"{sign}{value:.4g}% {words}"
    number = fmt(value) + (f"-{fmt(high)}" if high is not None else "")
    if lang == "zh":
        return f"{number}{_ZH_UNITS.get(unit, ' ' + unit)}"
    return f"{number} {unit}"
