"""Read model: aggregates, deletions for the change feed, feed positions.

Revision ID: 0001
Revises:
Create Date: 2025-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_CELL = ("ethnic_group", "sex", "age_group", "residence")


def _cell_columns() -> list[sa.Column[str]]:
    return [sa.Column(name, sa.String(16), nullable=False) for name in _CELL]


def upgrade() -> None:
    ts = sa.DateTime(timezone=True)
    op.create_table(
        "aggregates",
        sa.Column("key", sa.String(120), primary_key=True),
        sa.Column("indicator", sa.String(4), nullable=False),
        sa.Column("group_code", sa.String(2), nullable=False),
        sa.Column("unit_code", sa.String(5), nullable=False),
        sa.Column("unit_level", sa.String(10), nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        *_cell_columns(),
        sa.Column("aggregation", sa.String(10), nullable=False),
        sa.Column("value", sa.String(64)),
        sa.Column("numerator", sa.String(64)),
        sa.Column("denominator", sa.String(64)),
        sa.Column("count", sa.Integer, nullable=False),
        sa.Column("expected", sa.Integer),
        sa.Column("reported", sa.Integer),
        sa.Column("no_data", sa.Integer),
        sa.Column("silent", sa.Integer),
        sa.Column("newest_accepted_at", ts),
        sa.Column("computed_at", ts, nullable=False),
        sa.Column("updated_at", ts, nullable=False),
        sa.Column("source_partition", sa.Integer, nullable=False),
        sa.Column("source_offset", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_aggregates_cell", "aggregates", ["indicator", "unit_code", "period", *_CELL])
    op.create_index("ix_aggregates_level", "aggregates", ["indicator", "period", "unit_level"])
    op.create_index("ix_aggregates_unit_period", "aggregates", ["unit_code", "period"])
    op.create_index("ix_aggregates_group", "aggregates", ["group_code", "period"])
    op.create_index("ix_aggregates_updated", "aggregates", ["updated_at", "key"])
    op.create_table(
        "aggregate_deletions",
        sa.Column("key", sa.String(120), primary_key=True),
        sa.Column("indicator", sa.String(4), nullable=False),
        sa.Column("unit_code", sa.String(5), nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        *_cell_columns(),
        sa.Column("deleted_at", ts, nullable=False),
        sa.Column("source_partition", sa.Integer, nullable=False),
        sa.Column("source_offset", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_deletions_deleted", "aggregate_deletions", ["deleted_at", "key"])
    op.create_table(
        "feed_positions",
        sa.Column("topic", sa.String(200), primary_key=True),
        sa.Column("partition", sa.Integer, primary_key=True),
        sa.Column("next_offset", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("feed_positions")
    op.drop_table("aggregate_deletions")
    op.drop_table("aggregates")
