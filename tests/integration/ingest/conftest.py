"""Ingest running in-process against the real broker and database: a literal catalog on the namespace's catalog
topic, the app with its lifespan (consumers, relay), an HTTP client, and tokens."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from dantoc_contracts import topics
from dantoc_contracts.access import Right, Role
from dantoc_contracts.messages import adapter
from dantoc_ingest.app import create_app
from dantoc_ingest.auth.tokens import generate_keys, mint_token
from dantoc_ingest.db.migrate import upgrade_head
from dantoc_ingest.settings import Settings
from tests.support.apps import running_app
from tests.support.ingest.catalog import publish_catalog
from tests.support.kafka import eventually, read_topic


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


@dataclass
class Ingest:
    app: FastAPI
    client: httpx.AsyncClient
    bootstrap: str
    namespace: str
    database_url: str

    def topic(self, spec: topics.TopicSpec) -> str:
        return topics.topic_name(spec, self.namespace)

    async def events(self, spec: topics.TopicSpec, count: int, timeout: float = 30) -> list[Any]:
        """Decoded envelopes of a topic once it holds at least `count` messages."""
        records = await read_topic(self.bootstrap, self.topic(spec), until=lambda r: len(r) >= count, timeout=timeout)
        decode = adapter(spec.name)
        return [decode.validate_json(r.value) for r in records]

    async def state(self, submission_id: str, headers: dict[str, str], wanted: str, timeout: float = 30) -> Any:
        async def check() -> Any:
            response = await self.client.get(f"/submissions/{submission_id}", headers=headers)
            return response.json() if response.status_code == 200 and response.json()["status"] == wanted else None

        return await eventually(check, timeout=timeout)


def settings_for(bootstrap: str, namespace: str, database_url: str, public_key: Path, **extra: Any) -> Settings:
    return Settings(
        database_url=database_url,
        kafka_bootstrap_servers=bootstrap,
        namespace=namespace,
        jwt_public_key_file=public_key,
        consumer_group=f"ingest-{namespace}",
        relay_poll_seconds=0.2,
        **extra,
    )


@contextlib.asynccontextmanager
async def running(settings: Settings) -> AsyncIterator[Ingest]:
    """The app with its lifespan (the database migrated first), once its catalog follower is ready."""
    await upgrade_head(settings.database_url)
    app = create_app(settings)
    async with running_app(app, "http://ingest") as client:
        await eventually(lambda: app.state.catalog.ready, timeout=30)
        yield Ingest(app, client, settings.kafka_bootstrap_servers, settings.namespace, settings.database_url)


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
