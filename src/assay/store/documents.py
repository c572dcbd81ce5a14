"""The documents repository: save, fetch, list, search, and what the pipeline needs to dedupe.

Every function takes a Session; the caller commits. Lists return `DocumentSummary` (no texts),
`get_document` returns the full `Document` of assay.model.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, and_, bindparam, func, insert, or_, select, text, update
from sqlalchemy.orm import Session

from assay.model import Document
from assay.store.price_products import touch_documents
from assay.store.schema import DocumentRow, EventMentionRow, FactRow, IngestFailureRow
from assay.store.series_points import touch_documents as touch_points_of_documents

SUMMARY_COLUMNS = (
    DocumentRow.id,
    DocumentRow.name,
    DocumentRow.title,
    DocumentRow.lang,
    DocumentRow.published,
    DocumentRow.url,
    DocumentRow.source,
    DocumentRow.source_name,
    DocumentRow.content_type,
    DocumentRow.fetched_at,
    DocumentRow.duplicate_of,
    DocumentRow.commodity_families,
    DocumentRow.extracted_with,
    DocumentRow.superseded_by,
)
# Built once with bound parameters: the pipeline runs these per document, and building a statement
# (and its cache key) from literal values cost more than the database work. They run on the session's
# connection: Core, without the ORM's unit of work and result machinery.
_INSERT_DOCUMENT = insert(DocumentRow).returning(DocumentRow.id)
_INSERT_DOCUMENTS = insert(DocumentRow).returning(DocumentRow.id, DocumentRow.source, DocumentRow.raw_sha256)
_BY_SOURCE_AND_HASH = select(*SUMMARY_COLUMNS).where(
    DocumentRow.source == bindparam("source"), DocumentRow.raw_sha256 == bindparam("raw_sha256")
)
_VERSIONS_OF_SOURCE = select(*SUMMARY_COLUMNS, DocumentRow.raw_sha256).where(DocumentRow.source == bindparam("source"))
_VERSIONS_OF_SOURCES = select(*SUMMARY_COLUMNS, DocumentRow.raw_sha256).where(
    DocumentRow.source.in_(bindparam("sources", expanding=True))
)
_MARK_EXTRACTED = (
    update(DocumentRow)
    .where(DocumentRow.id == bindparam("document_id"))
    .values(extracted_with=bindparam("extracted_with"), commodity_families=bindparam("families"))
)
SNIPPET_CHARS = 80
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"\w+")
PG_FTS_EXPRESSION = "to_tsvector('simple', coalesce(title, '') || ' ' || left(clean_text, 200000))"


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    """A stored document without its texts, for lists and lookups."""

    id: int
    name: str
    title: str | None
    lang: str | None
    published: str | None
    url: str | None
    source: str
    source_name: str | None
    content_type: str | None
    fetched_at: datetime
    duplicate_of: int | None
    commodity_families: tuple[str, ...]
    extracted_with: str | None
    superseded_by: int | None = None  # the newer version of this document, when its source changed

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "title": self.title,
            "lang": self.lang,
            "published": self.published,
            "url": self.url,
            "source": self.source,
            "source_name": self.source_name,
            "content_type": self.content_type,
            "fetched_at": self.fetched_at.isoformat(),
            "duplicate_of": self.duplicate_of,
            "commodity_families": list(self.commodity_families),
            "superseded_by": self.superseded_by,
        }


@dataclass(frozen=True, slots=True)
class SearchHit:
    document: DocumentSummary
    snippet: str

    def as_json(self) -> dict[str, Any]:
        """What `assay docs search --json` prints per hit, and the API returns."""
        return {**self.document.as_json(), "snippet": self.snippet}


@dataclass(frozen=True, slots=True)
class StoreCounts:
    """What the store holds, for summaries."""

    documents: int
    duplicates: int
    by_lang: Counter[str]
    by_source: Counter[str]
    by_family: Counter[str]
    facts: int
    events: int  # distinct events; each may be reported by several documents
    event_mentions: int
    failures: int


def save_document(
    session: Session,
    doc: Document,
    text_sha256: str,
    minhash: bytes | None = None,
    commodity_families: Sequence[str] = (),
    extracted_with: str | None = None,
) -> int:
    """Insert a document and return its id (not committed)."""
    values = _document_values(NewDocument(doc, text_sha256, minhash, tuple(commodity_families), extracted_with))
    return int(session.connection().execute(_INSERT_DOCUMENT, values).scalar_one())


@dataclass(frozen=True)
class NewDocument:
    """What `save_documents` stores of one document: `save_document`'s arguments."""

    doc: Document
    text_sha256: str
    minhash: bytes | None = None
    commodity_families: tuple[str, ...] = ()
    extracted_with: str | None = None


