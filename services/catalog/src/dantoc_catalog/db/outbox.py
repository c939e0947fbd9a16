"""The outbox: messages to publish, written with the change they describe, marked sent once the broker has them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from dantoc_catalog.db.models import OutboxRow


@dataclass(frozen=True)
class OutboxMessage:
    id: int
    key: str
    value: bytes | None  # None = tombstone


class Outbox:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, messages: Sequence[tuple[str, bytes | None]]) -> None:
        """Queue messages (key, encoded envelope or None) in the caller's transaction."""
        if not messages:
            return
        now = datetime.now(UTC)
        rows = [
            {"record_key": key, "value": None if value is None else value.decode(), "created_at": now}
            for key, value in messages
        ]
        await self.session.execute(insert(OutboxRow), rows)

    async def pending(self, limit: int) -> list[OutboxMessage]:
        """The oldest unsent messages, in the order they were written."""
        query = select(OutboxRow).where(OutboxRow.sent_at.is_(None)).order_by(OutboxRow.id).limit(limit)
        return [
            OutboxMessage(row.id, row.record_key, None if row.value is None else row.value.encode())
            for row in await self.session.scalars(query)
        ]

    async def mark_sent(self, ids: Sequence[int]) -> None:
        if ids:
            query = update(OutboxRow).where(OutboxRow.id.in_(ids)).values(sent_at=datetime.now(UTC))
            await self.session.execute(query)

    async def backlog(self) -> int:
        count = await self.session.scalar(select(func.count()).where(OutboxRow.sent_at.is_(None)))
        return int(count or 0)
