"""Read facts back with everything analysis needs: the fact, its document or dataset, and which
original document it duplicates (`select_facts`, `records_of_*`), or as plain rows for queries
that judge many facts and show a few (`fact_rows`). Analysis works on `StoredFactRecord`, never on
ORM rows; it never writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, TypeVar
from urllib.parse import urlsplit

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    Select,
    String,
    any_,
    case,
    func,
    literal,
    null,
    or_,
    select,
    true,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import InstrumentedAttribute, Session

from assay.model import Approx, Basis, Fact
from assay.store.price_products import KeyExtent as KeyExtent  # it lived here before the table
from assay.store.schema import DatasetRow, DocumentRow, FactRow
from assay.store.series import (
    FACT_COLUMNS,
    FACT_ROW_FIELDS,
    FACT_ROW_START,
    IN_CHUNK,
    KEY_COLUMNS,
    FactSelection,
    fact_select,
    gc_paused,
    plain_rows,
)

T = TypeVar("T")

# Hosts whose statements are a government's own figures (customs, ministries).
OFFICIAL_HOST_SUFFIXES = (".gov.cn", ".gov", ".gov.uk", ".europa.eu", "usgs.gov")


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


def records_of_rows(session: Session, rows: Sequence[Any]) -> list[StoredFactRecord]:
    """Records (with provenance, looked up once per document) of rows `fact_rows_in_ranges` read."""
    with gc_paused():
        return records_of(session.connection(), [row[:FACT_ROW_START] for row in rows])


def records_of_ids(session: Session, fact_ids: Iterable[int]) -> list[StoredFactRecord]:
    """The records (with provenance, looked up once per document) of these facts, in no order."""
    connection = session.connection()
    with gc_paused():
        rows = [
            row
            for chunk in id_chunks(set(fact_ids))
            for row in plain_rows(connection, select(*FACT_COLUMNS).where(id_in(connection, FactRow.id, chunk)))
        ]
        return records_of(connection, rows)


_BASIS = {b.value: b for b in Basis}
_APPROX = {a.value: a for a in Approx}


@dataclass(frozen=True, slots=True)
class SourceProvenance:
    """What a fact's document or dataset contributes to its record."""

    name: str | None
    published: str | None
    url: str | None
    source_name: str | None
    official: bool
    origin: int | None
    kind: str | None = None  # datasets only


def id_chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    ordered = sorted(ids)
    for i in range(0, len(ordered), IN_CHUNK):
        yield ordered[i : i + IN_CHUNK]


def id_in(connection: Connection, column: InstrumentedAttribute[int], ids: list[int]) -> ColumnElement[bool]:
    """`column IN (ids)`; on PostgreSQL `column = ANY(array)`: one parameter instead of one per id,
    which SQLAlchemy renders, psycopg converts and the server plans in about half the time for the
    hundreds to thousands of ids a board's or a check's records look up."""
    if connection.dialect.name == "postgresql":
        return column == any_(literal(ids, type_=ARRAY(Integer)))
    return column.in_(ids)


def document_provenance(connection: Connection, document_ids: set[int]) -> dict[int, SourceProvenance]:
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
        for chunk in id_chunks(document_ids)
        for row in connection.execute(select(*columns).where(id_in(connection, DocumentRow.id, chunk))).all()
    ]
    parent: dict[int, int | None] = {row[0]: row[5] for row in rows}
    origin_of = follow_duplicates(connection, parent) if any(row[5] is not None for row in rows) else {}
    official_url: dict[str | None, bool] = {}
    out: dict[int, SourceProvenance] = {}
    for doc_id, name, published, url, source_name, _ in rows:
        if url not in official_url:
            official_url[url] = is_official_url(url)
        out[doc_id] = SourceProvenance(
            name, published, url, source_name, official_url[url], origin_of.get(doc_id, doc_id)
        )
    return out


