"""The aggregates feed: the compacted aggregates topic applied to the read model, committed after the database.

Positions live in the read model (`feed_positions`, same transaction as the rows): on every assignment the consumer
seeks to them, so a fresh database replays the topic from the beginning and a crash replays at most one batch,
which `apply_batch` recognises and skips. Kafka offsets are committed after the database commit, for monitoring.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, TopicPartition
from aiokafka.errors import KafkaError

from dantoc_contracts.catalog_view import CatalogView
from dantoc_gateway.db import repository
from dantoc_gateway.db.uow import UnitOfWork
from dantoc_gateway.domain.records import FeedRecord
from dantoc_gateway.handlers import UnreadableRecord, decode_aggregate
from dantoc_gateway.metrics import GatewayMetrics
from dantoc_gateway.services.readmodel import apply_batch
from dantoc_gateway.state import ReadModelState
from dantoc_gateway.streams.dead_letter import DeadLetters
from dantoc_gateway.streams.metadata import partitions_of

log = logging.getLogger(__name__)


class _SeekToStored(ConsumerRebalanceListener):  # type: ignore[misc]
    def __init__(self, feed: AggregateFeed) -> None:
        self._feed = feed

    async def on_partitions_revoked(self, revoked: Any) -> None:
        """Let the batch in flight commit, so the next assignment reads its positions."""
        await self._feed.settled()

    async def on_partitions_assigned(self, assigned: Any) -> None:
        await self._feed.assigned(list(assigned))


class AggregateFeed:
    """Consumes `topic` with a consumer group into the read model."""

    def __init__(
        self,
        *,
        consumer: AIOKafkaConsumer,
        topic: str,
        sessions: Any,
        catalog: CatalogView,
        state: ReadModelState,
        metrics: GatewayMetrics,
        dead_letters: DeadLetters,
        batch_max_records: int,
    ) -> None:
        self._consumer, self._topic, self._sessions = consumer, topic, sessions
        self._catalog, self._state, self._metrics = catalog, state, metrics
        self._dead_letters = dead_letters
        self._batch = batch_max_records
        self._status = state.aggregates
        self._last_change: datetime | None = None
        self._task: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()
        self._refreshed = float("-inf")

    async def start(self) -> None:
        """Subscribe, and note where every partition ends now (ready = the read model has reached it)."""
        async with UnitOfWork(self._sessions) as uow:
            self._last_change = await repository.latest_update(uow.session)
        await self._stored_positions()
        await self._consumer.start()
        self._consumer.subscribe([self._topic], listener=_SeekToStored(self))
        partitions = await partitions_of(self._consumer, self._topic)
        ends = await self._consumer.end_offsets(partitions)
        self._status.targets = {tp.partition: offset for tp, offset in ends.items()}
        self._status.assigned = True
        self._observe()
        self._task = asyncio.create_task(self._run(), name="aggregate-feed")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._consumer.stop()

    async def settled(self) -> None:
        async with self._lock:
            return

    async def assigned(self, partitions: list[TopicPartition]) -> None:
        """Seek each partition to the furthest position known applied (stored with the rows; the beginning if none).

        The in-memory position counts too: a rebalance may read the database just before a batch commits.
        """
        await self._stored_positions()
        for tp in partitions:
            position = self._status.applied.get(tp.partition)
            if position is None:
                await self._consumer.seek_to_beginning(tp)
            else:
                self._consumer.seek(tp, position)
        self._observe()

    async def _stored_positions(self) -> None:
        """Positions stored in the read model, for every partition (replicas sharing a database write them too)."""
        async with UnitOfWork(self._sessions) as uow:
            stored = await repository.positions(uow.session, self._topic)
        for partition, offset in stored.items():
            self._status.applied[partition] = max(self._status.applied.get(partition, 0), offset)
        self._refreshed = time.monotonic()

    async def _run(self) -> None:
        await self._state.catalog.reached.wait()  # GSO 2008 keys need the crosswalk
        while True:
            try:
                batch = await self._consumer.getmany(timeout_ms=500, max_records=self._batch)
                async with self._lock:
                    await self._handle([record for records in batch.values() for record in records])
                self._status.error = None
            except Exception as error:
                log.exception("aggregates feed failed; rewinding to the stored positions")
                self._status.error = f"{type(error).__name__}: {error}"
                await asyncio.sleep(1.0)
                with contextlib.suppress(Exception):
                    await self.assigned(list(self._consumer.assignment()))
            if not self._status.caught_up and time.monotonic() - self._refreshed > 1.0:
                with contextlib.suppress(Exception):
                    await self._stored_positions()
            self._observe()

    async def _handle(self, records: list[Any]) -> None:
        consumed: dict[int, int] = {}
        for tp in self._consumer.assignment():
            consumed[tp.partition] = await self._consumer.position(tp)
            highwater = self._consumer.highwater(tp)
            if highwater is not None:
                self._status.highwater[tp.partition] = highwater
        advanced = {p: o for p, o in consumed.items() if o > self._status.applied.get(p, 0)}
        if not records and not advanced:
            return
        # a rebalance may hand back records already applied: skip them before they could be dead-lettered twice
        records = [r for r in records if r.offset >= self._status.applied.get(r.partition, 0)]
        decoded = await self._decode(records)
        outcome = await apply_batch(
            UnitOfWork(self._sessions), topic=self._topic, records=decoded, consumed=advanced, changed_at=self._now()
        )
        if advanced:
            await self._commit(advanced)
        for partition, offset in advanced.items():
            self._status.applied[partition] = max(self._status.applied.get(partition, 0), offset)
        self._metrics.applied.labels("upserted").inc(outcome.upserted)
        self._metrics.applied.labels("deleted").inc(outcome.deleted)
        self._metrics.applied.labels("skipped").inc(outcome.skipped)
        self._state.observe(outcome.versions)

    async def _commit(self, advanced: dict[int, int]) -> None:
        """Kafka offsets follow the database (they serve monitoring; the stored positions are what counts)."""
        try:
            await self._consumer.commit({TopicPartition(self._topic, p): o for p, o in advanced.items()})
        except KafkaError as error:
            log.warning("offset commit failed (positions are safe in the database): %s", error)

    async def _decode(self, records: list[Any]) -> list[FeedRecord]:
        decoded: list[FeedRecord] = []
        for record in records:
            try:
                decoded.append(decode_aggregate(record, self._catalog))
            except UnreadableRecord as error:
                await self._dead_letters.send(record, str(error))
                self._metrics.dead_lettered.labels(self._topic).inc()
        return decoded

    def _now(self) -> datetime:
        """Change times strictly increase, so the change feed's cursor never skips a batch."""
        now = datetime.now(UTC)
        if self._last_change is not None and now <= self._last_change:
            now = self._last_change + timedelta(microseconds=1)
        self._last_change = now
        return now

    def _observe(self) -> None:
        self._status.refresh()
        self._metrics.lag.labels(self._topic).set(self._status.lag())
        self._metrics.caught_up.labels(self._topic).set(1 if self._status.caught_up else 0)
