"""The async engine: SQLite in WAL mode (safe across a killed process) or PostgreSQL via asyncpg."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import URL, event, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine


class DecimalSum:
    """SQLite aggregate `dsum`: exact sum of decimal text (SQLite's own SUM would go through floats)."""

    def __init__(self) -> None:
        self.total: Decimal | None = None

    def step(self, value: Any) -> None:
        if value is not None:
            self.total = (self.total or Decimal(0)) + Decimal(str(value))

    def finalize(self) -> str | None:
        return None if self.total is None else str(self.total)


class DecimalMin:
    """SQLite aggregate `dmin`: numeric minimum of decimal text (SQLite's MIN would compare the text)."""

    def __init__(self) -> None:
        self.best: Decimal | None = None

    def step(self, value: Any) -> None:
        if value is not None:
            number = Decimal(str(value))
            self.best = number if self.best is None else min(self.best, number)

    def finalize(self) -> str | None:
        return None if self.best is None else str(self.best)


class DecimalMax(DecimalMin):
    """SQLite aggregate `dmax`."""

    def step(self, value: Any) -> None:
        if value is not None:
            number = Decimal(str(value))
            self.best = number if self.best is None else max(self.best, number)


def _sqlite_setup(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "busy_timeout=30000", "cache_size=-200000"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()

    async def register(driver: Any) -> None:  # aiosqlite runs sqlite3 in its own thread: register there
        for name, aggregate in (("dsum", DecimalSum), ("dmin", DecimalMin), ("dmax", DecimalMax)):
            await driver._execute(driver._conn.create_aggregate, name, 1, aggregate)

    dbapi_connection.run_async(register)


def sqlite_file(url: str | URL) -> Path | None:
    """The database file of a SQLite URL; None for another backend or an in-memory database."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def create_engine(url: str) -> AsyncEngine:
    """Engine for `url`; SQLite connections get WAL, a busy timeout and exact decimal aggregates."""
    if url.startswith("sqlite"):
        sqlite3.register_adapter(Decimal, str)  # decimals are stored as their exact text
        engine = create_async_engine(url)
        event.listen(engine.sync_engine, "connect", _sqlite_setup)
        return engine
    return create_async_engine(url, pool_size=5, max_overflow=5, pool_pre_ping=True)


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions for units of work (SQL Core through their connection), not expired on commit, no autoflush."""
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
