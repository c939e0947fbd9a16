"""Initial catalog schema: indicators with versions, groups, code lists, ethnic groups, agencies, units, outbox.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "admin_units",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("code", sa.String(length=5), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("parent_code", sa.String(length=5), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_admin_units")),
    )
    op.create_index("ix_admin_units_code", "admin_units", ["code"])
    op.create_index("ix_admin_units_parent_code", "admin_units", ["parent_code"])

    op.create_table(
        "agencies",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name_vi", sa.Text(), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=False),
        sa.Column("agency_type", sa.String(length=40), nullable=False),
        sa.Column("scope_unit_code", sa.String(length=5), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_agencies")),
    )
    op.create_table(
        "code_list_items",
        sa.Column("list_id", sa.String(length=40), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name_vi", sa.Text(), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("list_id", "code", name=op.f("pk_code_list_items")),
    )
    op.create_table(
        "ethnic_groups",
        sa.Column("code", sa.String(length=2), nullable=False),
        sa.Column("code_gso_2008", sa.String(length=2), nullable=False),
        sa.Column("name_vi", sa.Text(), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=False),
        sa.Column("name_vi_gso_2008", sa.Text(), nullable=False),
        sa.Column("other_names_vi", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_ethnic_groups")),
        sa.UniqueConstraint("code_gso_2008", name=op.f("uq_ethnic_groups_code_gso_2008")),
    )
    op.create_table(
        "indicator_groups",
        sa.Column("code", sa.String(length=2), nullable=False),
        sa.Column("name_vi", sa.Text(), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_indicator_groups")),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("record_key", sa.Text(), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
    )
    op.create_index("ix_outbox_pending", "outbox", ["sent_at", "id"])

    op.create_table(
        "unit_conversions",
        sa.Column("old_code", sa.String(length=5), nullable=False),
        sa.Column("effective", sa.Date(), nullable=False),
        sa.Column("new_code", sa.String(length=5), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("area_share", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("old_code", "effective", "new_code", name=op.f("pk_unit_conversions")),
    )
    op.create_table(
        "indicators",
        sa.Column("code", sa.String(length=4), nullable=False),
        sa.Column("group_code", sa.String(length=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_code"], ["indicator_groups.code"], name=op.f("fk_indicators_group_code_indicator_groups")
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_indicators")),
    )
    op.create_table(
        "indicator_versions",
        sa.Column("code", sa.String(length=4), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("effective_to", sa.Date(), nullable=True),
        sa.Column("name_vi", sa.Text(), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=False),
        sa.Column("unit_vi", sa.Text(), nullable=False),
        sa.Column("unit_en", sa.Text(), nullable=False),
        sa.Column("value_type", sa.String(length=16), nullable=False),
        sa.Column("aggregation", sa.String(length=16), nullable=False),
        sa.Column("numerator", sa.String(length=4), nullable=True),
        sa.Column("denominator", sa.String(length=4), nullable=True),
        sa.Column("factor", sa.String(length=64), nullable=True),
        sa.Column("disaggregations", sa.String(length=200), nullable=False),
        sa.Column("lowest_level", sa.String(length=16), nullable=False),
        sa.Column("period_type", sa.String(length=16), nullable=False),
        sa.Column("agency", sa.String(length=40), nullable=False),
        sa.Column("min_value", sa.String(length=64), nullable=True),
        sa.Column("max_value", sa.String(length=64), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["code"], ["indicators.code"], name=op.f("fk_indicator_versions_code_indicators"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("code", "version", name=op.f("pk_indicator_versions")),
    )


def downgrade() -> None:
    op.drop_table("indicator_versions")
    op.drop_table("indicators")
    op.drop_table("unit_conversions")
    op.drop_index("ix_outbox_pending", table_name="outbox")
    op.drop_table("outbox")
    op.drop_table("indicator_groups")
    op.drop_table("ethnic_groups")
    op.drop_table("code_list_items")
    op.drop_table("agencies")
    op.drop_index("ix_admin_units_parent_code", table_name="admin_units")
    op.drop_index("ix_admin_units_code", table_name="admin_units")
    op.drop_table("admin_units")
