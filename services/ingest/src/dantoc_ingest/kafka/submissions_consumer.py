"""Consumer of the submissions topic: manual commits, after the database commit, never before.

Every record goes through the quarantine rule (`kafka/quarantine.py`): a record that keeps failing for what it
holds is set aside (parked, dead-lettered, offset past it) and the partition goes on.

The database holds the authoritative next offset of each partition (written in the same transaction as the
submission it follows); on assignment the consumer seeks there, so a redelivered record is never decided twice.
Kafka's committed offsets are only advanced afterwards, for monitoring and as a fallback. After every poll the
lag of each assigned partition is published as `dantoc_ingest_consumer_lag_messages{topic,partition}`; every
polled batch is counted in FastStream's `faststream_received_*` series (acked once committed).

The consumer never resets a position by itself (`auto_offset_reset="none"`): a partition without a stored offset is
sought to the beginning explicitly, and only records of partitions this consumer has sought are decided (aiokafka
fetches before the listener that seeks has finished; with "none" that window may raise instead, which is answered by
seeking again). A stored offset outside the partition's log (records deleted, or the topic recreated) stops the
consumer for good: an ERROR log `consumer.offset_out_of_range` with the topic, partition, stored offset and the
log's range, `dantoc_offset_out_of_range{topic,partition}` set to 1, `/ready` not ready naming `OffsetsOutOfRange`,
and nothing decided, stored or committed. An operator decides.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, TopicPartition
from aiokafka.errors import NoOffsetForPartitionError, OffsetOutOfRangeError

from dantoc_contracts import topics
from dantoc_contracts.quarantine import error_class
from dantoc_ingest.kafka.catalog_follower import CatalogFollower
from dantoc_ingest.kafka.consumer_lag import ConsumerLag
from dantoc_ingest.kafka.observed import consuming
from dantoc_ingest.kafka.quarantine import RecordGuard
from dantoc_ingest.services.context import IngestContext
from dantoc_ingest.services.intake import InboundRecord, consume_submission, park_failed

log = logging.getLogger(__name__)


class OffsetsOutOfRange(RuntimeError):
    """A stored offset lies outside its partition's log (records deleted, or the topic recreated): fatal."""


class _SeekToStored(ConsumerRebalanceListener):  # type: ignore[misc]
    def __init__(
        self,
        consumer: AIOKafkaConsumer,
        seek: Callable[[AIOKafkaConsumer, list[TopicPartition]], Awaitable[None]],
        revoked: Callable[[list[TopicPartition]], None],
    ) -> None:
        self._consumer, self._seek, self._revoked = consumer, seek, revoked

    async def on_partitions_revoked(self, revoked: Any) -> None:
        self._revoked(list(revoked))

    async def on_partitions_assigned(self, assigned: Any) -> None:
        await self._seek(self._consumer, list(assigned))


