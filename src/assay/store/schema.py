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
    text,
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
    # the newer version of this document (same source, other content); its facts and events are
    # kept as history and left out of every analysis
    superseded_by: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", name="fk_documents_superseded_by"), index=True
    )

    __table_args__ = (
        UniqueConstraint("source", "raw_sha256", name="uq_documents_source_raw"),
        Index("ix_documents_source", "source"),  # a source's current version, looked up per input
    )


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
        # Same key, then every column `select_facts` reads (store/records.py), so a series or check
        # query reads index pages in key order and never the table's rows, scattered by insert
        # order. SQLite only: on PostgreSQL a long quote would exceed the btree entry size limit.
        Index(
            "ix_facts_series_covering",
            *("commodity", "metric", "geo", "partner", "period_start", "period_end", "form", "share_of", "unit"),
            *("period", "basis", "approx", "value", "value_high", "document_id", "dataset_id", "span_start"),
            *("span_end", "rule", "rule_version", "quote"),
        ).ddl_if(dialect="sqlite"),
        Index("ix_facts_metric_period", "metric", "period_start"),
        # The full series key, metric first, then what series counts read (store/series.py
        # `series_sizes`, `latest_end_by_form`): a broad query ranks its series from index pages alone.
        Index(
            "ix_facts_metric_key",
            *("metric", "commodity", "geo", "partner", "form", "share_of", "unit"),
            *("period", "period_start", "period_end", "document_id"),
        ),
        Index("ix_facts_commodity_document", "commodity", "document_id"),  # a commodity's documents (browse.py)
        # a commodity's facts in period order: checks with a limit stop reading once it is filled (0008)
        Index("ix_facts_commodity_period", "commodity", "period_start"),
        # the price board's recent quotes from index pages alone (0010): price facts only, keyed as
        # the board seeks them, holding every column its quote rows read. PostgreSQL only: SQLite's
        # covering series index already holds them.
        Index(
            "ix_facts_price_quotes",
            "commodity",
            "geo",
            "partner",
            "period_start",
            postgresql_include=["id", "form", "period", "value", "value_high", "unit", "period_end", "document_id"],
            postgresql_where=text("metric = 'price'"),
        ).ddl_if(dialect="postgresql"),
        # every price quote's charted values, by product and day: a price history is one index
        # range, no heap row (PostgreSQL) and no other form's quotes scanned (SQLite) (0011)
        Index(
            "ix_facts_price_history",
            *("metric", "commodity", "form", "period_start", "period", "period_end"),
            *("value", "value_high", "unit", "document_id"),
            sqlite_where=text("metric = 'price'"),
            postgresql_where=text("metric = 'price'"),
        ),
    )


class PriceProductRow(Base):
    """One price series key and its extent over the statements analysis reads (store/price_products.py
    keeps it by every write): the price board reads these rows, not every price statement."""

    __tablename__ = "price_products"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commodity: Mapped[str] = mapped_column(String(40), index=True)
    form: Mapped[str | None] = mapped_column(String(20))
    geo: Mapped[str] = mapped_column(String(120))
    partner: Mapped[str | None] = mapped_column(String(120))
    share_of: Mapped[str | None] = mapped_column(String(120))
    unit: Mapped[str] = mapped_column(String(16))
    statements: Mapped[int] = mapped_column(Integer)
    first_start: Mapped[dt.date] = mapped_column(Date)  # the first day of its earliest period
    latest_end: Mapped[dt.date] = mapped_column(Date)  # the last day of its latest period
    shortest_period: Mapped[int] = mapped_column(Integer)  # the shortest period text (4: a year)
    longest_period: Mapped[int] = mapped_column(Integer)  # the longest (over 10: a span)


class SeriesPointRow(Base):
    """One series point: a full series key's consensus for one period, as analysis computes it from
    the statements (store/series_points.py; recomputed by the first reader after a write marks it
    stale in `series_stale`). Charts and key figures read these rows, not every statement."""

    __tablename__ = "series_points"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    series: Mapped[str] = mapped_column(String(600))  # the full key as JSON text (its NULLs compare equal)
    commodity: Mapped[str] = mapped_column(String(40))
    form: Mapped[str | None] = mapped_column(String(20))
    metric: Mapped[str] = mapped_column(String(40))
    geo: Mapped[str] = mapped_column(String(120))
    partner: Mapped[str | None] = mapped_column(String(120))
    share_of: Mapped[str | None] = mapped_column(String(120))
    unit: Mapped[str] = mapped_column(String(16))
    period: Mapped[str] = mapped_column(String(24))
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    value: Mapped[float] = mapped_column(Float)
    value_high: Mapped[float | None] = mapped_column(Float)
    spread: Mapped[float | None] = mapped_column(Float)  # None: values around a median of zero
    sources: Mapped[int] = mapped_column(Integer)  # independent sources
    statements: Mapped[int] = mapped_column(Integer)
    __table_args__ = (
        UniqueConstraint("series", "period", name="uq_series_points"),
        Index("ix_series_points_key", "commodity", "metric", "geo", "partner"),
    )


class SeriesStaleRow(Base):
    """A series point that a write changed (a key and period; repeats allowed): the next reader of
    its key recomputes it from the statements and deletes these rows."""

    __tablename__ = "series_stale"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commodity: Mapped[str] = mapped_column(String(40))
    form: Mapped[str | None] = mapped_column(String(20))
    metric: Mapped[str] = mapped_column(String(40))
    geo: Mapped[str] = mapped_column(String(120))
    partner: Mapped[str | None] = mapped_column(String(120))
    share_of: Mapped[str | None] = mapped_column(String(120))
    unit: Mapped[str] = mapped_column(String(16))
    period: Mapped[str] = mapped_column(String(24))
    __table_args__ = (Index("ix_series_stale_key", "commodity", "metric", "geo", "partner"),)


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


