"""What the portal's pages show, computed from stored facts: the price board, price histories,
key figures, the charts of a commodity page, and a stored fact's series point.

Pages and the API only render what these return; the numbers come from the same analysis as
the CLI (`series`, `prices`, `checks`), so a figure on a page equals the command's.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from operator import itemgetter
from typing import Any

from sqlalchemy.orm import Session

from assay.analyze import points
from assay.analyze.bands import tolerance
from assay.analyze.money import convert_with, price_factors
from assay.analyze.points import refresh_points
from assay.analyze.prices import (
    PriceAssessment,
    PriceQuery,
    PriceQueryError,
    assess_prices,
    assess_window,
    outlier_reasons,
)
from assay.analyze.series import (
    Observation,
    Series,
    SeriesValues,
    period_order,
    series_from_records,
    series_of_keys,
    series_rank,
    series_values,
)
from assay.model import Period
from assay.store.facts import StoredFact, commodity_and_descendants
from assay.store.price_products import KeyExtent, price_extents, price_forms
from assay.store.records import records_of_ids, select_facts
from assay.store.series import (
    QUOTE_COLUMNS,
    FactSelection,
    SeriesSize,
    StartRange,
    fact_rows_in_ranges,
    fact_values,
    gc_paused,
    latest_end_by_form,
    latest_periods,
)

# The figures a commodity's overview leads with, in this order of preference.
KEY_METRICS = ("production", "exports", "imports", "reserves", "capacity", "consumption", "mining_quota")
HISTORY_DAYS = 365 * 30  # a price history reaches back this far
BOARD_WINDOWS_DAYS = (30, 90, 365)  # the board takes the shortest window that holds quotes
BOARD_HISTORY_PERIODS = 60  # the board's sparkline shows this many latest periods


@dataclass(frozen=True)
class PricePoint:
    """The quotes of one period, in the board's unit: lowest low, highest high, median value."""

    period: str
    low: float
    high: float
    mid: float
    n_quotes: int
    end: date  # the period's last day (points are in this order)


@dataclass(frozen=True)
class Product:
    """Something with a price: a commodity in a form, quoted mostly in `currency` per `mass`."""

    commodity: str
    form: str | None
    currency: str
    mass: str


@dataclass(frozen=True)
class BoardRow:
    product: Product
    assessment: PriceAssessment
    previous_mid: float | None
    history: tuple[PricePoint, ...]

    @property
    def change(self) -> float | None:
        """Relative change of the mid against the previous period's, when both exist."""
        mid = self.assessment.mid
        if mid is None or not self.previous_mid:
            return None
        return (mid - self.previous_mid) / self.previous_mid


@dataclass(frozen=True)
class KeyFigure:
    """A series as a key figure shows it: every period's consensus value (the sparkline) and the
    latest observation with its sources (the figure, its period and the quote that states it)."""

    series: SeriesValues
    latest: Observation

    @property
    def values(self) -> list[float]:
        return [o.value for o in self.series.observations]


@dataclass(frozen=True)
class Bar:
    label: str
    value: float


@dataclass(frozen=True)
class BarChart:
    title_period: str
    unit: str
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class FactContext:
    """A stored fact's series point: the consensus observation and whether the sources agree."""

    observation: Observation | None
    agree: bool


def products(session: Session) -> list[Product]:
    """Every commodity and form with stored prices per mass, with the unit most of its quotes use."""
    return _products(session, price_extents(session))


