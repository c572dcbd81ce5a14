"""Read facts back with everything analysis needs: the fact, its document or dataset, and
which original document it duplicates, in one indexed query.

`select_facts` serves series, checks, price assessments and concentration alike; it never
writes. Analysis code works on `StoredFactRecord`, never on ORM rows.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, Final, TypeVar
from urllib.parse import urlsplit

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Connection,
    Select,
    String,
    and_,
    case,
    distinct,
    false,
    func,
    null,
    or_,
    select,
    true,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import Session

from assay.model import Approx, Basis, Fact
from assay.store.documents import superseded_document_ids
from assay.store.price_products import KeyExtent as KeyExtent  # it lived here before the table
from assay.store.price_products import as_day as _day
from assay.store.schema import DatasetRow, DocumentRow, FactRow

T = TypeVar("T")

# Hosts whose statements are a government's own figures (customs, ministries).
OFFICIAL_HOST_SUFFIXES = (".gov.cn", ".gov", ".gov.uk", ".europa.eu", "usgs.gov")


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


def frozen_from_dict(cls: type[T], values: dict[str, Any]) -> T:
    """An instance of a frozen, non-slots dataclass `cls` whose fields are `values` (every field).

    A frozen dataclass's __init__ sets each field through object.__setattr__; the hot loops of
    series queries build several records per statement (thousands per query), and setting the
    instance dict at once is about three times faster. Tests compare with the real constructor."""
    instance = object.__new__(cls)
    object.__setattr__(instance, "__dict__", values)
    return instance


@dataclass(frozen=True)  # not slots: built with `frozen_from_dict` in select_facts
class StoredFactRecord:
    """A stored fact with its provenance, as analysis reads it."""

    id: int
    fact: Fact
    document_id: int | None
    dataset_id: int | None
    dataset: str | None  # dataset name for reference data
    dataset_kind: str | None
    official: bool
    published: str | None  # the document's (or dataset's) publication date
    url: str | None
    source_name: str | None
    origin_id: int | None  # the document this one duplicates, followed to the first; else its own id

    @property
    def doc(self) -> str | None:
        return self.fact.doc if self.document_id is not None else None

    @property
    def independence_key(self) -> str:
        """Facts with the same key come from one source (a document and its copies, or a publisher)."""
        if self.dataset_id is not None:
            return f"dataset:{self.dataset_kind or self.dataset}"
        return f"doc:{self.origin_id}"


def is_official_url(url: str | None) -> bool:
    if not url:
        return False
    host = (urlsplit(url).hostname or "").lower()
    return any(host == suffix.lstrip(".") or host.endswith(suffix) for suffix in OFFICIAL_HOST_SUFFIXES)


# Only the facts columns analysis reads, in the order of the SQLite covering index (schema.py), so
# a series query reads index pages alone; documents and datasets are looked up once per query.
_COLUMNS = (
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
FACT_ROW_FIELDS = (*(column.key for column in _COLUMNS), "period_start")
_IN_CHUNK = 2000  # ids per IN (...) list: well under SQLite's (32,766) and PostgreSQL's bound-parameter limits


_KEY_COLUMNS = (  # a full series key, in the order of `SeriesKey` (analyze/series.py)
    *(FactRow.commodity, FactRow.form, FactRow.metric, FactRow.geo),
    *(FactRow.partner, FactRow.share_of, FactRow.unit),
)


def _key_condition(key: tuple[str | None, ...]) -> ColumnElement[bool]:
    return and_(*(column.is_(None) if v is None else column == v for column, v in zip(_KEY_COLUMNS, key, strict=True)))


def _statement(selection: FactSelection) -> Select[*tuple[Any, ...]]:
    stmt = select(*_COLUMNS).where(*_conditions(selection)).order_by(FactRow.period_start, FactRow.id)
    if selection.limit is not None:
        stmt = stmt.limit(selection.limit)
    return stmt


def _conditions(selection: FactSelection) -> list[ColumnElement[bool]]:
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
        select(*_KEY_COLUMNS, *counts).where(*_conditions(chosen)).group_by(*grouping, FactRow.unit)
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
    stmt = select(FactRow.period, FactRow.unit, FactRow.partner).where(*_conditions(selection)).distinct()
    return [(str(period), str(unit), partner) for period, unit, partner in session.connection().execute(stmt)]


def latest_end_by_form(session: Session, selection: FactSelection) -> dict[str | None, date]:
    """The last day of the latest period per form among the facts `selection` reads (one query)."""
    stmt = select(FactRow.form, func.max(FactRow.period_end)).where(*_conditions(selection)).group_by(FactRow.form)
    return {form: _day(end) for form, end in session.connection().execute(stmt) if end is not None}


def latest_periods(session: Session, selection: FactSelection, n: int) -> list[tuple[str, date, date]]:
    """The `n` latest distinct periods (period, first day, last day) among the facts `selection`
    reads, latest first (by last day, then by period): a chart's recent window without its history."""
    stmt = (
        select(FactRow.period, FactRow.period_start, FactRow.period_end)
        .where(*_conditions(selection))
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
    stmt = select(*_KEY_COLUMNS, *aggregates).where(*_conditions(selection)).group_by(*grouping, FactRow.unit)
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


# a fact row as `fact_rows_in_ranges` reads it: the columns of `_COLUMNS`, then the period's days
FACT_ROW_START, FACT_ROW_END = len(_COLUMNS), len(_COLUMNS) + 1


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
    session: Session, selection: FactSelection, ranges: Sequence[StartRange], columns: Sequence[Any] = _COLUMNS
) -> list[Any]:
    """The facts `selection` reads within any of `ranges`, as plain rows (`columns`, by default
    `_COLUMNS`, the id first; then period_start and period_end as days), ordered by period start
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
    where = _conditions(selection)
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
        for row in _plain_rows(connection, stmt):
            first, last = row[start], row[start + 1]
            first = days.get(first) or days.setdefault(first, _day(first))
            last = days.get(last) or days.setdefault(last, _day(last))
            rows.append((*row[:start], first, last))
    rows.sort(key=lambda row: (row[start], row[0]))
    return rows


_BRANCHES = 200


def fact_values(session: Session, selection: FactSelection) -> list[tuple[str, date, float, float | None, str]]:
    """(period, its last day, value, high value, unit) of the facts `selection` reads, unordered:
    what a price history needs of each quote, without a record per quote."""
    columns = (FactRow.period, FactRow.period_end, FactRow.value, FactRow.value_high, FactRow.unit)
    return [
        (str(period), _day(end), value, value_high, str(unit))
        for period, end, value, value_high, unit in session.connection().execute(
            select(*columns).where(*_conditions(selection))
        )
    ]


def records_of_rows(session: Session, rows: Sequence[Any]) -> list[StoredFactRecord]:
    """Records (with provenance, looked up once per document) of rows `fact_rows_in_ranges` read."""
    with gc_paused():
        return _records(session.connection(), [row[:FACT_ROW_START] for row in rows])


def records_of_ids(session: Session, fact_ids: Iterable[int]) -> list[StoredFactRecord]:
    """The records (with provenance, looked up once per document) of these facts, in no order."""
    connection = session.connection()
    with gc_paused():
        rows = [
            row
            for chunk in _chunks(set(fact_ids))
            for row in _plain_rows(connection, select(*_COLUMNS).where(FactRow.id.in_(chunk)))
        ]
        return _records(connection, rows)


_BASIS = {b.value: b for b in Basis}
_APPROX = {a.value: a for a in Approx}


@dataclass(frozen=True, slots=True)
class _Provenance:
    """What a fact's document or dataset contributes to its record."""

    name: str | None
    published: str | None
    url: str | None
    source_name: str | None
    official: bool
    origin: int | None
    kind: str | None = None  # datasets only


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    ordered = sorted(ids)
    for i in range(0, len(ordered), _IN_CHUNK):
        yield ordered[i : i + _IN_CHUNK]


