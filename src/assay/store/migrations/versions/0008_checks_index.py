"""Checks index: a commodity's facts in period order.

`ix_facts_commodity_period` (commodity, period_start) lets checks with a limit (`assay check --json
--limit N`, the dashboard's contradictions) read a commodity's facts in period order and stop once
the limit is filled, instead of sorting every fact of the commodity first (SQLite) or visiting the
heap row of each (PostgreSQL's ordered scan of the series index). Full check runs read their facts
unordered (store/records.py `fact_rows`), so no planner walks this index for them.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_facts_commodity_period", "facts", ["commodity", "period_start"])


def downgrade() -> None:
    op.drop_index("ix_facts_commodity_period", table_name="facts")
