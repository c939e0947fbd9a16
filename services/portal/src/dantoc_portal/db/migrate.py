"""Alembic upgrades, with the URL taken from the caller (no alembic.ini): `python -m dantoc_portal migrate`.

`upgrade_head` is the only way to migrate. It is serialised by a lock, so that two processes running it together
never apply a migration twice: on PostgreSQL the advisory lock `MIGRATION_LOCK` (transaction-scoped, held by the
migrating transaction); on SQLite an exclusive lock on a file beside the database (and the transaction's BEGIN
IMMEDIATE). `require_head` is what `serve`, the app's lifespan and the other commands call: they refuse a schema
that is not at head.

On SQLite the migrations run with foreign keys off, as SQLite asks for a table rebuilt by a batch migration: with
them on, dropping the old copy of a table others refer to fails (or cascades to their rows). The foreign keys are
checked (`PRAGMA foreign_key_check`) before the migrating transaction commits.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, event, text
from sqlalchemy.ext.asyncio import AsyncEngine

from dantoc_portal.db.engine import create_engine, sqlite_file

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
MIGRATION_LOCK = 0x64616E746F630005  # "dantoc" + 5: the portal's migrations
COMMAND = "python -m dantoc_portal migrate"


class SchemaNotAtHead(RuntimeError):
    """The database's schema is not the code's head revision (an empty database included)."""

    def __init__(self, current: str | None, head: str | None) -> None:
        self.current, self.head = current, head
        super().__init__(
            f"the database is at revision {current or '(none: empty database)'}, the code's head is {head}: "
            f"run `{COMMAND}` first"
        )


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(_config()).get_current_head()


def _upgrade(connection: Connection, revision: str) -> None:
    config = _config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)
    if connection.dialect.name == "sqlite":
        _check_foreign_keys(connection)


def _check_foreign_keys(connection: Connection) -> None:
    broken = connection.execute(text("PRAGMA foreign_key_check")).all()
    if broken:
        tables = ", ".join(sorted({str(row[0]) for row in broken}))
        raise RuntimeError(f"the migration left rows whose foreign keys refer to nothing, in: {tables}")


def _current(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


@contextlib.asynccontextmanager
async def _file_lock(path: Path) -> AsyncIterator[None]:
    """An exclusive lock on `path` (created when missing), waited for off the event loop."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        await asyncio.to_thread(fcntl.flock, handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=OFF")  # outside a transaction, or it is ignored
    cursor.close()
    dbapi_connection.isolation_level = None  # the "begin" hook issues BEGIN itself


def _sqlite_begin(connection: Connection) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _migrating_engine(url: str) -> AsyncEngine:
    engine = create_engine(url, pooled=False)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_connect)  # after the engine's own pragmas
        event.listen(engine.sync_engine, "begin", _sqlite_begin)
    return engine


async def upgrade_head(url: str) -> None:
    """Apply every migration not yet applied (idempotent), one process at a time."""
    await upgrade_to(url, "head")


async def upgrade_to(url: str, revision: str) -> None:
    """`upgrade_head`, stopping at `revision`: for the tests of a migration only (serve needs head)."""
    database = sqlite_file(url)
    lock: contextlib.AbstractAsyncContextManager[None] = (
        _file_lock(database.with_name(database.name + ".migrate.lock")) if database else contextlib.nullcontext()
    )
    engine = _migrating_engine(url)
    try:
        async with lock, engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
            await connection.run_sync(_upgrade, revision)
    finally:
        await engine.dispose()


async def current_revision(engine: AsyncEngine) -> str | None:
    async with engine.connect() as connection:
        return await connection.run_sync(_current)


async def require_head(engine: AsyncEngine) -> None:
    """Raise SchemaNotAtHead unless the database is at the code's head revision."""
    current, head = await current_revision(engine), head_revision()
    if current != head:
        raise SchemaNotAtHead(current, head)
