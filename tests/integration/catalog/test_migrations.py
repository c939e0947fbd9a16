"""The catalog's migrations on both backends: the schema at head is the models' (the contracts' widths), and a
database seeded before the label widths keeps every row through them."""

from __future__ import annotations

import asyncio
import sys
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, func, inspect, select, text
from sqlalchemy.exc import DBAPIError

from dantoc_catalog.db.engine import create_engine
from dantoc_catalog.db.migrate import upgrade
from dantoc_catalog.db.models import Base
from dantoc_catalog.services.seed import package_data_dir, seed_if_empty
from dantoc_contracts.bounds import LABEL_WIDTH
from tests.integration.catalog.support import unit_of_work_factory

pytestmark = pytest.mark.integration

LABELS = {
    "indicator_groups": {"name_vi", "name_en"},
    "indicator_versions": {"name_vi", "name_en", "unit_vi", "unit_en"},
    "code_list_items": {"name_vi", "name_en"},
    "ethnic_groups": {"name_vi", "name_en", "name_vi_gso_2008"},
    "agencies": {"name_vi", "name_en"},
    "admin_units": {"name", "type"},
}


async def _row_counts(database_url: str) -> dict[str, int]:
    engine = create_engine(database_url, pooled=False)
    try:
        async with engine.connect() as connection:
            return {
                table.name: int((await connection.execute(select(func.count()).select_from(table))).scalar_one())
                for table in Base.metadata.sorted_tables
            }
    finally:
        await engine.dispose()


def _differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


def _widths(connection: Connection) -> dict[str, dict[str, int | None]]:
    inspector = inspect(connection)
    return {
        table: {c["name"]: getattr(c["type"], "length", None) for c in columns if c["name"] in names}
        for table, names in LABELS.items()
        for columns in [inspector.get_columns(table)]
    }


async def test_the_schema_at_head_is_the_models_with_label_widths(database_url: str) -> None:
    await upgrade(database_url)
    engine = create_engine(database_url, pooled=False)
    try:
        async with engine.connect() as connection:
            assert await connection.run_sync(_differences) == []
            widths = await connection.run_sync(_widths)
    finally:
        await engine.dispose()
    assert widths == {table: dict.fromkeys(names, LABEL_WIDTH) for table, names in LABELS.items()}


async def test_a_database_seeded_before_the_label_widths_keeps_every_row(database_url: str) -> None:
    await upgrade(database_url, "0003")
    async with unit_of_work_factory(database_url) as uow_factory:
        assert await seed_if_empty(uow_factory, package_data_dir())
    before = await _row_counts(database_url)
    assert before["indicator_versions"] > 0
    assert before["admin_units"] > 0

    await upgrade(database_url)  # SQLite rebuilds the tables, indicator groups among them (indicators refer to them)

    assert await _row_counts(database_url) == before
    async with unit_of_work_factory(database_url) as uow_factory, uow_factory() as uow:
        definitions = await uow.catalog.definitions()
    assert len(definitions) == before["indicator_versions"]


async def test_a_label_wider_than_the_contract_stops_the_migration_on_postgresql(postgres_url: str) -> None:
    await upgrade(postgres_url, "0003")
    engine = create_engine(postgres_url, pooled=False)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                text("INSERT INTO indicator_groups (code, name_vi, name_en) VALUES ('99', :name, '')"),
                {"name": "x" * (LABEL_WIDTH + 1)},
            )
    finally:
        await engine.dispose()
    with pytest.raises(DBAPIError, match="value too long"):
        await upgrade(postgres_url)
    engine = create_engine(postgres_url, pooled=False)
    try:
        async with engine.connect() as connection:
            version = (await connection.execute(text("SELECT version_num FROM alembic_version"))).scalars().all()
    finally:
        await engine.dispose()
    assert version == ["0003"]  # nothing of 0004 applied, the row untouched


MIGRATE = "import sys; from dantoc_catalog.db.migrate import upgrade_sync; upgrade_sync(sys.argv[1])"


async def test_processes_migrating_at_once_all_succeed_and_migrate_once(database_url: str) -> None:
    """Alembic's context is one per process, so the contenders are processes, as when services start together."""
    runs = [
        await asyncio.create_subprocess_exec(
            sys.executable, "-c", MIGRATE, database_url, stderr=asyncio.subprocess.PIPE
        )
        for _ in range(3)
    ]
    results = await asyncio.gather(*(run.communicate() for run in runs))
    assert [run.returncode for run in runs] == [0, 0, 0], [err.decode()[-2000:] for _, err in results]
    engine = create_engine(database_url, pooled=False)
    try:
        async with engine.connect() as connection:
            version = (await connection.execute(text("SELECT version_num FROM alembic_version"))).scalars().all()
            assert await connection.run_sync(_differences) == []
    finally:
        await engine.dispose()
    assert version == ["0004"]
