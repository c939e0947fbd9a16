"""Single writer: the aggregates are read and written by one process at a time.

On PostgreSQL a session advisory lock, held for the life of the process on its own connection, elects the writer;
another instance waits (standby) until the holder dies (the server frees the lock when its connection drops). SQLite
is one process per file by design and needs no lock.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

LOCK_ID = 0x44414E544F43  # "DANTOC"


@contextlib.asynccontextmanager
async def writer_lock(engine: AsyncEngine, poll_seconds: float = 1.0) -> AsyncIterator[None]:
    """Hold the writer lock for the duration of the block (waiting for it first)."""
    if engine.dialect.name != "postgresql":
        yield
        return
    async with engine.connect() as conn:
        while not await conn.scalar(text("SELECT pg_try_advisory_lock(:id)"), {"id": LOCK_ID}):
            await conn.rollback()
            await asyncio.sleep(poll_seconds)
        await conn.commit()
        try:
            yield
        finally:
            with contextlib.suppress(Exception):
                await conn.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": LOCK_ID})