def save_documents(session: Session, new: Sequence[NewDocument]) -> list[int]:
    """Insert several documents in one statement; returns their ids, in the order given (not committed)."""
    if not new:
        return []
    # the ids come back in no promised order: each is matched by its unique (source, raw bytes)
    returned = session.connection().execute(_INSERT_DOCUMENTS, [_document_values(item) for item in new])
    ids = {(source, raw): int(id_) for id_, source, raw in returned}
    return [ids[(item.doc.source, item.doc.raw_sha256)] for item in new]


def _document_values(new: NewDocument) -> dict[str, Any]:
    doc = new.doc
    return dict(
        name=doc.name[:300],
        source=doc.source,
        url=doc.url,
        source_name=doc.source_name,
        raw_sha256=doc.raw_sha256,
        text_sha256=new.text_sha256,
        fetched_at=_naive_utc(doc.fetched_at or datetime.now(UTC)),
        title=doc.title,
        lang=doc.lang,
        published=doc.published[:10] if doc.published else None,
        content_type=doc.content_type,
        raw_text=_storable(doc.raw_text),
        clean_text=_storable(doc.clean_text),
        cleaning_steps=list(doc.cleaning_steps),
        commodity_families=list(new.commodity_families),
        duplicate_of=doc.duplicate_of,
        minhash=new.minhash,
        extracted_with=new.extracted_with,
    )


def mark_extracted(session: Session, document_id: int, extracted_with: str, commodity_families: Sequence[str]) -> None:
    values = {"document_id": document_id, "extracted_with": extracted_with, "families": list(commodity_families)}
    session.execute(_MARK_EXTRACTED, values)


def get_document(session: Session, document_id: int) -> Document | None:
    row = session.get(DocumentRow, document_id)
    return None if row is None else _to_document(row)


def get_families(session: Session, document_id: int) -> tuple[str, ...]:
    families = session.scalar(select(DocumentRow.commodity_families).where(DocumentRow.id == document_id))
    return tuple(families or ())


def list_documents(
    session: Session,
    limit: int | None = None,
    lang: str | None = None,
    source_name: str | None = None,
    include_duplicates: bool = True,
    fetched_since: datetime | None = None,
) -> list[DocumentSummary]:
    """Documents newest first: by publication date, undated ones after, then latest stored first."""
    query = select(*SUMMARY_COLUMNS)
    if fetched_since is not None:
        query = query.where(DocumentRow.fetched_at >= _naive_utc(fetched_since))
    if lang:
        query = query.where(DocumentRow.lang == lang)
    if source_name:
        query = query.where(DocumentRow.source_name == source_name)
    if not include_duplicates:
        query = query.where(DocumentRow.duplicate_of.is_(None))
    query = query.order_by(DocumentRow.published.desc().nulls_last(), DocumentRow.id.desc())
    if limit is not None:
        query = query.limit(limit)
    return [_to_summary(row) for row in session.execute(query)]


def get_summary(session: Session, document_id: int) -> DocumentSummary | None:
    row = session.execute(select(*SUMMARY_COLUMNS).where(DocumentRow.id == document_id)).first()
    return None if row is None else _to_summary(row)


