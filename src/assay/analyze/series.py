"""Time series of stored facts: one series per full series key, one observation per period,
each observation a consensus of its sources (see `assay.analyze.consensus`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy.orm import Session

from assay.analyze.consensus import TIER_OF_TEXT, agree, agreed_value, quote_key, weighed
from assay.analyze.points import stored_points, weighed_statements
from assay.model import Basis, Period
from assay.store.records import StoredFactRecord, frozen_from_dict
from assay.store.series import FactSelection, SeriesSize, gc_paused, series_sizes
from assay.store.statements import (
    P_ORIGIN,
    P_PUBLISHED,
    S_BASIS,
    S_DATASET,
    S_DOCUMENT,
    S_ID,
    S_PERIOD,
    S_QUOTE,
    S_UNIT,
    S_VALUE,
    S_VALUE_HIGH,
    Provenance,
    Statements,
    select_statement_values,
    select_statements,
)

SeriesKey = tuple[str, str | None, str, str, str | None, str | None, str]
KEY_FIELDS = ("commodity", "form", "metric", "geo", "partner", "share_of", "unit")


@dataclass(frozen=True)
class SeriesQuery:
    commodity: str
    metric: str
    geo: str | None = None
    partner: str | None = None
    form: str | None = None
    unit: str | None = None
    share_of: str | None = None
    since: str | None = None  # a period: observations starting on or after its start
    until: str | None = None  # a period: observations ending on or before its end


@dataclass(frozen=True)
class SourceRef:
    """One statement behind an observation: a document's quote, or a reference dataset's row."""

    doc: str | None
    quote: str
    dataset: str | None
    document_id: int | None
    url: str | None
    official: bool
    published: str | None = None
    value: float | None = None
    value_high: float | None = None
    basis: str | None = None
    fact_id: int | None = None
    in_consensus: bool = True  # False: a forecast outranked by actual figures, or a figure its source revised

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"doc": self.doc, "quote": self.quote}
        if self.dataset:
            out["dataset"] = self.dataset
        out.update(
            url=self.url,
            official=self.official,
            published=self.published,
            value=json_number(self.value) if self.value is not None else None,
            basis=self.basis,
        )
        if self.value_high is not None:
            out["value_high"] = json_number(self.value_high)
        if not self.in_consensus:
            out["in_consensus"] = False
        return out


@dataclass(frozen=True)
class Observation:
    """The consensus for one period. `sources` are ordered freshest first."""

    period: str
    value: float
    unit: str
    sources: tuple[SourceRef, ...]
    spread: float
    n_independent: int
    value_high: float | None = None

    @property
    def freshest(self) -> SourceRef:
        return next((s for s in self.sources if s.in_consensus), self.sources[0])


@dataclass(frozen=True)
class Series:
    key: SeriesKey
    observations: tuple[Observation, ...]

    @property
    def fields(self) -> dict[str, str | None]:
        return dict(zip(KEY_FIELDS, self.key, strict=True))

    def label(self) -> str:
        f = self.fields
        parts = [str(f["commodity"])]
        if f["form"]:
            parts.append(f"({f['form']})")
        parts += [str(f["metric"]), str(f["geo"])]
        if f["partner"]:
            parts.append(f"→ {f['partner']}")
        if f["share_of"]:
            parts.append(f"of {f['share_of']}")
        parts.append(f"[{f['unit']}]")
        return " ".join(parts)

    def rows_json(self) -> list[dict[str, Any]]:
        """One flat object per observation, series key fields included (what `--json` prints)."""
        return [observation_json(self, obs) for obs in self.observations]


def observation_json(series: Series, obs: Observation) -> dict[str, Any]:
    out: dict[str, Any] = dict(series.fields)
    out.update(
        period=obs.period,
        value=json_number(obs.value),
        value_high=json_number(obs.value_high) if obs.value_high is not None else None,
        unit=obs.unit,
        spread=round(obs.spread, 6) if obs.spread != float("inf") else None,
        n_sources=obs.n_independent,
        n_statements=len(obs.sources),
        freshest=obs.freshest.doc or obs.freshest.dataset,
        sources=[s.as_json() for s in obs.sources],
    )
    return out


_BASIS_TEXT = {b: str(b.value) for b in Basis}


def source_ref(record: StoredFactRecord, in_consensus: bool = True) -> SourceRef:
    fact = record.fact
    return frozen_from_dict(
        SourceRef,
        {
            "doc": fact.doc if record.document_id is not None else None,
            "quote": fact.quote,
            "dataset": record.dataset,
            "document_id": record.document_id,
            "url": record.url,
            "official": record.official,
            "published": record.published,
            "value": fact.value,
            "value_high": fact.value_high,
            "basis": _BASIS_TEXT[fact.basis],
            "fact_id": record.id,
            "in_consensus": in_consensus,
        },
    )


def _observation(
    period: str,
    value: float,
    unit: str,
    sources: tuple[SourceRef, ...],
    spread: float,
    n_independent: int,
    value_high: float | None,
) -> Observation:
    return frozen_from_dict(
        Observation,
        {
            "period": period,
            "value": value,
            "unit": unit,
            "sources": sources,
            "spread": spread,
            "n_independent": n_independent,
            "value_high": value_high,
        },
    )


def observation(period: str, records: Sequence[StoredFactRecord]) -> Observation:
    """The consensus observation of statements sharing one series key and period."""
    if len(records) == 1:  # the common case: one statement is its own consensus
        (only,) = records
        fact = only.fact
        return _observation(period, fact.value, fact.unit, (source_ref(only),), 0.0, 1, fact.value_high)
    agreed = agree([weighed(r) for r in records])
    return _observation(
        period,
        agreed.value,
        records[0].fact.unit,
        tuple(source_ref(records[i], i not in agreed.left_out) for i in agreed.listed),
        agreed.spread,
        agreed.n_independent,
        agreed.value_high,
    )


def _statement_observation(period: str, rows: Sequence[Sequence[Any]], sources: Sequence[Provenance]) -> Observation:
    """`observation` on plain statement tuples (`store.statements.STATEMENT_COLUMNS`) and their provenance."""
    if len(rows) == 1:
        row = rows[0]
        only = _statement_ref(row, sources[0], True)
        return _observation(period, row[S_VALUE], row[S_UNIT], (only,), 0.0, 1, row[S_VALUE_HIGH])
    agreed = agree([
        (source[P_PUBLISHED] or "", row[S_ID], row[S_VALUE], row[S_VALUE_HIGH], TIER_OF_TEXT[row[S_BASIS]],
         source[P_ORIGIN], None if row[S_DATASET] is not None else quote_key(row[S_QUOTE]))
        for row, source in zip(rows, sources, strict=True)
    ])  # fmt: skip
    left_out = agreed.left_out
    return _observation(
        period,
        agreed.value,
        rows[0][S_UNIT],
        tuple(_statement_ref(rows[i], sources[i], i not in left_out) for i in agreed.listed),
        agreed.spread,
        agreed.n_independent,
        agreed.value_high,
    )


def _statement_ref(row: Sequence[Any], source: Provenance, in_consensus: bool) -> SourceRef:
    """`source_ref` of a plain statement tuple and its provenance."""
    doc, dataset, url, official, published, _ = source
    ref = object.__new__(SourceRef)  # as `frozen_from_dict` does, inline: once per statement of a query
    object.__setattr__(
        ref,
        "__dict__",
        {
            "doc": doc,
            "quote": row[S_QUOTE],
            "dataset": dataset,
            "document_id": row[S_DOCUMENT],
            "url": url,
            "official": official,
            "published": published,
            "value": row[S_VALUE],
            "value_high": row[S_VALUE_HIGH],
            "basis": row[S_BASIS],
            "fact_id": row[S_ID],
            "in_consensus": in_consensus,
        },
    )
    return ref


def series_from_records(records: Sequence[StoredFactRecord]) -> list[Series]:
    """Group records into series by key and observations by period (records without a period are left out)."""
    # one pass, plain dicts: this loop runs once per statement of every series query
    grouped: dict[SeriesKey, dict[str, list[StoredFactRecord]]] = {}
    for record in records:
        fact = record.fact
        period = fact.period
        if not period:
            continue
        key = (fact.commodity, fact.form, fact.metric, fact.geo, fact.partner, fact.share_of, fact.unit)
        by_period = grouped.get(key)
        if by_period is None:
            grouped[key] = {period: [record]}
        elif period in by_period:
            by_period[period].append(record)
        else:
            by_period[period] = [record]
    out: list[Series] = []
    for key, by_period in grouped.items():
        periods = sorted(by_period, key=period_order)
        out.append(Series(key, tuple(observation(p, by_period[p]) for p in periods)))
    out.sort(key=lambda s: series_rank(len(s.observations), s.key))
    return out


def series_from_statements(found: Statements) -> list[Series]:
    """`series_from_records` on plain statement tuples: one object per statement (its `SourceRef`)
    instead of three, and consensus weighed on plain values."""
    provenance = found.provenance
    # grouped by key (row[:7], a SeriesKey) and period, each statement beside its provenance
    grouped: dict[Any, dict[str, tuple[list[Sequence[Any]], list[Provenance]]]] = {}
    for row in found.rows:
        period = row[S_PERIOD]
        if not period:
            continue
        source = provenance[row[S_DOCUMENT]] if row[S_DATASET] is None else provenance[row[S_DOCUMENT], row[S_DATASET]]
        key = row[:7]
        by_period = grouped.get(key)
        if by_period is None:
            grouped[key] = {period: ([row], [source])}
        elif period in by_period:
            rows, sources = by_period[period]
            rows.append(row)
            sources.append(source)
        else:
            by_period[period] = ([row], [source])
    out: list[Series] = []
    for key, by_period in grouped.items():
        periods = sorted(by_period, key=period_order)
        out.append(Series(key, tuple(_statement_observation(p, *by_period[p]) for p in periods)))
    out.sort(key=lambda s: series_rank(len(s.observations), s.key))
    return out


@dataclass(frozen=True, slots=True)
class PeriodValue:
    """One period's consensus value, without its sources."""

    period: str
    value: float
    unit: str


