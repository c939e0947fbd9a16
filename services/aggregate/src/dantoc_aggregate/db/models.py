"""Tables. Numbers are exact: NUMERIC on PostgreSQL, decimal text on SQLite (never binary floating point)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Dialect,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Table,
)
from sqlalchemy.types import TypeDecorator, TypeEngine


class ExactDecimal(TypeDecorator[Decimal]):
    """NUMERIC on PostgreSQL; on SQLite the decimal's text, so no value passes through a float."""

    impl = String
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(Numeric(asdecimal=True))
        return dialect.type_descriptor(String())

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None or dialect.name == "postgresql":
            return value
        return str(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(value)


metadata = MetaData()

leaf_cells = Table(
    "leaf_cells",
    metadata,
    Column("gkey", String, primary_key=True, comment="unit|period|indicator"),
    Column("dkey", String, primary_key=True, comment="disaggregation key, _T for totals"),
    Column("indicator", String(4), nullable=False),
    Column("unit", String(5), nullable=False),
    Column("period", String(7), nullable=False),
    Column("depth", Integer, nullable=False, comment="level of the reporting unit: 1 province .. 3 commune"),
    Column("n1", String(5), comment="province above (or equal to) the unit on the period's map"),
    Column("n2", String(5), comment="district, legacy map only"),
    Column("n3", String(5), comment="commune"),
    Column("dims_rank", Integer, nullable=False, comment="coarse-to-fine order of the cell's breakdown"),
    Column("d_ethnic", String, nullable=False),
    Column("d_sex", String, nullable=False),
    Column("d_age", String, nullable=False),
    Column("d_residence", String, nullable=False),
    Column("value", ExactDecimal, comment="null when no_data"),
    Column("no_data", Boolean, nullable=False),
    Column("revision", Integer, nullable=False),
    Column("accepted_us", BigInteger, nullable=False, comment="accepted time, microseconds since the epoch"),
)
Index("ix_leaf_cells_indicator_period", leaf_cells.c.indicator, leaf_cells.c.period)

aggregates = Table(
    "aggregates",
    metadata,
    Column("akey", String, primary_key=True, comment="indicator|unit|period|disaggregation"),
    Column("indicator", String(4), nullable=False),
    Column("unit", String(5), nullable=False),
    Column("depth", Integer, nullable=False),
    Column("period", String(7), nullable=False),
    Column("dkey", String, nullable=False),
    Column("aggregation", String(8), nullable=False),
    Column("total", ExactDecimal, nullable=False),
    Column("count", Integer, nullable=False),
    Column("low", ExactDecimal),
    Column("high", ExactDecimal),
    Column("value", ExactDecimal),
    Column("numerator", ExactDecimal),
    Column("denominator", ExactDecimal),
    Column("reported", Integer, nullable=False),
    Column("no_data", Integer, nullable=False),
    Column("expected", Integer),
    Column("newest_us", BigInteger, nullable=False),
    Column("newest_submission_id", String, comment="submission of the newest contribution (events' correlation id)"),
    Column("changed_seq", BigInteger, nullable=False, comment="batch that last changed it (outbox marker)"),
)

consumer_offsets = Table(
    "consumer_offsets",
    metadata,
    Column("topic", String, primary_key=True),
    Column("partition", Integer, primary_key=True),
    Column("next_offset", BigInteger, nullable=False, comment="first offset not yet applied"),
)

counters = Table(
    "counters",
    metadata,
    Column("name", String, primary_key=True, comment="batch_seq | published_seq"),
    Column("value", BigInteger, nullable=False),
)

parked_records = Table(
    "parked_records",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("topic", String(255), nullable=False, comment="topic of the record set aside"),
    Column("partition", Integer, nullable=False, comment="-1 for an event this service could not publish"),
    Column("offset", BigInteger, nullable=False, comment="source offset (the batch number for an event)"),
    Column("key", LargeBinary),
    Column("value", LargeBinary),
    Column("reason", String(2000), nullable=False),
    Column("error_class", String(200), nullable=False),
    Column("consumer", String(200), nullable=False),
    Column("parked_at", DateTime(timezone=True), nullable=False),
    Column("dead_lettered", Boolean, nullable=False, comment="outbox: its dead-letter event was published"),
)
Index("ix_parked_records_source", parked_records.c.topic, parked_records.c.partition, parked_records.c.offset)
Index("ix_parked_records_dead_lettered", parked_records.c.dead_lettered)
