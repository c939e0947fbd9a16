"""Consumer of the submissions topic: manual commits, after the database commit, never before.

Every record goes through the quarantine rule (`kafka/quarantine.py`): a record that keeps failing for what it
holds is set aside (parked, dead-lettered, offset past it) and the partition goes on.

The database holds the authoritative next offset of each partition (written in the same transaction as the
submission it follows); on assignment the consumer seeks there, so a redelivered record is never decided twice.
Kafka's committed offsets are only advanced afterwards, for monitoring and as a fallback. After every poll the
lag of each assigned partition is published as `dantoc_ingest_consumer_lag_messages{topic,partition}`; every
polled batch is counted in FastStream's `faststream_received_*` series (acked once committed).
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, TopicPartition

from dantoc_contracts import topics
from dantoc_ingest.kafka.catalog_cache import CatalogCache
from dantoc_ingest.kafka.consumer_lag import ConsumerLag
from dantoc_ingest.kafka.observed import consuming
from dantoc_ingest.kafka.quarantine import RecordGuard
from dantoc_ingest.services.context import IngestContext
from dantoc_ingest.services.intake import InboundRecord, consume_submission, park_failed

log = logging.getLogger(__name__)


class _SeekToStored(ConsumerRebalanceListener):  # type: ignore[misc]
    def __init__(
        self, consumer: AIOKafkaConsumer, stored: Callable[[], Awaitable[dict[int, int]]], lag: ConsumerLag
    ) -> None:
        self._consumer, self._stored, self._lag = consumer, stored, lag

    async def on_partitions_revoked(self, revoked: Any) -> None:
        self._lag.forget(revoked)

    async def on_partitions_assigned(self, assigned: Any) -> None:
        offsets = await self._stored()
        for tp in assigned:
            if tp.partition in offsets:
                self._consumer.seek(tp, offsets[tp.partition])


class SubmissionsConsumer:
    def __init__(
        self, ctx: IngestContext, catalog: CatalogCache, *, bootstrap: str, namespace: str, group: str
    ) -> None:
        self._ctx, self._catalog, self._bootstrap, self._group = ctx, catalog, bootstrap, group
        self.topic = topics.topic_name(topics.SUBMISSIONS, namespace)
        self.running = False
        self._lag = ConsumerLag(ctx.metrics.consumer_lag)
        self.guard = RecordGuard(consumer=group, park=self._park)

    async def _park(self, inbound: InboundRecord, error: BaseException) -> None:
        await park_failed(self._ctx, inbound, error, group=self._group)

    async def run(self) -> None:
        await self._catalog.wait_ready()  # a half-loaded catalog would reject good submissions
        while True:
            try:
                await self._consume()
            except asyncio.CancelledError:
                raise
            except Exception:
                self.running = False
                log.exception(
                    "submissions consumer failed; restarting", extra={"event": "consumer.failed", "topic": self.topic}
                )
                await asyncio.sleep(2)

    async def _stored_offsets(self) -> dict[int, int]:
        async with self._ctx.uow(read_only=True) as uow:
            return await uow.repo.next_offsets(self._group, self.topic)

    async def _consume(self) -> None:
        consumer = AIOKafkaConsumer(
            bootstrap_servers=self._bootstrap,
            group_id=self._group,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            max_partition_fetch_bytes=8 * 1024 * 1024,
            client_id="dantoc-ingest",
        )
        consumer.subscribe([self.topic], listener=_SeekToStored(consumer, self._stored_offsets, self._lag))
        await consumer.start()
        self.running = True
        try:
            while True:
                batches = await consumer.getmany(timeout_ms=500, max_records=200)
                if batches:
                    await self._batch(consumer, batches)
                await self._lag.update(consumer)  # after the batch is decided: what is left is the lag
        finally:
            self.running = False
            self._lag.forget_all()
            await consumer.stop()

    async def _batch(self, consumer: AIOKafkaConsumer, batches: dict[TopicPartition, list[Any]]) -> None:
        """Decide one poll's records (partitions concurrently, each in order), then commit their offsets."""
        with consuming(self._ctx.metrics.kafka, self.topic, [r for records in batches.values() for r in records]):
            done = await asyncio.gather(*(self._partition(tp, records) for tp, records in batches.items()))
            await consumer.commit(dict(done))

    async def _partition(self, tp: TopicPartition, records: list[Any]) -> tuple[TopicPartition, int]:
        """Handle one partition's records in order (each logs its outcome); returns the offset to commit."""
        for message in records:
            inbound = InboundRecord(message.topic, message.partition, message.offset, message.key, message.value)
            await self.guard.run(inbound, functools.partial(consume_submission, self._ctx, inbound, group=self._group))
        return tp, records[-1].offset + 1
