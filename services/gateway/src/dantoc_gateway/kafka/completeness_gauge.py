"""Completeness by province as a Prometheus gauge, for the operators' "completeness by province" dashboard.

Every `interval` seconds: the all-totals province aggregates of yearly periods, summed over indicators, for each
province's latest period: `dantoc_gateway_completeness_units{province, name, period, status}` with status
`expected`, `reported`, `no_data` and `silent` (unit-indicator pairs).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from sqlalchemy import func, select

from dantoc_contracts.catalog_view import CatalogView
from dantoc_contracts.periods import Period
from dantoc_gateway.db.models import AggregateRow
from dantoc_gateway.metrics import GatewayMetrics

log = logging.getLogger(__name__)
STATUSES = ("expected", "reported", "no_data", "silent")


def latest_by_province(rows: list[tuple[str, str, int, int, int, int]]) -> dict[str, tuple[str, tuple[int, ...]]]:
    """Province → (its latest period, the four counts of that period)."""
    latest: dict[str, tuple[str, tuple[int, ...]]] = {}
    for province, period, *counts in rows:
        if province not in latest or Period.parse(period) > Period.parse(latest[province][0]):
            latest[province] = (period, tuple(int(c or 0) for c in counts))
    return latest


class CompletenessGauge:
    def __init__(self, *, sessions: Any, catalog: CatalogView, metrics: GatewayMetrics, interval: float = 10) -> None:
        self._sessions, self._catalog, self._metrics, self._interval = sessions, catalog, metrics, interval
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="completeness-gauge")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        while True:
            try:
                await self.refresh()
            except Exception:  # the database may be away for a moment; try again next round
                log.exception("refreshing the completeness gauge failed", extra={"event": "completeness_gauge.failed"})
            await asyncio.sleep(self._interval)

    async def refresh(self) -> None:
        a = AggregateRow
        query = (
            select(
                a.unit_code,
                a.period,
                func.sum(a.expected),
                func.sum(a.reported),
                func.sum(a.no_data),
                func.sum(a.silent),
            )
            .where(a.unit_level == "province", a.expected.is_not(None), func.length(a.period) == 4)
            .where(a.ethnic_group == "_T", a.sex == "_T", a.age_group == "_T", a.residence == "_T")
            .group_by(a.unit_code, a.period)
        )
        async with self._sessions() as session:
            rows = [tuple(row) for row in (await session.execute(query)).all()]
        gauge = self._metrics.completeness
        gauge.clear()
        for province, (period, counts) in latest_by_province(rows).items():
            unit = self._catalog.unit(province, Period.parse(period).end)
            name = f"{unit.type} {unit.name}" if unit else province
            for status, count in zip(STATUSES, counts, strict=True):
                gauge.labels(province=province, name=name, period=period, status=status).set(count)
