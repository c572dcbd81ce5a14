"""The price products table: per price series key, what the price board's grouped pass over every
price statement gave (statements, first and last day, shortest and longest period text), kept by
every write so that the board reads a few hundred rows instead of every price statement.

What counts is what analysis reads: `price` facts with a period, of a dataset or of a current
(not superseded) document, as `store.series.key_extents` selects them; the table equals that
pass at every commit (tests compare them after each write path, on SQLite and PostgreSQL).

How writers keep it:
- new facts (`facts.insert_facts_of_documents`, ingest's hot path) are added in place: counts
  summed, first and last day and period lengths merged by min/max, which adding rows can only do;
- anything that removes or changes facts, or moves a document in or out of the analyses (a
  re-extraction, a correction or rejection, a new or restored document version, a dataset
  re-import) names the series keys it touches (`touch_*`); those keys are recomputed from the
  facts index (a count could be undone, a min or max cannot) once, when the transaction commits,
  or before the table is read in that transaction (`price_extents`).
On PostgreSQL every writer of facts takes one transaction-scoped advisory lock before its first
change (`lock_fact_writers`), so a writer recomputes from facts that every earlier writer has
committed, and no two writers wait for each other's rows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Connection, delete, event, func, insert, or_, select, union_all
from sqlalchemy.orm import Session, SessionTransaction

from assay.store.schema import DocumentRow, FactRow, PriceProductRow

Key = tuple[str | None, ...]  # commodity, form, metric, geo, partner, share_of, unit (a full series key)

# The facts' series key and the table's, column for column (the table's metric is always "price").
_FACT_KEY = (FactRow.commodity, FactRow.form, FactRow.geo, FactRow.partner, FactRow.share_of, FactRow.unit)
_TABLE_KEY = (
    *(PriceProductRow.commodity, PriceProductRow.form, PriceProductRow.geo),
    *(PriceProductRow.partner, PriceProductRow.share_of, PriceProductRow.unit),
)
_EXTENT = (
    *(PriceProductRow.statements, PriceProductRow.first_start, PriceProductRow.latest_end),
    *(PriceProductRow.shortest_period, PriceProductRow.longest_period),
)
_PENDING = "assay.price_products.pending"  # Session.info: the keys to recompute before commit
_LOCK_ID = 0x7072_6963_6573  # pg_advisory_xact_lock's key for writers of this table ("prices")
_BRANCHES = 200  # selects per UNION ALL (SQLite allows 500)


@dataclass(frozen=True, slots=True)
class KeyExtent:
    """One full series key among the facts a selection reads: its statements, the first day of its
    earliest period and the last of its latest, and the shortest and longest period text (which
    bound how long a period is)."""

    key: Key  # commodity, form, metric, geo, partner, share_of, unit
    statements: int
    first_start: date
    latest_end: date
    shortest_period: int
    longest_period: int

    def merged(self, other: KeyExtent) -> KeyExtent:
        """The extent of both keys' statements together (the same key)."""
        return KeyExtent(
            self.key,
            self.statements + other.statements,
            min(self.first_start, other.first_start),
            max(self.latest_end, other.latest_end),
            min(self.shortest_period, other.shortest_period),
            max(self.longest_period, other.longest_period),
        )


def price_extents(session: Session) -> list[KeyExtent]:
    """Every price series key with its extent, as `store.series.key_extents` computes it from the
    facts (keys sorted, no value before a value): the board's products, units, forms and days."""
    refresh_pending(session)
    rows = session.connection().execute(select(*_TABLE_KEY, *_EXTENT))
    found = [_extent(row[:6], row[6:]) for row in rows]
    return sorted(found, key=lambda e: [(v is not None, v or "") for v in e.key])


def add_price_facts(session: Session, rows: Sequence[Mapping[str, Any]]) -> None:
    """Count in new fact rows (as inserted: the facts columns by name) of current documents or datasets."""
    added: dict[Key, KeyExtent] = {}
    for row in rows:
        if row["metric"] != "price" or row["period_start"] is None:
            continue
        key = (row["commodity"], row["form"], "price", row["geo"], row["partner"], row["share_of"], row["unit"])
        length = len(row["period"])
        one = KeyExtent(key, 1, row["period_start"], row["period_end"], length, length)
        known = added.get(key)
        added[key] = one if known is None else known.merged(one)
    if not added:
        return
    lock_fact_writers(session)
    stored = _stored(session, {key[0] for key in added})
    merged = [extent.merged(stored[key][1]) if key in stored else extent for key, extent in added.items()]
    _replace(session, [stored[key][0] for key in added if key in stored], merged)


