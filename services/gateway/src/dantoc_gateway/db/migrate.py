"""Alembic upgrades of the read model, with the URL taken from the settings (no alembic.ini):
`python -m dantoc_gateway migrate`.

`upgrade_head` is the only way to migrate. It is serialised by a lock, so that two processes running it together
(replicas, `migrate` run twice) never apply a migration twice: on PostgreSQL the advisory lock `MIGRATION_LOCK`
(transaction-scoped, held by the migrating transaction); on SQLite an exclusive `flock` on a file beside the
database. `require_head` is what `serve` and the app's lifespan call: they refuse a schema that is not at head.
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
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from dantoc_gateway.db.engine import create_engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
MIGRATION_LOCK = 0x6A7A_6761  # PostgreSQL advisory lock: the gateway's migrations, one upgrader at a time
COMMAND = "python -m dantoc_gateway migrate"


class SchemaNotAtHead(RuntimeError):
    """The database's schema is not the code's head revision (an empty database included)."""

    def __init__(self, current: str | None, head: str | None) -> None:
        self.current, self.head = current, head
        super().__init__(
            f"the database is at revision {current or '(none: empty database)'}, the code's head is {head}: "
            f"run `{COMMAND}` first"
        )


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def _upgrade(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": MIGRATION_LOCK})
    command.upgrade(alembic_config(connection), "head")


def _current(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def _sqlite_file(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


@contextlib.asynccontextmanager
async def _file_lock(database: Path | None) -> AsyncIterator[None]:
    """An exclusive lock on a file beside the SQLite database, waited for off the event loop (nothing otherwise)."""
    if database is None:
        yield
        return
    database.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(database.with_name(database.name + ".migrate.lock"), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        await asyncio.to_thread(fcntl.flock, descriptor, fcntl.LOCK_EX)  # waits for another upgrader
        yield
    finally:
        os.close(descriptor)


async def upgrade_head(url: str) -> None:
    """Apply every migration not yet applied (idempotent), one process at a time."""
    engine = create_engine(url)
    try:
        async with _file_lock(_sqlite_file(url)), engine.begin() as connection:
            await connection.run_sync(_upgrade)
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
