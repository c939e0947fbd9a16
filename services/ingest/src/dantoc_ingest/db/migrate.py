"""Engine creation and Alembic upgrades, with the URL taken from the settings (no alembic.ini).

Migrations are serialised by a lock, so that two ingest processes starting together never apply them twice: a
PostgreSQL advisory lock held by the migrating transaction; on SQLite the transaction's BEGIN IMMEDIATE (the
database's write lock).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def create_engine(url: str) -> AsyncEngine:
    """An async engine; SQLite gets WAL, a busy timeout and BEGIN IMMEDIATE so writers queue instead of failing."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite"):
        return create_async_engine(url, pool_size=10, max_overflow=10, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(url, connect_args={"timeout": 60})
    event.listen(engine.sync_engine, "connect", _sqlite_connect)
    event.listen(engine.sync_engine, "begin", _sqlite_begin)
    return engine


def create_reader(url: str, engine: AsyncEngine) -> AsyncEngine:
    """The engine of read-only units of work: on SQLite one that never takes the write lock (WAL readers do not
    block writers); elsewhere the same engine."""
    if not make_url(url).drivername.startswith("sqlite"):
        return engine
    return create_async_engine(url, connect_args={"timeout": 60})


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # let the "begin" hook issue BEGIN itself
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")  # ingest is the source of truth: a commit survives a power cut
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _upgrade(connection: Connection) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


MIGRATION_LOCK = 0x64616E746F630001  # "dantoc" + 1: ingest's migrations


async def upgrade_to_head(engine: AsyncEngine) -> None:
    """Apply every migration not yet applied (idempotent), one process at a time."""
    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        await connection.run_sync(_upgrade)
