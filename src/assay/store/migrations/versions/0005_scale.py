"""Scale: the near-duplicate index kept in the store, and an index for merging events by key.

`document_bands` holds the LSH band keys of every original document, filled here from the
signatures already stored, so ingest no longer loads them all into memory on every run.
`ix_events_type_start_actor` lets event merging read only the candidates of one type and month.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from assay.clean.dedupe import band_hashes

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

BACKFILL_BATCH = 2000


def upgrade() -> None:
    op.create_table(
        "document_bands",
        sa.Column("band", sa.BigInteger(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("band", "document_id"),
    )
    op.create_index("ix_events_type_start_actor", "events", ["type", "date_start", "actor"])
    _backfill_bands()


def _backfill_bands() -> None:
    """Band keys of the stored originals, read a page at a time so a large store fits in memory."""
    connection = op.get_bind()
    bands = sa.table("document_bands", sa.column("band", sa.BigInteger()), sa.column("document_id", sa.Integer()))
    page = sa.text(
        "SELECT id, minhash FROM documents WHERE duplicate_of IS NULL AND minhash IS NOT NULL AND id > :after"
        " ORDER BY id LIMIT :size"
    )
    after = 0
    while originals := connection.execute(page, {"after": after, "size": BACKFILL_BATCH}).all():
        rows = [
            {"band": band, "document_id": doc_id}
            for doc_id, minhash in originals
            for band in sorted(set(band_hashes(bytes(minhash))))
        ]
        if rows:
            connection.execute(sa.insert(bands), rows)
        after = originals[-1][0]


def downgrade() -> None:
    op.drop_index("ix_events_type_start_actor", table_name="events")
    op.drop_table("document_bands")
