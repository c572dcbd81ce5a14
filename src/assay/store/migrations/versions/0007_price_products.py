"""Price products: per price series key, its statements, first and last day and period lengths.

The price board read these from every price statement's index entry on each request (about 400 ms
at a million facts); `price_products` holds them, kept by every write (store/price_products.py),
and is filled here from the facts already stored.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from assay.store.price_products import rebuild_price_products

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "price_products",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commodity", sa.String(length=40), nullable=False),
        sa.Column("form", sa.String(length=20), nullable=True),
        sa.Column("geo", sa.String(length=120), nullable=False),
        sa.Column("partner", sa.String(length=120), nullable=True),
        sa.Column("share_of", sa.String(length=120), nullable=True),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("statements", sa.Integer(), nullable=False),
        sa.Column("first_start", sa.Date(), nullable=False),
        sa.Column("latest_end", sa.Date(), nullable=False),
        sa.Column("shortest_period", sa.Integer(), nullable=False),
        sa.Column("longest_period", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_price_products_commodity", "price_products", ["commodity"])
    rebuild_price_products(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_price_products_commodity", table_name="price_products")
    op.drop_table("price_products")
