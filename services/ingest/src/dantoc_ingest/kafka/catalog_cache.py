"""The catalog cache: the compacted catalog topic read from the beginning and followed, folded into a CatalogView.

Ready once it has read up to the end offsets seen when it started; until then ingest refuses to decide anything
(a half-loaded catalog would reject good submissions). A record no decoder can read is handed to `park` (parked
once per offset and dead-lettered through the outbox) and the cache goes on; when it cannot be parked (the
database is down) the poll is read again after a pause.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from pydantic import ValidationError

from dantoc_contracts import topics
from dantoc_contracts.catalog_view import CatalogView
from dantoc_contracts.messages import adapter
from dantoc_ingest.kafka.observed import consuming
from dantoc_ingest.metrics import IngestMetrics
from dantoc_ingest.services.quarantine import CATALOG_CACHE, Record

log = logging.getLogger(__name__)
_CATALOG = adapter(topics.CATALOG.name)
Park = Callable[[Record, BaseException], Awaitable[None]]
CONSUMER = CATALOG_CACHE


def fold_catalog_record(view: CatalogView, key: bytes | None, value: bytes | None) -> None:
    """One catalog record into `view`; ValueError (a ValidationError) when it cannot be read."""
    if key is None:
        raise ValueError("a catalog record without a key")
    view.apply(key.decode(), None if value is None else _CATALOG.validate_json(value).payload)


class CatalogCache:
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

    @property
    def ready(self) -> bool:
        return self._ready.is_set()

    async def wait_ready(self) -> None:
        await self._ready.wait()

    def apply(self, key: bytes | None, value: bytes | None) -> None:
        """Fold one record (None value = tombstone); ValueError (a ValidationError) when it cannot be read."""
        fold_catalog_record(self.view, key, value)

    async def run(self) -> None:
        """Follow the topic forever, reconnecting after failures."""
        while True:
            try:
                await self._follow()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception(
                    "catalog cache: consumer failed; retrying", extra={"event": "consumer.failed", "topic": self.topic}
                )
                await asyncio.sleep(2)

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
                self._metrics.catalog_records.set(len(self.view.records))
                if not self.ready and self._caught_up():
                    self._ready.set()
                    self._metrics.catalog_ready.set(1)
                    count = len(self.view.records)
                    log.info(
                        "catalog cache ready", extra={"event": "catalog.ready", "topic": self.topic, "count": count}
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
