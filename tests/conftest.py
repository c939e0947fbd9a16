"""Session-wide real infrastructure and per-test isolation (own topics namespace, own database)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.support.databases import create_postgres_database, drop_postgres_database
from tests.support.infra import kafka_bootstrap, postgres_server
from tests.support.kafka import create_namespace


@pytest.fixture(scope="session")
def kafka() -> Iterator[str]:
    """Bootstrap address of the session's real Kafka broker."""
    with kafka_bootstrap() as bootstrap:
        yield bootstrap


@pytest.fixture
async def namespace(kafka: str) -> str:
    """A fresh topic namespace with every topic created."""
    return await create_namespace(kafka)


@pytest.fixture(scope="session")
def postgres() -> Iterator[str]:
    """URL template of the session's real PostgreSQL server."""
    with postgres_server() as template:
        yield template


@pytest.fixture
async def postgres_url(postgres: str) -> AsyncIterator[str]:
    url = await create_postgres_database(postgres)
    yield url
    await drop_postgres_database(postgres, url)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest) -> str:
    """Each repository test runs on both backends."""
    name = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    return str(request.getfixturevalue(name))