@dataclass(frozen=True)
class SeriesValues:
    """A series' consensus value per period, in time order, without sources: what a chart or a
    sparkline draws (`Series` lists every statement behind each value)."""

    key: SeriesKey
    observations: tuple[PeriodValue, ...]

    @property
    def fields(self) -> dict[str, str | None]:
        return dict(zip(KEY_FIELDS, self.key, strict=True))


def series_values(
    session: Session, selection: FactSelection, keys: Sequence[tuple[str | None, ...]] | None = None
) -> list[SeriesValues]:
    """The series `series_of_keys` (or, without keys, every series of `selection`) gives, each
    period's consensus value alone, read from the stored series points (`analyze.points`:
    the stale ones of these keys recomputed first); where the points cannot answer (a selection
    by document or dataset, this session's own uncommitted writes, a busy SQLite store), weighed
    from the statements as `computed_series_values` does."""
    with gc_paused():
        points = stored_points(session, selection, keys)
        if points is None:
            return computed_series_values(session, selection, keys)
        grouped: dict[Any, list[PeriodValue]] = {}
        for point in points:
            grouped.setdefault(point.key, []).append(PeriodValue(point.period, point.value, str(point.key[6])))
        out = [
            SeriesValues(key, tuple(sorted(values, key=lambda v: period_order(v.period))))
            for key, values in grouped.items()
        ]
    out.sort(key=lambda s: series_rank(len(s.observations), s.key))
    return out


