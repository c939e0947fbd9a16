"""`replay-parked`: apply parked records again (after a fix), and forget those that now apply.

Aggregates and accepted values are applied as the feeds would (only over older versions: a replayed record never
replaces a newer figure); a catalog record only needs to decode now (the catalog follower rereads its topic at start).
A record that still fails stays parked (its error class is printed).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from aiokafka import AIOKafkaConsumer

from dantoc_contracts import topics
from dantoc_contracts.catalog_view import CatalogView
from dantoc_contracts.quarantine import error_class
from dantoc_contracts.topics import topic_name
from dantoc_gateway.db import parked, repository
from dantoc_gateway.db.parked import Parked
from dantoc_gateway.db.uow import UnitOfWork
from dantoc_gateway.kafka.decoding import UnreadableRecord, decode_aggregate, decode_catalog, decode_values
from dantoc_gateway.kafka.metadata import partitions_of
from dantoc_gateway.services.agency_units import apply_submitted
from dantoc_gateway.services.readmodel import apply_batch
from dantoc_gateway.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Replayed:
    applied: list[int]
    failing: dict[int, str]  # id -> error class


async def load_catalog(bootstrap: str, topic: str) -> CatalogView:
    """The catalog topic read to its end (what decoding aggregates needs: the ethnic code crosswalk)."""
    view = CatalogView()
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False, auto_offset_reset="earliest"
    )
    await consumer.start()
    try:
        assigned = await partitions_of(consumer, topic)  # without a group: every partition, from the start
        ends = await consumer.end_offsets(assigned)
        while [tp for tp, end in ends.items() if await consumer.position(tp) < end]:
            batch = await consumer.getmany(timeout_ms=500, max_records=5000)
            for record in (r for records in batch.values() for r in records):
                try:
                    view.apply(*decode_catalog(record))
                except UnreadableRecord:
                    continue
    finally:
        await consumer.stop()
    return view


class _Catalog:
    """Loaded once, and only when an aggregate is replayed."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._view: CatalogView | None = None

    async def view(self) -> CatalogView:
        if self._view is None:
            s = self._settings
            self._view = await load_catalog(s.kafka_bootstrap_servers, topic_name(topics.CATALOG, s.namespace))
        return self._view


async def _apply(sessions: Any, settings: Settings, catalog: _Catalog, entry: Parked) -> None:
    ns = settings.namespace
    if entry.topic == topic_name(topics.AGGREGATES, ns):
        decoded = decode_aggregate(entry, await catalog.view())
        async with UnitOfWork(sessions) as uow:
            latest = await repository.latest_update(uow.session)
        changed_at = datetime.now(UTC)
        if latest is not None and changed_at <= latest:
            changed_at = latest + timedelta(microseconds=1)
        await apply_batch(
            uow=UnitOfWork(sessions),
            topic=entry.topic,
            records=[decoded],
            consumed={},
            changed_at=changed_at,
            replay=True,
        )
    elif entry.topic == topic_name(topics.VALUES_ACCEPTED, ns):
        submitted = decode_values(entry)
        await apply_submitted(
            uow=UnitOfWork(sessions), topic=entry.topic, records=[submitted], consumed={}, replay=True
        )
    elif entry.topic == topic_name(topics.CATALOG, ns):
        decode_catalog(entry)
    else:
        raise UnreadableRecord(f"no feed of the gateway reads {entry.topic}")


async def replay_parked(sessions: Any, settings: Settings, record_id: int | None = None) -> Replayed:
    """Apply the parked record `record_id` (or every one) again; delete those that now apply."""
    async with UnitOfWork(sessions) as uow:
        entries = await parked.parked(uow.session, record_id)
    catalog = _Catalog(settings)
    applied: list[int] = []
    failing: dict[int, str] = {}
    for entry in entries:
        assert entry.id is not None
        try:
            await _apply(sessions, settings, catalog, entry)
        except Exception as error:
            failing[entry.id] = error_class(error)
            log.warning(
                "parked record %s still fails: %s",
                entry.id,
                error_class(error),
                extra={"event": "parked.still_failing", "id": entry.id, "error_class": error_class(error)},
            )
            continue
        async with UnitOfWork(sessions) as uow:
            await parked.unpark(uow.session, entry.id)
            await uow.commit()
        applied.append(entry.id)
        log.info("parked record %s applied", entry.id, extra={"event": "parked.replayed", "id": entry.id})
    return Replayed(applied, failing)
