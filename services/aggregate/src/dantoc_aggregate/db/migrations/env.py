"""Alembic environment: the URL comes from the caller's config (taken from settings), migrations run async."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import text
from sqlalchemy.engine import Connection

from dantoc_aggregate.db.engine import create_engine
from dantoc_aggregate.db.migrate import MIGRATION_LOCK_ID
from dantoc_aggregate.db.models import metadata


def _run(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":  # one upgrader at a time; released when the transaction ends
        connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": MIGRATION_LOCK_ID})
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


async def _main() -> None:
    url = context.config.get_main_option("sqlalchemy.url")
    assert url, "sqlalchemy.url must be set by the caller"
    engine = create_engine(url)
    async with engine.connect() as connection:
        await connection.run_sync(_run)
        await connection.commit()
    await engine.dispose()


asyncio.run(_main())