def computed_series_values(
    session: Session, selection: FactSelection, keys: Sequence[tuple[str | None, ...]] | None = None
) -> list[SeriesValues]:
    """`series_values` weighed from the statements (round 4's path): the statements are read
    without their documents and weighed on plain values; no `SourceRef` or `Observation` is
    built. A document's publication date (which of a source's statements is freshest) is read
    only for the periods where two statements share a source."""
    with gc_paused():
        grouped = weighed_statements(session, select_statement_values(session, selection, keys))
        out = []
        for key, by_period in grouped.items():
            unit = str(key[6])
            periods = sorted(by_period, key=period_order)
            out.append(SeriesValues(key, tuple(PeriodValue(p, agreed_value(by_period[p]), unit) for p in periods)))
    out.sort(key=lambda s: series_rank(len(s.observations), s.key))
    return out


def selection_for(query: SeriesQuery) -> FactSelection:
    """The store filter a series query stands for (raises ValueError on a malformed since/until)."""
    return FactSelection(
        commodity=query.commodity,
        metric=query.metric,
        geo=query.geo,
        partner=query.partner,
        form=query.form,
        unit=query.unit,
        share_of=query.share_of,
        starts_on_or_after=Period.parse(query.since).start if query.since else None,
        ends_on_or_before=Period.parse(query.until).end if query.until else None,
    )


