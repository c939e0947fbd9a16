"""Column widths of the contracts (`dantoc_contracts.bounds`): cells and cell versions hold canonical codes only.

unit_code UNIT_CODE_WIDTH, period PERIOD_WIDTH, indicator INDICATOR_CODE_WIDTH, value DECIMAL_TEXT_WIDTH. SQLite
does not enforce VARCHAR widths: only PostgreSQL's columns change. A stored row wider than the contract (possible
only before the edge checked the bounds) makes this migration fail with PostgreSQL's "value too long" error,
naming the column: such a row must be looked at by a person, never cut silently.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from dantoc_contracts.bounds import DECIMAL_TEXT_WIDTH, INDICATOR_CODE_WIDTH, PERIOD_WIDTH, UNIT_CODE_WIDTH

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_NEW = {"unit_code": UNIT_CODE_WIDTH, "period": PERIOD_WIDTH, "indicator": INDICATOR_CODE_WIDTH}
_OLD = {"unit_code": 20, "period": 20, "indicator": 10}


def _alter(widths: dict[str, int], value_width: int) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in ("cells", "cell_versions"):
        for column, width in widths.items():
            op.alter_column(table, column, type_=sa.String(width), existing_nullable=False)
        op.alter_column(table, "value", type_=sa.String(value_width), existing_nullable=True)


def upgrade() -> None:
    _alter(_NEW, DECIMAL_TEXT_WIDTH)


def downgrade() -> None:
    _alter(_OLD, 80)
