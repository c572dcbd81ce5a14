"""Select facts by series key, and count what broad queries need in SQL: a `FactSelection`, its
conditions on the series index, series sizes, latest periods, key extents, the price board's
recent quotes and distinct values. Records with provenance are built in `store.records`, plain
statement tuples in `store.statements`.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Connection,
    Select,
    and_,
    distinct,
    false,
    func,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from assay.store.documents import superseded_document_ids
from assay.store.price_products import KeyExtent
from assay.store.price_products import as_day as _day
from assay.store.schema import DatasetRow, DocumentRow, FactRow


@dataclass(frozen=True, slots=True)
class FactSelection:
    """Which facts to read; a field left None does not filter."""

    commodity: str | None = None
    commodities: tuple[str, ...] = ()  # any of these (when commodity is None)
    metric: str | None = None
    metrics: tuple[str, ...] = ()  # any of these (when metric is None)
    geo: str | None = None
    partner: str | None = None
    partner_is_null: bool = False  # only facts without a partner (totals, not flows to one country)
    form: str | None = None
    unit: str | None = None
    share_of: str | None = None
    starts_on_or_after: date | None = None
    ends_on_or_before: date | None = None
    with_period_only: bool = True
    dataset_kind: str | None = None
    limit: int | None = None
    after_fact_id: int | None = None  # only facts stored after this one (watch rules, digests)
    stored_since: datetime | None = None  # only facts of original documents stored at or after (naive UTC)
    period: str | None = None  # only this period, exactly
    period_length: int | None = None  # only periods written with this many characters (4: years, 7: months)
    # only these full series keys (commodity, form, metric, geo, partner, share_of, unit), when given
    keys: tuple[tuple[str | None, ...], ...] | None = None


def documents_stored_since(moment: datetime) -> Select[Any]:
    """The ids of original documents (not duplicates) stored at or after `moment`, as a subquery."""
    return select(DocumentRow.id).where(DocumentRow.fetched_at >= moment, DocumentRow.duplicate_of.is_(None))


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a query builds its records.

    A broad series query allocates hundreds of thousands of small acyclic objects; each
    allocation burst triggers collections that walk every live object (a quarter of the time).
    Reference counting frees them all the same. The collector is re-enabled only if it was on."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# Only the facts columns analysis reads, in the order of the SQLite covering index (schema.py), so
# a series query reads index pages alone; documents and datasets are looked up once per query.
FACT_COLUMNS = (
    FactRow.id,
    FactRow.document_id,
    FactRow.dataset_id,
    FactRow.commodity,
    FactRow.form,
    FactRow.metric,
    FactRow.geo,
    FactRow.partner,
    FactRow.share_of,
    FactRow.period,
    FactRow.value,
    FactRow.value_high,
    FactRow.unit,
    FactRow.basis,
    FactRow.approx,
    FactRow.quote,
    FactRow.span_start,
    FactRow.span_end,
    FactRow.rule,
    FactRow.rule_version,
)
# the columns of `fact_rows`, in order (the day a period starts as the database gives it, unparsed)
FACT_ROW_FIELDS = (*(column.key for column in FACT_COLUMNS), "period_start")
IN_CHUNK = 2000  # ids per IN (...) list: well under SQLite's (32,766) and PostgreSQL's bound-parameter limits


KEY_COLUMNS = (  # a full series key, in the order of `SeriesKey` (analyze/series.py)
    *(FactRow.commodity, FactRow.form, FactRow.metric, FactRow.geo),
    *(FactRow.partner, FactRow.share_of, FactRow.unit),
)


def _key_condition(key: tuple[str | None, ...]) -> ColumnElement[bool]:
    return and_(*(column.is_(None) if v is None else column == v for column, v in zip(KEY_COLUMNS, key, strict=True)))


def fact_select(selection: FactSelection) -> Select[*tuple[Any, ...]]:
    stmt = select(*FACT_COLUMNS).where(*selection_conditions(selection)).order_by(FactRow.period_start, FactRow.id)
    if selection.limit is not None:
        stmt = stmt.limit(selection.limit)
    return stmt


def selection_conditions(selection: FactSelection) -> list[ColumnElement[bool]]:
    """The conditions of `selection` (every reader of facts for analysis shares them)."""
    # facts of a superseded document version are history, not evidence (NOT IN over the few superseded ids)
    where = [or_(FactRow.document_id.is_(None), FactRow.document_id.not_in(superseded_document_ids()))]
    if selection.commodity is not None:
        where.append(FactRow.commodity == selection.commodity)
    elif selection.commodities:
        where.append(FactRow.commodity.in_(selection.commodities))
    if selection.metric is not None:
        where.append(FactRow.metric == selection.metric)
    elif selection.metrics:
        where.append(FactRow.metric.in_(selection.metrics))
    for column, wanted in (
        (FactRow.geo, selection.geo),
        (FactRow.partner, selection.partner),
        (FactRow.form, selection.form),
        (FactRow.unit, selection.unit),
        (FactRow.share_of, selection.share_of),
    ):
        if wanted is not None:
            where.append(column == wanted)
    if selection.partner_is_null:
        where.append(FactRow.partner.is_(None))
    if selection.with_period_only:
        where.append(FactRow.period_start.is_not(None))
    if selection.starts_on_or_after is not None:
        where.append(FactRow.period_start >= selection.starts_on_or_after)
    if selection.ends_on_or_before is not None:
        where.append(FactRow.period_end <= selection.ends_on_or_before)
        # implied (a period starts before it ends), but it bounds an index range on period_start
        where.append(FactRow.period_start <= selection.ends_on_or_before)
    if selection.dataset_kind is not None:
        where.append(FactRow.dataset_id.in_(select(DatasetRow.id).where(DatasetRow.kind == selection.dataset_kind)))
    if selection.after_fact_id is not None:
        where.append(FactRow.id > selection.after_fact_id)
    if selection.stored_since is not None:
        where.append(FactRow.document_id.in_(documents_stored_since(selection.stored_since)))
    if selection.period is not None:
        where.append(FactRow.period == selection.period)
    if selection.period_length is not None:
        where.append(func.length(FactRow.period) == selection.period_length)
    if selection.keys is not None:
        where.append(or_(false(), *(_key_condition(key) for key in selection.keys)))
    return where


@dataclass(frozen=True, slots=True)
class SeriesSize:
    """One full series key among the facts a selection reads, and how many periods it has."""

    key: tuple[str | None, ...]  # commodity, form, metric, geo, partner, share_of, unit
    periods: int
    statements: int


def series_sizes(session: Session, selection: FactSelection) -> list[SeriesSize]:
    """Every series key `selection` reads, with its count of distinct periods, grouped in SQL:
    a broad query picks the series it shows from these and reads the facts of those alone."""
    counts = (func.count(distinct(FactRow.period)), func.count())
    # grouped in the column order of ix_facts_metric_key, so the groups stream out of the index
    grouping = (FactRow.metric, FactRow.commodity, FactRow.geo, FactRow.partner, FactRow.form, FactRow.share_of)
    # one branch per (metric, commodity) of a selection that lists several: an index range each,
    # read in its order, where lists of both made PostgreSQL sort every entry (on disk, at 84,000)
    branches = [
        select(*KEY_COLUMNS, *counts).where(*selection_conditions(chosen)).group_by(*grouping, FactRow.unit)
        for chosen in _per_metric_and_commodity(selection)
    ]
    connection = session.connection()
    out = []
    for i in range(0, len(branches), _BRANCHES):  # SQLite allows 500 selects in one compound
        chunk = branches[i : i + _BRANCHES]
        stmt = chunk[0] if len(chunk) == 1 else union_all(*chunk)
        out += [SeriesSize(tuple(row[:7]), row[7], row[8]) for row in connection.execute(stmt)]
    return out


def _per_metric_and_commodity(selection: FactSelection) -> list[FactSelection]:
    """`selection` as one selection per metric and commodity it lists (itself when it names one or none)."""
    if not (selection.metric is None and len(selection.metrics) > 1) and not (
        selection.commodity is None and len(selection.commodities) > 1
    ):
        return [selection]
    metrics = [selection.metric] if selection.metric is not None or not selection.metrics else selection.metrics
    commodities = (
        [selection.commodity] if selection.commodity is not None or not selection.commodities else selection.commodities
    )
    return [
        replace(selection, metric=metric, metrics=(), commodity=commodity, commodities=())
        for metric in sorted(set(metrics), key=str)
        for commodity in sorted(set(commodities), key=str)
    ]


def period_unit_partners(session: Session, selection: FactSelection) -> list[tuple[str, str, str | None]]:
    """The distinct (period, unit, partner) of the facts `selection` reads."""
    stmt = select(FactRow.period, FactRow.unit, FactRow.partner).where(*selection_conditions(selection)).distinct()
    return [(str(period), str(unit), partner) for period, unit, partner in session.connection().execute(stmt)]


def latest_end_by_form(session: Session, selection: FactSelection) -> dict[str | None, date]:
    """The last day of the latest period per form among the facts `selection` reads (one query)."""
    stmt = (
        select(FactRow.form, func.max(FactRow.period_end))
        .where(*selection_conditions(selection))
        .group_by(FactRow.form)
    )
    return {form: _day(end) for form, end in session.connection().execute(stmt) if end is not None}


def latest_periods(session: Session, selection: FactSelection, n: int) -> list[tuple[str, date, date]]:
    """The `n` latest distinct periods (period, first day, last day) among the facts `selection`
    reads, latest first (by last day, then by period): a chart's recent window without its history."""
    stmt = (
        select(FactRow.period, FactRow.period_start, FactRow.period_end)
        .where(*selection_conditions(selection))
        .distinct()
        .order_by(FactRow.period_end.desc(), FactRow.period.desc())
        .limit(max(0, n))
    )
    return [(str(period), _day(start), _day(end)) for period, start, end in session.connection().execute(stmt)]