def _products(session: Session, extents: Sequence[SeriesSize | KeyExtent]) -> list[Product]:
    # statements per unit counted in SQL (per series key); no price statement is read
    units: dict[tuple[str, str | None], Counter[str]] = {}
    for extent in extents:
        commodity, form, unit = str(extent.key[0]), extent.key[1], str(extent.key[6])
        currency, _, mass = unit.partition("/")
        if mass in ("t", "kg", "lb") and currency in ("CNY", "USD", "EUR"):
            units.setdefault((commodity, form), Counter())[unit] += extent.statements
    out = []
    for (commodity, form), counted in sorted(units.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        most = max(counted.values())
        tied = [unit for unit, n in counted.items() if n == most]
        unit = tied[0] if len(tied) == 1 else _first_stated(session, extents, commodity, form, tied)
        currency, _, mass = unit.partition("/")
        out.append(Product(commodity, form, currency, mass))
    return out


def _first_stated(
    session: Session, extents: Sequence[SeriesSize | KeyExtent], commodity: str, form: str | None, units: list[str]
) -> str:
    """Of equally common units, the one stated first (by period, then storage order)."""
    keys = tuple(e.key for e in extents if e.key[0] == commodity and e.key[1] == form and e.key[6] in units)
    (first,) = select_facts(session, FactSelection(metric="price", keys=keys, limit=1))
    return first.fact.unit


def price_history(session: Session, product: Product) -> tuple[PricePoint, ...]:
    """Every period's quotes of `product` (outliers left out), oldest first, in its unit: the
    quotes read as plain values (no record per quote), as `assess_prices` over HISTORY_DAYS
    would keep them."""
    selection = FactSelection(commodity=product.commodity, metric="price", form=product.form)
    latest = latest_end_by_form(session, selection)
    if not latest or (product.form is None and len([form for form in latest if form]) > 1):
        return ()  # nothing stored, or forms that one history would mix (assess_prices refuses)
    return _history_to(session, product, max(latest.values()))


def _history_to(session: Session, product: Product, last_day: date) -> tuple[PricePoint, ...]:
    """`price_history` of a product whose latest quote ends on `last_day`."""
    selection = FactSelection(commodity=product.commodity, metric="price", form=product.form)
    first_day = last_day - timedelta(days=HISTORY_DAYS - 1)
    with gc_paused():  # thousands of tuples and points: a collection midway would scan them all
        return _points_of_values(product, fact_values(session, replace(selection, starts_on_or_after=first_day)))


def charted_price_history(session: Session, found: list[Product]) -> tuple[Product, tuple[PricePoint, ...]]:
    """Of `found` (not empty), the most quoted product (most price statements stored in any unit,
    counted by the price products table that every write keeps; the first listed of those tied)
    with a history, and that history (`price_history`): what a commodity page charts. Only the
    chosen product's quotes are read; its latest day comes from the table too."""
    forms = price_forms(session, {p.commodity for p in found})
    ranked = sorted(range(len(found)), key=lambda i: (-forms.get((found[i].commodity, found[i].form), (0,))[0], i))
    for place in ranked:
        product = found[place]
        of_product = [(form, last) for (commodity, form), (_, last) in forms.items() if commodity == product.commodity]
        latest = [last for form, last in of_product if product.form in (None, form)]
        named = {form for form, _ in of_product if form is not None}
        if not latest or (product.form is None and len(named) > 1):
            continue  # nothing stored, or forms that one history would mix: price_history gives none
        history = _history_to(session, product, max(latest))
        if history:
            return product, history
    return found[0], ()


CHART_POINTS = 400  # a line across a page: more points than this are more than its pixels
CHART_GROUPS = ("month", "quarter", "year")


def chart_points(history: Sequence[PricePoint], limit: int = CHART_POINTS) -> tuple[PricePoint, ...]:
    """The line a chart draws of `history`: the history itself when it has at most `limit`
    points; else one point per calendar month of the periods' last days (per quarter, or per
    year, when months are still more than `limit`): the group's last period's mid, its lowest
    low and highest high, its quotes counted, labelled by the group (2024-05, 2024-Q2, 2024)."""
    if len(history) <= limit:
        return tuple(history)
    for grouping in CHART_GROUPS:
        groups: dict[str, list[PricePoint]] = {}
        for point in history:
            groups.setdefault(_group_label(point.end, grouping), []).append(point)
        if len(groups) <= limit or grouping == CHART_GROUPS[-1]:
            break
    return tuple(
        PricePoint(
            label,
            min(p.low for p in points),
            max(p.high for p in points),
            points[-1].mid,
            sum(p.n_quotes for p in points),
            points[-1].end,
        )
        for label, points in groups.items()
    )


def _group_label(day: date, grouping: str) -> str:
    if grouping == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if grouping == "quarter":
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year:04d}"


