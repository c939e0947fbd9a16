"""Migrating is a step of its own: the app and `serve` refuse a database not at head (an empty one included) with
SchemaNotAtHead; after `python -m dantoc_aggregate migrate` they start. Concurrent migrations: test_writer_fencing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from dantoc_aggregate.app import create_app
from dantoc_aggregate.db.migrate import SchemaNotAtHead, head_revision
from dantoc_aggregate.settings import Settings


def _env(database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DANTOC_AGGREGATE_")}
    return env | {"DANTOC_AGGREGATE_DATABASE_URL": database_url, **extra}


def _command(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "dantoc_aggregate", *args]
    return subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=120, check=False)


async def test_an_empty_database_stops_startup_until_migrated(
    kafka: str, namespace: str, database_url: str, tmp_path: Path
) -> None:
    public = tmp_path / "jwt-public.pem"
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    public.write_bytes(key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    settings = Settings(
        database_url=database_url, kafka_bootstrap_servers=kafka, namespace=namespace, jwt_public_key_file=public
    )
    app = create_app(settings)
    with pytest.raises(SchemaNotAtHead, match="python -m dantoc_aggregate migrate"):
        async with app.router.lifespan_context(app):
            pass

    done = _command("migrate", env=_env(database_url), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert str(head_revision()) in done.stdout

    app = create_app(settings)
    async with app.router.lifespan_context(app):
        assert app.state.consumer is not None


def test_serve_refuses_a_database_never_migrated(tmp_path: Path) -> None:
    env = _env(f"sqlite+aiosqlite:///{tmp_path / 'missing' / 'aggregate.db'}")
    done = _command("serve", env=env, cwd=tmp_path)
    assert done.returncode == 1
    assert "schema.not_at_head" in done.stderr
    assert "python -m dantoc_aggregate migrate" in done.stderr
    assert not (tmp_path / "missing").exists()  # refusing creates nothing
