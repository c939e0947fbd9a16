"""A consumer-group feed of one topic into the read model, committed after the database.

Positions live in the read model (`feed_positions`, written in the same transaction as what a batch changed): on
every assignment the consumer seeks to them, so a fresh database replays the topic from the beginning and a crash
replays at most one batch, which the apply step recognises and skips. Kafka offsets are committed after the
database commit, for monitoring. Subclasses say how a batch is applied (`apply`).

Failures follow the quarantine rule (`kafka/quarantine.py`): a transient one rewinds to the stored positions
after a backoff; a batch failing for what it holds is applied again record by record, and a record failing
`MAX_ATTEMPTS` times is parked (with the position past it) and dead-lettered, and the feed goes on.

The consumer never resets a position by itself (`auto_offset_reset="none"`): a partition without a stored position
is sought to the beginning explicitly, and a stored position outside the partition's log (records deleted, or the
topic recreated) stops the feed for good: an ERROR log `feed.offset_out_of_range` with the topic, partition, stored
position and the log's range, `dantoc_offset_out_of_range{topic,partition}` set to 1, `/ready` not ready naming
`OffsetsOutOfRange`, and nothing written (no rows, no positions, no Kafka commit). An operator decides.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, TopicPartition
from aiokafka.errors import KafkaError, NoOffsetForPartitionError, OffsetOutOfRangeError

from dantoc_contracts.quarantine import FailureKind, backoff_seconds, classify, error_class
from dantoc_gateway.db import repository
from dantoc_gateway.db.uow import UnitOfWork
from dantoc_gateway.domain.state import FeedStatus
from dantoc_gateway.kafka.metadata import partitions_of
from dantoc_gateway.kafka.observed import consuming
from dantoc_gateway.kafka.quarantine import Quarantine
from dantoc_gateway.metrics import GatewayMetrics

log = logging.getLogger(__name__)
T = TypeVar("T")


class OffsetsOutOfRange(RuntimeError):
    """A stored position lies outside its partition's log (records deleted, or the topic recreated): fatal."""


class _SeekToStored(ConsumerRebalanceListener):  # type: ignore[misc]
    def __init__(self, feed: GroupFeed) -> None:
        self._feed = feed

    async def on_partitions_revoked(self, revoked: Any) -> None:
        """Let the batch in flight commit, so the next assignment reads its positions."""
        await self._feed.revoked(list(revoked))

    async def on_partitions_assigned(self, assigned: Any) -> None:
        await self._feed.assigned(list(assigned))