def dataset_provenance(connection: Connection, dataset_ids: set[int]) -> dict[int, SourceProvenance]:
    out: dict[int, SourceProvenance] = {}
    for chunk in id_chunks(dataset_ids):
        stmt = select(DatasetRow.id, DatasetRow.name, DatasetRow.kind, DatasetRow.published, DatasetRow.official)
        for dataset_id, name, kind, published, official in connection.execute(
            stmt.where(id_in(connection, DatasetRow.id, chunk))
        ).all():
            out[dataset_id] = SourceProvenance(name, published, None, kind, bool(official), None, kind)
    return out


def select_facts(session: Session, selection: FactSelection) -> list[StoredFactRecord]:
    """The facts matching `selection`, ordered by period start, with their provenance."""
    # Core rows on the session's connection: no ORM entity or row processing per fact
    with gc_paused():
        connection = session.connection()
        return records_of(connection, connection.execute(fact_select(selection)).all())


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
    stmt = fact_select(selection).add_columns(start)
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
            yield iter(_in_start_order(list(result.cursor.fetchall()), at, nulls_first=sqlite))
    finally:
        result.close()


def _in_start_order(rows: list[Sequence[Any]], at: int, nulls_first: bool) -> list[Sequence[Any]]:
    """`rows` by their day at `at`, then id, as the database sorts them (SQLite puts a NULL day
    first, PostgreSQL last): two stable sorts keyed in C, not one Python key tuple per row."""
    rows.sort(key=itemgetter(0))
    undated = [row for row in rows if row[at] is None]
    if undated:
        rows = [row for row in rows if row[at] is not None]
    rows.sort(key=itemgetter(at))  # stable: a day's rows stay in id order
    return undated + rows if nulls_first else rows + undated


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
    group = (*KEY_COLUMNS, FactRow.period)
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
    found = dataset_provenance(session.connection(), dataset_ids)
    return {dataset_id: (p.published, f"dataset:{p.kind or p.name}") for dataset_id, p in found.items()}


def records_from_rows(session: Session, rows: Sequence[Sequence[Any]]) -> list[StoredFactRecord]:
    """The records of rows `fact_rows` gave (in their order), their provenance read for these alone."""
    with gc_paused():
        return records_of(session.connection(), rows)


def records_of(connection: Connection, rows: Sequence[Sequence[Any]]) -> list[StoredFactRecord]:
    """A record per row (`FACT_COLUMNS` first), the documents and datasets looked up once each."""
    documents = document_provenance(connection, {row[1] for row in rows if row[1] is not None})
    datasets = dataset_provenance(connection, {row[2] for row in rows if row[2] is not None})
    unknown = SourceProvenance(None, None, None, None, False, None)
    out: list[StoredFactRecord] = []
    append = out.append
    for row in rows:
        # positional unpacking, in FACT_COLUMNS order: the hot loop of every series query
        (fact_id, document_id, dataset_id, commodity, form, metric, geo, partner, share_of, period, value,
         value_high, unit, basis, approx, quote, span_start, span_end, rule, rule_version, *_) = row  # fmt: skip
        dataset = datasets.get(dataset_id, unknown) if dataset_id is not None else unknown
        dataset_name, dataset_kind = dataset.name, dataset.kind
        if document_id is not None:
            document = documents.get(document_id) or SourceProvenance(None, None, None, None, False, document_id)
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


def follow_duplicates(connection: Connection, parent: dict[int, int | None]) -> dict[int, int]:
    """Each document's original, following `duplicate_of` to the first document (cycles stop);
    `parent` holds the links already read and gains the ones looked up."""
    pending = {dup for dup in parent.values() if dup is not None and dup not in parent}
    while pending:
        found: set[int] = set()
        for chunk in id_chunks(pending):
            for doc_id, dup in connection.execute(
                select(DocumentRow.id, DocumentRow.duplicate_of).where(id_in(connection, DocumentRow.id, chunk))
            ):
                parent[doc_id] = dup
                found.add(doc_id)
        for doc_id in pending - found:  # a dangling link: the document is its own original
            parent[doc_id] = None
        pending = {dup for dup in parent.values() if dup is not None and dup not in parent}
    return duplicate_chains(parent, parent)


def duplicate_chains(parent: dict[int, int | None], documents: Iterable[int]) -> dict[int, int]:
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
