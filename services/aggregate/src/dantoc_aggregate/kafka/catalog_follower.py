"""The catalog cache: reads the compacted catalog topic from the beginning and keeps following it.

A record no decoder can read is handed to `park` (the service parks it once and dead-letters it) and the follower
goes on; a broker or database failure restarts the follow from where it stopped, with a backoff.
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
from dantoc_aggregate.kafka.decoding import parked
from dantoc_aggregate.kafka.observed import consuming
from dantoc_aggregate.kafka.partitions import topic_partitions
from dantoc_aggregate.metrics import AggregateMetrics
from dantoc_contracts import topics
from dantoc_contracts.catalog_view import CatalogView
from dantoc_contracts.messages import adapter
from dantoc_contracts.quarantine import backoff_seconds, error_class

log = logging.getLogger(__name__)
CONSUMER = "aggregate-catalog"
"""The consumer named in the parked rows of the follower (it has no group: it reads every partition)."""
Park = Callable[[list[Parked]], Awaitable[None]]


class CatalogFollower:
    """Feeds `CatalogView` from the topic; `caught_up` is set once the end offsets seen at start are reached."""

    def __init__(self, bootstrap: str, namespace: str, metrics: AggregateMetrics, park: Park | None = None) -> None:
        """`park`: sets unreadable records aside (the service's parked table); without it (the one-shot rebuild
        and replay commands) they are logged and skipped, as the running service parks them."""
        self.view = CatalogView()
        self.park = park
        self.failure: str | None = None  # class of the error the follow is retrying after, for logs and `/ready`
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
        failures = 0
        while True:
            try:
                await self._step()
                failures, self.failure = 0, None
            except asyncio.CancelledError:
                raise
            except Exception as error:  # the broker or the database may come back: go on from the positions
                failures += 1
                self.failure = error_class(error)
                extra = {"event": "catalog.follow_failed", "topic": self._topic, "error_class": self.failure}
                log.exception("catalog follower failed; retrying", extra=extra)
                await asyncio.sleep(backoff_seconds(failures, base=0.5, cap=10.0))

    async def _step(self) -> None:
        assert self._consumer is not None
        batch = await self._consumer.getmany(timeout_ms=500, max_records=5000)
        records = [record for part in batch.values() for record in part]
        if records:
            with consuming(self._metrics.kafka, self._topic, records):
                unreadable = [item for record in records if (item := self._apply(record)) is not None]
                if unreadable and self.park is not None:
                    await self.park(unreadable)  # raises (and the batch is read again) when it cannot park
                self.rules.invalidate()
            log.info(
                "catalog records applied",
                extra={"event": "catalog.applied", "topic": self._topic, "count": len(records)},
            )
        await self._check_caught_up()

    def _apply(self, record: Any) -> Parked | None:
        """Fold one record into the view; an unreadable one is returned to be parked."""
        key = record.key.decode(errors="replace") if record.key else ""
        try:
            if not record.key:
                raise ValueError("a catalog record without a key")
            payload = None if record.value is None else self._adapter.validate_json(record.value).payload
        except (ValidationError, ValueError) as error:
            where = {"topic": record.topic, "partition": record.partition, "offset": record.offset}
            log.warning("unreadable catalog record %s", key, extra={"event": "catalog.unreadable", **where})
            return parked(record, CONSUMER, error)
        self.view.apply(key, payload)
        self._metrics.catalog_records.inc()
        return None

    async def _check_caught_up(self) -> None:
        if self.caught_up.is_set() or self._consumer is None:
            return
        for partition, end in self._end.items():
            if await self._consumer.position(partition) < end:
                return
        self.caught_up.set()
        log.info("catalog cache caught up", extra={"event": "catalog.caught_up", "topic": self._topic})
