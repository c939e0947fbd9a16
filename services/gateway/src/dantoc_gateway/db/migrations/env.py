"""Alembic environment: uses the connection handed over by `migrate.py`, or the URL from the gateway settings."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import Connection

from dantoc_gateway.db.engine import create_engine
from dantoc_gateway.db.models import Base
from dantoc_gateway.settings import Settings


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


async def _run_from_settings() -> None:
    engine = create_engine(Settings().database_url)
    async with engine.begin() as connection:
        await connection.run_sync(_run)
    await engine.dispose()


given = context.config.attributes.get("connection")
if given is not None:
    _run(given)
else:
    asyncio.run(_run_from_settings())
