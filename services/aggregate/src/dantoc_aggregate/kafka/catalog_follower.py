"""The catalog follower: the compacted catalog topic read from the beginning and followed, folded into a
CatalogView (indicators, rollup rules, the administrative map) that `CatalogRules` reads.

`start()` / `stop()`. `ready` once it has read up to the end offsets seen when it started; until then the writer
does not consume (a half-loaded map would roll values up to the wrong parents). A supervising loop restarts the
reading after any failure with a backoff (1 s doubling to 30 s) and keeps the last error (its class) for `/ready`.
A record no decoder can read is handed to `park` (parked once per offset and dead-lettered by the writer) and the
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

from dantoc_aggregate.db.parked import Parked
from dantoc_aggregate.domain.catalog_rules import CatalogRules
from dantoc_aggregate.kafka.observed import consuming
from dantoc_aggregate.kafka.partitions import topic_partitions
from dantoc_aggregate.metrics import AggregateMetrics
from dantoc_aggregate.services.batches import parked
from dantoc_contracts import topics
from dantoc_contracts.catalog_view import CatalogView
from dantoc_contracts.messages import adapter
from dantoc_contracts.quarantine import error_class

log = logging.getLogger(__name__)
_CATALOG = adapter(topics.CATALOG.name)
CONSUMER = "aggregate-catalog"
"""The consumer named in the parked rows of the follower (it has no group: it reads every partition)."""
Park = Callable[[list[Parked]], Awaitable[None]]
BACKOFF_FIRST, BACKOFF_MAX = 1.0, 30.0


def fold_catalog_record(view: CatalogView, key: bytes | None, value: bytes | None) -> None:
    """One catalog record into `view`; ValueError (a ValidationError) when it cannot be read."""
    if not key:
        raise ValueError("a catalog record without a key")
    view.apply(key.decode(), None if value is None else _CATALOG.validate_json(value).payload)


class CatalogFollower:
    def __init__(self, bootstrap: str, namespace: str, metrics: AggregateMetrics, park: Park | None = None) -> None:
        """`park`: sets unreadable records aside (the writer binds it once it exists); without it (the one-shot
        rebuild and replay commands) they are logged and skipped, as the running service parks them."""
        self.topic = topics.topic_name(topics.CATALOG, namespace)
        self.park = park
        self._bootstrap, self._metrics = bootstrap, metrics
        self.view = CatalogView()
        self.rules = CatalogRules(self.view)
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
                    await self._fold([record for records in batches.values() for record in records])
                for tp in self._targets:
                    self._positions[tp] = await consumer.position(tp)
                self.last_error, self.backoff = None, BACKOFF_FIRST  # a poll went through: the reading is healthy
                if not self.ready and self._caught_up():
                    self._ready.set()
                    log.info("catalog follower ready", extra={"event": "catalog.caught_up", "topic": self.topic})
        finally:
            await consumer.stop()

    async def _fold(self, records: list[Any]) -> None:
        """One poll's records, counted in FastStream's `faststream_received_*` series (acked once folded)."""
        with consuming(self._metrics.kafka, self.topic, records):
            unreadable = [item for record in records if (item := self._apply(record)) is not None]
            if unreadable and self.park is not None:
                await self.park(unreadable)  # raises when it cannot: the poll is read again
            self.rules.invalidate()
        log.info(
            "catalog records applied", extra={"event": "catalog.applied", "topic": self.topic, "count": len(records)}
        )

    def _apply(self, record: Any) -> Parked | None:
        """Fold one record into the view; an unreadable one is returned to be parked."""
        try:
            fold_catalog_record(self.view, record.key, record.value)
        except (ValidationError, ValueError) as error:
            key = record.key.decode(errors="replace") if record.key else ""
            where = {"topic": record.topic, "partition": record.partition, "offset": record.offset}
            log.warning("unreadable catalog record %s", key, extra={"event": "catalog.unreadable", **where})
            return parked(record, CONSUMER, error)
        self._metrics.catalog_records.inc()
        return None

    async def _assign(self, consumer: AIOKafkaConsumer) -> None:
        """Assign every partition; resume where a previous connection stopped, else start from the beginning."""
        tps = await topic_partitions(consumer, self.topic)
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
