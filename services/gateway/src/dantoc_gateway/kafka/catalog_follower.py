"""The catalog follower: the compacted catalog topic read from the beginning (no group) and followed, folded into
a CatalogView (the in-memory catalog the API reads).

`start()` / `stop()`. `ready` once it has read up to the end offsets seen when it started (the API refuses queries
until then: `api/deps.py`). A supervising loop restarts the reading after any failure with a backoff (1 s doubling
to 30 s), resuming where the last reading stopped, and keeps the last error (its class) for `/ready` (the catalog
feed's `error`, cleared once a poll goes through). A record no decoder can read is parked (once per offset: the
topic is read again at every start) and dead-lettered by the quarantine rule, and the follower goes on; when it
cannot be parked (the database is down) the reading restarts at the same position. There are no positions to store.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from typing import Any, Protocol

from aiokafka import AIOKafkaConsumer, TopicPartition

from dantoc_contracts import topics
from dantoc_contracts.catalog_view import CatalogRecord, CatalogView
from dantoc_contracts.quarantine import error_class
from dantoc_gateway.domain.state import FeedStatus, ReadModelState
from dantoc_gateway.kafka.decoding import UnreadableRecord, apply_catalog_records, decode_catalog
from dantoc_gateway.kafka.observed import consuming
from dantoc_gateway.metrics import GatewayMetrics

log = logging.getLogger(__name__)
BACKOFF_FIRST, BACKOFF_MAX = 1.0, 30.0
TOPIC_WAIT = 1.0  # between two looks for a catalog topic not created yet


class Parking(Protocol):
    """What the follower needs of the quarantine rule (`kafka/quarantine.py`)."""

    pending: bool

    async def park(self, record: Any, error: BaseException, *, position: bool) -> None: ...

    async def drain(self) -> None: ...


def new_consumer(bootstrap: str) -> AIOKafkaConsumer:
    return AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False, auto_offset_reset="earliest"
    )


class CatalogFollower:
    """Keeps `catalog` equal to the topic; `ready` once the end offsets seen at start are read."""

    def __init__(
        self,
        *,
        bootstrap: str,
        topic: str,
        catalog: CatalogView,
        state: ReadModelState,
        metrics: GatewayMetrics,
        quarantine: Parking,
        consumer: Callable[[], AIOKafkaConsumer] | None = None,
    ) -> None:
        """`consumer` makes the consumer of one reading (a new one after each failure)."""
        self.topic = topic
        self._quarantine = quarantine
        self._catalog = catalog
        self._state = state
        self._status: FeedStatus = state.catalog
        self._metrics = metrics
        self._new_consumer = consumer or (lambda: new_consumer(bootstrap))
        self._consumer: AIOKafkaConsumer | None = None  # the current reading's, once started
        self._task: asyncio.Task[None] | None = None
        self.backoff = BACKOFF_FIRST  # the pause before the next restart
        self._probed_at = float("-inf")
        self._reachable = False

    @property
    def ready(self) -> bool:
        return self._status.caught_up

    @property
    def last_error(self) -> str | None:
        """The class of the last failure of the reading (None once a poll goes through)."""
        return self._status.error

    async def wait_ready(self) -> None:
        await self._status.reached.wait()

    def start(self) -> None:
        """Start following (in a task of the running loop); idempotent. Nothing connects before the task runs."""
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self.run(), name="catalog-follower")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def run(self) -> None:
        """Follow the topic forever: the reading restarted after any failure, 1 s doubling to 30 s between tries."""
        while True:
            try:
                await self._follow()
            except asyncio.CancelledError:
                raise
            except Exception as error:  # keep following the topic: the broker or the database may come back
                self._status.error = error_class(error)
                delay = self.backoff
                log.exception(
                    "catalog follower: reading failed; restarting",
                    extra={"event": "feed.failed", "topic": self.topic, "retry_in": delay},
                )
                await asyncio.sleep(delay)
                self.backoff = min(delay * 2, BACKOFF_MAX)

    async def _follow(self) -> None:
        """One reading: a new consumer, resumed where the last one stopped (the beginning at first)."""
        await self._quarantine.drain()  # dead letters of records parked before (a crash, a broker away)
        consumer = self._new_consumer()
        await consumer.start()
        self._consumer = consumer
        try:
            await self._assign(consumer)
            while True:
                await self._step(consumer)
                self._status.error, self.backoff = None, BACKOFF_FIRST  # a poll went through: the reading is healthy
        finally:
            self._consumer = None
            await consumer.stop()

    async def _assign(self, consumer: AIOKafkaConsumer) -> None:
        """Assign every partition; resume at the positions applied, else from the beginning. The end offsets seen
        by the first reading are the ones to reach."""
        while self.topic not in await consumer.topics():
            log.warning(
                "catalog topic not found; waiting for it", extra={"event": "catalog.waiting", "topic": self.topic}
            )
            await asyncio.sleep(TOPIC_WAIT)
        partitions = range(topics.CATALOG.partitions)  # the compacted catalog topic is created with this count
        tps = [TopicPartition(self.topic, p) for p in partitions]
        consumer.assign(tps)
        for tp in tps:
            position = self._status.applied.get(tp.partition)
            if position is None:
                await consumer.seek_to_beginning(tp)
            else:
                consumer.seek(tp, position)
        if not self._status.assigned:
            ends = await consumer.end_offsets(tps)
            self._status.targets = {tp.partition: offset for tp, offset in ends.items()}
            self._status.assigned = True
        self._observe()

    async def _step(self, consumer: AIOKafkaConsumer) -> None:
        batch = await consumer.getmany(timeout_ms=500, max_records=5000)
        records = [record for records in batch.values() for record in records]
        with consuming(self._metrics.kafka, self.topic, records):
            await self._apply(records)
        for tp in consumer.assignment():
            self._status.applied[tp.partition] = await consumer.position(tp)
            highwater = consumer.highwater(tp)
            if highwater is not None:
                self._status.highwater[tp.partition] = highwater
        self._observe()

    async def _apply(self, records: list[Any]) -> None:
        """Fold one poll; an unreadable record is parked (raising when it cannot be: the poll is read again)."""
        decoded: list[tuple[str, CatalogRecord | None]] = []
        for record in records:
            try:
                decoded.append(decode_catalog(record))
            except UnreadableRecord as error:  # decoding is deterministic: no second attempt can read it
                await self._quarantine.park(record, error, position=False)
        if self._quarantine.pending:
            await self._quarantine.drain()
        if decoded:
            apply_catalog_records(self._catalog, decoded)
            self._state.bump(catalog=True)

    async def probe(self) -> bool:
        """Whether the broker answers a request for the topic's end offsets (answer kept for a second)."""
        now = time.monotonic()
        if now - self._probed_at > 1.0:
            consumer = self._consumer
            try:
                if consumer is None:
                    raise ConnectionError("no reading under way")
                async with asyncio.timeout(2.0):
                    await consumer.end_offsets(list(consumer.assignment()))
                self._reachable = True
            except Exception:
                self._reachable = False
            self._probed_at = now
        return self._reachable

    def _observe(self) -> None:
        was_ready = self._status.caught_up
        self._status.refresh()
        for partition, lag in self._status.lag_by_partition().items():
            self._metrics.lag.labels(self.topic, str(partition)).set(lag)
        self._metrics.caught_up.labels(self.topic).set(1 if self._status.caught_up else 0)
        self._metrics.catalog_records.set(len(self._catalog.records))
        if self._status.caught_up and not was_ready:
            count = len(self._catalog.records)
            log.info("catalog follower ready", extra={"event": "catalog.ready", "topic": self.topic, "count": count})