def touch_documents(session: Session, document_ids: Iterable[int]) -> None:
    """The price keys of these documents' facts, as stored now, are recomputed before commit (call
    it before the facts change, and again after when the change adds keys)."""
    lock_fact_writers(session)
    ids = sorted(set(document_ids))
    for i in range(0, len(ids), 1000):
        _touch_where(session, FactRow.document_id.in_(ids[i : i + 1000]))


def price_statements_of(session: Session, document_id: int) -> Counter[tuple[Any, ...]]:
    """A document's price statements as the table counts them (key, first and last day, period
    length), to tell whether a replacement changed them (a re-extraction mostly does not)."""
    length = func.length(FactRow.period)
    stmt = select(*_FACT_KEY, FactRow.period_start, FactRow.period_end, length).where(
        FactRow.document_id == document_id, FactRow.metric == "price", FactRow.period_start.is_not(None)
    )
    return Counter(tuple(row) for row in session.connection().execute(stmt))


def touch_changed(session: Session, before: Counter[tuple[Any, ...]], after: Counter[tuple[Any, ...]]) -> None:
    """The keys whose statements differ between two `price_statements_of` are recomputed before commit."""
    changed = (before - after) + (after - before)
    touch_keys(session, [(c, f, "price", g, p, s, u) for c, f, g, p, s, u, *_ in changed])


def touch_dataset(session: Session, dataset_id: int) -> None:
    """The price keys of a dataset's facts, as stored now, are recomputed before commit."""
    lock_fact_writers(session)
    _touch_where(session, FactRow.dataset_id == dataset_id)


def touch_keys(session: Session, keys: Iterable[Key]) -> None:
    """These series keys (price keys; any other metric is ignored) are recomputed before commit."""
    pending: set[Key] = session.info.setdefault(_PENDING, set())
    pending.update(key for key in keys if key[2] == "price")


def fact_key(values: Mapping[str, Any]) -> Key:
    """The full series key of a fact given by its columns' values."""
    return tuple(values.get(name) for name in ("commodity", "form", "metric", "geo", "partner", "share_of", "unit"))


def refresh_pending(session: Session) -> None:
    """Recompute the keys touched in this transaction from the facts (nothing when none)."""
    pending: set[Key] = session.info.get(_PENDING, set())
    if not pending:
        return
    session.flush()  # ORM changes (corrections) reach the facts before they are counted
    lock_fact_writers(session)
    keys = sorted(pending, key=lambda key: [(v is not None, v or "") for v in key])
    fresh = _extents_of_keys(session.connection(), keys)
    stored = _stored(session, {str(key[0]) for key in keys})
    _replace(session, [stored[key][0] for key in keys if key in stored], fresh)
    pending.clear()


def rebuild_price_products(connection: Connection) -> int:
    """Fill the table from the facts (emptied first): a migration's backfill, or a store whose facts
    were written around the store's functions (a benchmark's bulk load). Returns the keys stored."""
    grouped = select(*_FACT_KEY, *_aggregates()).where(*_counted()).group_by(*_FACT_KEY)
    extents = [_extent(row[:6], row[6:]) for row in connection.execute(grouped) if row[8] is not None]
    connection.execute(delete(PriceProductRow))
    _insert(connection, extents)
    return len(extents)


@event.listens_for(Session, "before_commit")
def _refresh_before_commit(session: Session) -> None:
    """Recompute touched keys once per transaction, at its commit (a savepoint's release waits)."""
    if not session.in_nested_transaction():
        refresh_pending(session)


@event.listens_for(Session, "after_soft_rollback")
def _forget_after_rollback(session: Session, previous: SessionTransaction) -> None:
    """A rolled back transaction's touched keys changed nothing (a savepoint's may have: kept)."""
    if previous.parent is None:
        session.info.pop(_PENDING, None)


def _touch_where(session: Session, condition: ColumnElement[bool]) -> None:
    stmt = select(*_FACT_KEY).where(FactRow.metric == "price", condition).distinct()
    touch_keys(session, [(c, f, "price", g, p, s, u) for c, f, g, p, s, u in session.connection().execute(stmt)])


def _counted() -> list[ColumnElement[bool]]:
    """The price statements analysis reads (as `store.series.selection_conditions` selects them): with a
    period, of a dataset or of a document that no newer version superseded."""
    superseded = select(DocumentRow.id).where(DocumentRow.superseded_by.is_not(None))
    current = or_(FactRow.document_id.is_(None), FactRow.document_id.not_in(superseded))
    return [current, FactRow.metric == "price", FactRow.period_start.is_not(None)]


