"""Tables of the catalog database (SQLAlchemy 2 typed ORM). Decimals are stored as text, exactly as written.

Text widths are those of the contracts (`dantoc_contracts.bounds`), the same in every service's tables; a name or
label is `LABEL_WIDTH` wide. `Text` is left only to what has no width of its own: an indicator's source, the ethnic
groups' other names, an agency's `writes_for` list, the outbox's keys and envelopes, a parked record's reason.
"""

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

from dantoc_contracts.bounds import (
    AGENCY_CODE_WIDTH,
    CODE_WIDTH,
    DECIMAL_TEXT_WIDTH,
    INDICATOR_CODE_WIDTH,
    LABEL_WIDTH,
    UNIT_CODE_WIDTH,
)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

TWO_DIGIT_CODE_WIDTH = 2
"""An indicator group's code (the first two digits of its indicators' codes) and a GSO ethnic-group code."""
CHOICE_WIDTH = 16
"""A member of an enumeration: value type, aggregation, unit level, period type, conversion kind."""
DISAGGREGATIONS_WIDTH = 200
"""An indicator's dimensions, space-separated (every dimension once: far below this)."""
TOPIC_WIDTH = 249
"""Kafka's longest topic name."""

Id = BigInteger().with_variant(Integer(), "sqlite")  # SQLite autoincrements INTEGER PRIMARY KEY only


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class IndicatorGroupRow(Base):
    __tablename__ = "indicator_groups"
    code: Mapped[str] = mapped_column(String(TWO_DIGIT_CODE_WIDTH), primary_key=True)
    name_vi: Mapped[str] = mapped_column(String(LABEL_WIDTH))
    name_en: Mapped[str] = mapped_column(String(LABEL_WIDTH))


class IndicatorRow(Base):
    __tablename__ = "indicators"
    code: Mapped[str] = mapped_column(String(INDICATOR_CODE_WIDTH), primary_key=True)
    group_code: Mapped[str] = mapped_column(ForeignKey("indicator_groups.code"))


class IndicatorVersionRow(Base):
    __tablename__ = "indicator_versions"
    code: Mapped[str] = mapped_column(ForeignKey("indicators.code", ondelete="CASCADE"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    effective_from: Mapped[date] = mapped_column(Date)
    effective_to: Mapped[date | None] = mapped_column(Date)
    name_vi: Mapped[str] = mapped_column(String(LABEL_WIDTH))
    name_en: Mapped[str] = mapped_column(String(LABEL_WIDTH))
    unit_vi: Mapped[str] = mapped_column(String(LABEL_WIDTH))
    unit_en: Mapped[str] = mapped_column(String(LABEL_WIDTH))
    value_type: Mapped[str] = mapped_column(String(CHOICE_WIDTH))
    aggregation: Mapped[str] = mapped_column(String(CHOICE_WIDTH))
    numerator: Mapped[str | None] = mapped_column(String(INDICATOR_CODE_WIDTH))
    denominator: Mapped[str | None] = mapped_column(String(INDICATOR_CODE_WIDTH))
    factor: Mapped[str | None] = mapped_column(String(DECIMAL_TEXT_WIDTH))
    disaggregations: Mapped[str] = mapped_column(String(DISAGGREGATIONS_WIDTH))  # space-separated, as written
    lowest_level: Mapped[str] = mapped_column(String(CHOICE_WIDTH))
    period_type: Mapped[str] = mapped_column(String(CHOICE_WIDTH))
    agency: Mapped[str] = mapped_column(String(AGENCY_CODE_WIDTH))
    min_value: Mapped[str | None] = mapped_column(String(DECIMAL_TEXT_WIDTH))
    max_value: Mapped[str | None] = mapped_column(String(DECIMAL_TEXT_WIDTH))
    source: Mapped[str] = mapped_column(Text)  # free text: a reference, a note


class CodeListItemRow(Base):
    __tablename__ = "code_list_items"
    list_id: Mapped[str] = mapped_column(String(CODE_WIDTH), primary_key=True)
    code: Mapped[str] = mapped_column(String(CODE_WIDTH), primary_key=True)
    name_vi: Mapped[str] = mapped_column(String(LABEL_WIDTH))
    name_en: Mapped[str] = mapped_column(String(LABEL_WIDTH))
    sort_order: Mapped[int] = mapped_column(Integer)


class EthnicGroupDbRow(Base):
    __tablename__ = "ethnic_groups"
    code: Mapped[str] = mapped_column(String(TWO_DIGIT_CODE_WIDTH), primary_key=True)  # GSO 1979, the canonical list
    code_gso_2008: Mapped[str] = mapped_column(String(TWO_DIGIT_CODE_WIDTH), unique=True)
    name_vi: Mapped[str] = mapped_column(String(LABEL_WIDTH))
    name_en: Mapped[str] = mapped_column(String(LABEL_WIDTH))
    name_vi_gso_2008: Mapped[str] = mapped_column(String(LABEL_WIDTH))
    other_names_vi: Mapped[str] = mapped_column(Text)  # a list of names, not one label


class AgencyRow(Base):
    __tablename__ = "agencies"
    code: Mapped[str] = mapped_column(String(AGENCY_CODE_WIDTH), primary_key=True)
    name_vi: Mapped[str] = mapped_column(String(LABEL_WIDTH))
    name_en: Mapped[str] = mapped_column(String(LABEL_WIDTH))
    agency_type: Mapped[str] = mapped_column(String(CODE_WIDTH))  # a code of the `agency` code list
    scope_unit_code: Mapped[str] = mapped_column(String(UNIT_CODE_WIDTH))
    writes_for: Mapped[str] = mapped_column(Text, default="")  # space-separated agency types: as many as the list has


class AdminUnitRow(Base):
    __tablename__ = "admin_units"
    __table_args__ = (Index("ix_admin_units_code", "code"), Index("ix_admin_units_parent_code", "parent_code"))
    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(UNIT_CODE_WIDTH))
    level: Mapped[str] = mapped_column(String(CHOICE_WIDTH))
    name: Mapped[str] = mapped_column(String(LABEL_WIDTH))
    type: Mapped[str] = mapped_column(String(LABEL_WIDTH))  # the type word, in Vietnamese: Tỉnh, Xã, Đặc khu…
    parent_code: Mapped[str | None] = mapped_column(String(UNIT_CODE_WIDTH))
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)


class UnitConversionRow(Base):
    __tablename__ = "unit_conversions"
    old_code: Mapped[str] = mapped_column(String(UNIT_CODE_WIDTH), primary_key=True)
    effective: Mapped[date] = mapped_column(Date, primary_key=True)
    new_code: Mapped[str] = mapped_column(String(UNIT_CODE_WIDTH), primary_key=True)
    kind: Mapped[str] = mapped_column(String(CHOICE_WIDTH))
    area_share: Mapped[str | None] = mapped_column(String(DECIMAL_TEXT_WIDTH))


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
    topic: Mapped[str] = mapped_column(String(TOPIC_WIDTH))
    partition: Mapped[int] = mapped_column(Integer)
    offset: Mapped[int] = mapped_column(BigInteger)  # the outbox id (-1: a start-up snapshot record)
    key: Mapped[bytes | None] = mapped_column(LargeBinary)
    value: Mapped[bytes | None] = mapped_column(LargeBinary)
    reason: Mapped[str] = mapped_column(Text)
    error_class: Mapped[str] = mapped_column(String(200))
    consumer: Mapped[str] = mapped_column(String(100))
    parked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    dead_lettered: Mapped[bool] = mapped_column(Boolean, default=False)
