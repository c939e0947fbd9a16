"""The submission id of each aggregate's newest contribution (the `correlation_id` of its events, republished too).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("aggregates", sa.Column("newest_submission_id", sa.String, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("aggregates") as batch:
        batch.drop_column("newest_submission_id")