def _document_provenance(connection: Connection, document_ids: set[int]) -> dict[int, _Provenance]:
    """The documents of a query's facts, read once each (not joined once per fact)."""
    columns = (
        DocumentRow.id,
        DocumentRow.name,
        DocumentRow.published,
        DocumentRow.url,
        DocumentRow.source_name,
        DocumentRow.duplicate_of,
    )
    rows = [
        row
        for chunk in _chunks(document_ids)
        for row in connection.execute(select(*columns).where(DocumentRow.id.in_(chunk))).all()
    ]
    parent: dict[int, int | None] = {row[0]: row[5] for row in rows}
    origin_of = _follow(connection, parent) if any(row[5] is not None for row in rows) else {}
    official_url: dict[str | None, bool] = {}
    out: dict[int, _Provenance] = {}
    for doc_id, name, published, url, source_name, _ in rows:
        if url not in official_url:
            official_url[url] = is_official_url(url)
        out[doc_id] = _Provenance(name, published, url, source_name, official_url[url], origin_of.get(doc_id, doc_id))
    return out


def _dataset_provenance(connection: Connection, dataset_ids: set[int]) -> dict[int, _Provenance]:
    out: dict[int, _Provenance] = {}
    for chunk in _chunks(dataset_ids):
        stmt = select(DatasetRow.id, DatasetRow.name, DatasetRow.kind, DatasetRow.published, DatasetRow.official)
        for dataset_id, name, kind, published, official in connection.execute(
            stmt.where(DatasetRow.id.in_(chunk))
        ).all():
            out[dataset_id] = _Provenance(name, published, None, kind, bool(official), None, kind)
    return out


