"""The accepted-values consumer: batches → one transaction each → publish → commit offsets.

The process that holds the writer lock assigns itself every partition of the topic (so it is the only writer of the
aggregates) and positions itself at the offsets stored in the database: the database, not Kafka, says what has been
applied. Kafka offsets are committed after the database commit only so that consumer lag can be watched.

The quarantine rule (issue 11), in this one loop: a batch whose transaction fails because the database or the broker
cannot be reached is tried again from the stored offsets with backoff (`FailureKind.TRANSIENT`); a batch that fails
for what it holds is applied again record by record, one transaction each, and a record that still fails after
`MAX_ATTEMPTS` is set aside: kept in the parked table in the transaction that stores the offset past it, its
dead-letter event published after the commit (the parked table is the outbox), and the partition goes on. A record
the contract cannot read is set aside at once, in its batch's transaction. A stored offset outside the partition's
log is fatal: the consumer stops, says so in the log and `/ready`, and raises the out-of-range gauge; it never
resets silently to the earliest offset.
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

from dantoc_aggregate.db import parked as parking
from dantoc_aggregate.db import repository as repo
from dantoc_aggregate.db.leader import Fence, LostWriterLock, writer_lock
from dantoc_aggregate.db.parked import Parked
from dantoc_aggregate.db.uow import UnitOfWork
from dantoc_aggregate.kafka import trail
from dantoc_aggregate.kafka.catalog_follower import CatalogFollower
from dantoc_aggregate.kafka.decoding import decode_records, parked
from dantoc_aggregate.kafka.lag import record_lag
from dantoc_aggregate.kafka.observed import consuming
from dantoc_aggregate.kafka.partitions import topic_partitions
from dantoc_aggregate.kafka.publisher import EventPublisher
from dantoc_aggregate.metrics import AggregateMetrics
from dantoc_aggregate.services.apply import BATCH_SEQ, BatchOutcome, apply_batch
from dantoc_aggregate.services.cache import StateCache
from dantoc_aggregate.services.cells import AcceptedCells, to_us
from dantoc_aggregate.services.publish import mark_published, republish_pending
from dantoc_aggregate.settings import Settings
from dantoc_contracts import topics
from dantoc_contracts.bounds import MAX_MESSAGE_BYTES
from dantoc_contracts.quarantine import Attempts, FailureKind, backoff_seconds, classify, error_class

log = logging.getLogger(__name__)
SERVICE = "aggregate"


class OffsetsOutOfRange(RuntimeError):
    """A stored offset lies outside its partition's log: records were lost or the topic was recreated (fatal)."""


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
        self.fence: Fence | None = None  # set while this process is the elected writer
        self.attempts = Attempts()
        self.failure: str | None = None  # class of the error that stopped or restarted the consumer, for `/ready`
        self.fatal = False
        self._failures = 0  # consecutive restarts, for the backoff
        self._dead_letters_due = False

    async def run_forever(self) -> None:
        """Serve until cancelled; after an error, start again from the offsets stored in the database, with backoff.
        A stored offset out of range stops the consumer for good (an operator must decide)."""
        while True:
            try:
                await self._serve()
            except asyncio.CancelledError:
                raise
            except OffsetsOutOfRange as error:
                self.failure, self.fatal = error_class(error), True
                log.critical(
                    "stored offset out of range: the consumer stopped (no silent reset); see the runbook",
                    extra={"event": "pipeline.offset_out_of_range", "topic": self.topic, "error": str(error)},
                )
                return
            except Exception as error:
                self.failure = error_class(error)
                self._failures += 1
                delay = backoff_seconds(self._failures)
                if classify(error) is FailureKind.TRANSIENT:
                    self.metrics.transient_failures.inc()
                log.exception(
                    "accepted-values pipeline failed; restarting from the stored offsets",
                    extra={
                        "event": "pipeline.failed",
                        "topic": self.topic,
                        "error": self.failure,
                        "kind": classify(error).value,
                        "retry_in_s": delay,
                    },
                )
                self.metrics.pipeline_restarts.inc()
                await asyncio.sleep(delay)

    async def _serve(self) -> None:
        await self.follower.wait_ready()
        async with writer_lock(self.engine) as fence:
            self.fence = fence
            self.metrics.is_writer.set(1)
            consumer = await self._open(self.settings.consumer_group)
            try:
                if self.publisher is not None:
                    await republish_pending(self.engine, self.publisher)
                    await self._park_refused(0)
                    await self._drain_dead_letters()
                self.running = True
                await self._consume(consumer)
            finally:
                self.running = False
                self.fence = None
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
        await self._park_refused(outcome.seq)
        trail.published(self.publisher.topic, outcome, time.perf_counter() - publish_started)
        if self._dead_letters_due:
            await self._drain_dead_letters()
        self._published = outcome.seq
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
        async with UnitOfWork(self.engine) as uow:
            last = await repo.read_counter(uow.conn, BATCH_SEQ)
        await mark_published(self.engine, last)
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
        self.cache.clear()
        self._published = None
        async with UnitOfWork(self.engine) as uow:
            self._next = await repo.load_offsets(uow.conn, self.topic)
            self.cache.upper = await repo.upper_triples(uow.conn)
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
        """Decode and apply one batch in one committed transaction (dead letters go out first)."""
        started = time.perf_counter()
        records = [r for tp, rs in batch.items() for r in rs if r.offset >= self._next.get(tp.partition, 0)]
        with consuming(self.metrics.kafka, self.topic, records):
            outcome, messages = await self._apply(batch, records)
        trail.applied(self.topic, messages, outcome, time.perf_counter() - started)
        return outcome, messages

    async def _apply(
        self, batch: dict[TopicPartition, list[Any]], records: list[Any]
    ) -> tuple[BatchOutcome, list[AcceptedCells]]:
        next_offsets = {tp.partition: rs[-1].offset + 1 for tp, rs in batch.items() if rs}
        decoded = decode_records(records, self.settings.consumer_group)
        published, self._published = self._published, None
        try:
            outcome = await self._transaction(decoded.messages, decoded.unreadable, next_offsets, published)
            messages = decoded.messages
        except BaseException as error:
            self.cache.clear()  # its states were changed in place by a transaction that did not commit
            self._careful = True  # the batch is applied again, looking every aggregate up
            self._published = published if self._published is None else self._published
            if not is_poison(error):
                raise
            log.warning(
                "batch failed for what it holds: applying its records one by one",
                extra={"event": "batch.poison", "topic": self.topic, "error": error_class(error)},
            )
            outcome, messages = await self._one_by_one(records, decoded.messages, decoded.unreadable)
        self._next.update(next_offsets)
        self._careful = False
        self._failures = 0
        self.metrics.values_applied.inc(outcome.applied)
        self.metrics.values_ignored.labels("stale").inc(outcome.stale)
        self.metrics.batches.inc()
        return outcome, messages

    async def _transaction(
        self,
        messages: list[AcceptedCells],
        unreadable: list[Parked],
        next_offsets: dict[int, int],
        published: int | None = None,
    ) -> BatchOutcome:
        """One committed transaction: fenced (this process is still the writer), the messages applied, the records
        set aside parked, the offsets stored."""
        async with UnitOfWork(self.engine) as uow:
            if self.fence is not None:
                await self.fence.check(uow.conn)
            outcome = await apply_batch(
                uow.conn,
                self.follower.rules,
                messages,
                topic=self.topic,
                next_offsets=next_offsets,
                cache=self.cache,
                published_seq=published,
                careful=self._careful,
            )
            await parking.park(uow.conn, unreadable)
            await uow.commit()
        self._quarantined(unreadable)
        return outcome

    async def _one_by_one(
        self, records: list[Any], messages: list[AcceptedCells], unreadable: list[Parked]
    ) -> tuple[BatchOutcome, list[AcceptedCells]]:
        """The batch again, one transaction per record in offset order; a record failing `MAX_ATTEMPTS` times for
        what it holds is parked (with the offset past it). Returns the merged outcome and the applied messages."""
        raw = {(record.partition, record.offset): record for record in records}
        items: list[tuple[int, int, AcceptedCells | Parked]] = [(m.partition, m.offset, m) for m in messages]
        items += [(p.partition, p.offset, p) for p in unreadable]
        items.sort(key=lambda item: (item[0], item[1]))
        total, changed, applied = BatchOutcome(seq=0), {}, []
        for partition, offset, item in items:
            offsets = {partition: offset + 1}
            if isinstance(item, Parked):
                outcome = await self._transaction([], [item], offsets)
            else:
                outcome = await self._attempt(item, raw[(partition, offset)], offsets)
                if outcome.applied or outcome.stale or outcome.changed:
                    applied.append(item)
            total.seq = max(total.seq, outcome.seq)
            total.applied += outcome.applied
            total.stale += outcome.stale
            for state in outcome.changed:  # the newest state of each aggregate is published
                changed[(state.indicator, state.unit, state.period, state.dkey)] = state
        total.changed = list(changed.values())
        return total, applied

    async def _attempt(self, message: AcceptedCells, record: Any, offsets: dict[int, int]) -> BatchOutcome:
        """Apply one message, up to `MAX_ATTEMPTS` times; then park it."""
        while True:
            try:
                outcome = await self._transaction([message], [], offsets)
            except BaseException as error:
                self.cache.clear()
                if not is_poison(error):
                    raise
                attempt = self.attempts.failed(record.topic, record.partition, record.offset)
                if not self.attempts.exhausted(record.topic, record.partition, record.offset):
                    await asyncio.sleep(backoff_seconds(attempt, base=0.1, cap=1.0))
                    continue
                self.attempts.forget(record.topic, record.partition, record.offset)
                return await self._transaction([], [parked(record, self.settings.consumer_group, error)], offsets)
            self.attempts.forget(record.topic, record.partition, record.offset)
            return outcome

    def _quarantined(self, records: list[Parked]) -> None:
        if not records:
            return
        trail.parked(records)
        for record in records:
            self.metrics.quarantined.labels(SERVICE, record.consumer, record.topic).inc()
        self.metrics.values_ignored.labels("unreadable").inc(sum(1 for record in records if record.topic == self.topic))
        self._dead_letters_due = True

    async def set_aside(self, records: list[Parked]) -> None:
        """The catalog follower's `park`: unreadable catalog records parked once each; their dead letters are
        published with the next batch (or when this process next becomes the writer)."""
        async with UnitOfWork(self.engine) as uow:
            new = await parking.park_new(uow.conn, records)
            await uow.commit()
        self._quarantined(new)

    async def _park_refused(self, seq: int) -> None:
        """Park the events the publisher refused as too large (the partition -1 and the batch number say whence)."""
        if self.publisher is None:
            return
        refused = self.publisher.take_refused()
        if not refused:
            return
        consumer = f"{self.settings.consumer_group}-publisher"
        records = [
            Parked(
                topic=self.publisher.topic,
                partition=-1,
                offset=seq,
                key=key,
                value=value,
                reason=f"event of {len(key) + len(value)} bytes: over the limit of {MAX_MESSAGE_BYTES} bytes",
                error_class="aiokafka.MessageSizeTooLargeError",
                consumer=consumer,
            )
            for key, value in refused
        ]
        async with UnitOfWork(self.engine) as uow:
            await parking.park(uow.conn, records)
            await uow.commit()
        self._quarantined(records)
        await self._drain_dead_letters()

    async def _drain_dead_letters(self) -> None:
        """After the commit that parked them: publish the dead-letter events of parked rows (the outbox)."""
        if self.publisher is None:
            return
        self._dead_letters_due = False
        while True:
            async with UnitOfWork(self.engine) as uow:
                pending = await parking.not_dead_lettered(uow.conn)
            if not pending:
                return
            await self.publisher.dead_letters([record.dead_letter() for record in pending])
            async with UnitOfWork(self.engine) as uow:
                await parking.mark_dead_lettered(uow.conn, [record.id for record in pending if record.id is not None])
                await uow.commit()


def is_poison(error: BaseException) -> bool:
    """Does the error come from what the batch holds (not from reaching a server, nor from a lost writer lock)?"""
    if isinstance(error, LostWriterLock | asyncio.CancelledError) or not isinstance(error, Exception):
        return False
    return classify(error) is FailureKind.POISON