def find_by_source_and_hash(session: Session, source: str, raw_sha256: str) -> DocumentSummary | None:
    """The document stored from this exact input (same source, same bytes), if any."""
    row = session.connection().execute(_BY_SOURCE_AND_HASH, {"source": source, "raw_sha256": raw_sha256}).first()
    return None if row is None else _to_summary(row)


@dataclass(frozen=True, slots=True)
class SourceVersions:
    """What the store holds of one source: the version with the given bytes, and the current one."""

    same_bytes: DocumentSummary | None
    current: DocumentSummary | None


def find_source(session: Session, source: str, raw_sha256: str) -> SourceVersions:
    """The stored version of `source` with these exact bytes, if any, and its current version (the
    latest that no other supersedes), in one indexed query: what ingest asks of every input."""
    return _versions(session.connection().execute(_VERSIONS_OF_SOURCE, {"source": source}), raw_sha256)


def find_sources(session: Session, inputs: Sequence[tuple[str, str]]) -> list[SourceVersions]:
    """`find_source` of each (source, raw_sha256), in one indexed query for them all (a batch of inputs)."""
    if len(inputs) <= 1:  # one input (an ingest without workers): the plain query, as find_source
        return [find_source(session, source, raw_sha256) for source, raw_sha256 in inputs]
    rows_of: dict[str, list[Any]] = {}
    found = session.connection().execute(_VERSIONS_OF_SOURCES, {"sources": sorted({source for source, _ in inputs})})
    for row in found:
        rows_of.setdefault(row.source, []).append(row)
    return [_versions(rows_of.get(source, ()), raw_sha256) for source, raw_sha256 in inputs]


def _versions(rows: Iterable[Any], raw_sha256: str) -> SourceVersions:
    """The version with these bytes (the first stored) and the current one, among a source's rows."""
    same_bytes: DocumentSummary | None = None
    current: DocumentSummary | None = None
    for row in rows:
        summary = _to_summary(row)
        if row.raw_sha256 == raw_sha256 and (same_bytes is None or summary.id < same_bytes.id):
            same_bytes = summary
        if summary.superseded_by is None and (current is None or summary.id > current.id):
            current = summary
    return SourceVersions(same_bytes, current)


def find_current_version(session: Session, source: str) -> DocumentSummary | None:
    """The latest stored version of `source` (the one no other supersedes), if any."""
    query = (
        select(*SUMMARY_COLUMNS)
        .where(DocumentRow.source == source, DocumentRow.superseded_by.is_(None))
        .order_by(DocumentRow.id.desc())
        .limit(1)
    )
    row = session.execute(query).first()
    return None if row is None else _to_summary(row)


def supersede(session: Session, old_id: int, new_id: int) -> None:
    """Mark document `old_id` superseded by `new_id`, and any version `old_id` superseded before."""
    touch_documents(session, [old_id])  # its price statements leave the analyses
    touch_points_of_documents(session, [old_id])  # and its series points
    session.execute(update(DocumentRow).where(DocumentRow.id == old_id).values(superseded_by=new_id))
    session.execute(
        update(DocumentRow)
        .where(DocumentRow.superseded_by == old_id, DocumentRow.id != new_id)
        .values(superseded_by=new_id)
    )


def make_current(session: Session, document_id: int, source: str) -> int | None:
    """Make a stored earlier version current again (its source went back to that content); returns
    the id of the version it replaces, if any."""
    current = find_current_version(session, source)
    touch_documents(session, [document_id])  # its price statements come back into the analyses
    touch_points_of_documents(session, [document_id])  # and its series points
    session.execute(update(DocumentRow).where(DocumentRow.id == document_id).values(superseded_by=None))
    if current is None or current.id == document_id:
        return None
    supersede(session, current.id, document_id)
    return current.id


def versions_of(session: Session, source: str) -> list[DocumentSummary]:
    """Every stored version of `source`, oldest first."""
    rows = session.execute(select(*SUMMARY_COLUMNS).where(DocumentRow.source == source).order_by(DocumentRow.id))
    return [_to_summary(row) for row in rows]


