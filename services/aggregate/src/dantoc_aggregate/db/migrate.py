"""Run the Alembic migrations (upgrade head) against a URL, from sync or async code, one upgrader at a time.

Two processes starting together (a service and `migrate`, two replicas) must not both create the tables: on
PostgreSQL the migration environment holds a transaction-level advisory lock (`MIGRATION_LOCK_ID`, see `env.py`)
around the upgrade; on SQLite an exclusive `flock` on a file beside the database is held around it. Within one
process a lock serialises upgrades too (Alembic's module-global `context` allows one at a time).
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import threading
from collections.abc import Iterator
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import make_url

MIGRATIONS = Path(__file__).parent / "migrations"
MIGRATION_LOCK_ID = 0x44414E544F44  # one more than the writer lock
_ALEMBIC = threading.Lock()  # Alembic's `context` is module-global: one upgrade per process at a time


@contextlib.contextmanager
def _sqlite_lock(url: str) -> Iterator[None]:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        yield
        return
    path = Path(parsed.database).with_name(Path(parsed.database).name + ".migrate.lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)  # waits for another upgrader
        yield
    finally:
        os.close(descriptor)


def upgrade_head(url: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    with _ALEMBIC, _sqlite_lock(url):
        command.upgrade(config, "head")


async def upgrade_head_async(url: str) -> None:
    """Alembic's env runs its own event loop: run it in a worker thread."""
    await asyncio.to_thread(upgrade_head, url)
