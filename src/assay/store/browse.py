"""Read-only queries the portal lists and pages are built from: documents by filter, one page at a
time; what the filters can choose from; the documents that say most about a commodity; which
commodities and forms have prices. Every function takes a Session and never writes.

Filter semantics of `DocumentQuery`:
- `family` matches a document whose commodity families (magnesia, magnesium, graphite, rare_earths,
  magnets: what the pipeline records per document) include it;
- `lang`, `source` (the publisher's name) and `kind` (the content type: html, pdf, txt...) match exactly;
- `since` / `until` are dates or their prefixes (`2024`, `2024-05`) on the publication date;
  undated documents pass only when neither is given;
- `text` keeps the documents whose title or text contain every word (full-text search, Chinese too).
"""

from __future__ import annotations

import json
import typing
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, Text, cast, func, select
from sqlalchemy.orm import Session

from assay.model import Period
from assay.store.documents import SUMMARY_COLUMNS, DocumentSummary, _to_summary, make_snippet, search_ids
from assay.store.facts import commodity_and_descendants
from assay.store.schema import DocumentRow, FactCorrectionRow, FactRow

# Full-text search keeps at most this many best matches before the other filters apply.
TEXT_MATCH_LIMIT = 2000


class BrowseError(ValueError):
    """A filter that cannot be applied as given; str() says which and why."""


@dataclass(frozen=True)
class DocumentQuery:
    """Which documents to list; a field left None does not filter."""

    family: str | None = None
    lang: str | None = None
    source: str | None = None
    kind: str | None = None
    since: str | None = None
    until: str | None = None
    text: str | None = None
    include_duplicates: bool = False
    offset: int = 0
    limit: int = 20


@dataclass(frozen=True)
class DocumentPage:
    """One page of a document list: the documents, how many match in all, and snippets for a text search."""

    documents: tuple[DocumentSummary, ...]
    total: int
    snippets: dict[int, str]


@dataclass(frozen=True)
class DocumentChoices:
    """What the document filters can take, as found in the store."""

    langs: tuple[str, ...]
    sources: tuple[str, ...]
    kinds: tuple[str, ...]
    families: tuple[str, ...]


def _date_bound(value: str, *, end: bool) -> str:
    try:
        period = Period.parse(value)
    except ValueError as exc:
        raise BrowseError(f"{value!r} is not a date (use 2024, 2024-05 or 2024-05-31)") from exc
    return (period.end if end else period.start).isoformat()


def _filtered(query: DocumentQuery, ids: list[int] | None) -> Select[Any]:
    stmt = typing.cast("Select[Any]", select(*SUMMARY_COLUMNS))  # Select's generic form differs across SQLAlchemy 2.x
    if not query.include_duplicates:
        stmt = stmt.where(DocumentRow.duplicate_of.is_(None))
    for column, wanted in (
        (DocumentRow.lang, query.lang),
        (DocumentRow.source_name, query.source),
        (DocumentRow.content_type, query.kind),
    ):
        if wanted:
            stmt = stmt.where(column == wanted)
    if query.since:
        stmt = stmt.where(DocumentRow.published >= _date_bound(query.since, end=False))
    if query.until:
        stmt = stmt.where(DocumentRow.published <= _date_bound(query.until, end=True))
    if query.family:
        # the families are a short JSON list of ids: the quoted id never matches a longer id by accident
        stmt = stmt.where(cast(DocumentRow.commodity_families, Text).contains(f'"{query.family}"'))
    if ids is not None:
        stmt = stmt.where(DocumentRow.id.in_(ids))
    return stmt


