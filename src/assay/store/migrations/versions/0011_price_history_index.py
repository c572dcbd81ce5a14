"""Price history index: every price quote's charted values in the index itself.

`ix_facts_price_history` (metric, commodity, form, period_start, then period, period_end, value,
value_high, unit, document_id), partial on `metric = 'price'`, holds all that a price history
(`analyze.portal.price_history`, the commodity page's chart and /prices/<commodity>) and a latest
price day per form (`store.series.latest_end_by_form`) read of each quote. A product's 30 years of
daily quotes are then one index range read alone: on PostgreSQL the series indexes cannot hold the
value, so each quote was a heap row (8,000 quotes of one product on 6,800 heap pages of the 1M-fact
bench store; about 100 index pages now); on SQLite the covering series index holds the value but
not the form before the day, so every quote of the commodity's other forms was scanned too.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

COLUMNS = [
    *("metric", "commodity", "form", "period_start", "period", "period_end"),
    *("value", "value_high", "unit", "document_id"),
]


def upgrade() -> None:
    price = sa.text("metric = 'price'")
    op.create_index("ix_facts_price_history", "facts", COLUMNS, sqlite_where=price, postgresql_where=price)


def downgrade() -> None:
    op.drop_index("ix_facts_price_history", table_name="facts")
