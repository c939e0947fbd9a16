"""Run the Alembic migrations (upgrade head) on an open async engine: used by the lifespan and `migrate`.

One upgrader at a time: on PostgreSQL a transaction-level advisory lock is held around the upgrade; on SQLite an
exclusive `flock` on a file beside the database (replicas, workers and `migrate` starting together).
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
from collections.abc import AsyncIterator
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, text
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_LOCK_ID = 0x6A7A_6761  # PostgreSQL advisory lock: replicas starting together migrate one at a time


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _upgrade(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _LOCK_ID})
    command.upgrade(alembic_config(connection), "head")


@contextlib.asynccontextmanager
async def _sqlite_lock(url: URL) -> AsyncIterator[None]:
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        yield
        return
    path = Path(url.database).with_name(Path(url.database).name + ".migrate.lock")
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        await asyncio.to_thread(fcntl.flock, descriptor, fcntl.LOCK_EX)  # waits for another upgrader
        yield
    finally:
        os.close(descriptor)


async def upgrade_head(engine: AsyncEngine) -> None:
    async with _sqlite_lock(engine.url), engine.begin() as connection:
        await connection.run_sync(_upgrade)
