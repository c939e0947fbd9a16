"""Fresh databases per test: a new PostgreSQL database or a new SQLite file, so tests never share state."""

from __future__ import annotations

import asyncio
import time
import uuid

import asyncpg  # type: ignore[import-untyped]

DROP_TIMEOUT = 60.0
"""How long a teardown waits for the database's last sessions (an autovacuum worker's pass) to end."""


async def create_postgres_database(url_template: str) -> str:
    """Create a uniquely named database on the test server; return its SQLAlchemy URL."""
    name = f"t_{uuid.uuid4().hex[:16]}"
    admin_dsn = url_template.format(database="postgres").replace("postgresql+asyncpg://", "postgresql://")
    conn = await asyncpg.connect(admin_dsn)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return url_template.format(database=name)


async def drop_postgres_database(url_template: str, url: str) -> None:
    """Drop the test's database, whatever sessions are still on it.

    `WITH (FORCE)` ends every session, autovacuum workers included; a role that may not signal them (not a member
    of pg_signal_backend, e.g. on a server not set up by deploy/postgres/postgres.sh) gets "must be a member of the
    role whose process is being terminated" while a worker is there. Then: no new connections, wait (bounded) for
    the sessions to end on their own, and drop again."""
    name = url.rsplit("/", 1)[1]
    admin_dsn = url_template.format(database="postgres").replace("postgresql+asyncpg://", "postgresql://")
    conn = await asyncpg.connect(admin_dsn)
    try:
        deadline = time.monotonic() + DROP_TIMEOUT
        while True:
            try:
                await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                return
            except (asyncpg.exceptions.InsufficientPrivilegeError, asyncpg.exceptions.ObjectInUseError):
                if time.monotonic() > deadline:
                    raise
            await conn.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false')
            while await conn.fetchval("SELECT count(*) FROM pg_stat_activity WHERE datname = $1", name):
                if time.monotonic() > deadline:
                    break
                await asyncio.sleep(0.1)
    finally:
        await conn.close()
