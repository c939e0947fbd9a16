"""The outbox relay's one write: rows the broker acknowledged marked sent, and rows set aside by the quarantine
rule parked (with their dead-letter event added to the outbox), in one transaction the use case commits."""

from __future__ import annotations

from collections.abc import Sequence

from dantoc_contracts.envelope import utc_now
from dantoc_ingest.db.repository import OutboxMessage
from dantoc_ingest.db.uow import UnitOfWork
from dantoc_ingest.services import quarantine


async def mark_relayed(
    *,
    uow: UnitOfWork,
    sent: Sequence[OutboxMessage],
    parked: Sequence[tuple[OutboxMessage, str, BaseException]] = (),
) -> bool:
    """`parked`: (row, its topic's name, the error); False when there was nothing to write."""
    if not sent and not parked:
        return False
    now = utc_now()
    if sent:
        await uow.repo.mark_sent(list(sent), now)
    for row, topic, error in parked:
        reason, error_class = quarantine.describe(error)
        key = row.key.encode() if row.key is not None else None
        record = quarantine.Record(topic, -1, row.id, key, row.payload)
        quarantine.set_aside(uow, record, reason=reason, error=error_class, consumer=quarantine.RELAY, now=now)
        await uow.repo.set_aside(row.id, now)
    await uow.commit()
    return True
