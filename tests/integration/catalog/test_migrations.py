"""The catalog's migrations on both backends: the schema at head is the models' (the contracts' widths), a
database seeded before the label widths keeps every row through them, a database not at head is refused by the
app and the commands until `migrate`, and processes migrating at once all succeed."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, func, inspect, select, text
from sqlalchemy.exc import DBAPIError

from dantoc_catalog.api.container import Container
from dantoc_catalog.app import create_app
from dantoc_catalog.db.engine import create_engine
from dantoc_catalog.db.migrate import SchemaNotAtHead, head_revision, require_head, upgrade_head, upgrade_to
from dantoc_catalog.db.models import Base
from dantoc_catalog.services.seed import package_data_dir, seed_if_empty
from dantoc_contracts.bounds import LABEL_WIDTH
from tests.support.catalog.serving import catalog_settings, unit_of_work_factory

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
    await upgrade_head(database_url)
    engine = create_engine(database_url, pooled=False)
    try:
        async with engine.connect() as connection:
            assert await connection.run_sync(_differences) == []
            widths = await connection.run_sync(_widths)
    finally:
        await engine.dispose()
    assert widths == {table: dict.fromkeys(names, LABEL_WIDTH) for table, names in LABELS.items()}


async def test_a_database_seeded_before_the_label_widths_keeps_every_row(database_url: str) -> None:
    await upgrade_to(database_url, "0003")
    async with unit_of_work_factory(database_url) as uow_factory:
        assert await seed_if_empty(uow=uow_factory(), directory=package_data_dir())
    before = await _row_counts(database_url)
    assert before["indicator_versions"] > 0
    assert before["admin_units"] > 0

    await upgrade_head(database_url)  # SQLite rebuilds the tables, indicator groups among them (indicators use them)

    assert await _row_counts(database_url) == before
    async with unit_of_work_factory(database_url) as uow_factory, uow_factory() as uow:
        definitions = await uow.catalog.definitions()
    assert len(definitions) == before["indicator_versions"]


async def test_a_label_wider_than_the_contract_stops_the_migration_on_postgresql(postgres_url: str) -> None:
    await upgrade_to(postgres_url, "0003")
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
        await upgrade_head(postgres_url)
    engine = create_engine(postgres_url, pooled=False)
    try:
        async with engine.connect() as connection:
            version = (await connection.execute(text("SELECT version_num FROM alembic_version"))).scalars().all()
    finally:
        await engine.dispose()
    assert version == ["0003"]  # nothing of 0004 applied, the row untouched


def _env(database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DANTOC_CATALOG_")}
    return env | {"DANTOC_CATALOG_DATABASE_URL": database_url}


async def _command(database_url: str, *args: str, cwd: Path) -> tuple[int, str, str]:
    run = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "dantoc_catalog", *args, env=_env(database_url), cwd=cwd,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await run.communicate()
    assert run.returncode is not None
    return run.returncode, out.decode(), err.decode()


async def test_an_empty_database_is_refused_until_migrate(
    database_url: str, kafka: str, namespace: str, tmp_path: Path
) -> None:
    app = create_app(catalog_settings(database_url, kafka, namespace))
    with pytest.raises(SchemaNotAtHead, match="python -m dantoc_catalog migrate"):
        async with app.router.lifespan_context(app):
            pass  # pragma: no cover
    code, _, err = await _command(database_url, "export", cwd=tmp_path)
    assert code == 1
    assert "refusing to start" in err
    assert "python -m dantoc_catalog migrate" in err

    code, out, err = await _command(database_url, "migrate", cwd=tmp_path)
    assert code == 0, err[-2000:]
    assert f"to revision {head_revision()}" in out
    assert "catalog.seeded" in err
    app = create_app(catalog_settings(database_url, kafka, namespace))
    async with app.router.lifespan_context(app):
        container: Container = app.state.container
        async with container.uow_factory() as uow:
            assert not await uow.catalog.is_empty()


async def test_serve_refuses_a_database_not_at_head(sqlite_url: str, tmp_path: Path) -> None:
    await upgrade_to(sqlite_url, "0003")
    env = _env(sqlite_url) | {"DANTOC_CATALOG_ADMIN_TOKEN": "test-admin-token-0123456789abcdef"}
    run = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "dantoc_catalog", "serve", env=env, cwd=tmp_path, stderr=asyncio.subprocess.PIPE
    )
    _, err = await asyncio.wait_for(run.communicate(), timeout=60)
    assert run.returncode == 1
    assert "the database is at revision 0003" in err.decode()
    assert "schema.not_at_head" in err.decode()


async def test_upgrade_head_twice_at_once_succeeds(database_url: str) -> None:
    await asyncio.gather(upgrade_head(database_url), upgrade_head(database_url))
    engine = create_engine(database_url, pooled=False)
    try:
        await require_head(engine)
    finally:
        await engine.dispose()


async def test_processes_migrating_at_once_all_succeed_and_migrate_once(database_url: str, tmp_path: Path) -> None:
    """Alembic's context is one per process, so the contenders are processes, as when services start together:
    each one upgrades and seeds (the second finds the database seeded)."""
    results = await asyncio.gather(*(_command(database_url, "migrate", cwd=tmp_path) for _ in range(3)))
    assert [code for code, _, _ in results] == [0, 0, 0], [err[-2000:] for _, _, err in results]
    assert sum("catalog.seeded" in err for _, _, err in results) == 1
    engine = create_engine(database_url, pooled=False)
    try:
        async with engine.connect() as connection:
            version = (await connection.execute(text("SELECT version_num FROM alembic_version"))).scalars().all()
            assert await connection.run_sync(_differences) == []
    finally:
        await engine.dispose()
    assert version == [head_revision()]
