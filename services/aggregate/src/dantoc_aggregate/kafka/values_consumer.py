"""The accepted-values consumer loop: batches → the use case (`services.batches`) → publish → Kafka commit.

The process that holds the writer lock assigns itself every partition of the topic (so it is the only writer of the
aggregates) and positions itself at the offsets stored in the database: the database, not Kafka, says what has been
applied. Kafka offsets are committed after the database commit only so that consumer lag can be watched.

`run()` serves until cancelled. After an error it starts again from the stored offsets with backoff (`last_error`
names the error's class for `/ready`). A stored offset outside the partition's log is fatal: the consumer stops
(`stopped`), says so in the log and `/ready`, and raises the out-of-range gauge; it never resets silently to the
earliest offset. What happens to a batch, the quarantine rule included, is the use case's.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from datetime import UTC, datetime
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import OffsetOutOfRangeError
from sqlalchemy.ext.asyncio import AsyncEngine

from dantoc_aggregate.db import repository as repo
from dantoc_aggregate.db.engine import session_factory
from dantoc_aggregate.db.leader import writer_lock
from dantoc_aggregate.db.uow import UnitOfWork
from dantoc_aggregate.kafka.catalog_follower import CatalogFollower
from dantoc_aggregate.kafka.decoding import decode_records
from dantoc_aggregate.kafka.lag import record_lag
from dantoc_aggregate.kafka.observed import consuming
from dantoc_aggregate.kafka.partitions import topic_partitions
from dantoc_aggregate.kafka.publisher import EventPublisher
from dantoc_aggregate.metrics import AggregateMetrics
from dantoc_aggregate.services import trail
from dantoc_aggregate.services.apply import BATCH_SEQ, BatchOutcome
from dantoc_aggregate.services.batches import Batches
from dantoc_aggregate.services.cache import StateCache
from dantoc_aggregate.services.cells import AcceptedCells, to_us
from dantoc_aggregate.services.publish import mark_published, republish_pending
from dantoc_aggregate.settings import Settings
from dantoc_contracts import topics
from dantoc_contracts.quarantine import FailureKind, backoff_seconds, classify, error_class

log = logging.getLogger(__name__)


class OffsetsOutOfRange(RuntimeError):
    """A stored offset lies outside its partition's log: records were lost or the topic was recreated (fatal)."""


