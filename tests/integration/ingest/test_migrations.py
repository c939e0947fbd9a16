"""Migrating is a step of its own: the app and `serve` refuse a database not at head (an empty one included) with
SchemaNotAtHead; after `python -m dantoc_ingest migrate` they start."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dantoc_ingest.app import create_app
from dantoc_ingest.db.migrate import SchemaNotAtHead, head_revision
from tests.support.ingest.serving import settings_for

pytestmark = pytest.mark.integration


def _env(database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DANTOC_INGEST_")}
    return env | {"DANTOC_INGEST_DATABASE_URL": database_url, **extra}


def _command(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "dantoc_ingest", *args]
    return subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=120, check=False)


async def test_an_empty_database_stops_startup_until_migrated(
    kafka: str, namespace: str, database_url: str, keys: tuple[Path, Path], tmp_path: Path
) -> None:
    app = create_app(settings_for(kafka, namespace, database_url, keys[1]))
    with pytest.raises(SchemaNotAtHead, match="python -m dantoc_ingest migrate"):
        async with app.router.lifespan_context(app):
            pass

    done = _command("migrate", env=_env(database_url), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert str(head_revision()) in done.stdout

    app = create_app(settings_for(kafka, namespace, database_url, keys[1]))
    async with app.router.lifespan_context(app):
        assert app.state.ctx is not None


def test_serve_refuses_an_empty_database(tmp_path: Path, keys: tuple[Path, Path]) -> None:
    env = _env(f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}", DANTOC_JWT_PUBLIC_KEY_FILE=str(keys[1]))
    done = _command("serve", env=env, cwd=tmp_path)
    assert done.returncode == 1
    assert "schema.not_at_head" in done.stderr
    assert "python -m dantoc_ingest migrate" in done.stderr