def document_fields(session: Session, doc: Document) -> dict[str, Any]:
    """A stored document's metadata as `docs show --json` and `/api/v1/documents/{id}` give it (the
    clean text apart): one shape for both, versions included."""
    assert doc.id is not None
    versions = versions_of(session, doc.source)
    return {
        "id": doc.id,
        "name": doc.name,
        "title": doc.title,
        "lang": doc.lang,
        "published": doc.published,
        "url": doc.url,
        "source": doc.source,
        "source_name": doc.source_name,
        "content_type": doc.content_type,
        "fetched_at": doc.fetched_at.isoformat() if doc.fetched_at else None,
        "duplicate_of": doc.duplicate_of,
        "raw_sha256": doc.raw_sha256,
        "commodity_families": list(get_families(session, doc.id)),
        "cleaning_steps": list(doc.cleaning_steps),
        "version": next((n for n, v in enumerate(versions, start=1) if v.id == doc.id), 1),
        "versions": [v.id for v in versions],
        "superseded_by": next((v.superseded_by for v in versions if v.id == doc.id), None),
    }


def superseded_document_ids() -> Select[Any]:
    """A subquery: ids of documents a newer version superseded (analyses leave their facts out)."""
    return select(DocumentRow.id).where(DocumentRow.superseded_by.is_not(None))


def iter_originals_for_dedupe(session: Session, after_id: int = 0) -> Iterator[tuple[int, str, bytes | None]]:
    """(id, text_sha256, minhash) of every current document that is not itself a duplicate, oldest
    first; `after_id`: only those stored after that id (what another process added since)."""
    query = (
        select(DocumentRow.id, DocumentRow.text_sha256, DocumentRow.minhash)
        .where(DocumentRow.duplicate_of.is_(None), DocumentRow.superseded_by.is_(None), DocumentRow.id > after_id)
        .order_by(DocumentRow.id)
        .execution_options(yield_per=2000)
    )
    for row in session.execute(query):
        yield row.id, row.text_sha256, row.minhash


def originals_to_extract(
    session: Session, version: str, doc_ids: Sequence[int] = (), everything: bool = False
) -> list[tuple[int, str]]:
    """(id, source) of the originals to extract again, oldest first: those of `doc_ids`, else all of them
    (`everything`), else those not extracted by `version`."""
    query = select(DocumentRow.id, DocumentRow.source).where(DocumentRow.duplicate_of.is_(None))
    if doc_ids:
        query = query.where(DocumentRow.id.in_(list(doc_ids)))
    elif not everything:
        query = query.where(or_(DocumentRow.extracted_with.is_(None), DocumentRow.extracted_with != version))
    return [(row.id, row.source) for row in session.execute(query.order_by(DocumentRow.id))]


def record_failure(session: Session, source: str, reason: str) -> None:
    session.execute(insert(IngestFailureRow).values(source=source, reason=reason, at=_naive_utc(datetime.now(UTC))))


def recent_failures(session: Session, limit: int = 50) -> list[tuple[str, str, datetime]]:
    query = select(IngestFailureRow.source, IngestFailureRow.reason, IngestFailureRow.at)
    rows = session.execute(query.order_by(IngestFailureRow.id.desc()).limit(limit))
    return [(row.source, row.reason, row.at) for row in rows]


def store_counts(session: Session) -> StoreCounts:
    rows = session.execute(
        select(DocumentRow.lang, DocumentRow.source_name, DocumentRow.duplicate_of, DocumentRow.commodity_families)
    ).all()
    by_lang: Counter[str] = Counter()
    by_source: Counter[str] = Counter()
    by_family: Counter[str] = Counter()
    duplicates = 0
    for lang, source_name, duplicate_of, families in rows:
        if duplicate_of is not None:
            duplicates += 1
            continue
        by_lang[lang or "unknown"] += 1
        by_source[source_name or "unknown"] += 1
        by_family.update(families or ["none"])
    return StoreCounts(
        documents=len(rows),
        duplicates=duplicates,
        by_lang=by_lang,
        by_source=by_source,
        by_family=by_family,
        facts=session.scalar(select(func.count()).select_from(FactRow).where(FactRow.document_id.is_not(None))) or 0,
        events=session.scalar(select(func.count(func.distinct(EventMentionRow.event_id)))) or 0,
        event_mentions=session.scalar(select(func.count()).select_from(EventMentionRow)) or 0,
        failures=session.scalar(select(func.count()).select_from(IngestFailureRow)) or 0,
    )


