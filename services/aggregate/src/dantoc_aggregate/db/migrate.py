"""Alembic upgrades, with the URL taken from the settings (no alembic.ini): `python -m dantoc_aggregate migrate`.

`upgrade_head` is the only way to migrate. It is serialised by a lock, so that two processes running it together
never apply a migration twice: on PostgreSQL the advisory lock `MIGRATION_LOCK` (transaction-scoped, held by the
migrating transaction); on SQLite an exclusive lock on a file beside the database. `require_head` is what `serve`
and the app's lifespan call: they refuse a schema that is not at head.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
from collections.abc import AsyncIterator
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import AsyncEngine

from dantoc_aggregate.db.engine import create_engine, sqlite_file

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
MIGRATION_LOCK = 0x44414E544F44  # one more than the writer lock
COMMAND = "python -m dantoc_aggregate migrate"


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


def _upgrade(connection: Connection) -> None:
    config = _config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


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


async def upgrade_head(url: str) -> None:
    """Apply every migration not yet applied (idempotent), one process at a time."""
    database = sqlite_file(url)
    lock: contextlib.AbstractAsyncContextManager[None] = (
        _file_lock(database.with_name(database.name + ".migrate.lock")) if database else contextlib.nullcontext()
    )
    async with lock:
        engine = create_engine(url)
        try:
            async with engine.begin() as connection:
                if connection.dialect.name == "postgresql":
                    await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
                await connection.run_sync(_upgrade)
        finally:
            await engine.dispose()


async def current_revision(engine: AsyncEngine) -> str | None:
    database = sqlite_file(engine.url)
    if database is not None and not database.exists():
        return None  # not created here: connecting would make an empty file (or fail for a missing folder)
    async with engine.connect() as connection:
        return await connection.run_sync(_current)


async def require_head(engine: AsyncEngine) -> None:
    """Raise SchemaNotAtHead unless the database is at the code's head revision."""
    current, head = await current_revision(engine), head_revision()
    if current != head:
        raise SchemaNotAtHead(current, head)