class ValuesConsumer:
    def __init__(
        self,
        settings: Settings,
        engine: AsyncEngine,
        follower: CatalogFollower,
        publisher: EventPublisher | None,
        metrics: AggregateMetrics,
    ) -> None:
        self.settings, self.engine, self.follower = settings, engine, follower
        self.publisher, self.metrics = publisher, metrics
        self.sessions = session_factory(engine)
        self.topic = topics.topic_name(topics.VALUES_ACCEPTED, settings.namespace)
        self.batches = Batches(
            sessions=self.sessions,
            rules=follower.rules,
            topic=self.topic,
            consumer=settings.consumer_group,
            metrics=metrics,
            cache=StateCache(settings.cache_max_aggregates),
            outbound=publisher,
        )
        self.running = False
        self.stopped: OffsetsOutOfRange | None = None  # a stored offset out of range: the consumer stops for good
        self.last_error: str | None = None  # class of the error that stopped or restarted the consumer
        self._next: dict[int, int] = {}
        self._failures = 0  # consecutive restarts, for the backoff

    async def run(self) -> None:
        """Serve until cancelled; after an error, start again from the offsets stored in the database, with backoff.
        A stored offset out of range stops the consumer for good (an operator must decide)."""
        while True:
            try:
                await self._serve()
            except asyncio.CancelledError:
                raise
            except OffsetsOutOfRange as error:
                self.stopped, self.last_error = error, error_class(error)
                log.critical(
                    "stored offset out of range: the consumer stopped (no silent reset); see the runbook",
                    extra={"event": "pipeline.offset_out_of_range", "topic": self.topic, "error": str(error)},
                )
                return
            except Exception as error:
                self.last_error = error_class(error)
                self._failures += 1
                delay = backoff_seconds(self._failures)
                if classify(error) is FailureKind.TRANSIENT:
                    self.metrics.transient_failures.inc()
                log.exception(
                    "accepted-values pipeline failed; restarting from the stored offsets",
                    extra={
                        "event": "pipeline.failed",
                        "topic": self.topic,
                        "error": self.last_error,
                        "kind": classify(error).value,
                        "retry_in_s": delay,
                    },
                )
                self.metrics.pipeline_restarts.inc()
                await asyncio.sleep(delay)

    async def _serve(self) -> None:
        await self.follower.wait_ready()
        async with writer_lock(self.engine) as fence:
            self.batches.fence = fence
            self.metrics.is_writer.set(1)
            consumer = await self._open(self.settings.consumer_group)
            try:
                if self.publisher is not None:
                    await republish_pending(self.sessions, self.publisher)
                    await self.batches.park_refused(0)
                    await self.batches.drain_dead_letters()
                self.running = True
                await self._consume(consumer)
            finally:
                self.running = False
                self.batches.fence = None
                self.metrics.is_writer.set(0)
                await consumer.stop()

    async def _consume(self, consumer: AIOKafkaConsumer) -> None:
        """Apply batch after batch; each batch's publication overlaps the next batch's transaction, and batches are
        published in order (a batch waits for the previous publication before starting its own). The last batch
        known to be published is recorded by the next transaction (or, when idle, by one of its own)."""
        publishing: asyncio.Task[None] | None = None
        idle_since = time.monotonic()
        try:
            while True:
                batch = await self._collect(consumer)
                if not batch:
                    if publishing is not None and publishing.done():
                        await publishing  # raises what the publication raised
                        publishing = None
                        await self._record_published()
                    if time.monotonic() - idle_since > 1.0:
                        await record_lag(consumer, self.metrics.consumer_lag, self._next)
                        idle_since = time.monotonic()
                    continue
                started = time.perf_counter()
                outcome, messages = await self._handle(batch)
                if publishing is not None:
                    await publishing
                offsets = {tp: self._next[tp.partition] for tp in batch}
                publishing = asyncio.create_task(self._publish(consumer, outcome, messages, offsets, started))
                await record_lag(consumer, self.metrics.consumer_lag, self._next)
        finally:
            self.metrics.consumer_lag.clear()
            if publishing is not None and not publishing.done():
                publishing.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await publishing

    async def _record_published(self) -> None:
        if self.batches.published is not None:
            await mark_published(self.sessions, self.batches.published)
            self.batches.published = None

    async def _publish(
        self,
        consumer: AIOKafkaConsumer,
        outcome: BatchOutcome,
        messages: list[AcceptedCells],
        offsets: dict[TopicPartition, int],
        started: float,
    ) -> None:
        """After the commit: publish the batch's changes, then commit the Kafka offsets (for lag monitoring)."""
        assert self.publisher is not None
        publish_started = time.perf_counter()
        self.metrics.events_published.inc(await self.publisher.publish(outcome.changed))
        await self.batches.after_publication(outcome.seq)
        trail.published(self.publisher.topic, outcome, time.perf_counter() - publish_started)
        self.batches.published = outcome.seq
        now_us = to_us(datetime.now(UTC))
        for message in messages:
            self.metrics.freshness.observe((now_us - message.accepted_us) / 1e6)
        self.metrics.batch_seconds.observe(time.perf_counter() - started)
        await consumer.commit(offsets)

    async def _collect(self, consumer: AIOKafkaConsumer) -> dict[TopicPartition, list[Any]]:
        """One batch: what is there now, topped up for at most `batch_linger_ms` while it is below the maximum."""
        limit = self.settings.batch_max_records
        batch: dict[TopicPartition, list[Any]] = await self._fetch(consumer, self.settings.poll_timeout_ms, limit)
        size = sum(len(records) for records in batch.values())
        deadline = time.monotonic() + self.settings.batch_linger_ms / 1000
        while batch and size < limit and (left := deadline - time.monotonic()) > 0:
            more = await self._fetch(consumer, max(1, int(left * 1000)), limit - size)
            for tp, records in more.items():
                batch.setdefault(tp, []).extend(records)
                size += len(records)
        return batch

    async def _fetch(self, consumer: AIOKafkaConsumer, timeout_ms: int, limit: int) -> dict[TopicPartition, list[Any]]:
        try:
            found: dict[TopicPartition, list[Any]] = await consumer.getmany(timeout_ms=timeout_ms, max_records=limit)
        except OffsetOutOfRangeError as error:  # the consumer never resets by itself (auto_offset_reset="none")
            for tp in error.args[0] if error.args and isinstance(error.args[0], dict) else {}:
                self.metrics.offset_out_of_range.labels(tp.topic, str(tp.partition)).set(1)
            raise OffsetsOutOfRange(f"fetch position out of range: {error}") from error
        return found

    async def replay(self) -> int:
        """Apply the topic from the stored offsets (the beginning, for fresh tables) to its current end; no events."""
        await self.follower.wait_ready()
        consumer = await self._open(None)
        applied = 0
        try:
            partitions = list(consumer.assignment())
            end = await consumer.end_offsets(partitions)
            while any(self._next.get(tp.partition, 0) < end[tp] for tp in partitions):
                batch = await self._fetch(consumer, 1000, self.settings.batch_max_records)
                if batch:
                    applied += (await self._handle(batch))[0].applied
        finally:
            await consumer.stop()
        async with UnitOfWork(self.sessions) as uow:
            last = await repo.read_counter(uow.conn, BATCH_SEQ)
        await mark_published(self.sessions, last)
        return applied

    async def _open(self, group: str | None) -> AIOKafkaConsumer:
        consumer = AIOKafkaConsumer(
            bootstrap_servers=self.settings.kafka_bootstrap_servers,
            group_id=group,
            enable_auto_commit=False,
            auto_offset_reset="none",  # an offset out of range is an error, never a silent reset
            max_partition_fetch_bytes=16 << 20,
            fetch_max_bytes=64 << 20,
        )
        await consumer.start()
        partitions = await topic_partitions(consumer, self.topic)
        consumer.assign(partitions)
        self.batches.cache.clear()
        self.batches.published = None
        async with UnitOfWork(self.sessions) as uow:
            self._next = await repo.load_offsets(uow.conn, self.topic)
            self.batches.cache.upper = await repo.upper_triples(uow.conn)
        try:
            await self._check_offsets(consumer, partitions)
        except BaseException:
            await consumer.stop()
            raise
        for tp in partitions:
            if tp.partition in self._next:
                consumer.seek(tp, self._next[tp.partition])
            else:
                await consumer.seek_to_beginning(tp)
        return consumer

    async def _check_offsets(self, consumer: AIOKafkaConsumer, partitions: list[TopicPartition]) -> None:
        """Every stored offset within its partition's log (first offset .. end); a partition never applied must
        start at offset 0 (otherwise records were deleted before they were applied)."""
        first = await consumer.beginning_offsets(partitions)
        end = await consumer.end_offsets(partitions)
        wrong = []
        for tp in partitions:
            stored = self._next.get(tp.partition, 0)
            if not first[tp] <= stored <= end[tp]:
                wrong.append(f"{tp.topic}[{tp.partition}] stored {stored}, log {first[tp]}..{end[tp]}")
                self.metrics.offset_out_of_range.labels(tp.topic, str(tp.partition)).set(1)
            else:
                self.metrics.offset_out_of_range.labels(tp.topic, str(tp.partition)).set(0)
        if wrong:
            raise OffsetsOutOfRange("; ".join(wrong))

    async def _handle(self, batch: dict[TopicPartition, list[Any]]) -> tuple[BatchOutcome, list[AcceptedCells]]:
        """Parse the batch's records (those not applied yet), hand them to the use case, log the trail."""
        started = time.perf_counter()
        records = [r for tp, rs in batch.items() for r in rs if r.offset >= self._next.get(tp.partition, 0)]
        next_offsets = {tp.partition: rs[-1].offset + 1 for tp, rs in batch.items() if rs}
        with consuming(self.metrics.kafka, self.topic, records):
            decoded = decode_records(records, self.settings.consumer_group)
            outcome, messages = await self.batches.apply(records, decoded.messages, decoded.unreadable, next_offsets)
        self._next.update(next_offsets)
        self._failures = 0
        trail.applied(self.topic, messages, outcome, time.perf_counter() - started)
        return outcome, messages
