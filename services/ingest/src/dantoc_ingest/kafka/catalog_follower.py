"""The catalog follower: the compacted catalog topic read from the beginning and followed, folded into a
CatalogView (the in-memory catalog the use cases read).

`start()` / `stop()`. `ready` once it has read up to the end offsets seen when it started; until then ingest refuses
to decide anything (a half-loaded catalog would reject good submissions). A supervising loop restarts the reading
after any failure with a backoff (1 s doubling to 30 s) and keeps the last error (its class) for `/ready`. A record
no decoder can read is handed to `park` (parked once per offset and dead-lettered through the outbox) and the
follower goes on; when it cannot be parked (the database is down) the reading restarts at the same position.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from pydantic import ValidationError

from dantoc_contracts import topics
from dantoc_contracts.catalog_view import CatalogView
from dantoc_contracts.messages import adapter
from dantoc_contracts.quarantine import error_class
from dantoc_ingest.kafka.observed import consuming
from dantoc_ingest.metrics import IngestMetrics
from dantoc_ingest.services.quarantine import CATALOG_FOLLOWER, Record

log = logging.getLogger(__name__)
_CATALOG = adapter(topics.CATALOG.name)
Park = Callable[[Record, BaseException], Awaitable[None]]
CONSUMER = CATALOG_FOLLOWER


def fold_catalog_record(view: CatalogView, key: bytes | None, value: bytes | None) -> None:
    """One catalog record into `view`; ValueError (a ValidationError) when it cannot be read."""
    if key is None:
        raise ValueError("a catalog record without a key")
    view.apply(key.decode(), None if value is None else _CATALOG.validate_json(value).payload)


BACKOFF_FIRST, BACKOFF_MAX = 1.0, 30.0


class CatalogFollower:
    def __init__(self, bootstrap: str, namespace: str, metrics: IngestMetrics, park: Park | None = None) -> None:
        """`park`: sets an unreadable record aside (the service binds it once its context exists); without it (the
        one-shot replay command) such a record is logged, counted and skipped, as the running service parks it."""
        self.topic = topics.topic_name(topics.CATALOG, namespace)
        self.park = park
        self._bootstrap, self._metrics = bootstrap, metrics
        self.view = CatalogView()
        self._ready = asyncio.Event()
        self._targets: dict[TopicPartition, int] = {}  # end offsets seen at start: ready when reached
        self._positions: dict[TopicPartition, int] = {}  # next offset to read, kept across reconnects
        self._task: asyncio.Task[None] | None = None
        self.backoff = BACKOFF_FIRST  # the pause before the next restart
        self.last_error: str | None = None  # the class of the last failure of the reading (None once it reads)

    @property
    def ready(self) -> bool:
        return self._ready.is_set()

    async def wait_ready(self) -> None:
        await self._ready.wait()

    def apply(self, key: bytes | None, value: bytes | None) -> None:
        """Fold one record (None value = tombstone); ValueError (a ValidationError) when it cannot be read."""
        fold_catalog_record(self.view, key, value)

    def start(self) -> None:
        """Start following (in a task of the running loop); idempotent."""
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
            except Exception as error:
                self.last_error = error_class(error)
                delay = self.backoff
                log.exception(
                    "catalog follower: reading failed; restarting",
                    extra={"event": "consumer.failed", "topic": self.topic, "retry_in": delay},
                )
                await asyncio.sleep(delay)
                self.backoff = min(delay * 2, BACKOFF_MAX)

    async def _follow(self) -> None:
        consumer = AIOKafkaConsumer(
            bootstrap_servers=self._bootstrap, group_id=None, enable_auto_commit=False, auto_offset_reset="earliest"
        )
        await consumer.start()
        try:
            await self._assign(consumer)
            while True:
                batches: dict[TopicPartition, list[Any]] = await consumer.getmany(timeout_ms=500, max_records=5000)
                if batches:
                    await self._fold([message for records in batches.values() for message in records])
                for tp in self._targets:
                    self._positions[tp] = await consumer.position(tp)
                self.last_error, self.backoff = None, BACKOFF_FIRST  # a poll went through: the reading is healthy
                self._metrics.catalog_records.set(len(self.view.records))
                if not self.ready and self._caught_up():
                    self._ready.set()
                    self._metrics.catalog_ready.set(1)
                    count = len(self.view.records)
                    log.info(
                        "catalog follower ready", extra={"event": "catalog.ready", "topic": self.topic, "count": count}
                    )
        finally:
            await consumer.stop()

    async def _fold(self, messages: list[Any]) -> None:
        """One poll's records, counted in FastStream's `faststream_received_*` series (acked once folded)."""
        with consuming(self._metrics.kafka, self.topic, messages):
            for message in messages:
                try:
                    self.apply(message.key, message.value)
                except (ValidationError, ValueError) as error:
                    await self._set_aside(message, error)

    async def _set_aside(self, message: Any, error: Exception) -> None:
        key = None if message.key is None else message.key.decode(errors="replace")
        where = {"topic": self.topic, "partition": message.partition, "offset": message.offset, "key": key}
        log.warning("unreadable catalog record", extra={"event": "catalog.unreadable", **where})
        self._metrics.catalog_errors.inc()
        if self.park is not None:
            record = Record(message.topic, message.partition, message.offset, message.key, message.value)
            await self.park(record, error)  # raises when it cannot: the poll is read again

    async def _assign(self, consumer: AIOKafkaConsumer) -> None:
        """Assign every partition; resume where a previous connection stopped, else start from the beginning."""
        while self.topic not in await consumer.topics():
            log.warning(
                "catalog topic not found; waiting for it", extra={"event": "catalog.waiting", "topic": self.topic}
            )
            await asyncio.sleep(1)
        partitions = range(topics.CATALOG.partitions)  # the compacted catalog topic is created with this count
        tps = [TopicPartition(self.topic, p) for p in partitions]
        consumer.assign(tps)
        for tp in tps:
            if tp in self._positions:
                consumer.seek(tp, self._positions[tp])
            else:
                await consumer.seek_to_beginning(tp)
        if not self._targets:
            self._targets = await consumer.end_offsets(tps)

    def _caught_up(self) -> bool:
        return all(self._positions.get(tp, 0) >= end for tp, end in self._targets.items())