def _points_of_values(
    product: Product, values: Iterable[Sequence[Any]], ends: dict[str, date] | None = None
) -> tuple[PricePoint, ...]:
    """The points of quotes given as (period, last day, value, high, unit): each converted as
    `assess_window` converts it, outliers judged among them all, one point per period (`ends`:
    each period's last day, when the caller has them; else the quotes' own)."""
    priced: list[tuple[str, float, float, float]] = []
    currency, mass = product.currency, product.mass
    found_ends: dict[str, date] = {}
    factors_of: dict[tuple[str, int], tuple[float, float, float, float] | None] = {}
    for period, end, value, value_high, unit in values:
        # converted as price_range converts, with the factors of each unit and year worked out once
        year = end.year
        if (unit, year) in factors_of:
            factors = factors_of[unit, year]
        else:
            factors = factors_of[unit, year] = price_factors(unit, currency, mass, year)
        if factors is not None:
            low = convert_with(value, factors)
            high = convert_with(value_high, factors) if value_high else low
            priced.append((period, low, high, (low + high) / 2))
            found_ends[period] = end
    reasons = outlier_reasons([quote[3] for quote in priced])
    by_period: dict[str, list[tuple[float, float, float]]] = {}
    for (period, low, high, value), why in zip(priced, reasons, strict=True):
        if why is None:
            by_period.setdefault(period, []).append((low, high, value))
    return _points(by_period, found_ends if ends is None else ends)


def price_points(assessed: PriceAssessment) -> tuple[PricePoint, ...]:
    """The assessment's quotes kept, one point per period, oldest first."""
    by_period: dict[str, list[tuple[float, float, float]]] = {}
    for quote in assessed.used:
        by_period.setdefault(quote.period, []).append((quote.low, quote.high, quote.value))
    return _points(by_period)


def _points(
    by_period: dict[str, list[tuple[float, float, float]]], ends: dict[str, date] | None = None
) -> tuple[PricePoint, ...]:
    """One point per period, in the order of their last days (`ends`: each period's, when known)."""
    if ends is None:
        ends = {period: Period.parse(period).end for period in by_period}
    points = []
    for period, quotes in by_period.items():
        if len(quotes) == 1:  # most periods of a daily history: one quote, its own low, high and mid
            ((low, high, mid),) = quotes
            points.append(PricePoint(period, low, high, mid, 1, ends[period]))
        else:
            low, high = min(q[0] for q in quotes), max(q[1] for q in quotes)
            points.append(PricePoint(period, low, high, _median(quotes), len(quotes), ends[period]))
    return tuple(sorted(points, key=lambda p: (p.end, p.period)))


def _median(quotes: list[tuple[float, float, float]]) -> float:
    """statistics.median of the quotes' values (the third item), in its arithmetic, without its overhead."""
    return _median_of([q[2] for q in quotes])


def _median_of(given: Sequence[float]) -> float:
    """statistics.median of `given`, in its arithmetic, without its overhead."""
    values = sorted(given)
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def assess(session: Session, product: Product, window_days: int) -> PriceAssessment | None:
    """The product's latest assessment over `window_days`; None when its forms cannot be told apart."""
    try:
        return assess_prices(
            session, PriceQuery(product.commodity, product.form, window_days, None, product.currency, product.mass)
        )
    except PriceQueryError:
        return None


