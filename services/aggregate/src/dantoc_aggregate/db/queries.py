"""Reads behind the HTTP API (`services/queries.py`; the routes hold no SQL)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from dantoc_aggregate.db.models import aggregates


async def aggregates_of(conn: AsyncConnection, indicator: str, unit: str, period: str) -> list[Any]:
    """Every disaggregation subset of one indicator at one unit for one period, in key order."""
    table = aggregates.c
    query = (
        select(
            table.dkey,
            table.aggregation,
            table.value,
            table.numerator,
            table.denominator,
            table.count,
            table.reported,
            table.no_data,
            table.expected,
        )
        .where(table.indicator == indicator, table.unit == unit, table.period == period)
        .order_by(table.dkey)
    )
    return list((await conn.execute(query)).all())
