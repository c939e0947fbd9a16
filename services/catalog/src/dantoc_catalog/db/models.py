"""Tables of the catalog database (SQLAlchemy 2 typed ORM). Decimals are stored as text, exactly as written."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Id = BigInteger().with_variant(Integer(), "sqlite")  # SQLite autoincrements INTEGER PRIMARY KEY only


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class IndicatorGroupRow(Base):
    __tablename__ = "indicator_groups"
    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    name_vi: Mapped[str] = mapped_column(Text)
    name_en: Mapped[str] = mapped_column(Text)


class IndicatorRow(Base):
    __tablename__ = "indicators"
    code: Mapped[str] = mapped_column(String(4), primary_key=True)
    group_code: Mapped[str] = mapped_column(ForeignKey("indicator_groups.code"))


class IndicatorVersionRow(Base):
    __tablename__ = "indicator_versions"
    code: Mapped[str] = mapped_column(ForeignKey("indicators.code", ondelete="CASCADE"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    effective_from: Mapped[date] = mapped_column(Date)
    effective_to: Mapped[date | None] = mapped_column(Date)
    name_vi: Mapped[str] = mapped_column(Text)
    name_en: Mapped[str] = mapped_column(Text)
    unit_vi: Mapped[str] = mapped_column(Text)
    unit_en: Mapped[str] = mapped_column(Text)
    value_type: Mapped[str] = mapped_column(String(16))
    aggregation: Mapped[str] = mapped_column(String(16))
    numerator: Mapped[str | None] = mapped_column(String(4))
    denominator: Mapped[str | None] = mapped_column(String(4))
    factor: Mapped[str | None] = mapped_column(String(64))
    disaggregations: Mapped[str] = mapped_column(String(200))  # space-separated, in the order written
    lowest_level: Mapped[str] = mapped_column(String(16))
    period_type: Mapped[str] = mapped_column(String(16))
    agency: Mapped[str] = mapped_column(String(40))
    min_value: Mapped[str | None] = mapped_column(String(64))
    max_value: Mapped[str | None] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(Text)


class CodeListItemRow(Base):
    __tablename__ = "code_list_items"
    list_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_vi: Mapped[str] = mapped_column(Text)
    name_en: Mapped[str] = mapped_column(Text)
    sort_order: Mapped[int] = mapped_column(Integer)


class EthnicGroupDbRow(Base):
    __tablename__ = "ethnic_groups"
    code: Mapped[str] = mapped_column(String(2), primary_key=True)  # GSO 1979, the canonical list
    code_gso_2008: Mapped[str] = mapped_column(String(2), unique=True)
    name_vi: Mapped[str] = mapped_column(Text)
    name_en: Mapped[str] = mapped_column(Text)
    name_vi_gso_2008: Mapped[str] = mapped_column(Text)
    other_names_vi: Mapped[str] = mapped_column(Text)


class AgencyRow(Base):
    __tablename__ = "agencies"
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_vi: Mapped[str] = mapped_column(Text)
    name_en: Mapped[str] = mapped_column(Text)
    agency_type: Mapped[str] = mapped_column(String(40))
    scope_unit_code: Mapped[str] = mapped_column(String(5))
    writes_for: Mapped[str] = mapped_column(Text, default="")  # space-separated agency types


class AdminUnitRow(Base):
    __tablename__ = "admin_units"
    __table_args__ = (Index("ix_admin_units_code", "code"), Index("ix_admin_units_parent_code", "parent_code"))
    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(5))
    level: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(Text)
    type: Mapped[str] = mapped_column(String(40))
    parent_code: Mapped[str | None] = mapped_column(String(5))
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)


class UnitConversionRow(Base):
    __tablename__ = "unit_conversions"
    old_code: Mapped[str] = mapped_column(String(5), primary_key=True)
    effective: Mapped[date] = mapped_column(Date, primary_key=True)
    new_code: Mapped[str] = mapped_column(String(5), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    area_share: Mapped[str | None] = mapped_column(String(64))


class OutboxRow(Base):
    """Catalog records waiting to be published, written in the same transaction as the change they describe."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_pending", "sent_at", "id"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    record_key: Mapped[str] = mapped_column(Text)
    value: Mapped[str | None] = mapped_column(Text)  # the encoded envelope; null = tombstone
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ParkedRow(Base):
    """Records set aside by the quarantine rule (an outbox message the broker refuses for what it is), and the
    outbox of their dead-letter events (`dead_lettered` false until the event is acknowledged)."""

    __tablename__ = "parked"
    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    topic: Mapped[str] = mapped_column(String(249))
    partition: Mapped[int] = mapped_column(Integer)
    offset: Mapped[int] = mapped_column(BigInteger)  # the outbox id (-1: a start-up snapshot record)
    key: Mapped[bytes | None] = mapped_column(LargeBinary)
    value: Mapped[bytes | None] = mapped_column(LargeBinary)
    reason: Mapped[str] = mapped_column(Text)
    error_class: Mapped[str] = mapped_column(String(200))
    consumer: Mapped[str] = mapped_column(String(100))
    parked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    dead_lettered: Mapped[bool] = mapped_column(Boolean, default=False)
