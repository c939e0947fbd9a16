"""Initial schema: submissions, cells, cell_versions, outbox, consumer_offsets.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from dantoc_ingest.db.models import BigId, UtcDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "submissions",
        sa.Column("submission_id", sa.String(100), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("agency", sa.String(40), nullable=False),
        sa.Column("unit_code", sa.String(20), nullable=False),
        sa.Column("period", sa.String(20), nullable=False),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("submitted_by", sa.String(200), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("received_at", UtcDateTime(), nullable=False),
        sa.Column("decided_at", UtcDateTime(), nullable=True),
        sa.Column("published_at", UtcDateTime(), nullable=True),
        sa.Column("value_count", sa.Integer(), nullable=False),
        sa.Column("changed_count", sa.Integer(), nullable=False),
        sa.Column("problem_count", sa.Integer(), nullable=False),
        sa.Column("report", sa.Text(), nullable=True),
        sa.Column("draft", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("submission_id", name="pk_submissions"),
    )
    op.create_index("ix_submissions_status_received_at", "submissions", ["status", "received_at"])
    op.create_table(
        "cells",
        sa.Column("unit_code", sa.String(20), nullable=False),
        sa.Column("period", sa.String(20), nullable=False),
        sa.Column("indicator", sa.String(10), nullable=False),
        sa.Column("disaggregation_key", sa.String(100), nullable=False),
        sa.Column("value", sa.String(80), nullable=True),
        sa.Column("no_data", sa.Boolean(), nullable=False),
        sa.Column("no_data_reason", sa.Text(), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.String(100), nullable=False),
        sa.Column("agency", sa.String(40), nullable=False),
        sa.Column("accepted_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("unit_code", "period", "indicator", "disaggregation_key", name="pk_cells"),
    )
    op.create_table(
        "cell_versions",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("unit_code", sa.String(20), nullable=False),
        sa.Column("period", sa.String(20), nullable=False),
        sa.Column("indicator", sa.String(10), nullable=False),
        sa.Column("disaggregation_key", sa.String(100), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(10), nullable=False),
        sa.Column("value", sa.String(80), nullable=True),
        sa.Column("no_data", sa.Boolean(), nullable=False),
        sa.Column("no_data_reason", sa.Text(), nullable=True),
        sa.Column("original_ethnic", sa.String(20), nullable=True),
        sa.Column("submission_id", sa.String(100), nullable=False),
        sa.Column("agency", sa.String(40), nullable=False),
        sa.Column("submitted_by", sa.String(200), nullable=False),
        sa.Column("accepted_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_cell_versions"),
    )
    op.create_index(
        "uq_cell_versions_cell_revision",
        "cell_versions",
        ["unit_code", "period", "indicator", "disaggregation_key", "revision"],
        unique=True,
    )
    op.create_index("ix_cell_versions_submission_id", "cell_versions", ["submission_id"])
    op.create_table(
        "outbox",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("topic", sa.String(100), nullable=False),
        sa.Column("key", sa.String(200), nullable=True),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("submission_id", sa.String(100), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("sent_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
    )
    op.create_index(
        "ix_outbox_unsent",
        "outbox",
        ["id"],
        postgresql_where=sa.text("sent_at IS NULL"),
        sqlite_where=sa.text("sent_at IS NULL"),
    )
    op.create_table(
        "consumer_offsets",
        sa.Column("consumer_group", sa.String(100), nullable=False),
        sa.Column("topic", sa.String(200), nullable=False),
        sa.Column("partition", sa.Integer(), nullable=False),
        sa.Column("next_offset", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("consumer_group", "topic", "partition", name="pk_consumer_offsets"),
    )


def downgrade() -> None:
    op.drop_table("consumer_offsets")
    op.drop_index("ix_outbox_unsent", table_name="outbox")
    op.drop_table("outbox")
    op.drop_index("ix_cell_versions_submission_id", table_name="cell_versions")
    op.drop_index("uq_cell_versions_cell_revision", table_name="cell_versions")
    op.drop_table("cell_versions")
    op.drop_table("cells")
    op.drop_index("ix_submissions_status_received_at", table_name="submissions")
    op.drop_table("submissions")
