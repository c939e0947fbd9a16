"""The parked table: records set aside by the quarantine rule, and the outbox of their dead-letter events.

A row is written in the transaction that also stores the offset past the record, so a record is either applied,
or parked, never both and never neither. Its dead-letter event is published after that commit (rows with
`dead_lettered` false are the outbox, drained again when the writer starts).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from dantoc_aggregate.db.models import parked_records
from dantoc_contracts.quarantine import dead_letter
from dantoc_contracts.values import MessageDeadLettered


@dataclass(slots=True)
class Parked:
    """One record set aside: where it came from, its bytes, and why."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    reason: str
    error_class: str
    consumer: str
    id: int | None = None

    def dead_letter(self) -> MessageDeadLettered:
        return dead_letter(
            topic=self.topic,
            partition=self.partition,
            offset=self.offset,
            key=self.key,
            value=self.value,
            reason=self.reason,
            consumer=self.consumer,
        )


_COLUMNS = (
    parked_records.c.topic,
    parked_records.c.partition,
    parked_records.c.offset,
    parked_records.c.key,
    parked_records.c.value,
    parked_records.c.reason,
    parked_records.c.error_class,
    parked_records.c.consumer,
    parked_records.c.id,
)


async def park(conn: AsyncConnection, records: Sequence[Parked]) -> None:
    if not records:
        return
    now = datetime.now(UTC)
    rows = [
        {
            "topic": r.topic,
            "partition": r.partition,
            "offset": r.offset,
            "key": r.key,
            "value": r.value,
            "reason": r.reason,
            "error_class": r.error_class,
            "consumer": r.consumer,
            "parked_at": now,
            "dead_lettered": False,
        }
        for r in records
    ]
    await conn.execute(parked_records.insert(), rows)


async def park_new(conn: AsyncConnection, records: Sequence[Parked]) -> list[Parked]:
    """Park the records not parked before (same consumer, topic, partition and offset): a follower that reads
    its topic from the beginning at every start sets each unreadable record aside once. Returns those parked."""
    new: list[Parked] = []
    for record in records:
        query = select(parked_records.c.id).where(
            parked_records.c.consumer == record.consumer,
            parked_records.c.topic == record.topic,
            parked_records.c.partition == record.partition,
            parked_records.c.offset == record.offset,
        )
        if (await conn.execute(query.limit(1))).first() is None:
            new.append(record)
    await park(conn, new)
    return new


async def not_dead_lettered(conn: AsyncConnection, limit: int = 1000) -> list[Parked]:
    """The outbox: parked rows whose dead-letter event is not known to be published, oldest first."""
    query = (
        select(*_COLUMNS).where(parked_records.c.dead_lettered.is_(False)).order_by(parked_records.c.id).limit(limit)
    )
    return [Parked(*row) for row in await conn.execute(query)]


async def mark_dead_lettered(conn: AsyncConnection, ids: Sequence[int]) -> None:
    if ids:
        await conn.execute(update(parked_records).where(parked_records.c.id.in_(ids)).values(dead_lettered=True))


async def parked(conn: AsyncConnection, record_id: int | None = None) -> list[Parked]:
    """Every parked row (or the one with this id), oldest first."""
    query = select(*_COLUMNS).order_by(parked_records.c.id)
    if record_id is not None:
        query = query.where(parked_records.c.id == record_id)
    return [Parked(*row) for row in await conn.execute(query)]


async def unpark(conn: AsyncConnection, record_id: int) -> None:
    await conn.execute(delete(parked_records).where(parked_records.c.id == record_id))
