"""`replay-parked`: publish parked catalog records again after a fix, and forget those the broker now takes.

A parked record is re-applied as the key's *current* record (re-encoded from the database, or a tombstone when the
key no longer exists), never as its old bytes: on a compacted topic an old value sent late would hide a newer one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from aiokafka import AIOKafkaProducer

from dantoc_catalog.db.uow import UnitOfWorkFactory
from dantoc_catalog.kafka.messages import encode_record
from dantoc_catalog.services.snapshot import catalog_records
from dantoc_contracts.quarantine import FailureKind, classify, error_class

log = logging.getLogger(__name__)


@dataclass
class ReplayReport:
    replayed: list[int] = field(default_factory=list)
    still_failing: dict[int, str] = field(default_factory=dict)  # parked id -> error class


async def replay_parked(
    uow_factory: UnitOfWorkFactory, producer: AIOKafkaProducer, *, record_id: int | None = None
) -> ReplayReport:
    """Publish the current record of every parked row (or of the one with `record_id`); delete those sent.
    A transient failure (broker unreachable) is raised; nothing more is deleted."""
    report = ReplayReport()
    async with uow_factory() as uow:
        parked = await uow.parked.all(record_id)
        current = await catalog_records(uow) if parked else {}
    for record in parked:
        assert record.id is not None
        key = (record.key or b"").decode()
        try:
            await producer.send_and_wait(record.topic, encode_record(current.get(key)), key=record.key)
        except Exception as error:
            if classify(error) is FailureKind.TRANSIENT:
                raise
            report.still_failing[record.id] = error_class(error)
            continue
        async with uow_factory() as uow:
            await uow.parked.unpark(record.id)
            await uow.commit()
        report.replayed.append(record.id)
        log.info("replayed a parked record", extra={"event": "catalog.parked_replayed", "parked_id": record.id})
    return report
