"""Restore drill: the four services fill their databases through a small pipeline (real broker), the databases
are backed up, lost and restored; what is derived is rebuilt; the state is identical to the state before.
And the PostgreSQL path (pg_dump / pg_restore) on the real server; restore refuses to write over a running service.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import asyncpg  # type: ignore[import-untyped]
import pytest

from dantoc_contracts.topics import VALUES_ACCEPTED
from deploy import backup as backups
from deploy.demo import load_demo
from tests.support.infra import free_port
from tests.support.kafka import create_namespace, eventually
from tests.support.ops.load import demo_arguments
from tests.support.stack import SERVICES, Stack, service_env, start_stack

pytestmark = [pytest.mark.integration]


def sqlite_state(path: Path) -> list[str]:
    """Every table's schema and rows, as SQL text, in a stable order."""
    connection = sqlite3.connect(path)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


DERIVED = {
    "leaf_cells": "SELECT * FROM leaf_cells ORDER BY gkey, dkey",
    # `changed_seq` numbers the batch that last changed a row: bookkeeping of the outbox, not a figure (a rebuild
    # applies the topic in other batches than the live service did).
    "aggregates": "SELECT akey, indicator, unit, depth, period, dkey, aggregation, total, count, low, high, value,"
    " numerator, denominator, reported, no_data, expected, newest_us, newest_submission_id"
    " FROM aggregates ORDER BY akey",
    "consumer_offsets": "SELECT * FROM consumer_offsets ORDER BY topic, partition",
}


def derived_state(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """What the aggregate service derives from values.accepted: the cells, every figure, how far it has read."""
    connection = sqlite3.connect(path)
    try:
        return {table: connection.execute(query).fetchall() for table, query in DERIVED.items()}
    finally:
        connection.close()


def settled(directory: Path) -> bool:
    """Every accepted-values event in ingest's outbox is sent, and the aggregate service has applied as many."""
    ingest = sqlite3.connect(directory / "ingest.db")
    aggregate = sqlite3.connect(directory / "aggregate.db")
    try:
        rows, unsent = ingest.execute(
            "SELECT count(*), count(*) - count(sent_at) FROM outbox WHERE topic = ?", (VALUES_ACCEPTED.name,)
        ).fetchone()
        applied = aggregate.execute("SELECT coalesce(sum(next_offset), 0) FROM consumer_offsets").fetchone()[0]
    except sqlite3.OperationalError:  # a table not created yet
        return False
    finally:
        ingest.close()
        aggregate.close()
    return bool(rows) and unsent == 0 and applied == rows


def lose(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def point_at(stack_directory: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in SERVICES:
        monkeypatch.setenv(f"DANTOC_{name.upper()}_DATABASE_URL", f"sqlite+aiosqlite:///{stack_directory / name}.db")


@pytest.mark.e2e
@pytest.mark.timeout(400)
async def test_back_up_lose_restore_rebuild_and_compare(
    kafka: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    namespace = await create_namespace(kafka)
    stack: Stack = await asyncio.to_thread(start_stack, tmp_path / "stack", kafka, namespace)
    try:
        # Step 1: a small pipeline: one commune of the demo through ingest, aggregated, served by the gateway.
        await asyncio.to_thread(load_demo.main, demo_arguments(stack, stack.token(), communes=1))
        await eventually(lambda: settled(stack.directory), timeout=120, interval=0.5)
        # Step 2: an online backup while the services run and write (SQLite backup API).
        point_at(stack.directory, monkeypatch)
        online = backups.backup(tmp_path / "online")
        assert set(online) == set(SERVICES)
        for name in SERVICES:
            check = sqlite3.connect(tmp_path / "online" / online[name]["file"])
            assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            check.close()
    finally:
        await asyncio.to_thread(stack.stop)

    # Step 3: the state before, and a backup of the stopped system.
    databases = {name: stack.directory / f"{name}.db" for name in SERVICES}
    before = {name: sqlite_state(path) for name, path in databases.items()}
    derived_before = derived_state(databases["aggregate"])
    assert derived_before["aggregates"], "nothing was aggregated"
    assert any("INSERT INTO" in line for line in before["ingest"]), "the pipeline stored nothing"
    backups.backup(tmp_path / "drill")

    # Step 4: lose every database, restore them all.
    for path in databases.values():
        lose(path)
    assert backups.restore(tmp_path / "drill") == list(SERVICES)
    assert {name: sqlite_state(path) for name, path in databases.items()} == before

    # Step 5: rebuild what is derived (the aggregates, from values.accepted) and compare again.
    env = service_env("aggregate", free_port(), stack)
    done = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "dantoc_aggregate", "rebuild", "--force"],
        env=env,
        cwd=stack.directory,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "rebuilt from the accepted-values topic" in done.stdout
    assert derived_state(databases["aggregate"]) == derived_before


async def test_postgres_backup_and_restore_give_the_same_rows(
    postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dsn = postgres_url.replace("postgresql+asyncpg://", "postgresql://")
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(
            "CREATE TABLE cells (id serial PRIMARY KEY, unit varchar(5) NOT NULL, value numeric(21, 6),"
            " label text, at timestamptz DEFAULT now())"
        )
        await connection.executemany(
            "INSERT INTO cells (unit, value, label) VALUES ($1, $2, $3)",
            [("04", "123456789012345.123456", "Cao Bằng"), ("11", None, "Điện Biên"), ("001", "-0.000001", "=1+1")],
        )
        before = [tuple(r) for r in await connection.fetch("SELECT * FROM cells ORDER BY id")]
    finally:
        await connection.close()
    monkeypatch.setenv("DANTOC_INGEST_DATABASE_URL", postgres_url)
    manifest = backups.backup(tmp_path / "pg", services=("ingest",))
    assert manifest == {"ingest": {"kind": "postgres", "file": "ingest.dump"}}

    admin = await asyncpg.connect(dsn.rsplit("/", 1)[0] + "/postgres")
    try:
        await admin.execute(f'DROP DATABASE "{dsn.rsplit("/", 1)[1]}" WITH (FORCE)')
    finally:
        await admin.close()
    backups.restore(tmp_path / "pg")

    connection = await asyncpg.connect(dsn)
    try:
        assert [tuple(r) for r in await connection.fetch("SELECT * FROM cells ORDER BY id")] == before
        assert await connection.fetchval("SELECT nextval('cells_id_seq')") == 4
    finally:
        await connection.close()


def test_restore_refuses_a_running_service_unless_forced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DANTOC_STACK_DIR", str(tmp_path / "stack"))
    database = tmp_path / "ingest.db"
    monkeypatch.setenv("DANTOC_INGEST_DATABASE_URL", f"sqlite+aiosqlite:///{database}")
    sqlite3.connect(database).executescript("CREATE TABLE t (x); INSERT INTO t VALUES (1);").close()
    backups.backup(tmp_path / "b", services=("ingest",))
    sqlite3.connect(database).executescript("INSERT INTO t VALUES (2);").close()
    (tmp_path / "stack/run").mkdir(parents=True)
    (tmp_path / "stack/run/ingest.pid").write_text(str(os.getpid()))  # a live process: "ingest is running"

    with pytest.raises(SystemExit, match="refusing to restore over running services"):
        backups.restore(tmp_path / "b")
    assert len([line for line in sqlite_state(database) if "INSERT" in line]) == 2
    backups.restore(tmp_path / "b", force=True)
    assert [line for line in sqlite_state(database) if "INSERT" in line] == ['INSERT INTO "t" VALUES(1);']