def key_extents(session: Session, selection: FactSelection) -> list[KeyExtent]:
    """Every series key `selection` reads with its extent, in one pass grouped in SQL (no count of
    distinct periods, so the groups stream out of ix_facts_metric_key without a sort)."""
    length = func.length(FactRow.period)
    aggregates = (
        *(func.count(), func.min(FactRow.period_start), func.max(FactRow.period_end)),
        *(func.min(length), func.max(length)),
    )
    grouping = (FactRow.metric, FactRow.commodity, FactRow.geo, FactRow.partner, FactRow.form, FactRow.share_of)
    stmt = select(*KEY_COLUMNS, *aggregates).where(*selection_conditions(selection)).group_by(*grouping, FactRow.unit)
    return [
        KeyExtent(tuple(row[:7]), row[7], _day(row[8]), _day(row[9]), row[10], row[11])
        for row in session.connection().execute(stmt)
        if row[9] is not None
    ]


@dataclass(frozen=True, slots=True)
class StartRange:
    """Facts of one commodity, geo and partner whose period starts on or after `since` and, when
    `before` is given, before it."""

    commodity: str
    geo: str | None
    partner: str | None
    since: date
    before: date | None = None
    forms: tuple[str, ...] | None = None  # only facts stating one of these forms, when given


# a fact row as `fact_rows_in_ranges` reads it: the columns of `FACT_COLUMNS`, then the period's days
FACT_ROW_START, FACT_ROW_END = len(FACT_COLUMNS), len(FACT_COLUMNS) + 1


