"""Query: an index that lets broad queries count their series in SQL from index pages alone.

`ix_facts_metric_key` holds the metric, then the rest of the full series key, then the period and
the columns the counts read. Ranking the series of an all-partner query (periods per key), the
price products (statements per unit) and the latest price period read this index in key order,
never the table's rows, on SQLite and PostgreSQL alike. `ix_facts_commodity_document` counts a
commodity's facts per document (the commodity page's documents) from index pages too.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

COLUMNS = [
    *("metric", "commodity", "geo", "partner", "form", "share_of", "unit"),
    *("period", "period_start", "period_end", "document_id"),
]


def upgrade() -> None:
    op.create_index("ix_facts_metric_key", "facts", COLUMNS)
    op.create_index("ix_facts_commodity_document", "facts", ["commodity", "document_id"])


def downgrade() -> None:
    op.drop_index("ix_facts_commodity_document", table_name="facts")
    op.drop_index("ix_facts_metric_key", table_name="facts")
