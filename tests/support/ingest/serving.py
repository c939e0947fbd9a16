"""Ingest running in-process against the real broker and database: the app with its lifespan (consumers, relay),
an HTTP client, and the namespace's topics (shared by the ingest integration tests and their fixtures)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI

from dantoc_contracts import topics
from dantoc_contracts.messages import adapter
from dantoc_ingest.app import create_app
from dantoc_ingest.db.migrate import upgrade_head
from dantoc_ingest.settings import Settings
from tests.support.apps import running_app
from tests.support.kafka import eventually, read_topic


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