# What the price board reads of each recent quote (`fact_rows_in_ranges(..., QUOTE_COLUMNS)`): the
# record of a quote in an assessment's window is read afterwards by its id (`records_of_ids`).
QUOTE_COLUMNS = (
    FactRow.id,
    FactRow.commodity,
    FactRow.form,
    FactRow.period,
    FactRow.value,
    FactRow.value_high,
    FactRow.unit,
)


def fact_rows_in_ranges(
    session: Session, selection: FactSelection, ranges: Sequence[StartRange], columns: Sequence[Any] = FACT_COLUMNS
) -> list[Any]:
    """The facts `selection` reads within any of `ranges`, as plain rows (`columns`, by default
    `FACT_COLUMNS`, the id first; then period_start and period_end as days), ordered by period start
    then id: many small windows of the store read together. The ranges of one commodity, partner
    and days make one branch of a UNION ALL (its geos an IN list), each a seek on (commodity,
    metric, geo, partner, period_start) that reads index pages alone on SQLite; an OR of every
    range would make SQLite fetch each table row, or scan every fact on a small store."""
    branches: dict[tuple[str, str | None, date, date | None, tuple[str, ...] | None], list[str | None]] = {}
    for wanted in ranges:
        branch = (wanted.commodity, wanted.partner, wanted.since, wanted.before, wanted.forms)
        branches.setdefault(branch, []).append(wanted.geo)
    start = len(columns)
    columns = (*columns, FactRow.period_start, FactRow.period_end)
    where = selection_conditions(selection)
    selects = []
    for (commodity, partner, since, before, forms), geos in branches.items():
        stated = sorted(geo for geo in geos if geo is not None)
        for geo_condition in (
            [FactRow.geo.in_(stated)] if stated else [],
            [FactRow.geo.is_(None)] if None in geos else [],
        ):
            if not geo_condition:
                continue
            condition = [
                FactRow.commodity == commodity,
                *geo_condition,
                FactRow.partner.is_(None) if partner is None else FactRow.partner == partner,
                FactRow.period_start >= since,
            ]
            if before is not None:
                condition.append(FactRow.period_start < before)
            if forms is not None:
                condition.append(FactRow.form.in_(forms))
            selects.append(select(*columns).where(*where, *condition))
    rows = []
    connection = session.connection()
    days: dict[object, date] = {}  # a day's text (SQLite) parsed once, not once per quote
    for i in range(0, len(selects), _BRANCHES):  # SQLite allows 500 selects in one compound
        chunk = selects[i : i + _BRANCHES]
        stmt = chunk[0] if len(chunk) == 1 else union_all(*chunk)
        for row in plain_rows(connection, stmt):
            first, last = row[start], row[start + 1]
            first = days.get(first) or days.setdefault(first, _day(first))
            last = days.get(last) or days.setdefault(last, _day(last))
            rows.append((*row[:start], first, last))
    rows.sort(key=itemgetter(0))  # then stably by the first day: by first day, then id, keyed in C
    rows.sort(key=itemgetter(start))
    return rows


