"""Series points: per full series key and period, its consensus (value and high, spread, independent
sources, statements), and the marks of points a write made stale.

The commodity page's key figures and charts weighed every statement of their series on each
request; they read `series_points` instead (store/series_points.py, analyze/points.py). Every
pair of the facts already stored is marked stale here: each point is computed the first time a
reader needs it (weighing is analysis, which a migration of the store does not import).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from assay.store.series_points import mark_every_pair

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def _key_columns() -> list[sa.Column[str]]:
    return [
        sa.Column("commodity", sa.String(length=40), nullable=False),
        sa.Column("form", sa.String(length=20), nullable=True),
        sa.Column("metric", sa.String(length=40), nullable=False),
        sa.Column("geo", sa.String(length=120), nullable=False),
        sa.Column("partner", sa.String(length=120), nullable=True),
        sa.Column("share_of", sa.String(length=120), nullable=True),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("period", sa.String(length=24), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "series_points",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("series", sa.String(length=600), nullable=False),
        *_key_columns(),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("value_high", sa.Float(), nullable=True),
        sa.Column("spread", sa.Float(), nullable=True),
        sa.Column("sources", sa.Integer(), nullable=False),
        sa.Column("statements", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("series", "period", name="uq_series_points"),
    )
    op.create_index("ix_series_points_key", "series_points", ["commodity", "metric", "geo", "partner"])
    op.create_table(
        "series_stale",
        sa.Column("id", sa.Integer(), nullable=False),
        *_key_columns(),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_series_stale_key", "series_stale", ["commodity", "metric", "geo", "partner"])
    mark_every_pair(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_series_stale_key", table_name="series_stale")
    op.drop_table("series_stale")
    op.drop_index("ix_series_points_key", table_name="series_points")
    op.drop_table("series_points")
