"""The catalog cache: reads the compacted catalog topic from the beginning and keeps following it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from pydantic import ValidationError

from dantoc_aggregate.domain.catalog_rules import CatalogRules
from dantoc_aggregate.kafka.partitions import topic_partitions
from dantoc_aggregate.metrics import AggregateMetrics
from dantoc_contracts import topics
from dantoc_contracts.catalog_view import CatalogView
from dantoc_contracts.messages import adapter

log = logging.getLogger(__name__)


class CatalogFollower:
    """Feeds `CatalogView` from the topic; `caught_up` is set once the end offsets seen at start are reached."""

    def __init__(self, bootstrap: str, namespace: str, metrics: AggregateMetrics) -> None:
        self.view = CatalogView()
        self.rules = CatalogRules(self.view)
        self.caught_up = asyncio.Event()
        self._bootstrap, self._metrics = bootstrap, metrics
        self._topic = topics.topic_name(topics.CATALOG, namespace)
        self._adapter = adapter(topics.CATALOG.name)
        self._consumer: AIOKafkaConsumer | None = None
        self._task: asyncio.Task[None] | None = None
        self._end: dict[TopicPartition, int] = {}

    async def start(self) -> None:
        consumer = self._consumer = AIOKafkaConsumer(
            bootstrap_servers=self._bootstrap, group_id=None, enable_auto_commit=False, auto_offset_reset="earliest"
        )
        await consumer.start()
        partitions = await topic_partitions(consumer, self._topic)
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        self._end = await consumer.end_offsets(partitions)
        await self._check_caught_up()
        self._task = asyncio.create_task(self._follow(), name="catalog-follower")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._consumer is not None:
            await self._consumer.stop()

    async def _follow(self) -> None:
        assert self._consumer is not None
        while True:
            batch = await self._consumer.getmany(timeout_ms=500, max_records=5000)
            records = [record for part in batch.values() for record in part]
            if records:
                size = sum(len(record.value or b"") for record in records)
                with self._metrics.kafka.consuming(self._topic, len(records), size):
                    for record in records:
                        self._apply(record)
                    self.rules.invalidate()
                log.info(
                    "catalog records applied",
                    extra={"event": "catalog.applied", "topic": self._topic, "count": len(records)},
                )
            await self._check_caught_up()

    def _apply(self, record: Any) -> None:
        key = record.key.decode() if record.key else ""
        try:
            payload = None if record.value is None else self._adapter.validate_json(record.value).payload
        except ValidationError:
            log.warning(
                "unreadable catalog record %s",
                key,
                extra={
                    "event": "catalog.unreadable",
                    "topic": record.topic,
                    "partition": record.partition,
                    "offset": record.offset,
                },
            )
            return
        self.view.apply(key, payload)
        self._metrics.catalog_records.inc()

    async def _check_caught_up(self) -> None:
        if self.caught_up.is_set() or self._consumer is None:
            return
        for partition, end in self._end.items():
            if await self._consumer.position(partition) < end:
                return
        self.caught_up.set()
        log.info("catalog cache caught up", extra={"event": "catalog.caught_up", "topic": self._topic})
