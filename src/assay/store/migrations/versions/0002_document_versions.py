"""Document versions: a document whose source was stored again with other content is superseded.

`documents.superseded_by` names the newer version; the superseded document, its facts and its
event mentions stay (history) and every analysis leaves them out.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # SQLite accepts a REFERENCES clause on an added NULL column; Alembic's way (batch mode)
        # would copy the table, and the copy would lose the full-text triggers
        op.execute(
            "ALTER TABLE documents ADD COLUMN superseded_by INTEGER "
            "CONSTRAINT fk_documents_superseded_by REFERENCES documents (id)"
        )
    else:
        op.add_column("documents", sa.Column("superseded_by", sa.Integer(), nullable=True))
        op.create_foreign_key("fk_documents_superseded_by", "documents", "documents", ["superseded_by"], ["id"])
    op.create_index("ix_documents_superseded_by", "documents", ["superseded_by"])
    op.create_index("ix_documents_source", "documents", ["source"])


def downgrade() -> None:
    op.drop_index("ix_documents_source", table_name="documents")
    op.drop_index("ix_documents_superseded_by", table_name="documents")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("superseded_by")
