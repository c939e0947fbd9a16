"""Tables of the read model: current aggregates, deletions kept for the change feed, feed positions, agency units."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, Dialect, Index, Integer, String, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeEngine


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

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    indicator: Mapped[str] = mapped_column(String(4))
    group_code: Mapped[str] = mapped_column(String(2))
    unit_code: Mapped[str] = mapped_column(String(5))
    unit_level: Mapped[str] = mapped_column(String(10))
    period: Mapped[str] = mapped_column(String(7))
    ethnic_group: Mapped[str] = mapped_column(String(16))
    sex: Mapped[str] = mapped_column(String(16))
    age_group: Mapped[str] = mapped_column(String(16))
    residence: Mapped[str] = mapped_column(String(16))
    aggregation: Mapped[str] = mapped_column(String(10))
    value: Mapped[str | None] = mapped_column(String(64))  # decimal text: exact on both backends
    numerator: Mapped[str | None] = mapped_column(String(64))
    denominator: Mapped[str | None] = mapped_column(String(64))
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

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    indicator: Mapped[str] = mapped_column(String(4))
    unit_code: Mapped[str] = mapped_column(String(5))
    period: Mapped[str] = mapped_column(String(7))
    ethnic_group: Mapped[str] = mapped_column(String(16))
    sex: Mapped[str] = mapped_column(String(16))
    age_group: Mapped[str] = mapped_column(String(16))
    residence: Mapped[str] = mapped_column(String(16))
    deleted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    source_partition: Mapped[int] = mapped_column(Integer)
    source_offset: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (Index("ix_deletions_deleted", "deleted_at", "key"),)


class CellVersionRow(Base):
    """How many times the figures of an (indicator, period) changed: the key of cached answers, shared by workers."""

    __tablename__ = "cell_versions"

    indicator: Mapped[str] = mapped_column(String(4), primary_key=True)
    period: Mapped[str] = mapped_column(String(7), primary_key=True)
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

    agency: Mapped[str] = mapped_column(String(40), primary_key=True)
    unit_code: Mapped[str] = mapped_column(String(5), primary_key=True)
    first_period: Mapped[str] = mapped_column(String(7))
    first_submission_id: Mapped[str] = mapped_column(String(200))
    first_accepted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    source_partition: Mapped[int] = mapped_column(Integer)
    source_offset: Mapped[int] = mapped_column(BigInteger)
