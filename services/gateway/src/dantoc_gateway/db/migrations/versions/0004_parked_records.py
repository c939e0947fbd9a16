"""Records set aside by the quarantine rule (parked, and the outbox of their dead letters); the disaggregation
columns at the contracts' code width (`dantoc_contracts.bounds.CODE_WIDTH`, was 16).

SQLite does not enforce VARCHAR lengths, so only PostgreSQL's columns are widened.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from dantoc_contracts.bounds import CODE_WIDTH
from dantoc_contracts.quarantine import MAX_REASON_CHARS

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_CELL = ("ethnic_group", "sex", "age_group", "residence")
_TABLES = ("aggregates", "aggregate_deletions")


def upgrade() -> None:
    op.create_table(
        "parked_records",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("topic", sa.String(200), nullable=False),
        sa.Column("partition", sa.Integer, nullable=False),
        sa.Column("offset", sa.BigInteger, nullable=False),
        sa.Column("key", sa.LargeBinary),
        sa.Column("value", sa.LargeBinary),
        sa.Column("reason", sa.String(MAX_REASON_CHARS), nullable=False),
        sa.Column("error_class", sa.String(200), nullable=False),
        sa.Column("consumer", sa.String(200), nullable=False),
        sa.Column("parked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("dead_lettered", sa.Boolean, nullable=False),
    )
    op.create_index(
        "ix_parked_records_source", "parked_records", ["topic", "partition", "offset", "consumer"], unique=True
    )
    op.create_index("ix_parked_records_dead_lettered", "parked_records", ["dead_lettered"])
    if op.get_bind().dialect.name == "postgresql":
        for table in _TABLES:
            for column in _CELL:
                op.alter_column(table, column, type_=sa.String(CODE_WIDTH), existing_nullable=False)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in _TABLES:
            for column in _CELL:
                op.alter_column(table, column, type_=sa.String(16), existing_nullable=False)
    op.drop_index("ix_parked_records_dead_lettered", "parked_records")
    op.drop_index("ix_parked_records_source", "parked_records")
    op.drop_table("parked_records")
