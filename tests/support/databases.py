"""Fresh databases per test: a new PostgreSQL database or a new SQLite file, so tests never share state."""

from __future__ import annotations

import uuid

import asyncpg  # type: ignore[import-untyped]


async def create_postgres_database(url_template: str) -> str:
    """Create a uniquely named database on the test server; return its SQLAlchemy URL."""
    name = f"t_{uuid.uuid4().hex[:16]}"
    admin_dsn = url_template.format(database="postgres").replace("postgresql+asyncpg://", "postgresql://")
    conn = await asyncpg.connect(admin_dsn)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return url_template.format(database=name)


async def drop_postgres_database(url_template: str, url: str) -> None:
    name = url.rsplit("/", 1)[1]
    admin_dsn = url_template.format(database="postgres").replace("postgresql+asyncpg://", "postgresql://")
    conn = await asyncpg.connect(admin_dsn)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()
