"""The catalog cache: the compacted catalog topic read from the beginning (no group) into a CatalogView.

A record no decoder can read is parked (once per offset: the topic is read again at every start) and dead-lettered
by the quarantine rule, and the feed goes on; there are no positions to store.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

from aiokafka import AIOKafkaConsumer

from dantoc_contracts.catalog_view import CatalogRecord, CatalogView
from dantoc_contracts.quarantine import error_class
from dantoc_gateway.domain.state import FeedStatus, ReadModelState
from dantoc_gateway.kafka.decoding import UnreadableRecord, apply_catalog_records, decode_catalog
from dantoc_gateway.kafka.metadata import partitions_of
from dantoc_gateway.kafka.observed import consuming
from dantoc_gateway.kafka.quarantine import Quarantine
from dantoc_gateway.metrics import GatewayMetrics

log = logging.getLogger(__name__)


class CatalogFeed:
    """Keeps `catalog` equal to the topic; `status.caught_up` once the end offsets seen at start are read."""

    def __init__(
        self,
        *,
        bootstrap: str,
        topic: str,
        catalog: CatalogView,
        state: ReadModelState,
        metrics: GatewayMetrics,
        quarantine: Quarantine,
    ) -> None:
        self._topic = topic
        self._quarantine = quarantine
        self._catalog = catalog
        self._state = state
        self._status: FeedStatus = state.catalog
        self._metrics = metrics
        self._consumer = AIOKafkaConsumer(
            topic, bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False, auto_offset_reset="earliest"
        )
        self._task: asyncio.Task[None] | None = None
        self._probed_at = float("-inf")
        self._reachable = False

    async def start(self) -> None:
        await self._quarantine.drain()
        await self._consumer.start()
        assigned = await partitions_of(self._consumer, self._topic)  # without a group: every partition, from the start
        ends = await self._consumer.end_offsets(assigned)
        self._status.targets = {tp.partition: offset for tp, offset in ends.items()}
        self._status.assigned = True
        self._observe()
        self._task = asyncio.create_task(self._run(), name="catalog-feed")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._consumer.stop()

    async def _run(self) -> None:
        while True:
            try:
                await self._step()
                self._status.error = None
            except Exception as error:  # keep following the topic: the broker may come back
                log.exception("catalog feed failed; retrying", extra={"event": "feed.failed", "topic": self._topic})
                self._status.error = error_class(error)
                await asyncio.sleep(1.0)

    async def _step(self) -> None:
        batch = await self._consumer.getmany(timeout_ms=500, max_records=5000)
        records = [record for records in batch.values() for record in records]
        with consuming(self._metrics.kafka, self._topic, records):
            await self._apply(records)
        for tp in self._consumer.assignment():
            self._status.applied[tp.partition] = await self._consumer.position(tp)
            highwater = self._consumer.highwater(tp)
            if highwater is not None:
                self._status.highwater[tp.partition] = highwater
        self._observe()

    async def _apply(self, records: list[Any]) -> None:
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
            try:
                async with asyncio.timeout(2.0):
                    await self._consumer.end_offsets(list(self._consumer.assignment()))
                self._reachable = True
            except Exception:
                self._reachable = False
            self._probed_at = now
        return self._reachable

    def _observe(self) -> None:
        self._status.refresh()
        for partition, lag in self._status.lag_by_partition().items():
            self._metrics.lag.labels(self._topic, str(partition)).set(lag)
        self._metrics.caught_up.labels(self._topic).set(1 if self._status.caught_up else 0)
        self._metrics.catalog_records.set(len(self._catalog.records))
