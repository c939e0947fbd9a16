"""Replaying parked records after a fix (`python -m dantoc_ingest replay-parked [--id N | --all]`).

A submissions record is decided again exactly as the consumer would (no offset bookkeeping: its offset was stored
past it when it was parked); an outbox row the relay set aside is sent again to the topic it was meant for; a
catalog record the cache could not read is folded into the cache when it now reads (the service reads the whole
topic again at every start). A record that now applies leaves the parked table; one that still fails stays, with
nothing changed. A crash between applying a record and removing it from the table only means the next replay finds
it already decided (a resend: the stored answer, nothing new).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Protocol

from dantoc_contracts.quarantine import error_class
from dantoc_ingest.kafka.catalog_follower import fold_catalog_record
from dantoc_ingest.services.context import IngestContext
from dantoc_ingest.services.intake import consume_submission
from dantoc_ingest.services.quarantine import CATALOG_FOLLOWER, RELAY, Record

log = logging.getLogger(__name__)


class Sender(Protocol):
    async def send_and_wait(self, topic: str, value: bytes | None = None, key: bytes | None = None) -> Any: ...


@dataclass
class ReplayResult:
    applied: int = 0
    failed: int = 0
    still_parked: list[tuple[int, str]] = field(default_factory=list)  # (parked id, error class)


async def replay_parked(ctx: IngestContext, *, producer: Sender | None, parked_id: int | None = None) -> ReplayResult:
    """Apply every parked record (or the one with `parked_id`), oldest first."""
    async with ctx.uow(read_only=True) as uow:
        rows = [
            (r.id, r.consumer, Record(r.topic, r.partition, r.offset, r.key, r.value))
            for r in await uow.repo.parked(parked_id)
        ]
    result = ReplayResult()
    for row_id, consumer, record in rows:
        try:
            if consumer == RELAY:
                if producer is None:
                    raise RuntimeError("no producer to send the parked outbox row with")
                await producer.send_and_wait(record.topic, record.value, key=record.key)
            elif consumer == CATALOG_FOLLOWER:  # readable now (a fixed contract): into the cache; read at every start
                fold_catalog_record(ctx.catalog.view, record.key, record.value)
            else:
                await consume_submission(ctx, record, group=consumer, replay=True)
        except Exception as error:  # it still fails: kept, and reported
            result.failed += 1
            result.still_parked.append((row_id, error_class(error)))
            log.warning(
                "parked record still fails",
                extra={"event": "parked.still_failing", "parked_id": row_id, "error_class": error_class(error)},
            )
            continue
        async with ctx.uow() as uow:
            await uow.repo.unpark(row_id)
            await uow.commit()
        result.applied += 1
        log.info("parked record applied", extra={"event": "parked.replayed", "parked_id": row_id})
    ctx.wake_relay()
    return result