def select_facts(session: Session, selection: FactSelection) -> list[StoredFactRecord]:
    """The facts matching `selection`, ordered by period start, with their provenance."""
    # Core rows on the session's connection: no ORM entity or row processing per fact
    with gc_paused():
        connection = session.connection()
        return _records(connection, connection.execute(_statement(selection)).all())


# what `fact_rows(..., with_documents=True)` adds after `FACT_ROW_FIELDS`: the document's columns
# consensus weighs (publication day, the document it duplicates), None for a fact of no document
FACT_ROW_PUBLISHED, FACT_ROW_DUPLICATE_OF = len(FACT_ROW_FIELDS), len(FACT_ROW_FIELDS) + 1


@contextmanager
def fact_rows(
    session: Session,
    selection: FactSelection,
    batch: int = 1000,
    stream: bool = True,
    with_documents: bool = False,
    spread_groups_only: bool = False,
) -> Iterator[Iterator[Sequence[Any]]]:
    """The facts matching `selection` as plain rows (columns `FACT_ROW_FIELDS`, then with
    `with_documents` the document's publication day and `duplicate_of`, looked up in the query),
    ordered by period start then id, without records: for queries that judge many facts and show
    a few (`records_from_rows` builds the records of the few).

    `stream`: ordered in SQL and read as they are consumed (a server-side cursor on PostgreSQL),
    a quarter of `batch` first, then more up to `batch` at a time, for a reader that may stop
    early. Otherwise every row is read unordered and sorted here as the database would sort them:
    asked for an order, PostgreSQL's planner may walk an index in that order and visit the heap row
    of every fact of the commodity, where an unordered read seeks only the facts selected.

    `spread_groups_only`: only the facts of a group of one series key and period (a period
    stated) whose statements do not all overlap, or with a negative value: the groups where
    sources may contradict (`_spread_groups`); the others never leave the database."""
    start = type_coerce(FactRow.period_start, String).label("period_start")
    stmt = _statement(selection).add_columns(start)
    if with_documents:  # looked up per fact (a seek each): a join made PostgreSQL hash every document first
        stmt = stmt.add_columns(
            *(select(column).where(DocumentRow.id == FactRow.document_id).scalar_subquery().label(column.key)
              for column in (DocumentRow.published, DocumentRow.duplicate_of))
        )  # fmt: skip
    sqlite = session.get_bind().dialect.name == "sqlite"
    if not stream:
        stmt = stmt.order_by(None)
    if spread_groups_only:
        stmt = _spread_groups(stmt, sqlite)
    # a server-side cursor on PostgreSQL for this statement alone (Connection.execution_options would stay set)
    server_side = stream and not sqlite
    result = session.connection().execute(stmt.execution_options(stream_results=server_side, max_row_buffer=batch))
    at = len(FACT_ROW_FIELDS) - 1  # the period's first day
    try:
        if stream:  # PostgreSQL's cursor, or sqlite3 stepping through the rows, fetches only what is asked
            yield _fetched(result if server_side else result.cursor, batch)
        else:  # the driver's own tuples: plain columns only (text, numbers, the day as given)
            rows = list(result.cursor.fetchall())
            rows.sort(key=lambda r: ((r[at] is None) != sqlite, r[at] or "", r[0]))  # SQLite sorts a NULL first
            yield iter(rows)
    finally:
        result.close()


