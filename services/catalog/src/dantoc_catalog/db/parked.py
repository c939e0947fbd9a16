"""The parked table: outbox messages set aside by the quarantine rule, and the outbox of their dead letters.

A row is written in the transaction that also marks its outbox message sent (the relay's position past it), so a
message is either delivered or parked, never both and never neither. Its dead-letter event is published after that
commit; rows with `dead_lettered` false are drained again after every park and at every relay pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from dantoc_catalog.db.models import ParkedRow
from dantoc_contracts.quarantine import dead_letter
from dantoc_contracts.values import MessageDeadLettered


@dataclass(frozen=True)
class Parked:
    """One record set aside: where it was going, its bytes, and why."""

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


class ParkedRecords:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def park(self, record: Parked) -> None:
        values = {
            "topic": record.topic,
            "partition": record.partition,
            "offset": record.offset,
            "key": record.key,
            "value": record.value,
            "reason": record.reason,
            "error_class": record.error_class,
            "consumer": record.consumer,
            "parked_at": datetime.now(UTC),
            "dead_lettered": False,
        }
        await self.session.execute(insert(ParkedRow), [values])

    async def not_dead_lettered(self, limit: int = 100) -> list[Parked]:
        """Parked rows whose dead letter is not known to be published, oldest first."""
        query = select(*_COLUMNS).where(ParkedRow.dead_lettered.is_(False)).order_by(ParkedRow.id).limit(limit)
        return [Parked(*row) for row in await self.session.execute(query)]

    async def mark_dead_lettered(self, ids: Sequence[int]) -> None:
        if ids:
            await self.session.execute(update(ParkedRow).where(ParkedRow.id.in_(ids)).values(dead_lettered=True))

    async def all(self, record_id: int | None = None) -> list[Parked]:
        """Every parked row (or the one with this id), oldest first."""
        query = select(*_COLUMNS).order_by(ParkedRow.id)
        if record_id is not None:
            query = query.where(ParkedRow.id == record_id)
        return [Parked(*row) for row in await self.session.execute(query)]

    async def unpark(self, record_id: int) -> None:
        await self.session.execute(delete(ParkedRow).where(ParkedRow.id == record_id))