class SubmissionsConsumer:
    def __init__(
        self, ctx: IngestContext, catalog: CatalogFollower, *, bootstrap: str, namespace: str, group: str
    ) -> None:
        self._ctx, self._catalog, self._bootstrap, self._group = ctx, catalog, bootstrap, group
        self.topic = topics.topic_name(topics.SUBMISSIONS, namespace)
        self.running = False
        self._lag = ConsumerLag(ctx.metrics.consumer_lag)
        self.guard = RecordGuard(consumer=group, park=self._park)
        self._sought: set[int] = set()  # partitions sought to their stored offsets (only their records are decided)
        self.stopped: OffsetsOutOfRange | None = None  # a stored offset out of range: the consumer stops for good
        self._reported: set[int] = set()  # partitions whose offset out of range was logged

    async def _park(self, inbound: InboundRecord, error: BaseException) -> None:
        await park_failed(self._ctx, inbound, error, group=self._group)

    async def run(self) -> None:
        await self._catalog.wait_ready()  # a half-loaded catalog would reject good submissions
        while True:
            try:
                await self._consume()
            except asyncio.CancelledError:
                raise
            except OffsetsOutOfRange:
                self.running = False
                return  # logged per partition; /ready names it; an operator decides (never a silent reset)
            except Exception:
                self.running = False
                log.exception(
                    "submissions consumer failed; restarting", extra={"event": "consumer.failed", "topic": self.topic}
                )
                await asyncio.sleep(2)

    async def _stored_offsets(self) -> dict[int, int]:
        async with self._ctx.uow(read_only=True) as uow:
            return await uow.repo.next_offsets(self._group, self.topic)

    async def _seek(self, consumer: AIOKafkaConsumer, partitions: list[TopicPartition]) -> None:
        """Seek each partition to its stored offset (the beginning if none), after checking it lies in the log."""
        offsets = await self._stored_offsets()
        stored = [tp for tp in partitions if tp.partition in offsets]
        first = await consumer.beginning_offsets(stored) if stored else {}
        end = await consumer.end_offsets(stored) if stored else {}
        for tp in partitions:
            if tp.partition not in offsets:
                await consumer.seek_to_beginning(tp)
            elif self._within(tp, offsets[tp.partition], first[tp], end[tp]):
                consumer.seek(tp, offsets[tp.partition])
            else:
                continue  # never sought: nothing of it is decided, and the consumer stops
            self._sought.add(tp.partition)

    def _within(self, tp: TopicPartition, offset: int, first: int, end: int) -> bool:
        gauge = self._ctx.metrics.offset_out_of_range.labels(tp.topic, str(tp.partition))
        if first <= offset <= end:
            gauge.set(0)
            return True
        gauge.set(1)
        if tp.partition in self._reported:
            return False  # logged when found (the consumer stops; a later seek finds it again)
        self._reported.add(tp.partition)
        log.error(
            "submissions consumer stopped: stored offset %d of %s[%d] lies outside the log (%d..%d); never reset",
            offset,
            tp.topic,
            tp.partition,
            first,
            end,
            extra={
                "event": "consumer.offset_out_of_range",
                "topic": tp.topic,
                "partition": tp.partition,
                "stored_offset": offset,
                "log_start": first,
                "log_end": end,
            },
        )
        self.stopped = OffsetsOutOfRange(f"{tp.topic}[{tp.partition}] stored {offset}, log {first}..{end}")
        return False

    def _revoked(self, partitions: list[TopicPartition]) -> None:
        self._lag.forget(partitions)
        self._sought -= {tp.partition for tp in partitions}

    async def _consume(self) -> None:
        consumer = AIOKafkaConsumer(
            bootstrap_servers=self._bootstrap,
            group_id=self._group,
            enable_auto_commit=False,
            auto_offset_reset="none",  # never a silent reset: `_seek` positions every partition itself
            max_partition_fetch_bytes=8 * 1024 * 1024,
            client_id="dantoc-ingest",
        )
        consumer.subscribe([self.topic], listener=_SeekToStored(consumer, self._seek, self._revoked))
        self._sought.clear()
        await consumer.start()
        self.running = True
        try:
            while True:
                batches = await self._poll(consumer)
                if batches:
                    await self._batch(consumer, batches)
                await self._lag.update(consumer)  # after the batch is decided: what is left is the lag
        finally:
            self.running = False
            self._lag.forget_all()
            await consumer.stop()

    async def _poll(self, consumer: AIOKafkaConsumer) -> dict[TopicPartition, list[Any]]:
        """The next records of the partitions sought (others are sought now, and what was read of them dropped)."""
        if self.stopped is not None:
            raise self.stopped
        try:
            batches: dict[TopicPartition, list[Any]] = await consumer.getmany(timeout_ms=500, max_records=200)
        except (NoOffsetForPartitionError, OffsetOutOfRangeError) as error:
            # a fetch from a position aiokafka took before (or instead of) ours: seek again (checked against the log)
            log.info(
                "submissions consumer: %s from a position not its own; seeking to the stored offsets",
                error_class(error),
                extra={"event": "consumer.seek_again", "topic": self.topic, "error_class": error_class(error)},
            )
            await self._seek(consumer, list(consumer.assignment()))
            batches = {}
        unsought = [tp for tp in consumer.assignment() if tp.partition not in self._sought]
        if unsought:
            await self._seek(consumer, unsought)
        if self.stopped is not None:
            raise self.stopped
        return {tp: records for tp, records in batches.items() if tp not in unsought and tp.partition in self._sought}

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
