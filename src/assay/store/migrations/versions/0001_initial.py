"""The initial schema: documents (with full-text search), datasets, facts, events, failures.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Substring search that works for Chinese (no spaces between words) needs the trigram
# tokenizer (SQLite >= 3.34); older SQLite falls back to word tokens.
TRIGRAM_SINCE = (3, 34, 0)
FACTS_SERIES_COVERING = (
    *("commodity", "metric", "geo", "partner", "period_start", "period_end", "form", "share_of", "unit"),
    *("period", "basis", "approx", "value", "value_high", "document_id", "dataset_id", "span_start"),
    *("span_end", "rule", "rule_version", "quote"),
)
# PostgreSQL refuses a tsvector over 1 MB, so the index covers the first 200k characters.
PG_FTS_CHARS = 200_000


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("source_name", sa.String(length=300), nullable=True),
        sa.Column("raw_sha256", sa.String(length=64), nullable=False),
        sa.Column("text_sha256", sa.String(length=64), nullable=False),
        sa.Column("fetched_at", sa.DateTime(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("lang", sa.String(length=8), nullable=True),
        sa.Column("published", sa.String(length=10), nullable=True),
        sa.Column("content_type", sa.String(length=16), nullable=True),
        sa.Column("raw_text", sa.Text(), nullable=False),
        sa.Column("clean_text", sa.Text(), nullable=False),
        sa.Column("cleaning_steps", sa.JSON(), nullable=False),
        sa.Column("commodity_families", sa.JSON(), nullable=False),
        sa.Column("duplicate_of", sa.Integer(), nullable=True),
        sa.Column("minhash", sa.LargeBinary(), nullable=True),
        sa.Column("extracted_with", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["duplicate_of"], ["documents.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source", "raw_sha256", name="uq_documents_source_raw"),
    )
    for column in ("name", "source_name", "raw_sha256", "text_sha256", "lang", "published", "duplicate_of"):
        op.create_index(f"ix_documents_{column}", "documents", [column])

    op.create_table(
        "datasets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("official", sa.Boolean(), nullable=False),
        sa.Column("published", sa.String(length=10), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )

    op.create_table(
        "facts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("dataset_id", sa.Integer(), nullable=True),
        sa.Column("commodity", sa.String(length=40), nullable=False),
        sa.Column("form", sa.String(length=20), nullable=True),
        sa.Column("metric", sa.String(length=40), nullable=False),
        sa.Column("geo", sa.String(length=120), nullable=False),
        sa.Column("partner", sa.String(length=120), nullable=True),
        sa.Column("share_of", sa.String(length=120), nullable=True),
        sa.Column("period", sa.String(length=24), nullable=True),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("value_high", sa.Float(), nullable=True),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("basis", sa.String(length=10), nullable=False),
        sa.Column("approx", sa.String(length=1), nullable=True),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("span_start", sa.Integer(), nullable=False),
        sa.Column("span_end", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=80), nullable=False),
        sa.Column("rule_version", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(["dataset_id"], ["datasets.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_facts_document_id", "facts", ["document_id"])
    op.create_index("ix_facts_dataset_id", "facts", ["dataset_id"])
    if op.get_bind().dialect.name == "sqlite":
        # covering: a series query reads index pages only (see schema.py)
        op.create_index("ix_facts_series_covering", "facts", list(FACTS_SERIES_COVERING))
    else:
        op.create_index("ix_facts_series", "facts", ["commodity", "metric", "geo", "partner", "period_start"])
    op.create_index("ix_facts_metric_period", "facts", ["metric", "period_start"])

    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("date", sa.String(length=24), nullable=True),
        sa.Column("date_start", sa.Date(), nullable=True),
        sa.Column("commodities", sa.JSON(), nullable=False),
        sa.Column("geo", sa.String(length=120), nullable=True),
        sa.Column("stance", sa.String(length=10), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    for column in ("type", "actor", "date", "date_start"):
        op.create_index(f"ix_events_{column}", "events", [column])

    op.create_table(
        "event_commodities",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("commodity", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("event_id", "commodity"),
    )
    op.create_index("ix_event_commodities_commodity", "event_commodities", ["commodity"])

    op.create_table(
        "event_mentions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("span_start", sa.Integer(), nullable=False),
        sa.Column("span_end", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=80), nullable=False),
        sa.Column("rule_version", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id", "document_id", "quote", name="uq_event_mentions"),
    )
    op.create_index("ix_event_mentions_event_id", "event_mentions", ["event_id"])
    op.create_index("ix_event_mentions_document_id", "event_mentions", ["document_id"])

    op.create_table(
        "ingest_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )

    dialect = op.get_bind().dialect
    if dialect.name == "sqlite":
        _create_sqlite_fts(dialect.dbapi)
    elif dialect.name == "postgresql":
        op.execute(
            "CREATE INDEX ix_documents_fts ON documents USING gin "
            f"(to_tsvector('simple', coalesce(title, '') || ' ' || left(clean_text, {PG_FTS_CHARS})))"
        )


def _create_sqlite_fts(dbapi: object) -> None:
    version = tuple(getattr(dbapi, "sqlite_version_info", (0, 0, 0)))
    tokenizer = "trigram" if version >= TRIGRAM_SINCE else "unicode61"
    # External content: the index reads title and clean_text from `documents`, triggers keep it in step.
    op.execute(
        "CREATE VIRTUAL TABLE documents_fts USING fts5("
        f"title, clean_text, content='documents', content_rowid='id', tokenize='{tokenizer}')"
    )
    op.execute(
        "CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN "
        "INSERT INTO documents_fts(rowid, title, clean_text) VALUES (new.id, new.title, new.clean_text); END"
    )
    op.execute(
        "CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN "
        "INSERT INTO documents_fts(documents_fts, rowid, title, clean_text) "
        "VALUES ('delete', old.id, old.title, old.clean_text); END"
    )
    op.execute(
        "CREATE TRIGGER documents_fts_update AFTER UPDATE OF title, clean_text ON documents BEGIN "
        "INSERT INTO documents_fts(documents_fts, rowid, title, clean_text) "
        "VALUES ('delete', old.id, old.title, old.clean_text); "
        "INSERT INTO documents_fts(rowid, title, clean_text) VALUES (new.id, new.title, new.clean_text); END"
    )


def downgrade() -> None:
    dialect = op.get_bind().dialect
    if dialect.name == "sqlite":
        for trigger in ("documents_fts_insert", "documents_fts_delete", "documents_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS documents_fts")
    elif dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_documents_fts")
    for table in ("ingest_failures", "event_mentions", "event_commodities", "events", "facts", "datasets"):
        op.drop_table(table)
    op.drop_table("documents")
