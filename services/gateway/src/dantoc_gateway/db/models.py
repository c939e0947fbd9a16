"""Tables of the read model: current aggregates, deletions kept for the change feed, feed positions, agency units."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, DateTime, Dialect, Index, Integer, LargeBinary, String, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeEngine

from dantoc_contracts.bounds import (
    AGENCY_CODE_WIDTH,
    CODE_WIDTH,
    DECIMAL_TEXT_WIDTH,
    DISAGGREGATION_KEY_WIDTH,
    INDICATOR_CODE_WIDTH,
    PERIOD_WIDTH,
    UNIT_CODE_WIDTH,
)
from dantoc_contracts.quarantine import MAX_REASON_CHARS

# `indicator|unit|period|disaggregation` (119 by the contracts; the column has been 120 since the first schema)
KEY_WIDTH = max(120, INDICATOR_CODE_WIDTH + UNIT_CODE_WIDTH + PERIOD_WIDTH + DISAGGREGATION_KEY_WIDTH + 3)
SUBMISSION_ID_COLUMN = 200  # wider than the contracts' SUBMISSION_ID_WIDTH (100): never narrowed over stored ids


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on both backends.

    SQLite keeps them as `YYYY-MM-DD HH:MM:SS.ffffff` text (SQLAlchemy's own layout, so it sorts and compares as
    time); reading parses that text directly, which is several times cheaper than the generic DATETIME path.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(32))
        return dialect.type_descriptor(DateTime(timezone=True))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        value = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
        if dialect.name != "sqlite":
            return value
        return (
            f"{value.year:04d}-{value.month:02d}-{value.day:02d} "
            f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}.{value.microsecond:06d}"
        )

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        found: datetime = datetime.fromisoformat(value) if isinstance(value, str) else value
        return found.replace(tzinfo=UTC) if found.tzinfo is None else found.astimezone(UTC)


class Base(DeclarativeBase):
    pass


class AggregateRow(Base):
    """The current aggregate of one indicator × unit × period × disaggregation (dimension `_T` = total)."""

    __tablename__ = "aggregates"

    key: Mapped[str] = mapped_column(String(KEY_WIDTH), primary_key=True)
    indicator: Mapped[str] = mapped_column(String(INDICATOR_CODE_WIDTH))
    group_code: Mapped[str] = mapped_column(String(2))
    unit_code: Mapped[str] = mapped_column(String(UNIT_CODE_WIDTH))
    unit_level: Mapped[str] = mapped_column(String(10))
    period: Mapped[str] = mapped_column(String(PERIOD_WIDTH))
    ethnic_group: Mapped[str] = mapped_column(String(CODE_WIDTH))
    sex: Mapped[str] = mapped_column(String(CODE_WIDTH))
    age_group: Mapped[str] = mapped_column(String(CODE_WIDTH))
    residence: Mapped[str] = mapped_column(String(CODE_WIDTH))
    aggregation: Mapped[str] = mapped_column(String(10))
    value: Mapped[str | None] = mapped_column(String(DECIMAL_TEXT_WIDTH))  # decimal text: exact on both backends
    numerator: Mapped[str | None] = mapped_column(String(DECIMAL_TEXT_WIDTH))
    denominator: Mapped[str | None] = mapped_column(String(DECIMAL_TEXT_WIDTH))
    count: Mapped[int] = mapped_column(Integer)
    expected: Mapped[int | None] = mapped_column(Integer)
    reported: Mapped[int | None] = mapped_column(Integer)
    no_data: Mapped[int | None] = mapped_column(Integer)
    silent: Mapped[int | None] = mapped_column(Integer)
    newest_accepted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    computed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    source_partition: Mapped[int] = mapped_column(Integer)
    source_offset: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (
        Index(
            "ix_aggregates_cell", "indicator", "unit_code", "period", "ethnic_group", "sex", "age_group", "residence"
        ),
        Index("ix_aggregates_level", "indicator", "period", "unit_level"),
        Index("ix_aggregates_unit_period", "unit_code", "period"),
        Index("ix_aggregates_group", "group_code", "period"),
        Index("ix_aggregates_updated", "updated_at", "key"),
    )


class DeletionRow(Base):
    """A deleted aggregate (tombstone), kept so the change feed can tell subscribers to delete it too."""

    __tablename__ = "aggregate_deletions"

    key: Mapped[str] = mapped_column(String(KEY_WIDTH), primary_key=True)
    indicator: Mapped[str] = mapped_column(String(INDICATOR_CODE_WIDTH))
    unit_code: Mapped[str] = mapped_column(String(UNIT_CODE_WIDTH))
    period: Mapped[str] = mapped_column(String(PERIOD_WIDTH))
    ethnic_group: Mapped[str] = mapped_column(String(CODE_WIDTH))
    sex: Mapped[str] = mapped_column(String(CODE_WIDTH))
    age_group: Mapped[str] = mapped_column(String(CODE_WIDTH))
    residence: Mapped[str] = mapped_column(String(CODE_WIDTH))
    deleted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    source_partition: Mapped[int] = mapped_column(Integer)
    source_offset: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (Index("ix_deletions_deleted", "deleted_at", "key"),)


class CellVersionRow(Base):
    """How many times the figures of an (indicator, period) changed: the key of cached answers, shared by workers."""

    __tablename__ = "cell_versions"

    indicator: Mapped[str] = mapped_column(String(INDICATOR_CODE_WIDTH), primary_key=True)
    period: Mapped[str] = mapped_column(String(PERIOD_WIDTH), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (Index("ix_cell_versions_changed", "changed_at"),)


class FeedPositionRow(Base):
    """Next offset to read per topic partition, written in the same transaction as the rows it produced."""

    __tablename__ = "feed_positions"

    topic: Mapped[str] = mapped_column(String(200), primary_key=True)
    partition: Mapped[int] = mapped_column(Integer, primary_key=True)
    next_offset: Mapped[int] = mapped_column(BigInteger)


class AgencyUnitRow(Base):
    """A unit an agency has submitted values for (from the accepted-values topic): what an agency token may read."""

    __tablename__ = "agency_units"

    agency: Mapped[str] = mapped_column(String(AGENCY_CODE_WIDTH), primary_key=True)
    unit_code: Mapped[str] = mapped_column(String(UNIT_CODE_WIDTH), primary_key=True)
    first_period: Mapped[str] = mapped_column(String(PERIOD_WIDTH))
    first_submission_id: Mapped[str] = mapped_column(String(SUBMISSION_ID_COLUMN))
    first_accepted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    source_partition: Mapped[int] = mapped_column(Integer)
    source_offset: Mapped[int] = mapped_column(BigInteger)


class ParkedRow(Base):
    """A record set aside by the quarantine rule; the rows not yet dead-lettered are the dead letters' outbox."""

    __tablename__ = "parked_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    topic: Mapped[str] = mapped_column(String(200))
    partition: Mapped[int] = mapped_column(Integer)
    offset: Mapped[int] = mapped_column(BigInteger)
    key: Mapped[bytes | None] = mapped_column(LargeBinary)
    value: Mapped[bytes | None] = mapped_column(LargeBinary)
    reason: Mapped[str] = mapped_column(String(MAX_REASON_CHARS))
    error_class: Mapped[str] = mapped_column(String(200))
    consumer: Mapped[str] = mapped_column(String(200))
    parked_at: Mapped[datetime] = mapped_column(UtcDateTime)
    dead_lettered: Mapped[bool] = mapped_column(Boolean)

    __table_args__ = (
        Index("ix_parked_records_source", "topic", "partition", "offset", "consumer", unique=True),
        Index("ix_parked_records_dead_lettered", "dead_lettered"),
    )
