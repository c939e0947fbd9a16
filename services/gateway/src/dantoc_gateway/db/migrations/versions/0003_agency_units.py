"""Units each agency has submitted values for (from the accepted-values topic): what agency tokens may read.

Revision ID: 0003
Revises: 0002
Create Date: 2026-05-02
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
        "agency_units",
        sa.Column("agency", sa.String(40), primary_key=True),
        sa.Column("unit_code", sa.String(5), primary_key=True),
        sa.Column("first_period", sa.String(7), nullable=False),
        sa.Column("first_submission_id", sa.String(200), nullable=False),
        sa.Column("first_accepted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source_partition", sa.Integer, nullable=False),
        sa.Column("source_offset", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("agency_units")
