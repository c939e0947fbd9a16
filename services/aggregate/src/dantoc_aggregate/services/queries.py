"""Read side of the HTTP API: the current aggregates of one indicator, unit and period."""

from __future__ import annotations

from typing import Any

from dantoc_aggregate.db.queries import aggregates_of
from dantoc_aggregate.db.uow import UnitOfWork


async def aggregates_at(*, uow: UnitOfWork, indicator: str, unit: str, period: str) -> list[Any]:
    """Every disaggregation subset of one indicator at one unit for one period, in key order (read only)."""
    async with uow:
        return await aggregates_of(uow.conn, indicator, unit, period)
