"""Series points: each period's consensus of a series, weighed once and kept in the store
(`store.series_points`), so a chart or a key figure reads a row per point, not every statement.

Writers only mark the pairs (key, period) they touch stale. `stored_points` reads the points of
a selection; when some of its pairs are stale it first recomputes them from their statements,
in a transaction of its own, and stores them: the first reader after a write pays for what that
write changed, once. The weighing is the one `series.computed_series_values` does (the same
helpers, here), so a point is that path's value for its period.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import Any, cast

from sqlalchemy import Connection, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from assay.analyze.consensus import ORIGIN, QUOTE, TIER_OF_TEXT, Weighed, agree, quote_key
from assay.store.corrections import period_bounds
from assay.store.schema import FactRow
from assay.store.series import FactSelection, SeriesSize, plain_rows, selection_conditions, series_sizes
from assay.store.series import period_unit_partners as store_period_unit_partners
from assay.store.series_points import (
    Pair,
    SeriesPoint,
    lock_point_readers,
    marked_in_transaction,
    point_period_unit_partners,
    point_sizes,
    read_points,
    servable,
    stale_pairs,
    store_points,
    take_stale,
)
from assay.store.statements import (
    S_BASIS,
    S_DATASET,
    S_DOCUMENT,
    S_ID,
    S_PERIOD,
    S_QUOTE,
    S_VALUE,
    S_VALUE_HIGH,
    VALUE_COLUMNS,
    StatementValues,
    published_dates,
    statement_values_of,
)

Key = tuple[str | None, ...]
# How long a reader waits for SQLite's write lock to store points: a store busy with a long write
# (an ingest batch) is read the old way rather than the page waiting for the writer's commit.
SQLITE_REFRESH_WAIT_MS = 200
_PERIODS_PER_QUERY = 500
_PAIRS_AT_ONCE = 4_000  # stale pairs weighed and stored at once (in key order: their ranges together)


def stored_points(
    session: Session, selection: FactSelection, keys: Sequence[Key] | None = None
) -> list[SeriesPoint] | None:
    """The points of `selection` (cut to `keys`) as the statements give them now; None when the
    points cannot answer: a selection by something else than key and period, a session whose
    open transaction wrote facts (its points are not marked stale yet for others), or a store
    of no file of its own (in-memory SQLite). The caller weighs the statements itself.

    The stale points among them are recomputed and stored first (`refresh_points`), except in a
    SQLite session that already reads in a transaction: storing them from another connection
    would make its snapshot too old to write from, so it weighs their statements for itself
    (only the stale pairs: the rest are read)."""
    if not _answers(session, selection):
        return None
    cut = selection if keys is None else replace(selection, keys=tuple(keys))
    refresh_points(session, cut)
    connection = session.connection()
    found = read_points(connection, selection, keys)
    stale = stale_pairs(connection, cut)  # left by a busy store, or a SQLite session mid-transaction
    if not stale:
        return found
    wanted = set(stale)
    fresh = [p for p in compute_points(connection, stale) if _within(p, selection)]
    return [p for p in found if (*p.key, p.period) not in wanted] + fresh


def refresh_points(session: Session, selection: FactSelection) -> None:
    """Recompute and store the stale points `selection` may read, in a transaction of another
    connection (nothing when none is stale, when the points cannot answer, on SQLite while
    `session` is in a transaction or another writer holds the lock past a brief wait, or when the
    store may not be written by this reader)."""
    if not _answers(session, selection):
        return
    engine = session.get_bind()
    if engine.dialect.name == "sqlite" and session.in_transaction():
        return
    assert not isinstance(engine, Connection)  # `_answers` said so
    with engine.connect() as connection:
        connection.execution_options(sqlite_begin="BEGIN")  # a reader (a write session's engine begins IMMEDIATE)
        with connection.begin():
            if not stale_pairs(connection, selection, limit=1):
                return
        try:
            with _brief_sqlite_wait(connection):
                connection.execution_options(sqlite_begin="BEGIN IMMEDIATE", writer_patience_s=0.0)
                with connection.begin():
                    lock_point_readers(connection)
                    pairs = take_stale(connection, selection)
                    for i in range(0, len(pairs), _PAIRS_AT_ONCE):  # memory bounded: a store's every pair
                        chunk = pairs[i : i + _PAIRS_AT_ONCE]
                        store_points(connection, chunk, compute_points(connection, chunk))
        except DBAPIError:  # busy past the brief wait, or a store this reader may not write (read-only)
            pass  # its stale points are weighed by whoever reads them, until a reader can store them


def sizes(session: Session, selection: FactSelection) -> list[SeriesSize]:
    """`store.series.series_sizes` of `selection`, counted on its points (a row per key and period
    instead of one per statement) when they answer and none is stale after `refresh_points`."""
    if not _fresh(session, selection):
        return series_sizes(session, selection)
    return [SeriesSize(row[:7], int(row[7]), int(row[8])) for row in point_sizes(session.connection(), selection)]


def period_unit_partners(session: Session, selection: FactSelection) -> list[tuple[str, str, str | None]]:
    """`store.series.period_unit_partners` of `selection`, read from its points as `sizes` is."""
    if not _fresh(session, selection):
        return store_period_unit_partners(session, selection)
    return point_period_unit_partners(session.connection(), selection)


def _fresh(session: Session, selection: FactSelection) -> bool:
    """Whether `selection`'s points answer it and none of them is stale (after storing the stale ones)."""
    if not _answers(session, selection):
        return False
    refresh_points(session, selection)
    return not stale_pairs(session.connection(), selection, limit=1)


