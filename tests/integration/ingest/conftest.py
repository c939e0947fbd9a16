"""Ingest running in-process against the real broker and database: a literal catalog on the namespace's catalog
topic, the app with its lifespan (consumers, relay), an HTTP client, and tokens."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from dantoc_contracts.access import Right, Role
from dantoc_ingest.auth.tokens import generate_keys, mint_token
from tests.support.ingest.catalog import publish_catalog
from tests.support.ingest.serving import Ingest, running, settings_for


@pytest.fixture(scope="session")
def keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("jwt")
    generate_keys(folder / "private.pem", folder / "public.pem")
    return folder / "private.pem", folder / "public.pem"


@pytest.fixture
def token(keys: tuple[Path, Path]) -> Callable[..., dict[str, str]]:
    """Authorization headers for a role, agency and scope."""

    def make(
        agency: str = "BDT-02",
        scope: str = "02",
        role: Role = Role.PROVINCIAL,
        sub: str | None = None,
        rights: list[Right] | None = None,
    ) -> dict[str, str]:
        signed = mint_token(keys[0].read_bytes(), role=role, agency=agency, scope=scope, subject=sub, rights=rights)
        return {"Authorization": f"Bearer {signed}"}

    return make


@pytest.fixture
async def ingest(kafka: str, namespace: str, database_url: str, keys: tuple[Path, Path]) -> AsyncIterator[Ingest]:
    """Ingest on the session broker (fresh topics) and a fresh database (SQLite and PostgreSQL)."""
    await publish_catalog(kafka, namespace)
    async with running(settings_for(kafka, namespace, database_url, keys[1])) as service:
        yield service


@pytest.fixture
async def ingest_pg(kafka: str, namespace: str, postgres_url: str, keys: tuple[Path, Path]) -> AsyncIterator[Ingest]:
    """Ingest on PostgreSQL only (for the Kafka-heavy tests, which do not depend on the backend)."""
    await publish_catalog(kafka, namespace)
    async with running(settings_for(kafka, namespace, postgres_url, keys[1])) as service:
        yield service
