"""The accepted-values consumer: batches → one transaction each → publish → commit offsets.

The process that holds the writer lock assigns itself every partition of the topic (so it is the only writer of the
aggregates) and positions itself at the offsets stored in the database: the database, not Kafka, says what has been
applied. Kafka offsets are committed after the database commit only so that consumer lag can be watched.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from datetime import UTC, datetime
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from sqlalchemy.ext.asyncio import AsyncEngine

from dantoc_aggregate.db import repository as repo
from dantoc_aggregate.db.leader import writer_lock
from dantoc_aggregate.db.uow import UnitOfWork
from dantoc_aggregate.handlers import decode_records
from dantoc_aggregate.kafka import trail
from dantoc_aggregate.kafka.catalog_follower import CatalogFollower
from dantoc_aggregate.kafka.lag import record_lag
from dantoc_aggregate.kafka.partitions import topic_partitions
from dantoc_aggregate.kafka.publisher import EventPublisher
from dantoc_aggregate.metrics import AggregateMetrics
from dantoc_aggregate.settings import Settings
from dantoc_aggregate.usecases.apply import BATCH_SEQ, BatchOutcome, apply_batch
from dantoc_aggregate.usecases.cache import StateCache
from dantoc_aggregate.usecases.cells import AcceptedCells, to_us
from dantoc_aggregate.usecases.publish import mark_published, republish_pending
from dantoc_contracts import topics

log = logging.getLogger(__name__)


class ValuesPipeline:
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
        self.topic = topics.topic_name(topics.VALUES_ACCEPTED, settings.namespace)
        self.running = False
        self._next: dict[int, int] = {}
        self._published: int | None = None  # last batch published, not yet recorded in the database
        self._careful = False  # set after a failed batch: see `apply_batch`
        self.cache = StateCache(settings.cache_max_aggregates)

    async def run_forever(self) -> None:
        """Serve until cancelled; after an error, start again from the offsets stored in the database."""
        while True:
            try:
                await self._serve()
            except asyncio.CancelledError:
                raise
            except Exception as error:
                log.exception(
                    "accepted-values pipeline failed; restarting from the stored offsets",
                    extra={"event": "pipeline.failed", "topic": self.topic, "error": repr(error)},
                )
                self.metrics.pipeline_restarts.inc()
                await asyncio.sleep(1.0)

    async def _serve(self) -> None:
        await self.follower.caught_up.wait()
        async with writer_lock(self.engine):
            self.metrics.is_writer.set(1)
            consumer = await self._open(self.settings.consumer_group)
            try:
                if self.publisher is not None:
                    await republish_pending(self.engine, self.publisher)
                self.running = True
                await self._consume(consumer)
            finally:
                self.running = False
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
        if self._published is not None:
            await mark_published(self.engine, self._published)
            self._published = None

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
        trail.published(self.publisher.topic, outcome, time.perf_counter() - publish_started)
        self._published = outcome.seq
        now_us = to_us(datetime.now(UTC))
        for message in messages:
            self.metrics.freshness.observe((now_us - message.accepted_us) / 1e6)
        self.metrics.batch_seconds.observe(time.perf_counter() - started)
        await consumer.commit(offsets)

    async def _collect(self, consumer: AIOKafkaConsumer) -> dict[TopicPartition, list[Any]]:
        """One batch: what is there now, topped up for at most `batch_linger_ms` while it is below the maximum."""
        limit = self.settings.batch_max_records
        batch: dict[TopicPartition, list[Any]] = await consumer.getmany(
            timeout_ms=self.settings.poll_timeout_ms, max_records=limit
        )
        size = sum(len(records) for records in batch.values())
        deadline = time.monotonic() + self.settings.batch_linger_ms / 1000
        while batch and size < limit and (left := deadline - time.monotonic()) > 0:
            more = await consumer.getmany(timeout_ms=max(1, int(left * 1000)), max_records=limit - size)
            for tp, records in more.items():
                batch.setdefault(tp, []).extend(records)
                size += len(records)
        return batch

    async def replay(self) -> int:
        """Apply the topic from the stored offsets (the beginning, for fresh tables) to its current end; no events."""
        await self.follower.caught_up.wait()
        consumer = await self._open(None)
        applied = 0
        try:
            partitions = list(consumer.assignment())
            end = await consumer.end_offsets(partitions)
            while any(self._next.get(tp.partition, 0) < end[tp] for tp in partitions):
                batch = await consumer.getmany(timeout_ms=1000, max_records=self.settings.batch_max_records)
                if batch:
                    applied += (await self._handle(batch))[0].applied
        finally:
            await consumer.stop()
        async with UnitOfWork(self.engine) as uow:
            last = await repo.read_counter(uow.conn, BATCH_SEQ)
        await mark_published(self.engine, last)
        return applied

    async def _open(self, group: str | None) -> AIOKafkaConsumer:
        consumer = AIOKafkaConsumer(
            bootstrap_servers=self.settings.kafka_bootstrap_servers,
            group_id=group,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            max_partition_fetch_bytes=16 << 20,
            fetch_max_bytes=64 << 20,
        )
        await consumer.start()
        partitions = await topic_partitions(consumer, self.topic)
        consumer.assign(partitions)
        self.cache.clear()
        self._published = None
        async with UnitOfWork(self.engine) as uow:
            self._next = await repo.load_offsets(uow.conn, self.topic)
            self.cache.upper = await repo.upper_triples(uow.conn)
        for tp in partitions:
            if tp.partition in self._next:
                consumer.seek(tp, self._next[tp.partition])
            else:
                await consumer.seek_to_beginning(tp)
        return consumer

    async def _handle(self, batch: dict[TopicPartition, list[Any]]) -> tuple[BatchOutcome, list[AcceptedCells]]:
        """Decode and apply one batch in one committed transaction (dead letters go out first)."""
        started = time.perf_counter()
        records = [r for tp, rs in batch.items() for r in rs if r.offset >= self._next.get(tp.partition, 0)]
        size = sum(len(record.value or b"") for record in records)
        with self.metrics.kafka.consuming(self.topic, len(records), size):
            outcome, messages = await self._apply(batch, records)
        trail.applied(self.topic, messages, outcome, time.perf_counter() - started)
        return outcome, messages

    async def _apply(
        self, batch: dict[TopicPartition, list[Any]], records: list[Any]
    ) -> tuple[BatchOutcome, list[AcceptedCells]]:
        next_offsets = {tp.partition: rs[-1].offset + 1 for tp, rs in batch.items() if rs}
        decoded = decode_records(records, self.settings.consumer_group)
        if decoded.dead:
            trail.dead_lettered(decoded.dead)
            if self.publisher is not None:
                await self.publisher.dead_letters(decoded.dead)
        self.metrics.values_ignored.labels("unreadable").inc(len(decoded.dead))
        published, self._published = self._published, None
        try:
            async with UnitOfWork(self.engine) as uow:
                outcome = await apply_batch(
                    uow.conn,
                    self.follower.rules,
                    decoded.messages,
                    topic=self.topic,
                    next_offsets=next_offsets,
                    cache=self.cache,
                    published_seq=published,
                    careful=self._careful,
                )
                await uow.commit()
        except BaseException:
            self.cache.clear()  # its states were changed in place by a transaction that did not commit
            self._careful = True  # the batch is applied again, looking every aggregate up
            self._published = published if self._published is None else self._published
            raise
        self._next.update(next_offsets)
        self._careful = False
        self.metrics.values_applied.inc(outcome.applied)
        self.metrics.values_ignored.labels("stale").inc(outcome.stale)
        self.metrics.batches.inc()
        return outcome, decoded.messages
