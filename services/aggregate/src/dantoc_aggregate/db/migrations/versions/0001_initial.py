"""Initial tables: leaf cells, aggregates (with the outbox marker), consumer offsets, counters.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from dantoc_aggregate.db.models import ExactDecimal

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "leaf_cells",
        sa.Column("gkey", sa.String, primary_key=True),
        sa.Column("dkey", sa.String, primary_key=True),
        sa.Column("indicator", sa.String(4), nullable=False),
        sa.Column("unit", sa.String(5), nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("depth", sa.Integer, nullable=False),
        sa.Column("n1", sa.String(5)),
        sa.Column("n2", sa.String(5)),
        sa.Column("n3", sa.String(5)),
        sa.Column("dims_rank", sa.Integer, nullable=False),
        sa.Column("d_ethnic", sa.String, nullable=False),
        sa.Column("d_sex", sa.String, nullable=False),
        sa.Column("d_age", sa.String, nullable=False),
        sa.Column("d_residence", sa.String, nullable=False),
        sa.Column("value", ExactDecimal),
        sa.Column("no_data", sa.Boolean, nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("accepted_us", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_leaf_cells_indicator_period", "leaf_cells", ["indicator", "period"])
    op.create_table(
        "aggregates",
        sa.Column("akey", sa.String, primary_key=True),
        sa.Column("indicator", sa.String(4), nullable=False),
        sa.Column("unit", sa.String(5), nullable=False),
        sa.Column("depth", sa.Integer, nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("dkey", sa.String, nullable=False),
        sa.Column("aggregation", sa.String(8), nullable=False),
        sa.Column("total", ExactDecimal, nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
        sa.Column("low", ExactDecimal),
        sa.Column("high", ExactDecimal),
        sa.Column("value", ExactDecimal),
        sa.Column("numerator", ExactDecimal),
        sa.Column("denominator", ExactDecimal),
        sa.Column("reported", sa.Integer, nullable=False),
        sa.Column("no_data", sa.Integer, nullable=False),
        sa.Column("expected", sa.Integer),
        sa.Column("newest_us", sa.BigInteger, nullable=False),
        sa.Column("changed_seq", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "consumer_offsets",
        sa.Column("topic", sa.String, primary_key=True),
        sa.Column("partition", sa.Integer, primary_key=True),
        sa.Column("next_offset", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "counters",
        sa.Column("name", sa.String, primary_key=True),
        sa.Column("value", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    for table in ("counters", "consumer_offsets", "aggregates", "leaf_cells"):
        op.drop_table(table)