def duplicate_pairs(session: Session) -> list[tuple[DocumentSummary, DocumentSummary]]:
    """(duplicate, original) for every stored duplicate, in the order they were stored."""
    duplicates = [d for d in list_documents(session) if d.duplicate_of is not None]
    originals = {
        s.id: s
        for s in map(
            _to_summary,
            session.execute(select(*SUMMARY_COLUMNS).where(DocumentRow.id.in_({d.duplicate_of for d in duplicates}))),
        )
    }
    return [
        (d, originals[d.duplicate_of]) for d in sorted(duplicates, key=lambda d: d.id) if d.duplicate_of in originals
    ]


def search(session: Session, query_text: str, limit: int = 20) -> list[SearchHit]:
    """Documents whose title or clean text contain every word of `query_text`, best first.

    SQLite uses the FTS5 trigram index (substrings, so Chinese works without word breaks);
    PostgreSQL uses the to_tsvector GIN index with prefix matching. Chinese queries, and words
    too short for trigrams, fall back to a substring scan.
    """
    terms = _terms(query_text)
    ids = search_ids(session, query_text, limit)
    if not ids:
        return []
    texts = dict(session.execute(select(DocumentRow.id, DocumentRow.clean_text).where(DocumentRow.id.in_(ids))).all())
    rows = session.execute(select(*SUMMARY_COLUMNS).where(DocumentRow.id.in_(ids)))
    summaries = {s.id: s for s in map(_to_summary, rows)}
    return [SearchHit(summaries[i], make_snippet(texts[i], terms)) for i in ids if i in summaries]


def search_ids(session: Session, query_text: str, limit: int = 20) -> list[int]:
    """The ids `search` finds, best first, without loading the documents (see `search`)."""
    terms = _terms(query_text)
    if not terms:
        return []
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite" and all(len(t) >= 3 for t in terms) and _has_trigram_index(session):
        return _sqlite_fts_ids(session, terms, limit)
    if dialect == "postgresql" and not any(_CJK.search(t) for t in terms):
        return _postgres_fts_ids(session, terms, limit)
    return _substring_ids(session, terms, limit)