def _spread_groups(stmt: Select[Any], sqlite: bool) -> Select[Any]:
    """`stmt` (facts columns) cut to the facts of groups of one series key and period where some
    statement lies wholly above another (the lowest upper end, an over-bound having none, is
    below the highest lower end, an under-bound having none), or where a value is negative. When
    every statement overlaps every other, all hold the span between those two ends, so no two
    sources can be apart by any tolerance. One window pass in SQL gives each fact its group's ends.

    On SQLite the window sorts only the ids and values, and the facts kept are then read by id
    (sorting whole rows, quotes included, cost more than the rest); PostgreSQL sorts whole rows
    cheaply, and a join back by id could make it scan every fact."""
    lower = case((FactRow.approx == Approx.UNDER.value, null()), else_=FactRow.value)
    upper = case((FactRow.approx == Approx.OVER.value, null()), else_=func.coalesce(FactRow.value_high, FactRow.value))
    group = (*_KEY_COLUMNS, FactRow.period)
    spread = (
        func.count().over(partition_by=group).label("in_group"),
        func.max(lower).over(partition_by=group).label("highest_lower"),
        func.min(upper).over(partition_by=group).label("lowest_upper"),
        func.min(FactRow.value).over(partition_by=group).label("lowest_value"),
        func.min(FactRow.value_high).over(partition_by=group).label("lowest_high"),
    )
    stated = (FactRow.period.is_not(None), FactRow.period != "")
    if sqlite:
        selected = stmt.whereclause if stmt.whereclause is not None else true()
        ends = select(FactRow.id.label("spread_id"), *spread).where(selected, *stated).subquery()
        return stmt.join(ends, FactRow.id == ends.c.spread_id).where(*_spread(ends))
    inner = stmt.add_columns(*spread).where(*stated).subquery()
    return select(*(inner.c[column.name] for column in stmt.selected_columns)).where(*_spread(inner))


def _spread(ends: Any) -> tuple[ColumnElement[bool], ...]:
    return (
        ends.c.in_group > 1,
        or_(ends.c.lowest_upper < ends.c.highest_lower, ends.c.lowest_value < 0, ends.c.lowest_high < 0),
    )


