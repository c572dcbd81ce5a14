"""Series points kept in the store: per full series key and period, the consensus that analysis
computes from the statements (value and high, spread, independent sources, statements), so that
charts and key figures read one row per point instead of every statement behind it.

Kept lazily. A writer of facts only marks the (key, period) pairs it touches stale: rows in
`series_stale`, written in its own transaction (so they commit or roll back with the facts), in
the places `price_products` learns its touched keys. The new facts of ingest's hot path are
marked from the rows in hand, with no query; a re-extraction, supersede or make_current, dataset
re-import or correction marks the pairs of the facts as stored before and after the change.

A reader of points (`analyze.points`) recomputes the stale pairs of the keys it reads, in a
transaction of its own, and deletes the marks it read by id (a mark written meanwhile stays).
Readers that recompute take a lock first, so two never write one point from different
snapshots: on SQLite the write lock (BEGIN IMMEDIATE, waiting briefly; a busy store is read the
old way), on PostgreSQL a transaction-scoped advisory lock of their own (writers of facts never
take it: ingest does not wait for readers, nor they for ingest).

Consensus is analysis, a layer above the store: this module holds the tables, the marks and the
conditions; `analyze.points` weighs the statements.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Connection, and_, delete, event, false, func, insert, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, SessionTransaction

from assay.store.price_products import as_day
from assay.store.schema import FactRow, SeriesPointRow, SeriesStaleRow

if TYPE_CHECKING:  # store.series imports store.documents, whose writers import this module
    from assay.store.series import FactSelection

Key = tuple[str | None, ...]  # commodity, form, metric, geo, partner, share_of, unit
Pair = tuple[str | None, ...]  # a key and its period (eight values)

KEY_NAMES = ("commodity", "form", "metric", "geo", "partner", "share_of", "unit")
_FACT_PAIR = (
    *(FactRow.commodity, FactRow.form, FactRow.metric, FactRow.geo),
    *(FactRow.partner, FactRow.share_of, FactRow.unit, FactRow.period),
)
_STALE_PAIR = (
    *(SeriesStaleRow.commodity, SeriesStaleRow.form, SeriesStaleRow.metric, SeriesStaleRow.geo),
    *(SeriesStaleRow.partner, SeriesStaleRow.share_of, SeriesStaleRow.unit, SeriesStaleRow.period),
)
_POINT_KEY = (
    *(SeriesPointRow.commodity, SeriesPointRow.form, SeriesPointRow.metric, SeriesPointRow.geo),
    *(SeriesPointRow.partner, SeriesPointRow.share_of, SeriesPointRow.unit),
)
_MARKED = "assay.series_points.marked"  # Session.info: this transaction marked points stale
_LOCK_ID = 0x706F_696E_7473  # pg_advisory_xact_lock's key for readers that recompute points ("points")
_IN_CHUNK = 1000


@dataclass(frozen=True, slots=True)
class SeriesPoint:
    """One period's consensus of a full series key."""

    key: Key
    period: str
    period_start: date
    period_end: date
    value: float
    value_high: float | None
    spread: float  # inf: values around a median of zero (stored as NULL)
    sources: int
    statements: int


# --- writers: mark touched pairs stale -------------------------------------------------------


def touch_rows(session: Session, rows: Sequence[Mapping[str, Any]]) -> None:
    """Mark the pairs of new fact rows (as inserted: the facts columns by name) stale."""
    pairs = {
        (r["commodity"], r["form"], r["metric"], r["geo"], r["partner"], r["share_of"], r["unit"], r["period"])
        for r in rows
        if r["period_start"] is not None
    }
    _mark(session, pairs)


def touch_documents(session: Session, document_ids: Iterable[int]) -> None:
    """Mark the pairs of these documents' facts, as stored now, stale (call it before the facts
    change, and again after when the change may add pairs)."""
    ids = sorted(set(document_ids))
    for i in range(0, len(ids), _IN_CHUNK):
        _touch_where(session, FactRow.document_id.in_(ids[i : i + _IN_CHUNK]))


def touch_dataset(session: Session, dataset_id: int) -> None:
    """Mark the pairs of a dataset's facts, as stored now, stale."""
    _touch_where(session, FactRow.dataset_id == dataset_id)


def touch_facts(session: Session, fact_ids: Iterable[int]) -> None:
    """Mark the pairs of these facts, as stored now, stale (a correction: before and after it)."""
    session.flush()  # ORM changes reach the facts first
    _touch_where(session, FactRow.id.in_(sorted(set(fact_ids))))


def marked_in_transaction(session: Session) -> bool:
    """Whether this session's open transaction marked points stale (its own writes, which another
    connection cannot see yet: its readers weigh the statements themselves)."""
    return bool(session.info.get(_MARKED))


