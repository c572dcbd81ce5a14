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
    if op.get_bind().dialect.name == "sqlite" and _has_column():
        pass  # left in place, empty, by a SQLite downgrade (see below)
    elif op.get_bind().dialect.name == "sqlite":
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
    if op.get_bind().dialect.name == "sqlite":
        # SQLite drops a column with a REFERENCES clause only by copying the table, and dropping the old
        # documents table would cascade-delete every fact and lose the full-text triggers. The column
        # stays, emptied; 0001's code never reads it and upgrading again finds it in place.
        op.execute("UPDATE documents SET superseded_by = NULL")
        return
    op.drop_constraint("fk_documents_superseded_by", "documents", type_="foreignkey")
    op.drop_column("documents", "superseded_by")


def _has_column() -> bool:
    return any(column["name"] == "superseded_by" for column in sa.inspect(op.get_bind()).get_columns("documents"))
