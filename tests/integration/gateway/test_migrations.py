"""Migrating is a step of its own: the app's lifespan and `serve` refuse a read model not at head (an empty one
included) with SchemaNotAtHead; after `python -m dantoc_gateway migrate` they start; upgrades run together wait for
each other and all succeed (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dantoc_gateway.app import create_app
from dantoc_gateway.db.engine import create_engine
from dantoc_gateway.db.migrate import SchemaNotAtHead, current_revision, head_revision, require_head, upgrade_head
from tests.support.gateway.serving import settings_for
from tests.support.gateway.signing import Signing

COMMAND = "python -m dantoc_gateway migrate"


def _env(database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DANTOC_GATEWAY_")}
    return env | {"DANTOC_GATEWAY_DATABASE_URL": database_url, **extra}


def _command(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "dantoc_gateway", *args]
    return subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=120, check=False)


async def test_an_empty_database_stops_startup_until_migrated(
    kafka: str, namespace: str, database_url: str, signing: Signing, tmp_path: Path
) -> None:
    settings = settings_for(kafka, namespace, database_url, signing)
    app = create_app(settings)
    with pytest.raises(SchemaNotAtHead, match=COMMAND) as refused:
        async with app.router.lifespan_context(app):
            pass
    assert refused.value.current is None
    assert refused.value.head == head_revision()

    done = await asyncio.to_thread(_command, "migrate", env=_env(database_url), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert str(head_revision()) in done.stdout

    app = create_app(settings)
    async with app.router.lifespan_context(app):
        assert app.state.runtime is not None


def test_serve_refuses_an_empty_database(tmp_path: Path, signing: Signing) -> None:
    env = _env(f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}", DANTOC_JWT_PUBLIC_KEY_FILE=str(signing.public_file))
    done = _command("serve", env=env, cwd=tmp_path)
    assert done.returncode == 1
    assert "schema.not_at_head" in done.stderr
    assert COMMAND in done.stderr


async def test_upgrades_run_together_all_succeed(database_url: str, tmp_path: Path) -> None:
    def migrate() -> subprocess.CompletedProcess[str]:
        return _command("migrate", env=_env(database_url), cwd=tmp_path)

    processes = [asyncio.to_thread(migrate) for _ in range(2)]  # two processes
    in_process = [upgrade_head(database_url) for _ in range(2)]  # and two in this one
    migrated, _ = await asyncio.gather(asyncio.gather(*processes), asyncio.gather(*in_process))
    assert [done.returncode for done in migrated] == [0, 0], [done.stderr for done in migrated]
    engine = create_engine(database_url)
    try:
        assert await current_revision(engine) == head_revision()
        await require_head(engine)
    finally:
        await engine.dispose()