def query_documents(session: Session, query: DocumentQuery) -> DocumentPage:
    """One page of the documents `query` selects, newest first (best match first for a text search)."""
    if query.offset < 0 or query.limit < 0:
        raise BrowseError("offset and limit must be 0 or more")
    ids = search_ids(session, query.text, TEXT_MATCH_LIMIT) if query.text and query.text.strip() else None
    stmt = _filtered(query, ids)
    total = int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)
    if ids is not None:
        rank = {doc_id: i for i, doc_id in enumerate(ids)}
        found = sorted((_to_summary(r) for r in session.execute(stmt)), key=lambda d: rank[d.id])
        found = found[query.offset : query.offset + query.limit]
        texts = dict(
            session.execute(
                select(DocumentRow.id, DocumentRow.clean_text).where(DocumentRow.id.in_([d.id for d in found]))
            ).all()
        )
        terms = (query.text or "").replace('"', " ").split()
        snippets = {d.id: make_snippet(texts[d.id], terms) for d in found}
        return DocumentPage(tuple(found), total, snippets)
    stmt = stmt.order_by(DocumentRow.published.desc().nulls_last(), DocumentRow.id.desc())
    rows = session.execute(stmt.offset(query.offset).limit(query.limit))
    return DocumentPage(tuple(_to_summary(r) for r in rows), total, {})


def document_choices(session: Session) -> DocumentChoices:
    def values(column: Any) -> tuple[str, ...]:
        return tuple(sorted(v for v in session.scalars(select(column).distinct()) if v))

    families: set[str] = set()
    # distinct over the JSON as text: PostgreSQL has no equality for json values
    for listed in session.scalars(select(cast(DocumentRow.commodity_families, Text)).distinct()):
        families.update(json.loads(listed) if listed else ())
    return DocumentChoices(
        values(DocumentRow.lang),
        values(DocumentRow.source_name),
        values(DocumentRow.content_type),
        tuple(sorted(families)),
    )


def documents_about(session: Session, commodity: str, limit: int = 10) -> list[tuple[DocumentSummary, int]]:
    """The documents with the most facts about `commodity` (or a commodity under it), with that count."""
    listed = commodity_and_descendants(commodity)
    if len(listed) == 1:
        # one commodity's entries of ix_facts_commodity_document come in document order: the count
        # streams out of the index, where grouping an expression sorts (SQLite) or hashes
        # (PostgreSQL) every entry first (about half the time for prnd's 80,000)
        document_id: Any = FactRow.document_id
        where = [FactRow.commodity == listed[0], document_id.is_not(None)]
    else:
        # `document_id + 0`: an expression, so SQLite does not walk the document_id index through
        # every fact (table rows included) for its grouping order, and counts from the small
        # ix_facts_commodity_document instead (9 s against 0.2 s at a million facts)
        document_id = (FactRow.document_id + 0).label("document_id")
        where = [FactRow.commodity.in_(listed), document_id.is_not(None)]
    counted = (
        select(document_id.label("document_id"), func.count().label("n"))
        .where(*where)
        .group_by(document_id)
        .order_by(func.count().desc(), document_id)
        .limit(limit)
        .subquery()
    )
    rows = session.execute(
        select(*SUMMARY_COLUMNS, counted.c.n)
        .join(counted, counted.c.document_id == DocumentRow.id)
        .order_by(counted.c.n.desc(), DocumentRow.id)
    )
    return [(_to_summary(row), int(row.n)) for row in rows]


def store_fingerprint(session: Session) -> tuple[int, ...]:
    """Changes whenever documents or facts are added or removed, or a fact is corrected: what cached
    views are keyed by."""
    documents = session.execute(select(func.count(), func.max(DocumentRow.id))).one()
    facts = session.scalar(select(func.max(FactRow.id))) or 0
    corrections = session.scalar(select(func.max(FactCorrectionRow.id))) or 0
    return int(documents[0] or 0), int(documents[1] or 0), int(facts), int(corrections)


def duplicates_of(session: Session, document_id: int) -> list[DocumentSummary]:
    """The stored copies of a document, oldest first."""
    rows = session.execute(
        select(*SUMMARY_COLUMNS).where(DocumentRow.duplicate_of == document_id).order_by(DocumentRow.id)
    )
    return [_to_summary(row) for row in rows]


def fact_counts_by_commodity(session: Session) -> list[tuple[str, int]]:
    """How many facts each commodity has, most first."""
    rows = session.execute(
        select(FactRow.commodity, func.count())
        .group_by(FactRow.commodity)
        .order_by(func.count().desc(), FactRow.commodity)
    )
    return [(str(c), int(n)) for c, n in rows]
