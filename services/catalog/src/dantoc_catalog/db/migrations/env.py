"""Alembic environment: the URL comes from the caller (`config.attributes`) or from the service settings.

On SQLite the migrations run with foreign keys off, as SQLite asks for a table rebuilt by a batch migration: with
them on, dropping the old copy of a table others refer to fails (or cascades to their rows). The foreign keys are
checked (`PRAGMA foreign_key_check`) before the migrating transaction commits.

Migrations are serialised, so that two catalog processes starting together never apply one twice: on PostgreSQL
the migrating transaction holds an advisory lock (`MIGRATION_LOCK`); on SQLite it begins with BEGIN IMMEDIATE (the
database's write lock), and the second process waits for the first and then finds nothing left to do.
"""

from __future__ import annotations

import asyncio
from typing import Any

from alembic import context
from sqlalchemy import event, text
from sqlalchemy.engine import Connection

from dantoc_catalog.db.engine import create_engine
from dantoc_catalog.db.models import Base
from dantoc_catalog.settings import Settings

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    url = config.attributes.get("database_url")
    return str(url) if url else Settings().database_url


MIGRATION_LOCK = 0x64616E746F630003  # "dantoc" + 3: the catalog's migrations


def _run(connection: Connection) -> None:
    batch = connection.dialect.name == "sqlite"
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=batch)
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        context.run_migrations()
        if batch:
            _check_foreign_keys(connection)


def _check_foreign_keys(connection: Connection) -> None:
    broken = connection.execute(text("PRAGMA foreign_key_check")).all()
    if broken:
        tables = ", ".join(sorted({str(row[0]) for row in broken}))
        raise RuntimeError(f"the migration left rows whose foreign keys refer to nothing, in: {tables}")


async def _run_async() -> None:
    engine = create_engine(_url(), pooled=False)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_connect)  # after the engine's own pragmas
        event.listen(engine.sync_engine, "begin", _sqlite_begin)
    async with engine.connect() as connection:
        await connection.run_sync(_run)
    await engine.dispose()


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=OFF")  # outside a transaction, or it is ignored
    cursor.close()
    dbapi_connection.isolation_level = None  # the "begin" hook issues BEGIN itself


def _sqlite_begin(connection: Connection) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


if context.is_offline_mode():
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    asyncio.run(_run_async())
