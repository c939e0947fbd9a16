"""Names and labels get the contracts' width (`dantoc_contracts.bounds.LABEL_WIDTH`) instead of unbounded text.

Indicator groups and versions (names, units of measure), code-list items, ethnic groups (the names, not the list of
other names), agencies and administrative units (name and type word). On PostgreSQL the columns become
VARCHAR(LABEL_WIDTH): a stored label wider than that (possible only before the edge checked the widths) makes this
migration fail with PostgreSQL's "value too long" error, so that a person looks at it; nothing is cut silently. On
SQLite, which does not enforce widths, the tables are rebuilt (batch mode) so that the declared types match the
models; the migrations run there with foreign keys off, so the rebuilt indicator groups keep their indicators.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from dantoc_contracts.bounds import LABEL_WIDTH

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LABELS: dict[str, tuple[str, ...]] = {
    "indicator_groups": ("name_vi", "name_en"),
    "indicator_versions": ("name_vi", "name_en", "unit_vi", "unit_en"),
    "code_list_items": ("name_vi", "name_en"),
    "ethnic_groups": ("name_vi", "name_en", "name_vi_gso_2008"),
    "agencies": ("name_vi", "name_en"),
    "admin_units": ("name", "type"),
}
"""The label columns of each table."""

_BEFORE: dict[tuple[str, str], sa.types.TypeEngine[str]] = {("admin_units", "type"): sa.String(40)}
"""Types before this migration, where not `Text`."""


def _before(table: str, column: str) -> sa.types.TypeEngine[str]:
    return _BEFORE.get((table, column), sa.Text())


def upgrade() -> None:
    for table, columns in LABELS.items():
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.alter_column(
                    column,
                    type_=sa.String(LABEL_WIDTH),
                    existing_type=_before(table, column),
                    existing_nullable=False,
                )


def downgrade() -> None:
    for table, columns in LABELS.items():
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.alter_column(
                    column,
                    type_=_before(table, column),
                    existing_type=sa.String(LABEL_WIDTH),
                    existing_nullable=False,
                )
