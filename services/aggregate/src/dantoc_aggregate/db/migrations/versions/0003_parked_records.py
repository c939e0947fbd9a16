"""Records set aside by the quarantine rule (a poison record, an event too large to publish), and the writer's
fencing generation (a row of `counters`, created on demand: no schema change).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "parked_records",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("topic", sa.String(255), nullable=False),
        sa.Column("partition", sa.Integer, nullable=False),
        sa.Column("offset", sa.BigInteger, nullable=False),
        sa.Column("key", sa.LargeBinary),
        sa.Column("value", sa.LargeBinary),
        sa.Column("reason", sa.String(2000), nullable=False),
        sa.Column("error_class", sa.String(200), nullable=False),
        sa.Column("consumer", sa.String(200), nullable=False),
        sa.Column("parked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("dead_lettered", sa.Boolean, nullable=False),
    )
    op.create_index("ix_parked_records_source", "parked_records", ["topic", "partition", "offset"])
    op.create_index("ix_parked_records_dead_lettered", "parked_records", ["dead_lettered"])


def downgrade() -> None:
    op.drop_index("ix_parked_records_dead_lettered", "parked_records")
    op.drop_index("ix_parked_records_source", "parked_records")
    op.drop_table("parked_records")