def build_series(session: Session, query: SeriesQuery, limit: int | None = None) -> list[Series]:
    """One Series per full series key matching the query, longest first; periods in time order.

    With a `limit`, the series are ranked in SQL (periods per key) and only the facts of the
    first `limit` are read: a page showing six series of an all-partner query builds six."""
    selection = selection_for(query)
    with gc_paused():
        if limit is not None:
            return series_of_keys(session, selection, [s.key for s in longest_series(session, selection, limit)])
        return series_from_statements(select_statements(session, selection))


# A page of series (the API's) holds at most this many statements, whole series (one that alone
# holds more is a page by itself): a page of a broad query is read and built in bounded time.
SERIES_PAGE_STATEMENTS = 5_000


@dataclass(frozen=True)
class SeriesPage:
    """One page of a query's series in `build_series` order, and how many series there are in all."""

    series: list[Series]
    total: int
    more: bool = False  # series remain after this page


def series_page(session: Session, query: SeriesQuery, offset: int, limit: int) -> SeriesPage:
    """The series `build_series(session, query)[offset:offset + limit]` gives, reading the facts of
    those series alone: the keys are counted and ranked in SQL (the API's pages of a broad query)."""
    selection = selection_for(query)
    with gc_paused():
        ranked = _ranked(session, selection)
        shown = ranked[max(0, offset) : max(0, offset) + max(0, limit)]
        more = max(0, offset) + len(shown) < len(ranked)
        return SeriesPage(series_of_keys(session, selection, [s.key for s in shown]), len(ranked), more)


def series_budget_page(session: Session, query: SeriesQuery, page: int, per_page: int, statements: int) -> SeriesPage:
    """Page `page` (from 1) of `build_series(session, query)` cut into pages of whole series: each
    page takes the next series in order while it holds at most `per_page` series and `statements`
    statements, and at least one series (which alone may hold more). Pages are worked out from the
    series' sizes counted in SQL; only the page's series are read."""
    selection = selection_for(query)
    with gc_paused():
        ranked = _ranked(session, selection)
        start, number = 0, 1
        while True:
            end = start + 1
            held = ranked[start].statements if start < len(ranked) else 0
            while end < len(ranked) and end - start < per_page and held + ranked[end].statements <= statements:
                held += ranked[end].statements
                end += 1
            end = min(end, len(ranked))
            if number >= page or end >= len(ranked):
                break
            start, number = end, number + 1
        if number < page:  # past the last page: nothing
            return SeriesPage([], len(ranked), False)
        shown = ranked[start:end]
        return SeriesPage(series_of_keys(session, selection, [s.key for s in shown]), len(ranked), end < len(ranked))


def _ranked(session: Session, selection: FactSelection) -> list[SeriesSize]:
    """The series keys of `selection` in `build_series` order, with their sizes counted in SQL."""
    return sorted(
        (s for s in series_sizes(session, selection) if s.periods),  # facts without a period make no series
        key=lambda s: series_rank(s.periods, s.key),
    )


def series_of_keys(session: Session, selection: FactSelection, keys: Sequence[tuple[str | None, ...]]) -> list[Series]:
    """The series of `keys` among the facts of `selection`, in the order of `series_from_records`."""
    return series_from_statements(select_statements(session, selection, keys))


def series_rank(periods: int, key: Sequence[str | None]) -> tuple[Any, ...]:
    """Where a series comes in a list of series: longest first, then by key."""
    return (-periods, tuple("" if v is None else v for v in key))


def longest_series(session: Session, selection: FactSelection, limit: int) -> list[SeriesSize]:
    """The first `limit` series keys of `selection` in the order `series_from_records` gives."""
    return sorted(series_sizes(session, selection), key=lambda s: series_rank(s.periods, s.key))[: max(0, limit)]


def json_number(value: float) -> float | int:
    """1026000.0 prints as 1026000; other values keep ten decimals at most."""
    if value == int(value) and abs(value) < 1e18:
        return int(value)
    return round(value, 10)


@cache
def period_order(text: str) -> tuple[Any, ...]:
    try:
        p = Period.parse(text)
    except ValueError:
        return (1, text)
    return (0, p.start, p.end, text)
