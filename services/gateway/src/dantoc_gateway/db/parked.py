"""The parked table: records set aside by the quarantine rule, and the outbox of their dead-letter events.

A row is written in the transaction that also stores the position past the record (group feeds), so a record is
either applied or parked, never both and never neither. Its dead-letter event is published after that commit; rows
with `dead_lettered` false are the outbox, drained again after every park and when a feed starts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from dantoc_contracts.quarantine import dead_letter
from dantoc_contracts.values import MessageDeadLettered
from dantoc_gateway.db.models import ParkedRow


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
    ParkedRow.topic,
    ParkedRow.partition,
    ParkedRow.offset,
    ParkedRow.key,
    ParkedRow.value,
    ParkedRow.reason,
    ParkedRow.error_class,
    ParkedRow.consumer,
    ParkedRow.id,
)


async def park(session: AsyncSession, record: Parked) -> bool:
    """Keep the record unless this consumer has parked it already (the catalog follower rereads its topic);
    True if new."""
    known = await session.execute(
        select(ParkedRow.id).where(
            ParkedRow.topic == record.topic,
            ParkedRow.partition == record.partition,
            ParkedRow.offset == record.offset,
            ParkedRow.consumer == record.consumer,
        )
    )
    if known.first() is not None:
        return False
    session.add(
        ParkedRow(
            topic=record.topic,
            partition=record.partition,
            offset=record.offset,
            key=record.key,
            value=record.value,
            reason=record.reason,
            error_class=record.error_class,
            consumer=record.consumer,
            parked_at=datetime.now(UTC),
            dead_lettered=False,
        )
    )
    await session.flush()
    return True


async def not_dead_lettered(session: AsyncSession, consumer: str, limit: int = 100) -> list[Parked]:
    """The outbox: a consumer's parked rows whose dead letter is not known to be published, oldest first."""
    query = (
        select(*_COLUMNS)
        .where(ParkedRow.dead_lettered.is_(False), ParkedRow.consumer == consumer)
        .order_by(ParkedRow.id)
        .limit(limit)
    )
    return [Parked(*row) for row in await session.execute(query)]


async def mark_dead_lettered(session: AsyncSession, ids: Sequence[int]) -> None:
    if ids:
        await session.execute(update(ParkedRow).where(ParkedRow.id.in_(ids)).values(dead_lettered=True))


async def parked(session: AsyncSession, record_id: int | None = None) -> list[Parked]:
    """Every parked row (or the one with this id), oldest first."""
    query = select(*_COLUMNS).order_by(ParkedRow.id)
    if record_id is not None:
        query = query.where(ParkedRow.id == record_id)
    return [Parked(*row) for row in await session.execute(query)]


async def unpark(session: AsyncSession, record_id: int) -> None:
    await session.execute(delete(ParkedRow).where(ParkedRow.id == record_id))