def latest_assessment(session: Session, product: Product) -> PriceAssessment | None:
    """The assessment over the shortest of BOARD_WINDOWS_DAYS that holds quotes (sparse prices
    are often yearly): 30 days when quotes are daily, a year when they are annual."""
    assessment = None
    for days in BOARD_WINDOWS_DAYS:
        assessment = assess(session, product, days)
        if assessment is None or assessment.mid is not None:
            return assessment
    return assessment


def board_row(session: Session, product: Product) -> BoardRow | None:
    """The product's latest assessment, the mid of the period before its window, and the
    sparkline's recent history: only those periods' quotes are read, not the whole history."""
    assessment = latest_assessment(session, product)
    if assessment is None or assessment.mid is None or assessment.window is None:
        return None
    window_start, as_of = assessment.window
    selection = FactSelection(
        commodity=product.commodity,
        metric="price",
        form=product.form,
        starts_on_or_after=as_of - timedelta(days=HISTORY_DAYS - 1),
        ends_on_or_before=as_of,
    )
    recent = latest_periods(session, selection, BOARD_HISTORY_PERIODS)
    before = latest_periods(session, replace(selection, ends_on_or_before=window_start - timedelta(days=1)), 1)
    wanted = {period for period, _, _ in recent + before}
    first_day = min(start for _, start, _ in recent + before)
    records = [
        r for r in select_facts(session, replace(selection, starts_on_or_after=first_day)) if r.fact.period in wanted
    ]
    query = PriceQuery(product.commodity, product.form, HISTORY_DAYS, as_of, product.currency, product.mass)
    points = price_points(assess_window(query, first_day, as_of, records))
    shown = {period for period, _, _ in recent}
    earlier = [p for p in points if Period.parse(p.period).end < window_start]
    previous = earlier[-1].mid if earlier else None
    return BoardRow(product, assessment, previous, tuple(p for p in points if p.period in shown))


def price_board(session: Session) -> list[BoardRow]:
    """The latest assessment of every product, with the change against the period before its window.

    Built set-wise: one grouped query gives every product's unit counts and latest day, then the
    products' recent quotes are read together (`_read_recent`), a few queries in all; only the
    assessment windows' quotes become records. The same rows as `board_row` per product."""
    with gc_paused():
        extents = price_extents(session)
        plans = _plans(_products(session, extents), extents)
        _read_recent(session, plans, extents)
        return _board_rows(session, plans)


@dataclass
class _Plan:
    """One product's board row as it is worked out from the quotes read so far."""

    product: Product
    as_of: date  # the last day of the product's latest period
    longest_days: int | None  # how long its longest period can be; None: spans of any length
    per_day: float  # statements per day between its first period and its latest
    rows: list[Any] = field(default_factory=list)  # its quotes read (plain rows), by period start
    days: int | None = None  # the window chosen, once found; None once done: no row
    window_start: date = date.min
    shown: tuple[str, ...] = ()  # the sparkline's periods
    before: str | None = None  # the latest period that ends before the window
    done: bool = False

    @property
    def history_start(self) -> date:
        return self.as_of - timedelta(days=HISTORY_DAYS - 1)


def _plans(found: list[Product], extents: list[KeyExtent]) -> list[_Plan]:
    """A plan per product that `assess_prices` can assess (one form, or none stated)."""
    plans = []
    of_commodity: dict[str | None, list[KeyExtent]] = {}
    for extent in extents:
        of_commodity.setdefault(extent.key[0], []).append(extent)
    for product in found:
        keys = [e for e in of_commodity.get(product.commodity, ()) if product.form is None or e.key[1] == product.form]
        if keys and (product.form is not None or len({e.key[1] for e in keys if e.key[1]}) <= 1):
            as_of, first = max(e.latest_end for e in keys), min(e.first_start for e in keys)
            per_day = sum(e.statements for e in keys) / ((as_of - first).days + 1)
            plans.append(_Plan(product, as_of, _longest_days(keys), per_day))
    return plans