class GroupFeed:
    """Consumes `topic` with a consumer group; `apply` writes a batch and its positions in one transaction."""

    name = "feed"

    def __init__(
        self,
        *,
        consumer: AIOKafkaConsumer,
        topic: str,
        sessions: Any,
        status: FeedStatus,
        metrics: GatewayMetrics,
        quarantine: Quarantine,
        batch_max_records: int,
    ) -> None:
        self._consumer, self._topic, self._sessions, self._status = consumer, topic, sessions, status
        self._metrics, self._quarantine, self._batch = metrics, quarantine, batch_max_records
        self._task: asyncio.Task[None] | None = None
        self._lock, self._refreshed = asyncio.Lock(), float("-inf")
        # Partitions sought to their stored positions. aiokafka hands out an assignment before the listener that
        # seeks has finished (it awaits the database), and meanwhile fetches from the group's committed offsets:
        # a partition counts only once sought, or a fresh database would take those offsets for its own. With
        # `auto_offset_reset="none"` that window may also raise (no committed offset, or a committed offset out of
        # range): such an error is answered by seeking again, and only a stored position out of range is fatal.
        self._sought: set[int] = set()
        self.stopped: OffsetsOutOfRange | None = None  # set once a stored position is out of range: the feed stops
        self._reported: set[int] = set()  # partitions whose position out of range was logged

    async def apply(self, records: list[Any], advanced: dict[int, int]) -> None:
        """Write the batch's records and the next offsets `advanced` (per partition) in one transaction."""
        raise NotImplementedError

    async def prepare(self) -> None:
        """What must hold before the first batch (the default: nothing)."""

    async def start(self) -> None:
        """Subscribe, and note where every partition ends now (caught up = the read model has reached it)."""
        await self._stored_positions()
        await self._quarantine.drain()  # dead letters of records parked before a crash
        await self._consumer.start()
        self._consumer.subscribe([self._topic], listener=_SeekToStored(self))
        partitions = await partitions_of(self._consumer, self._topic)
        ends = await self._consumer.end_offsets(partitions)
        self._status.targets = {tp.partition: offset for tp, offset in ends.items()}
        self._status.assigned = True
        self._observe()
        self._task = asyncio.create_task(self._run(), name=f"{self.name}-feed")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._consumer.stop()

    async def revoked(self, partitions: list[TopicPartition]) -> None:
        """Wait for the batch in flight (so the next assignment reads its positions), then forget the partitions."""
        async with self._lock:
            self._sought -= {tp.partition for tp in partitions}

    async def assigned(self, partitions: list[TopicPartition]) -> None:
        """Seek each partition to the furthest position known applied (stored with the rows; the beginning if none).

        The in-memory position counts too: a rebalance may read the database just before a batch commits.
        """
        await self._stored_positions()
        outside = await self._outside_the_log(partitions)
        for tp in partitions:
            if tp.partition in outside:
                continue  # never sought: the feed stops (see `_run`)
            position = self._status.applied.get(tp.partition)
            if position is None:
                await self._consumer.seek_to_beginning(tp)
            else:
                self._consumer.seek(tp, position)
            self._sought.add(tp.partition)
        self._observe()

    async def _outside_the_log(self, partitions: list[TopicPartition]) -> set[int]:
        """The partitions whose stored position lies outside their log (each logged, its gauge set; the feed is
        marked stopped). A partition without a stored position is never outside: it is read from the beginning."""
        stored = [tp for tp in partitions if tp.partition in self._status.applied]
        if not stored:
            return set()
        first = await self._consumer.beginning_offsets(stored)
        end = await self._consumer.end_offsets(stored)
        outside: set[int] = set()
        for tp in stored:
            position = self._status.applied[tp.partition]
            gauge = self._metrics.offset_out_of_range.labels(tp.topic, str(tp.partition))
            if first[tp] <= position <= end[tp]:
                gauge.set(0)
                continue
            gauge.set(1)
            outside.add(tp.partition)
            if tp.partition in self._reported:
                continue  # logged when found (the feed stops; a later assignment finds it again)
            self._reported.add(tp.partition)
            log.error(
                "%s feed stopped: stored position %d of %s[%d] lies outside the log (%d..%d); it is never reset",
                self.name,
                position,
                tp.topic,
                tp.partition,
                first[tp],
                end[tp],
                extra={
                    "event": "feed.offset_out_of_range",
                    "topic": tp.topic,
                    "partition": tp.partition,
                    "stored_offset": position,
                    "log_start": first[tp],
                    "log_end": end[tp],
                },
            )
            self.stopped = OffsetsOutOfRange(
                f"{tp.topic}[{tp.partition}] stored {position}, log {first[tp]}..{end[tp]}"
            )
        return outside

    async def _stored_positions(self) -> None:
        """Positions stored in the read model, for every partition (replicas sharing a database write them too)."""
        async with UnitOfWork(self._sessions) as uow:
            stored = await repository.positions(uow.session, self._topic)
        for partition, offset in stored.items():
            self._status.applied[partition] = max(self._status.applied.get(partition, 0), offset)
        self._refreshed = time.monotonic()

    async def _run(self) -> None:
        await self.prepare()
        failures = 0  # transient failures in a row: they back off, and never count toward quarantine
        while True:
            try:
                if self.stopped is not None:
                    raise self.stopped
                batch = await self._consumer.getmany(timeout_ms=500, max_records=self._batch)
                records = [record for records in batch.values() for record in records]
                async with self._lock:
                    with consuming(self._metrics.kafka, self._topic, records):
                        await self._handle(records)
                self._status.error = None
                failures = 0
            except OffsetsOutOfRange as error:
                self._status.error = error_class(error)  # /ready: not ready, naming the class
                await self._consumer.stop()  # leaves the group: nothing more is read, applied or committed
                return
            except (NoOffsetForPartitionError, OffsetOutOfRangeError) as error:
                # A fetch from a position aiokafka took before (or instead of) ours: seek every partition again to
                # its stored position, which is checked against the log first (out of range: the feed stops).
                log.info(
                    "%s feed: %s from a position not its own; seeking to the stored positions",
                    self.name,
                    error_class(error),
                    extra={"event": "feed.seek_again", "topic": self._topic, "error_class": error_class(error)},
                )
                async with self._lock:
                    with contextlib.suppress(KafkaError):  # unreachable now: the next fetch raises again
                        await self.assigned(list(self._consumer.assignment()))
            except Exception as error:
                failures += 1
                transient = classify(error) is FailureKind.TRANSIENT
                log.warning(
                    "%s feed failed (%s); rewinding to the stored positions",
                    self.name,
                    error_class(error),
                    exc_info=not transient,
                    extra={"event": "feed.failed", "topic": self._topic, "error_class": error_class(error)},
                )
                self._status.error = error_class(error)  # what /ready shows: the class, never data or SQL
                await asyncio.sleep(backoff_seconds(failures) if transient else 1.0)
                with contextlib.suppress(Exception):
                    await self.assigned(list(self._consumer.assignment()))
            if self._quarantine.pending:  # dead letters a broker outage left in the parked table
                await self._quarantine.drain()
            if not self._status.caught_up and time.monotonic() - self._refreshed > 1.0:
                with contextlib.suppress(Exception):
                    await self._stored_positions()
            self._observe()

    async def _handle(self, records: list[Any]) -> None:
        unsought = [tp for tp in self._consumer.assignment() if tp.partition not in self._sought]
        if unsought:  # the listener has not sought them yet (or failed to): what was read before is dropped
            await self.assigned(unsought)
        if self.stopped is not None:  # found by the listener or just now: nothing of this batch is written
            raise self.stopped
        consumed = await self._positions()
        advanced = {p: o for p, o in consumed.items() if o > self._status.applied.get(p, 0)}
        stale = {tp.partition for tp in unsought}
        # a rebalance may hand back records already applied: skip them before they could be dead-lettered twice
        records = [
            r
            for r in records
            if r.partition in consumed
            and r.partition not in stale
            and r.offset >= self._status.applied.get(r.partition, 0)
        ]
        if not records and not advanced:
            return
        await self._apply_guarded(records, advanced)
        if advanced:
            await self._commit(advanced)
        for partition, offset in advanced.items():
            self._status.applied[partition] = max(self._status.applied.get(partition, 0), offset)

    async def _positions(self) -> dict[int, int]:
        """The next offset to read of every sought partition (and the newest end offsets, for the lag)."""
        consumed: dict[int, int] = {}
        for tp in self._consumer.assignment():
            if tp.partition in self._sought:
                consumed[tp.partition] = await self._consumer.position(tp)
                highwater = self._consumer.highwater(tp)
                if highwater is not None:
                    self._status.highwater[tp.partition] = highwater
        return consumed

    async def _apply_guarded(self, records: list[Any], advanced: dict[int, int]) -> None:
        """The batch in one transaction; if it fails for what it holds, record by record under the quarantine rule."""
        try:
            await self.apply(records, advanced)
            return
        except Exception as error:
            if classify(error) is FailureKind.TRANSIENT or not records:
                raise
            log.warning(
                "%s batch of %d failed (%s); applying it record by record",
                self.name,
                len(records),
                error_class(error),
                extra={"event": "batch.failed", "topic": self._topic, "error_class": error_class(error)},
            )
        for record in records:
            await self._quarantine.attempt(record, functools.partial(self._apply_one, record))
        await self.apply([], advanced)  # the batch's positions: past compacted gaps too

    async def _apply_one(self, record: Any) -> None:
        await self.apply([record], {record.partition: record.offset + 1})

    @staticmethod
    def readable(records: list[Any], decode: Callable[[Any], T]) -> list[T]:
        """The decoded records (an unreadable one raises: it fails its batch, and the quarantine rule parks it)."""
        return [decode(record) for record in records]

    async def _commit(self, advanced: dict[int, int]) -> None:
        """Kafka offsets follow the database (they serve monitoring; the stored positions are what counts)."""
        try:
            await self._consumer.commit({TopicPartition(self._topic, p): o for p, o in advanced.items()})
        except KafkaError as error:
            log.warning(
                "offset commit failed (positions are safe in the database): %s",
                error,
                extra={"event": "offset_commit.failed", "topic": self._topic, "error": repr(error)},
            )

    def _observe(self) -> None:
        self._status.refresh()
        for partition, lag in self._status.lag_by_partition().items():
            self._metrics.lag.labels(self._topic, str(partition)).set(lag)
        self._metrics.caught_up.labels(self._topic).set(1 if self._status.caught_up else 0)
