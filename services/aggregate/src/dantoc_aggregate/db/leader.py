"""Single writer: the aggregates are read and written by one process at a time, and every batch proves it.

Election: on PostgreSQL a session advisory lock, held for the life of the writer on its own connection; another
instance waits (standby) until the holder dies (the server frees the lock when its connection drops). On SQLite an
exclusive `flock` on a file beside the database (so `replay-parked` cannot run beside a serving writer either).

Fencing: a lock whose connection was lost may already be held by another process while the old writer still runs.
So each writer, once elected, increments the `writer_generation` counter (a committed transaction), and every batch
transaction first updates that row *where it still holds this writer's generation*: the row lock it takes makes a
new writer's increment wait for the batch to commit (and the new writer then reads the offsets it stored), and a
batch of a writer that was superseded finds no row and is aborted (`LostWriterLock`) before it changes anything.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from dantoc_aggregate.db.models import counters

LOCK_ID = 0x44414E544F43  # "DANTOC"
GENERATION = "writer_generation"


class LostWriterLock(RuntimeError):
    """Another writer was elected since this one: its batch must not be applied."""


class WriterLockHeld(RuntimeError):
    """Another process holds the writer lock (for commands that must not wait for it)."""


@dataclass(frozen=True, slots=True)
class Fence:
    """This writer's generation; `check` inside a batch transaction aborts it when another writer was elected."""

    generation: int

    async def check(self, conn: AsyncConnection) -> None:
        statement = (
            update(counters)
            .where(counters.c.name == GENERATION, counters.c.value == self.generation)
            .values(value=self.generation)
        )
        if (await conn.execute(statement)).rowcount != 1:
            raise LostWriterLock(f"writer generation {self.generation} was superseded: another writer was elected")


async def _next_generation(engine: AsyncEngine) -> Fence:
    async with engine.begin() as conn:  # committed when the block ends
        current = await conn.scalar(select(counters.c.value).where(counters.c.name == GENERATION))
        generation = int(current or 0) + 1
        if current is None:
            await conn.execute(counters.insert().values(name=GENERATION, value=generation))
        else:
            await conn.execute(update(counters).where(counters.c.name == GENERATION).values(value=generation))
    return Fence(generation)


def _lock_file(engine: AsyncEngine) -> Path | None:
    database = make_url(str(engine.url)).database
    if not database or database == ":memory:":
        return None
    return Path(database).with_name(Path(database).name + ".writer.lock")


@contextlib.asynccontextmanager
async def writer_lock(engine: AsyncEngine, poll_seconds: float = 1.0, *, wait: bool = True) -> AsyncIterator[Fence]:
    """Hold the writer lock for the duration of the block (waiting for it first, or raising `WriterLockHeld` when
    `wait` is false); the block gets this writer's fence."""
    if engine.dialect.name == "postgresql":
        async with _advisory_lock(engine, poll_seconds, wait):
            yield await _next_generation(engine)
    else:
        with _file_lock(_lock_file(engine)) as acquire:
            while not acquire():
                if not wait:
                    raise WriterLockHeld("another process is the writer of this database (stop the service first)")
                await asyncio.sleep(poll_seconds)
            yield await _next_generation(engine)


@contextlib.asynccontextmanager
async def _advisory_lock(engine: AsyncEngine, poll_seconds: float, wait: bool) -> AsyncIterator[None]:
    async with engine.connect() as conn:
        while not await conn.scalar(text("SELECT pg_try_advisory_lock(:id)"), {"id": LOCK_ID}):
            await conn.rollback()
            if not wait:
                raise WriterLockHeld("another process is the writer of this database (stop the service first)")
            await asyncio.sleep(poll_seconds)
        await conn.commit()
        try:
            yield
        finally:
            with contextlib.suppress(Exception):
                await conn.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": LOCK_ID})


@contextlib.contextmanager
def _file_lock(path: Path | None) -> Iterator[Callable[[], bool]]:
    if path is None:
        yield lambda: True
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)

    def acquire() -> bool:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    try:
        yield acquire
    finally:
        os.close(descriptor)  # releases the lock