def _longest_days(keys: list[KeyExtent]) -> int | None:
    """How many days past its first a period of these keys may end, told by the period texts'
    lengths: days only (10 characters), months to halves (7), years (4); None for spans (`a/b`)."""
    if max(e.longest_period for e in keys) > len("2024-01-01"):
        return None
    shortest = min(e.shortest_period for e in keys)
    return 365 if shortest <= len("2024") else 183 if shortest <= len("2024-01") else 0


def _read_recent(session: Session, plans: list[_Plan], extents: list[KeyExtent]) -> None:
    """Read each commodity's latest quotes, reaching further back (four times as far each
    round) for the products whose window, sparkline or period before the window is not yet
    sure to be read; one query per round for every product left."""
    places: dict[str, set[tuple[str | None, str | None]]] = {}
    for extent in extents:
        places.setdefault(str(extent.key[0]), set()).add((extent.key[3], extent.key[4]))
    read_from: dict[str, date] = {}
    wanted: dict[str, date] = {}
    # a commodity's quotes of the forms its products state, or all of them for a product without a form
    forms: dict[str, tuple[str, ...] | None] = {}
    for plan in plans:
        commodity, form = plan.product.commodity, plan.product.form
        known = forms.get(commodity, ())
        forms[commodity] = None if form is None or known is None else tuple(sorted({*known, form}))
    for plan in plans:
        # enough days for the sparkline's periods if quotes fall on random days at the product's
        # rate, a third more, and the longest period (which may start that much earlier)
        days_with_quotes = 1 - math.exp(-plan.per_day)
        lookback = max(BOARD_WINDOWS_DAYS[0], math.ceil(1.3 * (BOARD_HISTORY_PERIODS + 1) / days_with_quotes))
        lookback += 365 if plan.longest_days is None else plan.longest_days
        first = plan.as_of - timedelta(days=min(lookback, HISTORY_DAYS - 1))
        commodity = plan.product.commodity
        wanted[commodity] = min(wanted.get(commodity, first), first)
    pending = plans
    while pending:
        ranges = [
            StartRange(commodity, geo, partner, since, read_from.get(commodity), forms[commodity])
            for commodity, since in sorted(wanted.items())
            for geo, partner in sorted(places[commodity], key=lambda p: (p[0] or "", p[1] or ""))
        ]
        read_from.update(wanted)
        rows = fact_rows_in_ranges(session, FactSelection(metric="price"), ranges, QUOTE_COLUMNS)
        by_commodity: dict[str, list[Any]] = {}
        for row in rows:
            by_commodity.setdefault(row[_COMMODITY], []).append(row)
        wanted = {}
        left = []
        for plan in pending:
            product = plan.product
            new = [
                r for r in by_commodity.get(product.commodity, ()) if product.form is None or r[_FORM] == product.form
            ]
            if new:  # each round's rows come by first day then id; only a later round's need merging
                plan.rows = sorted([*new, *plan.rows], key=_START_AND_ID) if plan.rows else new
            deeper = _resolve(plan, read_from[product.commodity])
            if deeper is not None:
                wanted[product.commodity] = min(wanted.get(product.commodity, deeper), deeper)
                left.append(plan)
        pending = left


# in a quote's row (store.series.QUOTE_COLUMNS, then its first and last day)
_COMMODITY, _FORM, _PERIOD, _VALUE, _VALUE_HIGH, _UNIT, _START, _END = range(1, 9)
_START_AND_ID = itemgetter(_START, 0)