def _answers(session: Session, selection: FactSelection) -> bool:
    if not servable(selection) or marked_in_transaction(session):
        return False
    engine = session.get_bind()
    if isinstance(engine, Connection):  # a session inside a caller's transaction: nothing of its own
        return False
    return not (engine.dialect.name == "sqlite" and engine.url.database in (None, "", ":memory:"))


def _within(point: SeriesPoint, selection: FactSelection) -> bool:
    """Whether a point's days are within `selection`'s (stale pairs are found by key and period text)."""
    after, before = selection.starts_on_or_after, selection.ends_on_or_before
    return (after is None or point.period_start >= after) and (before is None or point.period_end <= before)


def compute_points(connection: Connection, pairs: Sequence[Pair]) -> list[SeriesPoint]:
    """The points of `pairs` from their statements (a pair with none left gives no point)."""
    wanted = set(pairs)
    periods_of: dict[tuple[Any, ...], dict[Key, set[str]]] = {}
    for pair in pairs:  # one query per range of the series index, as `store.statements.key_ranges` reads
        key = pair[:7]
        periods_of.setdefault((key[0], key[2], key[3], key[4]), {}).setdefault(key, set()).add(str(pair[7]))
    rows = []
    for (commodity, metric, geo, partner), keyed in periods_of.items():
        periods = sorted(set().union(*keyed.values()))
        # the range by its columns, the keys among it kept below: a condition per key cost more to
        # build in SQLAlchemy than the rows it spared (hundreds of keys in a range)
        chosen = FactSelection(
            commodity=commodity, metric=metric, geo=geo, partner=partner, partner_is_null=partner is None
        )
        base = select(*VALUE_COLUMNS).where(*selection_conditions(chosen))
        # a few periods: those alone; more: the range read once (not once per list of periods)
        read = [base.where(FactRow.period.in_(periods))] if len(periods) <= _PERIODS_PER_QUERY else [base]
        for stmt in read:
            rows += [row for row in plain_rows(connection, stmt) if (*row[:7], row[S_PERIOD]) in wanted]
    with Session(bind=connection) as session:
        grouped = weighed_statements(session, statement_values_of(connection, rows))
    out = []
    for key, by_period in grouped.items():
        for period, statements in by_period.items():
            start, end = period_bounds(period)
            if start is None or end is None:  # not marked so; a selection with days never reads it
                continue
            agreed = agree(statements)
            out.append(
                SeriesPoint(
                    key,
                    period,
                    start,
                    end,
                    agreed.value,
                    agreed.value_high,
                    agreed.spread,
                    agreed.n_independent,
                    len(statements),
                )
            )
    return out


