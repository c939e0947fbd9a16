"""Versions of (indicator, period) pairs: keys of cached answers, shared by every worker of the read model.

Revision ID: 0002
Revises: 0001
Create Date: 2025-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cell_versions",
        sa.Column("indicator", sa.String(4), primary_key=True),
        sa.Column("period", sa.String(7), primary_key=True),
        sa.Column("version", sa.BigInteger, nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_cell_versions_changed", "cell_versions", ["changed_at"])


def downgrade() -> None:
    op.drop_table("cell_versions")