def _resolve(plan: _Plan, read_from: date) -> date | None:
    """Choose the window, the sparkline's periods and the period before the window from the
    quotes read since `read_from`; the day to read from when they are not sure yet."""
    product, as_of, history_start = plan.product, plan.as_of, plan.history_start
    complete = read_from <= history_start
    spans = {r[_PERIOD]: r[_END] for r in plan.rows if r[_START] >= history_start}
    # reach back as far again as the periods found so far suggest, a third more (at least twice as far)
    factor = max(2.0, min(64.0, 1.3 * (BOARD_HISTORY_PERIODS + 1) / max(1, len(spans))))
    deeper = as_of - timedelta(days=min(math.ceil((as_of - read_from).days * factor), HISTORY_DAYS - 1))
    for days in BOARD_WINDOWS_DAYS:
        window_start = as_of - timedelta(days=days - 1)
        plan.days, plan.window_start = days, window_start
        if read_from > window_start and not complete:
            return min(deeper, window_start)
        if any(r[_START] >= window_start and _converts(r, product) for r in plan.rows):
            break
    else:  # no quote in any window: assess_prices gives no mid, so no row
        plan.days, plan.done = None, True
        return None
    # every period that ends on or after this day has been read (its first day is after read_from)
    sure_from = read_from + timedelta(days=plan.longest_days) if plan.longest_days is not None else date.max
    latest_first = sorted(spans, key=lambda period: (spans[period], period), reverse=True)
    recent = latest_first[:BOARD_HISTORY_PERIODS]
    before = next((p for p in latest_first if spans[p] < window_start), None)
    if not complete and (
        len(recent) < BOARD_HISTORY_PERIODS
        or (recent and spans[recent[-1]] < sure_from)
        or before is None
        or spans[before] < sure_from
    ):
        return deeper
    plan.shown, plan.before, plan.done = tuple(recent), before, True
    return None


def _converts(row: Sequence[Any], product: Product) -> bool:
    """Whether the quote is a price per mass `assess_window` can use."""
    return price_factors(row[_UNIT], product.currency, product.mass, row[_END].year) is not None


def _board_rows(session: Session, plans: list[_Plan]) -> list[BoardRow]:
    """The rows of resolved plans: the windows' quotes made records in one lookup, each
    assessed; the sparkline and the previous mid on plain values."""
    chosen = [plan for plan in plans if plan.days is not None]
    in_window = {plan.product: [r for r in plan.rows if r[_START] >= plan.window_start] for plan in chosen}
    records = {r.id: r for r in records_of_ids(session, [row[0] for rows in in_window.values() for row in rows])}
    out = []
    for plan in chosen:
        product, days = plan.product, plan.days
        query = PriceQuery(product.commodity, product.form, days or 0, None, product.currency, product.mass)
        window = [records[row[0]] for row in in_window[product]]
        assessment = assess_window(query, plan.window_start, plan.as_of, window)
        if assessment.mid is None:  # not expected (a quote that converts is never every quote's outlier)
            row = board_row(session, product)
            if row is not None:
                out.append(row)
            continue
        wanted = {*plan.shown, plan.before}
        quotes = [r for r in plan.rows if r[_PERIOD] in wanted]
        ends = {r[_PERIOD]: r[_END] for r in quotes}
        values = ((r[_PERIOD], r[_END], r[_VALUE], r[_VALUE_HIGH], r[_UNIT]) for r in quotes)
        points = _points_of_values(product, values, ends)
        earlier = [p for p in points if ends[p.period] < plan.window_start]
        shown = set(plan.shown)
        history = tuple(p for p in points if p.period in shown)
        out.append(BoardRow(product, assessment, earlier[-1].mid if earlier else None, history))
    return out


