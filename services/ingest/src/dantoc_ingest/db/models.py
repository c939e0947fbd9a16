"""Tables of the ingest database: submissions, current cells, cell versions (audit), outbox, consumer offsets, and
the records set aside by the quarantine rule (parked).

Numbers are stored as their decimal text (exact on SQLite and PostgreSQL alike); times are UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import BigInteger, Boolean, DateTime, Index, Integer, LargeBinary, MetaData, String, Text, text, types
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from dantoc_contracts.bounds import (
    AGENCY_CODE_WIDTH,
    DECIMAL_TEXT_WIDTH,
    DISAGGREGATION_KEY_WIDTH,
    INDICATOR_CODE_WIDTH,
    PERIOD_WIDTH,
    SUBMISSION_ID_WIDTH,
    SUBMITTED_BY_WIDTH,
    UNIT_CODE_WIDTH,
)

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "pk": "pk_%(table_name)s",
}
BigId = BigInteger().with_variant(Integer(), "sqlite")  # SQLite autoincrements INTEGER PRIMARY KEY only


class UtcDateTime(types.TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend (SQLite drops the zone: put it back)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class SubmissionRow(Base):
    """One submission by its client-chosen id, with the answer given (returned again on a resend)."""

    __tablename__ = "submissions"

    submission_id: Mapped[str] = mapped_column(String(SUBMISSION_ID_WIDTH), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    agency: Mapped[str] = mapped_column(String(AGENCY_CODE_WIDTH))
    unit_code: Mapped[str] = mapped_column(String(20))  # as received (rejected ones too): at most 20
    period: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(10))
    submitted_by: Mapped[str] = mapped_column(String(SUBMITTED_BY_WIDTH))
    status: Mapped[str] = mapped_column(String(10))  # received, accepted, rejected
    received_at: Mapped[datetime] = mapped_column(UtcDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    value_count: Mapped[int] = mapped_column(Integer, default=0)
    changed_count: Mapped[int] = mapped_column(Integer, default=0)
    problem_count: Mapped[int] = mapped_column(Integer, default=0)
    report: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON of the answer
    draft: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON of a received, unprocessed draft

    __table_args__ = (Index(None, "status", "received_at"),)


class CellRow(Base):
    """The current content and revision of a cell."""

    __tablename__ = "cells"

    unit_code: Mapped[str] = mapped_column(String(UNIT_CODE_WIDTH), primary_key=True)
    period: Mapped[str] = mapped_column(String(PERIOD_WIDTH), primary_key=True)
    indicator: Mapped[str] = mapped_column(String(INDICATOR_CODE_WIDTH), primary_key=True)
    disaggregation_key: Mapped[str] = mapped_column(String(DISAGGREGATION_KEY_WIDTH), primary_key=True)
    value: Mapped[str | None] = mapped_column(String(DECIMAL_TEXT_WIDTH), nullable=True)
    no_data: Mapped[bool] = mapped_column(Boolean)
    no_data_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    revision: Mapped[int] = mapped_column(Integer)
    submission_id: Mapped[str] = mapped_column(String(SUBMISSION_ID_WIDTH))
    agency: Mapped[str] = mapped_column(String(AGENCY_CODE_WIDTH))
    accepted_at: Mapped[datetime] = mapped_column(UtcDateTime())


class CellVersionRow(Base):
    """Every revision of every cell: what, who, when, from which submission (the audit trail)."""

    __tablename__ = "cell_versions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    unit_code: Mapped[str] = mapped_column(String(UNIT_CODE_WIDTH))
    period: Mapped[str] = mapped_column(String(PERIOD_WIDTH))
    indicator: Mapped[str] = mapped_column(String(INDICATOR_CODE_WIDTH))
    disaggregation_key: Mapped[str] = mapped_column(String(DISAGGREGATION_KEY_WIDTH))
    revision: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(10))
    value: Mapped[str | None] = mapped_column(String(DECIMAL_TEXT_WIDTH), nullable=True)
    no_data: Mapped[bool] = mapped_column(Boolean)
    no_data_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    original_ethnic: Mapped[str | None] = mapped_column(String(20), nullable=True)  # "GSO2008:06" as submitted
    submission_id: Mapped[str] = mapped_column(String(SUBMISSION_ID_WIDTH))
    agency: Mapped[str] = mapped_column(String(AGENCY_CODE_WIDTH))
    submitted_by: Mapped[str] = mapped_column(String(SUBMITTED_BY_WIDTH))
    accepted_at: Mapped[datetime] = mapped_column(UtcDateTime())

    __table_args__ = (
        Index(
            "uq_cell_versions_cell_revision",
            "unit_code",
            "period",
            "indicator",
            "disaggregation_key",
            "revision",
            unique=True,
        ),
        Index(None, "submission_id"),
    )


class OutboxRow(Base):
    """A message committed with the state it describes, published later by the relay."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    topic: Mapped[str] = mapped_column(String(100))  # contracts topic name, without namespace
    key: Mapped[str | None] = mapped_column(String(200), nullable=True)
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    submission_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)

    __table_args__ = (
        Index("ix_outbox_unsent", "id", postgresql_where=text("sent_at IS NULL"), sqlite_where=text("sent_at IS NULL")),
    )


class ConsumerOffsetRow(Base):
    """The next offset to read per (group, topic, partition), written with the state the records produced."""

    __tablename__ = "consumer_offsets"

    consumer_group: Mapped[str] = mapped_column(String(100), primary_key=True)
    topic: Mapped[str] = mapped_column(String(200), primary_key=True)
    partition: Mapped[int] = mapped_column(Integer, primary_key=True)
    next_offset: Mapped[int] = mapped_column(BigInteger)


class ParkedRow(Base):
    """A record set aside after failing for what it holds: a submissions record the consumer could not apply, or an
    outbox row the relay could not deliver (partition -1, offset = the outbox id). Replayed with `replay-parked`."""

    __tablename__ = "parked_records"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    topic: Mapped[str] = mapped_column(String(200))  # the topic read from, or the one the relay was writing to
    partition: Mapped[int] = mapped_column(Integer)
    offset: Mapped[int] = mapped_column(BigInteger)
    key: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    value: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    reason: Mapped[str] = mapped_column(Text)
    error_class: Mapped[str] = mapped_column(String(200))
    consumer: Mapped[str] = mapped_column(String(100))
    parked_at: Mapped[datetime] = mapped_column(UtcDateTime())