def _aggregates() -> tuple[Any, ...]:
    length = func.length(FactRow.period)
    return (
        *(func.count(), func.min(FactRow.period_start), func.max(FactRow.period_end)),
        *(func.min(length), func.max(length)),
    )


def _extents_of_keys(connection: Connection, keys: Sequence[Key]) -> list[KeyExtent]:
    """Each key's extent from its facts: one branch per key in a UNION ALL, each a seek on
    ix_facts_metric_key (a key with no statement left gives no row)."""
    branches = []
    for key in keys:
        values = (key[0], key[1], key[3], key[4], key[5], key[6])
        matches = [column.is_(None) if v is None else column == v for column, v in zip(_FACT_KEY, values, strict=True)]
        branches.append(select(*_FACT_KEY, *_aggregates()).where(*_counted(), *matches).group_by(*_FACT_KEY))
    out = []
    for i in range(0, len(branches), _BRANCHES):
        chunk = branches[i : i + _BRANCHES]
        stmt = chunk[0] if len(chunk) == 1 else union_all(*chunk)
        for row in connection.execute(stmt):
            if row[8] is not None:
                out.append(_extent(row[:6], row[6:]))
    return out


def _stored(session: Session, commodities: set[Any]) -> dict[Key, tuple[int, KeyExtent]]:
    """The table's rows of these commodities: (row id, extent) by key."""
    stmt = select(PriceProductRow.id, *_TABLE_KEY, *_EXTENT).where(PriceProductRow.commodity.in_(sorted(commodities)))
    out = {}
    for row in session.connection().execute(stmt):
        extent = _extent(row[1:7], row[7:])
        out[extent.key] = (int(row[0]), extent)
    return out


def _replace(session: Session, stale_ids: Sequence[int], extents: Sequence[KeyExtent]) -> None:
    connection = session.connection()
    for i in range(0, len(stale_ids), 1000):
        connection.execute(delete(PriceProductRow).where(PriceProductRow.id.in_(stale_ids[i : i + 1000])))
    _insert(connection, extents)


def _insert(connection: Connection, extents: Sequence[KeyExtent]) -> None:
    if extents:
        connection.execute(
            insert(PriceProductRow),
            [
                {
                    **dict(zip(("commodity", "form"), e.key[:2], strict=True)),
                    **dict(zip(("geo", "partner", "share_of", "unit"), e.key[3:], strict=True)),
                    "statements": e.statements,
                    "first_start": e.first_start,
                    "latest_end": e.latest_end,
                    "shortest_period": e.shortest_period,
                    "longest_period": e.longest_period,
                }
                for e in extents
            ],
        )


def lock_fact_writers(session: Session) -> None:
    """PostgreSQL: wait for the other writers of facts to commit (SQLite writers hold the file's lock).

    Transaction-scoped and re-entrant. A writer takes it before its first change to facts or
    documents, not only when it reaches this table: one that held row locks first could wait for
    another writer's rows while that one waits for this lock (a deadlock)."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(select(func.pg_advisory_xact_lock(_LOCK_ID)))


def _extent(key: Sequence[Any], extent: Sequence[Any]) -> KeyExtent:
    """A KeyExtent of a six-column key (no metric) and (statements, first, last, shortest, longest)."""
    full = (key[0], key[1], "price", key[2], key[3], key[4], key[5])
    return KeyExtent(full, int(extent[0]), as_day(extent[1]), as_day(extent[2]), int(extent[3]), int(extent[4]))


def as_day(value: object) -> date:
    """A date column's value (SQLite may hand back its text)."""
    if isinstance(value, str):
        return date.fromisoformat(value)
    if isinstance(value, date):
        return value
    raise TypeError(f"not a day: {value!r}")


def price_forms(session: Session, commodities: Iterable[str]) -> dict[tuple[str, str | None], tuple[int, date]]:
    """Each (commodity, form) of `commodities` with price statements: how many (summed over its
    series keys) and the last day of its latest period, grouped from the table in SQL (a few rows)."""
    refresh_pending(session)
    stmt = (
        select(
            *(PriceProductRow.commodity, PriceProductRow.form),
            *(func.sum(PriceProductRow.statements), func.max(PriceProductRow.latest_end)),
        )
        .where(PriceProductRow.commodity.in_(sorted(set(commodities))))
        .group_by(PriceProductRow.commodity, PriceProductRow.form)
    )
    rows = session.connection().execute(stmt)
    return {(str(commodity), form): (int(n), as_day(last)) for commodity, form, n, last in rows}
