"""The test databases' teardown drops a database whatever sessions are still on it (real PostgreSQL)."""

from __future__ import annotations

import asyncpg  # type: ignore[import-untyped]
import pytest

from tests.support.databases import create_postgres_database, drop_postgres_database

pytestmark = pytest.mark.integration


def _dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


async def test_a_database_with_a_session_in_a_transaction_is_dropped(postgres: str) -> None:
    url = await create_postgres_database(postgres)
    session = await asyncpg.connect(_dsn(url))
    transaction = session.transaction()
    await transaction.start()
    await session.execute("CREATE TABLE held (x int)")
    try:
        await drop_postgres_database(postgres, url)
    finally:
        await session.close(timeout=5)
    admin = await asyncpg.connect(_dsn(postgres.format(database="postgres")))
    try:
        assert await admin.fetchval("SELECT count(*) FROM pg_database WHERE datname = $1", url.rsplit("/", 1)[1]) == 0
    finally:
        await admin.close()


async def test_dropping_a_database_twice_is_harmless(postgres: str) -> None:
    url = await create_postgres_database(postgres)
    await drop_postgres_database(postgres, url)
    await drop_postgres_database(postgres, url)
