"""The database schema (SQLAlchemy 2), the same on SQLite and PostgreSQL.

Alembic migrations under `migrations/` create exactly these tables; a test compares them.
Reference data (USGS tables, price series) lives in `facts` too, with `dataset_id` set
instead of `document_id`, so that one series query serves news and official figures alike.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class DocumentRow(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300), index=True)  # FactSpec doc id
    source: Mapped[str] = mapped_column(Text)  # URL or path as given
    url: Mapped[str | None] = mapped_column(Text)
    source_name: Mapped[str | None] = mapped_column(String(300), index=True)
    raw_sha256: Mapped[str] = mapped_column(String(64), index=True)
    text_sha256: Mapped[str] = mapped_column(String(64), index=True)
    fetched_at: Mapped[dt.datetime] = mapped_column(DateTime)
    title: Mapped[str | None] = mapped_column(Text)
    lang: Mapped[str | None] = mapped_column(String(8), index=True)
    published: Mapped[str | None] = mapped_column(String(10), index=True)
    content_type: Mapped[str | None] = mapped_column(String(16))
    raw_text: Mapped[str] = mapped_column(Text)
    clean_text: Mapped[str] = mapped_column(Text)
    cleaning_steps: Mapped[list[str]] = mapped_column(JSON)
    commodity_families: Mapped[list[str]] = mapped_column(JSON, default=list)
    duplicate_of: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), index=True)
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)
    extracted_with: Mapped[str | None] = mapped_column(String(64))  # extractor version last run

    __table_args__ = (UniqueConstraint("source", "raw_sha256", name="uq_documents_source_raw"),)


class DocumentBandRow(Base):
    """The near-duplicate index kept in the store: one row per LSH band key of an original document
    (`clean.dedupe.band_hashes`), so a new document finds its candidates with one indexed lookup
    instead of a run loading every signature into memory."""

    __tablename__ = "document_bands"

    band: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)


class DatasetRow(Base):
    __tablename__ = "datasets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)  # usgs-mcs2024-mgmet_world
    kind: Mapped[str] = mapped_column(String(32))  # usgs-mcs, prices
    source: Mapped[str] = mapped_column(Text)  # the file it came from
    sha256: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime)
    official: Mapped[bool] = mapped_column(Boolean, default=True)
    # when the publisher released it (MCS2024: 2024-01-31), for "the freshest statement"
    published: Mapped[str | None] = mapped_column(String(10))


class FactRow(Base):
    __tablename__ = "facts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    dataset_id: Mapped[int | None] = mapped_column(ForeignKey("datasets.id", ondelete="CASCADE"), index=True)
    commodity: Mapped[str] = mapped_column(String(40))
    form: Mapped[str | None] = mapped_column(String(20))
    metric: Mapped[str] = mapped_column(String(40))
    geo: Mapped[str] = mapped_column(String(120))
    partner: Mapped[str | None] = mapped_column(String(120))
    share_of: Mapped[str | None] = mapped_column(String(120))
    period: Mapped[str | None] = mapped_column(String(24))
    period_start: Mapped[dt.date | None] = mapped_column(Date)
    period_end: Mapped[dt.date | None] = mapped_column(Date)
    value: Mapped[float] = mapped_column(Float)
    value_high: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(16))
    basis: Mapped[str] = mapped_column(String(10))
    approx: Mapped[str | None] = mapped_column(String(1))
    quote: Mapped[str] = mapped_column(Text)
    span_start: Mapped[int] = mapped_column(Integer, default=-1)
    span_end: Mapped[int] = mapped_column(Integer, default=-1)
    rule: Mapped[str] = mapped_column(String(80))
    rule_version: Mapped[str] = mapped_column(String(20))

    __table_args__ = (
        # partner before period: a series query names commodity, metric, place and often a partner.
        # PostgreSQL reads the rest from the heap; SQLite gets the covering form below instead.
        Index("ix_facts_series", "commodity", "metric", "geo", "partner", "period_start").ddl_if(dialect="postgresql"),
        # Same key, then every column `select_facts` reads (store/series.py), so a series or check
        # query reads index pages in key order and never the table's rows, scattered by insert
        # order. SQLite only: on PostgreSQL a long quote would exceed the btree entry size limit.
        Index(
            "ix_facts_series_covering",
            *("commodity", "metric", "geo", "partner", "period_start", "period_end", "form", "share_of", "unit"),
            *("period", "basis", "approx", "value", "value_high", "document_id", "dataset_id", "span_start"),
            *("span_end", "rule", "rule_version", "quote"),
        ).ddl_if(dialect="sqlite"),
        Index("ix_facts_metric_period", "metric", "period_start"),
    )


class EventRow(Base):
    """One real-world event; each document that reports it is an EventMentionRow."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)  # type|date|commodities|actor, for merging
    type: Mapped[str] = mapped_column(String(40), index=True)
    actor: Mapped[str] = mapped_column(String(120), index=True)
    date: Mapped[str | None] = mapped_column(String(24), index=True)
    date_start: Mapped[dt.date | None] = mapped_column(Date, index=True)
    commodities: Mapped[list[str]] = mapped_column(JSON)
    geo: Mapped[str | None] = mapped_column(String(120))
    stance: Mapped[str] = mapped_column(String(10))

    # merging reads only the events of the new report's type and month (or undated, with its actor)
    __table_args__ = (Index("ix_events_type_start_actor", "type", "date_start", "actor"),)


class EventCommodityRow(Base):
    """Lets `assay events --commodity` filter with an index on both databases."""

    __tablename__ = "event_commodities"

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    commodity: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)


class EventMentionRow(Base):
    __tablename__ = "event_mentions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    quote: Mapped[str] = mapped_column(Text)
    span_start: Mapped[int] = mapped_column(Integer, default=-1)
    span_end: Mapped[int] = mapped_column(Integer, default=-1)
    rule: Mapped[str] = mapped_column(String(80))
    rule_version: Mapped[str] = mapped_column(String(20))

    __table_args__ = (UniqueConstraint("event_id", "document_id", "quote", name="uq_event_mentions"),)


class IngestFailureRow(Base):
    """Inputs that could not be ingested, with the reason, so a summary can list them later."""

    __tablename__ = "ingest_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
