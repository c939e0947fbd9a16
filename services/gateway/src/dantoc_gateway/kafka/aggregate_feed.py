"""The aggregates feed: the compacted aggregates topic applied to the read model (see `group_feed` for positions).

One `aggregates.applied` log line per batch applied, with the submission ids the aggregate service put in the
envelopes' `correlation_id` (the newest contribution to each aggregate): the trail from a submission to the figures.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from aiokafka import AIOKafkaConsumer

from dantoc_contracts.catalog_view import CatalogView
from dantoc_gateway.db import repository
from dantoc_gateway.db.uow import UnitOfWork
from dantoc_gateway.domain.records import FeedRecord
from dantoc_gateway.domain.state import ReadModelState
from dantoc_gateway.kafka.decoding import decode_aggregate
from dantoc_gateway.kafka.group_feed import GroupFeed
from dantoc_gateway.kafka.quarantine import Quarantine
from dantoc_gateway.metrics import GatewayMetrics
from dantoc_gateway.services.readmodel import BatchOutcome, apply_batch

log = logging.getLogger(__name__)


class AggregateFeed(GroupFeed):
    """Consumes `topic` with a consumer group into the read model's aggregates."""

    name = "aggregates"

    def __init__(
        self,
        *,
        consumer: AIOKafkaConsumer,
        topic: str,
        sessions: Any,
        catalog: CatalogView,
        state: ReadModelState,
        metrics: GatewayMetrics,
        quarantine: Quarantine,
        batch_max_records: int,
    ) -> None:
        super().__init__(
            consumer=consumer,
            topic=topic,
            sessions=sessions,
            status=state.aggregates,
            metrics=metrics,
            quarantine=quarantine,
            batch_max_records=batch_max_records,
        )
        self._catalog, self._state = catalog, state
        self._last_change: datetime | None = None

    async def start(self) -> None:
        async with UnitOfWork(self._sessions) as uow:
            self._last_change = await repository.latest_update(uow.session)
        await super().start()

    async def prepare(self) -> None:
        await self._state.catalog.reached.wait()  # GSO 2008 keys need the crosswalk

    async def apply(self, records: list[Any], advanced: dict[int, int]) -> None:
        started = time.perf_counter()
        decoded = self.readable(records, lambda record: decode_aggregate(record, self._catalog))
        outcome = await apply_batch(
            uow=UnitOfWork(self._sessions),
            topic=self._topic,
            records=decoded,
            consumed=advanced,
            changed_at=self._now(),
        )
        self._metrics.applied.labels("upserted").inc(outcome.upserted)
        self._metrics.applied.labels("deleted").inc(outcome.deleted)
        self._metrics.applied.labels("skipped").inc(outcome.skipped)
        self._state.observe(outcome.versions)
        if decoded:
            self._log(decoded, outcome, time.perf_counter() - started)

    def _log(self, decoded: list[FeedRecord], outcome: BatchOutcome, seconds: float) -> None:
        log.info(
            "applied %d aggregate records (%d upserted, %d deleted, %d skipped)",
            len(decoded),
            outcome.upserted,
            outcome.deleted,
            outcome.skipped,
            extra={
                "event": "aggregates.applied",
                "topic": self._topic,
                "count": len(decoded),
                "upserted": outcome.upserted,
                "deleted": outcome.deleted,
                "skipped": outcome.skipped,
                "submission_ids": sorted({r.correlation_id for r in decoded if r.correlation_id}),
                "duration_ms": round(seconds * 1000, 1),
            },
        )

    def _now(self) -> datetime:
        """Change times strictly increase, so the change feed's cursor never skips a batch."""
        now = datetime.now(UTC)
        if self._last_change is not None and now <= self._last_change:
            now = self._last_change + timedelta(microseconds=1)
        self._last_change = now
        return now