def make_snippet(text_: str, terms: Sequence[str], width: int = SNIPPET_CHARS) -> str:
    """About `width` characters on one line around the whole query if the text has it, else its first word found."""
    folded = text_.casefold()
    at = -1
    for needle in (" ".join(terms), *terms):
        at = folded.find(needle.casefold())
        if at >= 0:
            break
    start = max(0, at - width // 3)
    piece = " ".join(text_[start : start + width].split())
    return ("…" if start > 0 else "") + piece + ("…" if start + width < len(text_) else "")


def _terms(query_text: str) -> list[str]:
    return [t for t in query_text.replace('"', " ").split() if t.strip()]


def _has_trigram_index(session: Session) -> bool:
    sql = session.scalar(text("SELECT sql FROM sqlite_master WHERE name = 'documents_fts'"))
    return bool(sql) and "trigram" in str(sql)


def _sqlite_fts_ids(session: Session, terms: Sequence[str], limit: int) -> list[int]:
    match = " ".join('"' + t + '"' for t in terms)  # quoted: FTS5 syntax characters in a term stay literal
    rows = session.execute(
        text(
            "SELECT rowid FROM documents_fts WHERE documents_fts MATCH :match ORDER BY bm25(documents_fts) LIMIT :limit"
        ),
        {"match": match, "limit": limit},
    )
    return [int(r[0]) for r in rows]


def _postgres_fts_ids(session: Session, terms: Sequence[str], limit: int) -> list[int]:
    words = [w for t in terms for w in _WORD.findall(t.lower())]
    if not words:
        return []
    query = " & ".join(f"{w}:*" for w in words)
    rows = session.execute(
        text(
            f"SELECT id FROM documents WHERE {PG_FTS_EXPRESSION} @@ to_tsquery('simple', :q) "
            f"ORDER BY ts_rank({PG_FTS_EXPRESSION}, to_tsquery('simple', :q)) DESC, id DESC LIMIT :limit"
        ),
        {"q": query, "limit": limit},
    )
    return [int(r[0]) for r in rows]


def _substring_ids(session: Session, terms: Sequence[str], limit: int) -> list[int]:
    conditions = [
        or_(DocumentRow.clean_text.icontains(t, autoescape=True), DocumentRow.title.icontains(t, autoescape=True))
        for t in terms
    ]
    query = select(DocumentRow.id).where(and_(*conditions)).order_by(DocumentRow.id.desc()).limit(limit)
    return [int(i) for i in session.scalars(query)]


def _to_summary(row: Any) -> DocumentSummary:
    # `row` is a Row of SUMMARY_COLUMNS; typed Any since Row's generic form differs across SQLAlchemy 2.x
    return DocumentSummary(
        id=row.id,
        name=row.name,
        title=row.title,
        lang=row.lang,
        published=row.published,
        url=row.url,
        source=row.source,
        source_name=row.source_name,
        content_type=row.content_type,
        fetched_at=row.fetched_at,
        duplicate_of=row.duplicate_of,
        commodity_families=tuple(row.commodity_families or ()),
        extracted_with=row.extracted_with,
        superseded_by=row.superseded_by,
    )


def _to_document(row: DocumentRow) -> Document:
    return Document(
        name=row.name,
        source=row.source,
        raw_sha256=row.raw_sha256,
        clean_text=row.clean_text,
        raw_text=row.raw_text,
        title=row.title,
        lang=row.lang,
        published=row.published,
        fetched_at=row.fetched_at,
        content_type=row.content_type,
        source_name=row.source_name,
        cleaning_steps=tuple(row.cleaning_steps or ()),
        duplicate_of=row.duplicate_of,
        id=row.id,
        url=row.url,
    )


def _naive_utc(moment: datetime) -> datetime:
    """Stored as naive UTC: SQLite keeps no zone, and both databases must read back the same."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def _storable(value: str) -> str:
    # PostgreSQL text cannot hold NUL; SQLite can, but the same document must store the same on both.
    return value.replace("\x00", "")


def document_titles(session: Session, document_ids: Sequence[int]) -> dict[int, str | None]:
    """Each document's title (None when it has none), for citations."""
    wanted = sorted(set(document_ids))
    out: dict[int, str | None] = {}
    for i in range(0, len(wanted), 2000):  # bounded IN lists on both databases
        rows = session.execute(
            select(DocumentRow.id, DocumentRow.title).where(DocumentRow.id.in_(wanted[i : i + 2000]))
        )
        out.update({int(doc_id): title for doc_id, title in rows})
    return out


def documents_containing(session: Session, keyword: str, after_id: int = 0, limit: int = 200) -> list[DocumentSummary]:
    """Original documents stored after `after_id` whose title or clean text contains `keyword` (any case)."""
    pattern = f"%{keyword.lower()}%"
    query = (
        select(*SUMMARY_COLUMNS)
        .where(DocumentRow.id > after_id, DocumentRow.duplicate_of.is_(None))
        .where(or_(func.lower(DocumentRow.title).like(pattern), func.lower(DocumentRow.clean_text).like(pattern)))
        .order_by(DocumentRow.id)
        .limit(limit)
    )
    return [_to_summary(row) for row in session.execute(query)]