def mark_every_pair(connection: Connection) -> None:
    """Mark every pair of the stored facts stale (a migration's backfill, or facts written around
    the store's functions): readers compute each point when they first need it."""
    pairs = select(*_FACT_PAIR).where(FactRow.period_start.is_not(None)).distinct()
    connection.execute(insert(SeriesStaleRow).from_select([c.key for c in _STALE_PAIR], pairs))


def _touch_where(session: Session, condition: ColumnElement[bool]) -> None:
    stmt = select(*_FACT_PAIR).where(condition, FactRow.period_start.is_not(None)).distinct()
    _mark(session, {tuple(row) for row in session.connection().execute(stmt)})


def _mark(session: Session, pairs: Iterable[Pair]) -> None:
    marks = [dict(zip(_MARK_NAMES, pair, strict=True)) for pair in pairs]
    if marks:
        session.connection().execute(insert(SeriesStaleRow), marks)
        session.info[_MARKED] = True


_MARK_NAMES = (*KEY_NAMES, "period")


@event.listens_for(Session, "after_commit")
def _forget_after_commit(session: Session) -> None:
    session.info.pop(_MARKED, None)


@event.listens_for(Session, "after_soft_rollback")
def _forget_after_rollback(session: Session, previous: SessionTransaction) -> None:
    if previous.parent is None:
        session.info.pop(_MARKED, None)


# --- readers: which pairs are stale, the points, and storing recomputed ones ------------------


def servable(selection: FactSelection) -> bool:
    """Whether the points answer `selection` (its conditions are on a point's key and period)."""
    return (
        selection.with_period_only
        and selection.dataset_kind is None
        and selection.limit is None
        and selection.after_fact_id is None
        and selection.stored_since is None
    )


def stale_pairs(connection: Connection, selection: FactSelection, limit: int | None = None) -> list[Pair]:
    """The pairs marked stale that `selection` may read (found by key and period text), without repeats."""
    stmt = select(*_STALE_PAIR).where(*_key_conditions(_STALE_PAIR, selection)).limit(limit)
    return _pairs(connection.execute(stmt))


def lock_point_readers(connection: Connection) -> None:
    """PostgreSQL: wait for other readers recomputing points (SQLite: they hold the write lock)."""
    if connection.dialect.name == "postgresql":
        connection.execute(select(func.pg_advisory_xact_lock(_LOCK_ID)))


def take_stale(connection: Connection, selection: FactSelection) -> list[Pair]:
    """The stale pairs `selection` may read (without repeats), their marks deleted by id: call it
    holding `lock_point_readers`, and store the recomputed points in the same transaction."""
    stmt = select(SeriesStaleRow.id, *_STALE_PAIR).where(*_key_conditions(_STALE_PAIR, selection))
    found = connection.execute(stmt).all()
    ids = [row[0] for row in found]
    for i in range(0, len(ids), _IN_CHUNK):
        connection.execute(delete(SeriesStaleRow).where(SeriesStaleRow.id.in_(ids[i : i + _IN_CHUNK])))
    return _pairs(row[1:] for row in found)


def _pairs(rows: Iterable[Sequence[Any]]) -> list[Pair]:
    return sorted({tuple(row) for row in rows}, key=lambda pair: [(v is not None, v or "") for v in pair])


def store_points(connection: Connection, pairs: Sequence[Pair], points: Sequence[SeriesPoint]) -> None:
    """Replace the points of `pairs` by `points` (a pair with no statement left has none)."""
    kept = {(*p.key, p.period) for p in points}
    gone = [pair for pair in pairs if pair not in kept]
    for i in range(0, len(gone), _IN_CHUNK):
        chunk = gone[i : i + _IN_CHUNK]
        connection.execute(
            delete(SeriesPointRow).where(
                or_(
                    false(),
                    *(and_(SeriesPointRow.series == key_text(p[:7]), SeriesPointRow.period == p[7]) for p in chunk),
                )
            )
        )
    if not points:
        return
    dialect_insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    stmt = dialect_insert(SeriesPointRow)
    stmt = stmt.on_conflict_do_update(
        index_elements=["series", "period"],
        set_={name: stmt.excluded[name] for name in _VALUE_NAMES},
    )
    for i in range(0, len(points), _IN_CHUNK):
        connection.execute(stmt, [_point_row(p) for p in points[i : i + _IN_CHUNK]])


_VALUE_NAMES = ("period_start", "period_end", "value", "value_high", "spread", "sources", "statements")