def key_figures(session: Session, commodity: str, limit: int = 6) -> list[KeyFigure]:
    """The commodity's longest series of its key metrics (totals, not flows to one partner)."""
    refresh_points(session, FactSelection(metrics=KEY_METRICS))  # every family's: the dashboard shows each
    selection = FactSelection(
        commodities=tuple(commodity_and_descendants(commodity)), metrics=KEY_METRICS, partner_is_null=True
    )
    # chosen on series sizes counted in SQL; only the chosen series are read and built
    ranked = sorted(
        (s for s in points.sizes(session, selection) if s.key[6] in ("t", "kt", "Mt")),
        key=lambda s: (KEY_METRICS.index(str(s.key[2])), -s.periods, [v or "" for v in s.key]),
    )
    chosen: list[SeriesSize] = []
    seen: set[tuple[str | None, ...]] = set()
    for size in ranked:
        short = (size.key[0], size.key[2], size.key[3])  # commodity, metric, geo
        if short not in seen:
            seen.add(short)
            chosen.append(size)
    chosen.sort(key=lambda s: (-s.periods, KEY_METRICS.index(str(s.key[2]))))
    shown = {s.key: i for i, s in enumerate(chosen[:limit])}
    # every period's value for the sparklines; the sources of the latest period alone
    found = sorted(series_values(session, selection, list(shown)), key=lambda s: shown[s.key])
    by_latest: dict[str, list[tuple[str | None, ...]]] = {}
    for values in found:
        by_latest.setdefault(values.observations[-1].period, []).append(values.key)
    latest = {
        s.key: s.observations[0]
        for period, keys in by_latest.items()
        for s in series_of_keys(session, _at_period(selection, period), keys)
    }
    return [KeyFigure(values, latest[values.key]) for values in found]


def refresh_commodity_points(session: Session, commodity: str) -> None:
    """Store the stale series points the commodity page's sections read (its family's key metrics),
    before the section's first read: a SQLite session that reads in a transaction no longer
    stores them (`analyze.points.refresh_points`), so the page's first section stores them all."""
    family = tuple(commodity_and_descendants(commodity))
    refresh_points(session, FactSelection(commodities=family, metrics=KEY_METRICS))


def _at_period(selection: FactSelection, period: str) -> FactSelection:
    """`selection` cut to one period, its days bounding the range read of the series index."""
    bounds = Period.parse(period)
    return replace(selection, period=period, starts_on_or_after=bounds.start, ends_on_or_before=bounds.end)


def production_by_country(session: Session, commodity: str) -> BarChart | None:
    """Production per country in the latest year that at least two countries report (tonnes)."""
    refresh_commodity_points(session, commodity)
    selection = FactSelection(commodity=commodity, metric="production", unit="t", partner_is_null=True, period_length=4)
    # the countries' series found in SQL, their years alone read
    countries = [s.key for s in points.sizes(session, selection) if len(str(s.key[3])) == 2]
    countries = [key for key in countries if not key[1] and not key[5]]
    found: Sequence[Series | SeriesValues]
    if len({key[3] for key in countries}) == len(countries):
        found = series_values(session, selection, countries)
    else:  # a country in two series (a form ""): the later series wins, in the order of every period
        found = series_from_records(select_facts(session, replace(selection, period_length=None)))
    per_year: dict[str, dict[str, float]] = {}
    for series in found:
        geo = str(series.fields["geo"])
        if len(geo) != 2 or series.fields["form"] or series.fields["share_of"]:
            continue  # countries only: WORLD and provinces are not bars beside them
        for obs in series.observations:
            if len(obs.period) == 4:
                per_year.setdefault(obs.period, {})[geo] = obs.value
    years = [y for y, geos in per_year.items() if len(geos) >= 2]
    if not years:
        return None
    year = max(years)
    bars = sorted((Bar(geo, value) for geo, value in per_year[year].items()), key=lambda b: -b.value)
    return BarChart(year, "t", tuple(bars))


def exports_by_month(session: Session, commodity: str) -> SeriesValues | None:
    """China's monthly exports of the commodity, the longest such series (its months' values)."""
    refresh_commodity_points(session, commodity)
    selection = FactSelection(commodity=commodity, metric="exports", geo="CN", partner_is_null=True)
    # months per series counted in SQL; only the chosen series' months are read
    months = {s.key: s.periods for s in points.sizes(session, replace(selection, period_length=7))}
    ranked = sorted(
        (s for s in points.sizes(session, selection) if s.key[6] in ("t", "kt") and months.get(s.key, 0) >= 2),
        key=lambda s: series_rank(s.periods, s.key),
    )
    if not ranked:
        return None
    longest = max(ranked, key=lambda s: months[s.key])  # the first of the longest, in series order
    (found,) = series_values(session, replace(selection, period_length=7), [longest.key])
    return found


