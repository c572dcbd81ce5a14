"""A series' statements as plain tuples with their provenance (`select_statements`), or their
values alone (`select_statement_values`), for queries that weigh thousands of statements and
build objects only for what they show; and the original each duplicate document follows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Final

from sqlalchemy import (
    Connection,
    select,
)
from sqlalchemy.orm import Session

from assay.store.price_products import KeyExtent as KeyExtent  # it lived here before the table
from assay.store.records import (
    SourceProvenance,
    dataset_provenance,
    duplicate_chains,
    follow_duplicates,
    id_chunks,
    is_official_url,
)
from assay.store.schema import DocumentRow, FactRow
from assay.store.series import IN_CHUNK, KEY_COLUMNS, FactSelection, plain_rows, selection_conditions

# reading the documents afterwards took one more query per 2,000 and a Python object per document).
STATEMENT_COLUMNS = (
    *KEY_COLUMNS,  # 0-6: the series key
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
        for chosen in key_ranges(selection, keys)
        for row in plain_rows(connection, stmt.where(*selection_conditions(chosen)))
    ]
    links = {row[S_DOCUMENT]: row[S_DUPLICATE_OF] for row in rows if row[S_DUPLICATE_OF] is not None}
    originals = (
        {doc: first for doc, first in follow_duplicates(connection, links).items() if doc != first} if links else {}
    )
    dataset_ids = {row[S_DATASET] for row in rows if row[S_DATASET] is not None}
    datasets = dataset_provenance(connection, dataset_ids) if dataset_ids else {}
    return Statements(rows, _provenance(rows, originals, datasets))


def key_ranges(selection: FactSelection, keys: Sequence[tuple[str | None, ...]] | None) -> list[FactSelection]:
    """`selection` cut to `keys`, one selection per (commodity, metric, geo, partner) they name
    (each a range of the series index); `selection` itself without keys."""
    if keys is None:
        return [selection]
    ranges: dict[tuple[str | None, ...], list[tuple[str | None, ...]]] = {}
    for key in keys:  # commodity, form, metric, geo, partner, share_of, unit: the index's first four
        ranges.setdefault((key[0], key[2], key[3], key[4]), []).append(key)
    return [replace(selection, keys=tuple(shared)) for shared in ranges.values()]


def _provenance(
    rows: Sequence[Sequence[Any]], originals: dict[int, int], datasets: dict[int, SourceProvenance]
) -> dict[object, Provenance]:
    """Each document's (or document and dataset's) provenance, as `Statements.provenance` holds it."""
    out: dict[object, Provenance] = {}
    official_url: dict[str | None, bool] = {}
    unknown = SourceProvenance(None, None, None, None, False, None)
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
        for chosen in key_ranges(selection, keys)
        for row in plain_rows(connection, stmt.where(*selection_conditions(chosen)))
    ]
    return statement_values_of(connection, rows)


def statement_values_of(connection: Connection, rows: Sequence[Sequence[Any]]) -> StatementValues:
    """`StatementValues` of statement tuples read (`VALUE_COLUMNS`): their documents' originals and
    their datasets' publishers and dates looked up."""
    originals = _originals(connection, {row[S_DOCUMENT] for row in rows if row[S_DOCUMENT] is not None})
    dataset_ids = {row[S_DATASET] for row in rows if row[S_DATASET] is not None}
    datasets = dataset_provenance(connection, dataset_ids) if dataset_ids else {}
    unknown = SourceProvenance(None, None, None, None, False, None)  # as `_provenance` names a dataset not found
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
        for chunk in id_chunks(set(document_ids))
        for doc_id, published in connection.execute(
            select(DocumentRow.id, DocumentRow.published).where(DocumentRow.id.in_(chunk))
        )
    }


def _originals(connection: Connection, document_ids: set[int]) -> dict[int, int]:
    """The original of each of these documents that duplicates another (`follow_duplicates`). Up to
    `IN_CHUNK` documents are looked up by id; for more, every duplicate's link is read from
    the `duplicate_of` index at once (a few percent of the documents, fewer rows than looking
    up thousands of documents one by one)."""
    if not document_ids:
        return {}
    if len(document_ids) > IN_CHUNK:
        known = select(DocumentRow.id, DocumentRow.duplicate_of).where(DocumentRow.duplicate_of.is_not(None))
        every_link: dict[int, int | None] = {row[0]: row[1] for row in plain_rows(connection, known)}
        firsts = duplicate_chains(every_link, document_ids)  # every link known: no lookup left
    else:
        stmt = select(DocumentRow.id, DocumentRow.duplicate_of).where(
            DocumentRow.id.in_(sorted(document_ids)), DocumentRow.duplicate_of.is_not(None)
        )
        firsts = follow_duplicates(connection, {doc_id: dup for doc_id, dup in connection.execute(stmt)})
    return {doc_id: first for doc_id, first in firsts.items() if doc_id in document_ids and doc_id != first}


def origins(session: Session, document_ids: Iterable[int]) -> dict[int, int]:
    """Each document's original: follows `duplicate_of` to the first document (cycles stop)."""
    connection = session.connection()
    parent: dict[int, int | None] = {}
    for chunk in id_chunks(set(document_ids)):
        for doc_id, dup in connection.execute(
            select(DocumentRow.id, DocumentRow.duplicate_of).where(DocumentRow.id.in_(chunk))
        ):
            parent[doc_id] = dup
    return follow_duplicates(connection, parent)