def _fetched(cursor: Any, batch: int) -> Iterator[Sequence[Any]]:
    """A DB-API cursor's rows, a quarter of `batch` first (a reader that stops early reads little), then more."""
    size = max(1, batch // 4)
    while part := cursor.fetchmany(size):
        yield from part
        size = min(batch, size * 2)


def dataset_origins(session: Session, dataset_ids: set[int]) -> dict[int, tuple[str | None, str]]:
    """Per dataset, its publication day and its publisher as consensus names a source ("dataset:" and
    its kind, else its name), as `StoredFactRecord` and `consensus.weighed` give them."""
    found = _dataset_provenance(session.connection(), dataset_ids)
    return {dataset_id: (p.published, f"dataset:{p.kind or p.name}") for dataset_id, p in found.items()}


def records_from_rows(session: Session, rows: Sequence[Sequence[Any]]) -> list[StoredFactRecord]:
    """The records of rows `fact_rows` gave (in their order), their provenance read for these alone."""
    with gc_paused():
        return _records(session.connection(), rows)


def _records(connection: Connection, rows: Sequence[Sequence[Any]]) -> list[StoredFactRecord]:
    """A record per row (`_COLUMNS` first), the documents and datasets looked up once each."""
    documents = _document_provenance(connection, {row[1] for row in rows if row[1] is not None})
    datasets = _dataset_provenance(connection, {row[2] for row in rows if row[2] is not None})
    unknown = _Provenance(None, None, None, None, False, None)
    out: list[StoredFactRecord] = []
    append = out.append
    for row in rows:
        # positional unpacking, in _COLUMNS order: the hot loop of every series query
        (fact_id, document_id, dataset_id, commodity, form, metric, geo, partner, share_of, period, value,
         value_high, unit, basis, approx, quote, span_start, span_end, rule, rule_version, *_) = row  # fmt: skip
        dataset = datasets.get(dataset_id, unknown) if dataset_id is not None else unknown
        dataset_name, dataset_kind = dataset.name, dataset.kind
        if document_id is not None:
            document = documents.get(document_id) or _Provenance(None, None, None, None, False, document_id)
            name = document.name or ""  # never empty: documents.name is required
            published, url, source_name = document.published, document.url, document.source_name
            official, origin = document.official, document.origin
        else:
            name = dataset_name or f"fact-{fact_id}"
            published, url, source_name, origin, official = (
                dataset.published,
                None,
                dataset_kind,
                None,
                dataset.official,
            )
        fact = Fact(
            name, commodity, metric, geo, period, value, unit, _BASIS[basis], quote, span_start, span_end, partner,
            share_of, value_high, form, _APPROX[approx] if approx else None, rule, rule_version,
        )  # fmt: skip
        append(
            frozen_from_dict(
                StoredFactRecord,
                {
                    "id": fact_id,
                    "fact": fact,
                    "document_id": document_id,
                    "dataset_id": dataset_id,
                    "dataset": dataset_name,
                    "dataset_kind": dataset_kind,
                    "official": official,
                    "published": published,
                    "url": url,
                    "source_name": source_name,
                    "origin_id": origin,
                },
            )
        )
    return out


# What a series query reads of each statement, by position: the plain tuples `select_statements`
# returns. The document's columns come from a join (one lookup per statement inside the query, where
# reading the documents afterwards took one more query per 2,000 and a Python object per document).
STATEMENT_COLUMNS = (
    *_KEY_COLUMNS,  # 0-6: the series key
    FactRow.period,  # 7
    FactRow.id,  # 8
    FactRow.value,  # 9
    FactRow.value_high,  # 10
    FactRow.basis,  # 11: its stored text
    FactRow.quote,  # 12
    FactRow.document_id,  # 13
    FactRow.dataset_id,  # 14
    DocumentRow.name,  # 15
    DocumentRow.published,  # 16
    DocumentRow.url,  # 17
    DocumentRow.duplicate_of,  # 18
)
S_UNIT: Final = 6
S_PERIOD: Final = 7
S_ID: Final = 8
S_VALUE: Final = 9
S_VALUE_HIGH: Final = 10
S_BASIS: Final = 11
S_QUOTE: Final = 12
S_DOCUMENT: Final = 13
S_DATASET: Final = 14
S_DOC_NAME: Final = 15
S_PUBLISHED: Final = 16
S_URL: Final = 17
S_DUPLICATE_OF: Final = 18

# Where a statement comes from, as series show and weigh it, by position:
#   (doc name or None, dataset name or None, url, official, published, origin)
# `origin` makes statements one source: a document's original, or "dataset:" and its publisher.
Provenance = tuple[str | None, str | None, str | None, bool, str | None, object]
P_PUBLISHED: Final = 4
P_ORIGIN: Final = 5


@dataclass(frozen=True, slots=True)
class Statements:
    """The statements a selection reads, as plain tuples (`STATEMENT_COLUMNS`), and where each comes
    from: `provenance[document_id]` for a statement of a document (or of neither), and
    `provenance[document_id, dataset_id]` for one of a dataset, worked out once per document."""

    rows: Sequence[Sequence[Any]]
    provenance: dict[object, Provenance]


def select_statements(
    session: Session, selection: FactSelection, keys: Sequence[tuple[str | None, ...]] | None = None
) -> Statements:
    """The statements of `selection` as plain tuples, in no particular order (a series groups them
    itself; sorting tens of thousands of rows in SQL cost more than the rest of the query).

    With `keys`, only those series keys, one query per (commodity, metric, geo, partner): each seeks
    its own range of the series index, where one query with every key would scan all the facts the
    selection's columns match; keys that differ only after those columns (a price's forms) share a
    range, which one query reads once."""
    connection = session.connection()
    stmt = select(*STATEMENT_COLUMNS).outerjoin(DocumentRow, DocumentRow.id == FactRow.document_id)
    rows = [
        row
        for chosen in _key_ranges(selection, keys)
        for row in _plain_rows(connection, stmt.where(*_conditions(chosen)))
    ]
    links = {row[S_DOCUMENT]: row[S_DUPLICATE_OF] for row in rows if row[S_DUPLICATE_OF] is not None}
    originals = {doc: first for doc, first in _follow(connection, links).items() if doc != first} if links else {}
    dataset_ids = {row[S_DATASET] for row in rows if row[S_DATASET] is not None}
    datasets = _dataset_provenance(connection, dataset_ids) if dataset_ids else {}
    return Statements(rows, _provenance(rows, originals, datasets))


def _key_ranges(selection: FactSelection, keys: Sequence[tuple[str | None, ...]] | None) -> list[FactSelection]:
    """`selection` cut to `keys`, one selection per (commodity, metric, geo, partner) they name
    (each a range of the series index); `selection` itself without keys."""
    if keys is None:
        return [selection]
    ranges: dict[tuple[str | None, ...], list[tuple[str | None, ...]]] = {}
    for key in keys:  # commodity, form, metric, geo, partner, share_of, unit: the index's first four
        ranges.setdefault((key[0], key[2], key[3], key[4]), []).append(key)
    return [replace(selection, keys=tuple(shared)) for shared in ranges.values()]


def _plain_rows(
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


def _provenance(
    rows: Sequence[Sequence[Any]], originals: dict[int, int], datasets: dict[int, _Provenance]
) -> dict[object, Provenance]:
    """Each document's (or document and dataset's) provenance, as `Statements.provenance` holds it."""
    out: dict[object, Provenance] = {}
    official_url: dict[str | None, bool] = {}
    unknown = _Provenance(None, None, None, None, False, None)
    for row in rows:
        document_id, dataset_id = row[S_DOCUMENT], row[S_DATASET]
        key: object = document_id if dataset_id is None else (document_id, dataset_id)
        if key in out:
            continue
        dataset = datasets.get(dataset_id, unknown) if dataset_id is not None else unknown
        origin: object = f"dataset:{dataset.kind or dataset.name}" if dataset_id is not None else None
        if document_id is None:  # reference data, or (never stored so) a fact of neither
            out[key] = (None, dataset.name, None, dataset.official, dataset.published, origin)
            continue
        url = row[S_URL]
        official = official_url.get(url)
        if official is None:
            official = official_url[url] = is_official_url(url)
        if dataset_id is None:
            origin = originals.get(document_id, document_id)
        out[key] = (row[S_DOC_NAME] or "", dataset.name, url, official, row[S_PUBLISHED], origin)
    return out


# What consensus weighs of a statement, by position: the facts' own columns of STATEMENT_COLUMNS
# (0-14, the same places), no document's column: a broad query's thousands of statements each
# joined their document (on PostgreSQL, a hash of the whole documents table per query).
VALUE_COLUMNS = STATEMENT_COLUMNS[:S_DOC_NAME]


@dataclass(frozen=True, slots=True)
class StatementValues:
    """The statements a selection reads, as plain tuples (`VALUE_COLUMNS`), and what makes them
    one source, as `Provenance` has it: a document's original (`originals`, for the documents
    that duplicate another; any other is its own) or a dataset's publisher (`dataset_origins`,
    "dataset:" and its kind or name); and the datasets' publication dates. A document's date is
    read when needed (`published_dates`)."""

    rows: Sequence[Sequence[Any]]
    originals: dict[int, int]
    dataset_origins: dict[int, str]
    dataset_published: dict[int, str | None]


def select_statement_values(
    session: Session, selection: FactSelection, keys: Sequence[tuple[str | None, ...]] | None = None
) -> StatementValues:
    """`select_statements` without the documents' columns: what a statement's value and its
    independence need, for a chart of consensus values (no source shown). Read as
    `select_statements` reads, one query per range of `keys`; the duplicates among the
    statements' documents are looked up once, not joined per statement."""
    connection = session.connection()
    stmt = select(*VALUE_COLUMNS)
    rows = [
        row
        for chosen in _key_ranges(selection, keys)
        for row in _plain_rows(connection, stmt.where(*_conditions(chosen)))
    ]
    originals = _originals(connection, {row[S_DOCUMENT] for row in rows if row[S_DOCUMENT] is not None})
    dataset_ids = {row[S_DATASET] for row in rows if row[S_DATASET] is not None}
    datasets = _dataset_provenance(connection, dataset_ids) if dataset_ids else {}
    unknown = _Provenance(None, None, None, None, False, None)  # as `_provenance` names a dataset not found
    found = {i: datasets.get(i, unknown) for i in dataset_ids}
    return StatementValues(
        rows,
        originals,
        {i: f"dataset:{d.kind or d.name}" for i, d in found.items()},
        {i: d.published for i, d in found.items()},
    )


def published_dates(session: Session, document_ids: Iterable[int]) -> dict[int, str | None]:
    """The publication date of each of these documents (those stored)."""
    connection = session.connection()
    return {
        doc_id: published
        for chunk in _chunks(set(document_ids))
        for doc_id, published in connection.execute(
            select(DocumentRow.id, DocumentRow.published).where(DocumentRow.id.in_(chunk))
        )
    }


def _originals(connection: Connection, document_ids: set[int]) -> dict[int, int]:
    """The original of each of these documents that duplicates another (`_follow`). Up to
    `_IN_CHUNK` documents are looked up by id; for more, every duplicate's link is read from
    the `duplicate_of` index at once (a few percent of the documents, fewer rows than looking
    up thousands of documents one by one)."""
    if not document_ids:
        return {}
    if len(document_ids) > _IN_CHUNK:
        known = select(DocumentRow.id, DocumentRow.duplicate_of).where(DocumentRow.duplicate_of.is_not(None))
        every_link: dict[int, int | None] = {row[0]: row[1] for row in _plain_rows(connection, known)}
        firsts = _chains(every_link, document_ids)  # every link known: no lookup left
    else:
        stmt = select(DocumentRow.id, DocumentRow.duplicate_of).where(
            DocumentRow.id.in_(sorted(document_ids)), DocumentRow.duplicate_of.is_not(None)
        )
        firsts = _follow(connection, {doc_id: dup for doc_id, dup in connection.execute(stmt)})
    return {doc_id: first for doc_id, first in firsts.items() if doc_id in document_ids and doc_id != first}


def _follow(connection: Connection, parent: dict[int, int | None]) -> dict[int, int]:
    """Each document's original, following `duplicate_of` to the first document (cycles stop);
    `parent` holds the links already read and gains the ones looked up."""
    pending = {dup for dup in parent.values() if dup is not None and dup not in parent}
    while pending:
        found: set[int] = set()
        for chunk in _chunks(pending):
            for doc_id, dup in connection.execute(
                select(DocumentRow.id, DocumentRow.duplicate_of).where(DocumentRow.id.in_(chunk))
            ):
                parent[doc_id] = dup
                found.add(doc_id)
        for doc_id in pending - found:  # a dangling link: the document is its own original
            parent[doc_id] = None
        pending = {dup for dup in parent.values() if dup is not None and dup not in parent}
    return _chains(parent, parent)


def _chains(parent: dict[int, int | None], documents: Iterable[int]) -> dict[int, int]:
    """The first document of each of `documents`, following `parent` (a document it lacks is
    an original; cycles stop)."""
    out: dict[int, int] = {}
    for doc_id in documents:
        seen = [doc_id]
        current = parent.get(doc_id)
        while current is not None and current not in seen:
            seen.append(current)
            current = parent.get(current)
        out[doc_id] = seen[-1]
    return out


def origins(session: Session, document_ids: Iterable[int]) -> dict[int, int]:
    """Each document's original: follows `duplicate_of` to the first document (cycles stop)."""
    connection = session.connection()
    parent: dict[int, int | None] = {}
    for chunk in _chunks(set(document_ids)):
        for doc_id, dup in connection.execute(
            select(DocumentRow.id, DocumentRow.duplicate_of).where(DocumentRow.id.in_(chunk))
        ):
            parent[doc_id] = dup
    return _follow(connection, parent)


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