# Accounts, editorial work and corrections (migration 0003). Times are naive UTC, as fetched_at.


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(10))  # reader, analyst, admin
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class LoginSessionRow(Base):
    """A portal login; the cookie carries the token, the table only its SHA-256, so a copy of the
    database opens no session."""

    __tablename__ = "login_sessions"

    token_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)


class ApiKeyRow(Base):
    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    prefix: Mapped[str] = mapped_column(String(16))  # shown in listings so a user can tell keys apart
    key_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class LoginFailureRow(Base):
    """Failed logins, counted per account and per address over a window to refuse guessing."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account: Mapped[str] = mapped_column(String(80), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)


class SettingRow(Base):
    __tablename__ = "settings"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class FactCorrectionRow(Base):
    """An analyst's correction or rejection of one extracted fact.

    The fact is named by what survives re-extraction: its document, quote span and rule name.
    `fact_id` points at the row the correction is applied to now and follows it when the
    document is re-extracted. `before` and `after` are the fact's fields as JSON (after is None
    for a rejection). A newer correction of the same fact supersedes older ones; all are kept."""

    __tablename__ = "fact_corrections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fact_id: Mapped[int | None] = mapped_column(ForeignKey("facts.id", ondelete="SET NULL"), index=True)
    first_fact_id: Mapped[int] = mapped_column(Integer, index=True)  # the id the analyst saw
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    span_start: Mapped[int] = mapped_column(Integer)
    span_end: Mapped[int] = mapped_column(Integer)
    rule: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(10))  # correct, reject
    before: Mapped[dict[str, object]] = mapped_column(JSON)
    after: Mapped[dict[str, object] | None] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text)
    user_name: Mapped[str] = mapped_column(String(80))
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    superseded: Mapped[bool] = mapped_column(Boolean, default=False)


class ArticleRow(Base):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(12))  # news, blog, interview, analysis, report
    lang: Mapped[str] = mapped_column(String(8))
    commodities: Mapped[list[str]] = mapped_column(JSON, default=list)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    body: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(10), index=True)  # draft, published, withdrawn
    version: Mapped[int] = mapped_column(Integer)  # optimistic concurrency: a save names the version it edits
    author: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime, index=True)


class ArticleVersionRow(Base):
    """Every saved state of an article: the editing history."""

    __tablename__ = "article_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(10))
    user_name: Mapped[str] = mapped_column(String(80))
    saved_at: Mapped[dt.datetime] = mapped_column(DateTime)

    __table_args__ = (UniqueConstraint("article_id", "version", name="uq_article_versions"),)


class AuditRow(Base):
    """Everything an analyst or admin did: who, when, what, on which object, with details."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    user_name: Mapped[str] = mapped_column(String(80), index=True)
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str] = mapped_column(String(120))
    detail: Mapped[dict[str, object]] = mapped_column(JSON)


class WatchRuleRow(Base):
    """A subscriber's standing question: which facts or events to be told about, and where."""

    __tablename__ = "watch_rules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commodity: Mapped[str] = mapped_column(String(40), index=True)
    metric: Mapped[str | None] = mapped_column(String(40))
    geo: Mapped[str | None] = mapped_column(String(120))
    change_pct: Mapped[float | None] = mapped_column(Float)
    event_type: Mapped[str | None] = mapped_column(String(40))
    keyword: Mapped[str | None] = mapped_column(String(200))
    notify: Mapped[str] = mapped_column(Text)  # mailto:... or http(s)://...
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    # facts and events with an id above these marks were not yet evaluated by `watch run`
    last_fact_id: Mapped[int] = mapped_column(Integer, default=0)
    last_event_id: Mapped[int] = mapped_column(Integer, default=0)
    last_document_id: Mapped[int] = mapped_column(Integer, default=0)


class NotificationRow(Base):
    """The outbox: one row per message to send; `key` makes a match send once, `state` tracks delivery."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)  # rule id + what matched
    rule_id: Mapped[int | None] = mapped_column(ForeignKey("watch_rules.id", ondelete="SET NULL"), index=True)
    target: Mapped[str] = mapped_column(Text)
    subject: Mapped[str] = mapped_column(Text)
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    payload: Mapped[dict[str, object]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(10), index=True)  # pending, sending, sent, failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class CrawlSourceRow(Base):
    """A URL `assay crawl` fetches on a schedule, with what conditional GET and backoff need."""

    __tablename__ = "crawl_sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(Text, unique=True)
    kind: Mapped[str] = mapped_column(String(10))  # feed, sitemap, page
    every_s: Mapped[int] = mapped_column(Integer)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    next_due: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    backoff_s: Mapped[int] = mapped_column(Integer, default=0)
    last_crawled_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    added_at: Mapped[dt.datetime] = mapped_column(DateTime)


class CrawlPageRow(Base):
    """Validators of a page reached through a feed or sitemap, so the next crawl asks only for changes."""

    __tablename__ = "crawl_pages"

    url: Mapped[str] = mapped_column(String(2000), primary_key=True)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    checked_at: Mapped[dt.datetime] = mapped_column(DateTime)


class CrawlLogRow(Base):
    """One line per fetch outcome: what was fetched, and what happened (ok, unchanged, error)."""

    __tablename__ = "crawl_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_sources.id", ondelete="SET NULL"), index=True)
    url: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(String(12))  # added, unchanged, not-modified, error
    message: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
