"""Price assessment: one low-high-mid for a commodity and form over a window of days.

The method (docs/prices.md explains it; this code is it):
1. Quotes: stored `price` facts of the commodity (and form, when given) whose period lies in
   the window `[as_of - window + 1 day, as_of]`; `as_of` defaults to the latest quote's day.
2. Normalise: every quote to the target currency per tonne (`assay.analyze.money`), at the
   annual average rate of the quote's year; each quote keeps the rate used.
3. Quote value: the midpoint of a range (low-high), else the value.
4. Outliers: a quote whose value is further from the median than 3 scaled median absolute
   deviations (3 × 1.4826 × MAD) is excluded; with MAD = 0 (most quotes identical), one more than
   10 % from the median is. Fewer than 4 quotes: nothing is excluded (too few to judge).
5. Result over the quotes kept: low = lowest low, high = highest high, mid = median of values;
   the number of quotes and of independent sources (as in consensus); a warning when one source
   gives more than half of the quotes.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy.orm import Session

from assay.analyze.consensus import independent_sources
from assay.analyze.money import Converted, PriceUnitError, convert_price, convert_with, price_factors
from assay.analyze.series import SourceRef, json_number, source_ref
from assay.model import Period
from assay.store.records import StoredFactRecord, select_facts
from assay.store.series import FactSelection, latest_end_by_form

MAD_LIMIT = 3.0
MAD_SCALE = 1.4826  # makes the MAD estimate a standard deviation for normal data
FLAT_LIMIT = 0.10  # used when MAD is 0
MIN_QUOTES_FOR_OUTLIERS = 4


class PriceQueryError(ValueError):
    """A price question that cannot be asked as given (bad window, currency, date)."""


@dataclass(frozen=True)
class PriceQuery:
    commodity: str
    form: str | None = None
    window_days: int = 30
    as_of: date | None = None
    currency: str = "CNY"
    mass: str = "t"
    geo: str | None = None


@dataclass(frozen=True)
class PricedQuote:
    source: SourceRef
    period: str
    low: float  # in the target unit
    high: float
    value: float  # midpoint
    original: str  # as stated: "36.58-37.38 万元/吨" → "365800-373800 CNY/t"
    rate: str | None  # the exchange rate used, described
    excluded: str | None = None  # why it was left out

    def as_json(self) -> dict[str, Any]:
        return {
            **self.source.as_json(),
            "stated_value": self.source.value,
            "period": self.period,
            "value": json_number(round(self.value, 4)),
            "low": json_number(round(self.low, 4)),
            "high": json_number(round(self.high, 4)),
            "original": self.original,
            "rate": self.rate,
            "excluded": self.excluded,
        }


@dataclass(frozen=True)
class PriceAssessment:
    query: PriceQuery
    unit: str
    window: tuple[date, date] | None
    low: float | None
    high: float | None
    mid: float | None
    n_quotes: int
    n_sources: int
    used: tuple[PricedQuote, ...]
    excluded: tuple[PricedQuote, ...]
    warnings: tuple[str, ...]
    rule: str = f"outliers: beyond {MAD_LIMIT:g} scaled MADs from the median ({FLAT_LIMIT:.0%} when MAD is 0)"

    def as_json(self) -> dict[str, Any]:
        def num(v: float | None) -> float | int | None:
            return json_number(round(v, 4)) if v is not None else None

        return {
            "commodity": self.query.commodity,
            "form": self.query.form,
            "unit": self.unit,
            "window": [d.isoformat() for d in self.window] if self.window else None,
            "low": num(self.low),
            "high": num(self.high),
            "mid": num(self.mid),
            "n_quotes": self.n_quotes,
            "n_sources": self.n_sources,
            "outlier_rule": self.rule,
            "warnings": list(self.warnings),
            "used": [q.as_json() for q in self.used],
            "excluded": [q.as_json() for q in self.excluded],
        }


def parse_window(text: str) -> int:
    """`30d`, `4w`, `3m` (30-day months), `1y` or a bare number of days → days."""
    text = text.strip().lower()
    units = {"d": 1, "w": 7, "m": 30, "y": 365}
    number, unit = (text[:-1], text[-1]) if text and text[-1] in units else (text, "d")
    try:
        days = int(number) * units[unit]
    except ValueError as exc:
        raise PriceQueryError(f"window {text!r}: give days like 30d, 4w, 3m or 1y") from exc
    if days <= 0:
        raise PriceQueryError(f"window {text!r}: must be at least one day")
    return days


def price_range(
    value: float, value_high: float | None, unit: str, currency: str, mass: str, year: int
) -> tuple[Converted, Converted] | None:
    """A quote's low and high in `currency` per `mass` at `year`'s rates; None when `unit` is not
    a price per mass. The high is the low when no (or a zero) high is stated."""
    try:
        low = convert_price(value, unit, currency, mass, year)
        high = convert_price(value_high, unit, currency, mass, year) if value_high else low
    except PriceUnitError:
        return None
    return low, high


def _priced(record: StoredFactRecord, query: PriceQuery) -> PricedQuote | None:
    f = record.fact
    year = _end_year(f.period) if f.period else date.today().year
    # as price_range converts, with each unit and year's factors and rates worked out once
    factors = price_factors(f.unit, query.currency, query.mass, year)
    if factors is None:
        return None
    low = convert_with(f.value, factors)
    high = convert_with(f.value_high, factors) if f.value_high else low
    stated = f"{f.value:,g}" + (f"-{f.value_high:,g}" if f.value_high is not None else "") + f" {f.unit}"
    return PricedQuote(
        source=source_ref(record),
        period=f.period or "",
        low=low,
        high=high,
        value=(low + high) / 2,
        original=stated,
        rate=_rates_used(f.unit, query.currency, query.mass, year),
    )


@lru_cache(maxsize=1024)
def _rates_used(unit: str, currency: str, mass: str, year: int) -> str | None:
    """The exchange rates a conversion uses, described (the same for every value)."""
    converted = convert_price(1.0, unit, currency, mass, year)
    rate = "; ".join(r.describe() for r in converted.rates) or None
    return f"{rate} ({converted.note})" if converted.note else rate


@lru_cache(maxsize=4096)
def _end_year(period: str) -> int:
    """The year of a period's last day (a board assesses the same few hundred periods each time)."""
    return Period.parse(period).end.year