def weighed_statements(session: Session, found: StatementValues) -> dict[Any, dict[str, list[Weighed]]]:
    """The statements grouped by series key and period as consensus weighs them, each dated
    where its date matters: among statements that share a source (the rest are dated "", as
    freshness never compares them)."""
    grouped = weighed_by_period(found)
    shared = [statements for by_period in grouped.values() for statements in by_period.values() if shares(statements)]
    if shared:
        dates = dated(session, found, shared)
        for by_period in grouped.values():
            for period, statements in by_period.items():
                if shares(statements):
                    by_period[period] = [(dates.get(s[1], ""), *s[1:]) for s in statements]
    return grouped


def weighed_by_period(found: StatementValues) -> dict[Any, dict[str, list[Weighed]]]:
    """The statements grouped by series key and period, as consensus weighs them; a statement of a
    document is dated "" for now (its date matters only among statements of one source)."""
    originals, dataset_origins, dataset_published = found.originals, found.dataset_origins, found.dataset_published
    grouped: dict[Any, dict[str, list[Weighed]]] = {}
    for row in found.rows:
        period = row[S_PERIOD]
        if not period:
            continue
        document_id, dataset_id = row[S_DOCUMENT], row[S_DATASET]
        statement: Weighed
        if dataset_id is None:  # a document's statement (or, never stored so, one of neither: origin None)
            statement = ("", row[S_ID], row[S_VALUE], row[S_VALUE_HIGH], TIER_OF_TEXT[row[S_BASIS]],
                         originals.get(document_id, document_id), quote_key(row[S_QUOTE]))  # fmt: skip
        else:  # a dataset's row: dated by its document if it has one, else by the dataset
            published = "" if document_id is not None else dataset_published[dataset_id] or ""
            statement = (published, row[S_ID], row[S_VALUE], row[S_VALUE_HIGH], TIER_OF_TEXT[row[S_BASIS]],
                         dataset_origins[dataset_id], None)  # fmt: skip
        by_period = grouped.setdefault(row[:7], {})
        if period in by_period:
            by_period[period].append(statement)
        else:
            by_period[period] = [statement]
    return grouped


def shares(statements: Sequence[Weighed]) -> bool:
    """Whether two of the statements share an origin or a quote (so one source's freshest counts)."""
    if len(statements) < 2:
        return False
    quotes = [q for s in statements if (q := s[QUOTE]) is not None]
    return len({s[ORIGIN] for s in statements}) < len(statements) or len(set(quotes)) < len(quotes)


def dated(session: Session, found: StatementValues, shared: list[list[Weighed]]) -> dict[int, str]:
    """Each statement's date (by id) among `shared`: its document's publication date, else its dataset's."""
    ids = {s[1] for statements in shared for s in statements}
    rows = [row for row in found.rows if row[S_ID] in ids]
    published = published_dates(session, {row[S_DOCUMENT] for row in rows if row[S_DOCUMENT] is not None})
    return {
        row[S_ID]: (
            published.get(row[S_DOCUMENT])
            if row[S_DOCUMENT] is not None
            else found.dataset_published.get(row[S_DATASET])
        )
        or ""
        for row in rows
    }


@contextmanager
def _brief_sqlite_wait(connection: Connection) -> Iterator[None]:
    """SQLite: wait `SQLITE_REFRESH_WAIT_MS` at most for the write lock (the store's own wait is long)."""
    if connection.dialect.name != "sqlite":
        yield
        return
    driver = cast(Any, connection.connection.dbapi_connection)
    (before,) = driver.execute("PRAGMA busy_timeout").fetchone()
    driver.execute(f"PRAGMA busy_timeout={SQLITE_REFRESH_WAIT_MS}")
    try:
        yield
    finally:
        driver.execute(f"PRAGMA busy_timeout={int(before)}")