def exports_by_destination(session: Session, commodity: str) -> BarChart | None:
    """Exports per destination in the latest period that names at least two destinations."""
    refresh_commodity_points(session, commodity)
    selection = FactSelection(commodity=commodity, metric="exports")
    # which period to show is found on (period, unit, partner) triples from SQL; only its facts are read
    partners: dict[tuple[str, str], set[str]] = {}
    for period, unit, partner in points.period_unit_partners(session, selection):
        if partner and unit in DESTINATION_UNITS:
            partners.setdefault((period, unit), set()).add(partner)
    candidates = [k for k, named in partners.items() if len(named) >= 2]
    if not candidates:
        return None
    latest = max(_destination_rank(k, partners) for k in candidates)
    chosen = [k for k in candidates if _destination_rank(k, partners) == latest]
    ranks = {
        unit: {s.key: series_rank(s.periods, s.key) for s in points.sizes(session, replace(selection, unit=unit))}
        for unit in {unit for _, unit in chosen}
    }
    if len(chosen) > 1:  # a year and its December: the one met first, going through the series in order
        chosen = [min(chosen, key=lambda k: _first_met(session, selection, ranks[k[1]], k))]
    ((period, unit),) = chosen
    at = series_values(session, replace(selection, unit=unit, period=period))
    values: dict[str, float] = {}
    for series in sorted((s for s in at if s.key[4]), key=lambda s: ranks[unit][s.key]):  # a later series wins
        values[str(series.fields["partner"])] = series.observations[0].value
    bars = sorted((Bar(p, v) for p, v in values.items()), key=lambda b: -b.value)
    return BarChart(period, unit, tuple(bars))


def _first_met(
    session: Session, selection: FactSelection, rank: dict[tuple[str | None, ...], Any], point: tuple[str, str]
) -> tuple[Any, ...]:
    """When `point` (period, unit) comes up going through the partner series in order, their
    periods in time order: the first series that has it, then its place among that series' periods."""
    period, unit = point
    keys = [s.key for s in points.sizes(session, replace(selection, unit=unit, period=period)) if s.key[4]]
    return (min(rank[key] for key in keys), period_order(period))


DESTINATION_UNITS = ("t", "kt")


def _destination_rank(point: tuple[str, str], partners: dict[tuple[str, str], set[str]]) -> tuple[Any, ...]:
    return (Period.parse(point[0]).end, len(partners[point]))


def fact_context(session: Session, stored: StoredFact) -> FactContext:
    """Every source's statement of the same series point as `stored`, and whether they agree."""
    fact = stored.fact
    if not fact.period:
        return FactContext(None, True)
    try:
        bounds = Period.parse(fact.period)
    except ValueError:
        return FactContext(None, True)
    selection = FactSelection(
        commodity=fact.commodity,
        metric=fact.metric,
        geo=fact.geo,
        partner=fact.partner,
        partner_is_null=fact.partner is None,
        form=fact.form,
        unit=fact.unit,
        share_of=fact.share_of,
        starts_on_or_after=bounds.start,
        ends_on_or_before=bounds.end,
    )
    records = [r for r in select_facts(session, selection) if r.fact.period == fact.period]
    found = series_from_records(records)
    if not found:
        return FactContext(None, True)
    obs = found[0].observations[0]
    used = [s.value for s in obs.sources if s.in_consensus and s.value is not None]
    tol, absolute = tolerance(fact.metric, fact.unit, fact.period)
    gap = (max(used) - min(used)) if used else 0.0
    agree = obs.n_independent < 2 or (gap <= tol if absolute else obs.spread <= tol)
    return FactContext(obs, agree)