def outlier_reasons(values: list[float]) -> list[str | None]:
    """For each value, why it is an outlier by the stated rule, or None."""
    if len(values) < MIN_QUOTES_FOR_OUTLIERS:
        return [None] * len(values)
    middle = statistics.median(values)
    mad = statistics.median(abs(v - middle) for v in values)
    reasons: list[str | None] = []
    for v in values:  # the reason worded only for an outlier (most quotes are none)
        if mad > 0:
            distance = abs(v - middle) / (MAD_SCALE * mad)
            why = f"{distance:.1f} scaled MADs from the median {middle:,.0f}" if distance > MAD_LIMIT else None
        else:
            distance = abs(v - middle) / abs(middle) if middle else 0.0
            why = f"{distance:.0%} from the median {middle:,.0f} (MAD is 0)" if distance > FLAT_LIMIT else None
        reasons.append(why)
    return reasons


def assess_prices(session: Session, query: PriceQuery) -> PriceAssessment:
    if query.window_days <= 0:
        raise PriceQueryError("the window must be at least one day")
    unit = f"{query.currency}/{query.mass}"
    window = price_window(session, query)
    if window is None:
        return PriceAssessment(query, unit, None, None, None, None, 0, 0, (), (), ("no price quotes stored",))
    return assess_window(query, *window)


def price_window(session: Session, query: PriceQuery) -> tuple[date, date, list[StoredFactRecord]] | None:
    """The window's first and last day and the price statements in it, oldest first; None when
    nothing is stored. The forms and the latest period are found in SQL; only the window is read."""
    selection = FactSelection(
        commodity=query.commodity, metric="price", form=query.form, geo=query.geo, ends_on_or_before=query.as_of
    )
    latest = latest_end_by_form(session, selection)
    forms = sorted(str(form) for form in latest if form)
    if query.form is None and len(forms) > 1:
        # oxide and metal trade at different prices: one assessment over both would describe neither
        raise PriceQueryError(
            f"{query.commodity} prices are quoted for several forms ({', '.join(forms)}): choose one with --form"
        )
    as_of = query.as_of or max(latest.values()) if latest else None
    if as_of is None:
        return None
    start = as_of - timedelta(days=query.window_days - 1)
    return start, as_of, select_facts(session, replace(selection, starts_on_or_after=start))


def assess_window(query: PriceQuery, start: date, as_of: date, in_window: list[StoredFactRecord]) -> PriceAssessment:
    """The assessment of the price statements `in_window` (from `price_window`)."""
    unit = f"{query.currency}/{query.mass}"
    priced = [(r, q) for r in in_window if (q := _priced(r, query)) is not None]
    reasons = outlier_reasons([q.value for _, q in priced])
    used = [(r, q) for (r, q), why in zip(priced, reasons, strict=True) if why is None]
    excluded = tuple(replace(q, excluded=why) for (_, q), why in zip(priced, reasons, strict=True) if why)
    warnings: list[str] = []
    skipped = len(in_window) - len(priced)
    if skipped:
        warnings.append(f"{skipped} quotes have a unit that is not a price per mass; left out")
    if not used:
        warnings.append(f"no price quotes between {start} and {as_of}")
        return PriceAssessment(query, unit, (start, as_of), None, None, None, 0, 0, (), excluded, tuple(warnings))
    groups = independent_sources([r for r, _ in used])
    biggest = max(len(g) for g in groups)
    if biggest * 2 > len(used):
        name = next(g for g in groups if len(g) == biggest)[0]
        warnings.append(
            f"one source ({name.doc or name.dataset}) gives {biggest} of {len(used)} quotes: the assessment leans on it"
        )
    quotes = [q for _, q in used]
    return PriceAssessment(
        query=query,
        unit=unit,
        window=(start, as_of),
        low=min(q.low for q in quotes),
        high=max(q.high for q in quotes),
        mid=statistics.median(q.value for q in quotes),
        n_quotes=len(quotes),
        n_sources=len(groups),
        used=tuple(sorted(quotes, key=lambda q: q.period, reverse=True)),
        excluded=excluded,
        warnings=tuple(warnings),
    )
