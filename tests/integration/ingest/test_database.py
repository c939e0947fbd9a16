"""The source of truth's database, on both backends: SQLite commits with synchronous=FULL, and migrations started
by several processes at once are applied once (serialised by a lock), to the contracts' widths."""

from __future__ import annotations

import asyncio

from sqlalchemy import inspect, text

from dantoc_contracts.bounds import DECIMAL_TEXT_WIDTH, PERIOD_WIDTH, UNIT_CODE_WIDTH
from dantoc_ingest.db.engine import create_engine
from dantoc_ingest.db.migrate import upgrade_head


async def test_concurrent_migrations_and_durable_commits(database_url: str) -> None:
    await asyncio.gather(*(upgrade_head(database_url) for _ in range(3)))  # one applies, the others wait
    engines = [create_engine(database_url)]
    try:
        async with engines[0].connect() as connection:
            version = (await connection.execute(text("SELECT version_num FROM alembic_version"))).scalars().all()
            assert version == ["0003"]
            if connection.dialect.name == "sqlite":
                assert (await connection.execute(text("PRAGMA synchronous"))).scalar() == 2  # FULL
            else:
                columns = await connection.run_sync(lambda sync: inspect(sync).get_columns("cells"))
                widths = {c["name"]: getattr(c["type"], "length", None) for c in columns}
                assert (widths["unit_code"], widths["period"], widths["value"]) == (
                    UNIT_CODE_WIDTH,
                    PERIOD_WIDTH,
                    DECIMAL_TEXT_WIDTH,
                )
    finally:
        for engine in engines:
            await engine.dispose()