def _point_row(point: SeriesPoint) -> dict[str, Any]:
    return {
        "series": key_text(point.key),
        **dict(zip(KEY_NAMES, point.key, strict=True)),
        "period": point.period,
        "period_start": point.period_start,
        "period_end": point.period_end,
        "value": point.value,
        "value_high": point.value_high,
        "spread": None if point.spread == float("inf") else point.spread,
        "sources": point.sources,
        "statements": point.statements,
    }


def read_points(
    connection: Connection, selection: FactSelection, keys: Sequence[Key] | None = None
) -> list[SeriesPoint]:
    """The stored points of `selection` (cut to `keys` when given), in no particular order."""
    columns = (*_POINT_KEY, SeriesPointRow.period, SeriesPointRow.period_start, SeriesPointRow.period_end)
    values = (SeriesPointRow.value, SeriesPointRow.value_high, SeriesPointRow.spread)
    stmt = select(*columns, *values, SeriesPointRow.sources, SeriesPointRow.statements)
    stmt = stmt.where(*_key_conditions((*_POINT_KEY, SeriesPointRow.period), selection), *_day_conditions(selection))
    if keys is not None:
        stmt = stmt.where(SeriesPointRow.series.in_(sorted({key_text(key) for key in keys})))
    return [
        SeriesPoint(
            tuple(row[:7]),
            row[7],
            as_day(row[8]),
            as_day(row[9]),
            row[10],
            row[11],
            float("inf") if row[12] is None else row[12],
            row[13],
            row[14],
        )
        for row in connection.execute(stmt)
    ]


def key_text(key: Sequence[str | None]) -> str:
    """A full series key as one text (a point's `series`): JSON, so None and "" stay apart."""
    return json.dumps(list(key), ensure_ascii=False, separators=(",", ":"))


def _key_conditions(pair: Sequence[Any], selection: FactSelection) -> list[ColumnElement[bool]]:
    """`selection`'s conditions on a table's key and period columns (in `Pair` order), as
    `store.series.selection_conditions` puts them on the facts (days aside: see `_day_conditions`)."""
    commodity, form, metric, geo, partner, share_of, unit, period = pair
    where: list[ColumnElement[bool]] = []
    if selection.commodity is not None:
        where.append(commodity == selection.commodity)
    elif selection.commodities:
        where.append(commodity.in_(selection.commodities))
    if selection.metric is not None:
        where.append(metric == selection.metric)
    elif selection.metrics:
        where.append(metric.in_(selection.metrics))
    for column, wanted in (
        (geo, selection.geo),
        (partner, selection.partner),
        (form, selection.form),
        (unit, selection.unit),
        (share_of, selection.share_of),
    ):
        if wanted is not None:
            where.append(column == wanted)
    if selection.partner_is_null:
        where.append(partner.is_(None))
    if selection.period is not None:
        where.append(period == selection.period)
    if selection.period_length is not None:
        where.append(func.length(period) == selection.period_length)
    if selection.keys is not None:
        columns = (commodity, form, metric, geo, partner, share_of, unit)
        where.append(
            or_(
                false(),
                *(
                    and_(*(c.is_(None) if v is None else c == v for c, v in zip(columns, key, strict=True)))
                    for key in selection.keys
                ),
            )
        )
    return where


def _day_conditions(selection: FactSelection) -> list[ColumnElement[bool]]:
    where = []
    if selection.starts_on_or_after is not None:
        where.append(SeriesPointRow.period_start >= selection.starts_on_or_after)
    if selection.ends_on_or_before is not None:
        where.append(SeriesPointRow.period_end <= selection.ends_on_or_before)
    return where


def point_sizes(connection: Connection, selection: FactSelection) -> list[tuple[Any, ...]]:
    """Per full series key of `selection`'s points: (key..., periods, statements), as
    `store.series.series_sizes` counts them on the facts (a point is one period of a key)."""
    stmt = (
        select(*_POINT_KEY, func.count(), func.sum(SeriesPointRow.statements))
        .where(*_key_conditions((*_POINT_KEY, SeriesPointRow.period), selection), *_day_conditions(selection))
        .group_by(*_POINT_KEY)
    )
    return [tuple(row) for row in connection.execute(stmt)]


def point_period_unit_partners(connection: Connection, selection: FactSelection) -> list[tuple[str, str, str | None]]:
    """The distinct (period, unit, partner) of `selection`'s points (`store.series.period_unit_partners`)."""
    columns = (SeriesPointRow.period, SeriesPointRow.unit, SeriesPointRow.partner)
    stmt = select(*columns).where(
        *_key_conditions((*_POINT_KEY, SeriesPointRow.period), selection), *_day_conditions(selection)
    )
    return [(str(period), str(unit), partner) for period, unit, partner in connection.execute(stmt.distinct())]