_BRANCHES = 200


def fact_values(session: Session, selection: FactSelection) -> list[tuple[str, date, float, float | None, str]]:
    """(period, its last day, value, high value, unit) of the facts `selection` reads, unordered:
    what a price history needs of each quote, without a record per quote."""
    columns = (FactRow.period, FactRow.period_end, FactRow.value, FactRow.value_high, FactRow.unit)
    days: dict[object, date] = {}  # a day's text (SQLite) parsed once, not once per quote
    out = []
    for period, end, value, value_high, unit in plain_rows(
        session.connection(), select(*columns).where(*selection_conditions(selection))
    ):
        day = days.get(end) or days.setdefault(end, _day(end))
        out.append((str(period), day, value, value_high, str(unit)))
    return out


def stored_commodities(session: Session) -> list[str]:
    """The distinct commodities of the stored facts, sorted (`distinct_values(session, "commodity")`),
    each found by one seek in an index that starts with the commodity: PostgreSQL has no skip scan,
    and a plain DISTINCT reads every fact's index entry (about 200 ms at a million facts)."""
    stored = select(func.min(FactRow.commodity).label("commodity")).cte("stored", recursive=True)
    following = (  # ORDER BY ... LIMIT 1 rather than min(): SQLite seeks one entry for it
        select(FactRow.commodity).where(FactRow.commodity > stored.c.commodity).order_by(FactRow.commodity).limit(1)
    )
    stored = stored.union_all(select(following.scalar_subquery()).where(stored.c.commodity.is_not(None)))
    found = session.connection().execute(select(stored.c.commodity).where(stored.c.commodity.is_not(None)))
    return sorted(str(commodity) for (commodity,) in found)


def distinct_values(session: Session, column: str, commodities: Sequence[str] = ()) -> list[str]:
    """The distinct non-null values of one facts column (e.g. `metric`), for listings and `ask`."""
    col = getattr(FactRow, column)
    stmt = select(col).where(col.is_not(None)).distinct()
    if commodities:
        stmt = stmt.where(FactRow.commodity.in_(commodities))
    return sorted(str(v) for v in session.scalars(stmt))


def plain_rows(
    connection: Connection, stmt: Select[*tuple[Any, ...]] | CompoundSelect[*tuple[Any, ...]]
) -> list[Sequence[Any]]:
    """The rows of `stmt` as the driver's own tuples, without a SQLAlchemy `Row` around each (a
    third of the reading time at tens of thousands of rows). Only for columns that no dialect
    converts: integers, floats and text, which sqlite3 and psycopg give as Python values."""
    result = connection.execute(stmt)
    try:
        return list(result.cursor.fetchall())
    finally:
        result.close()
