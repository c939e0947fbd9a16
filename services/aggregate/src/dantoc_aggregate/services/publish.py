"""Draining the outbox: publish what a committed batch changed, and on start whatever a crash left unpublished."""

from __future__ import annotations

from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from dantoc_aggregate.db import repository as repo
from dantoc_aggregate.db.uow import UnitOfWork
from dantoc_aggregate.domain.state import AggregateState
from dantoc_aggregate.services.apply import BATCH_SEQ, PUBLISHED_SEQ


class Publisher(Protocol):
    async def publish(self, states: list[AggregateState]) -> int: ...


async def mark_published(sessions: async_sessionmaker[AsyncSession], seq: int) -> None:
    async with UnitOfWork(sessions) as uow:
        if seq > await repo.read_counter(uow.conn, PUBLISHED_SEQ):
            await repo.write_counter(uow.conn, PUBLISHED_SEQ, seq)
        await uow.commit()


async def publish_committed(
    sessions: async_sessionmaker[AsyncSession], publisher: Publisher, seq: int, states: list[AggregateState]
) -> int:
    """Publish one committed batch's changes, then record that batch as published."""
    count = await publisher.publish(states)
    await mark_published(sessions, seq)
    return count


async def republish_pending(sessions: async_sessionmaker[AsyncSession], publisher: Publisher) -> int:
    """Publish the current state of every aggregate changed after the last batch known to be published.

    Events carry whole states, not deltas, and the topic is compacted by key: publishing one twice is harmless.
    """
    async with UnitOfWork(sessions) as uow:
        published = await repo.read_counter(uow.conn, PUBLISHED_SEQ)
        last = await repo.read_counter(uow.conn, BATCH_SEQ)
        states = await repo.changed_since(uow.conn, published) if last > published else []
    return await publish_committed(sessions, publisher, last, states) if last > published else 0
