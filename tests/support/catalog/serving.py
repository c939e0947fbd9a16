"""Running the catalog service in-process against the real broker and database, and reading its topic."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer, TopicPartition
from fastapi import FastAPI
from pydantic import SecretStr

from dantoc_catalog.api.container import Container
from dantoc_catalog.app import create_app
from dantoc_catalog.db.engine import create_engine, session_factory
from dantoc_catalog.db.migrate import upgrade_head
from dantoc_catalog.db.uow import UnitOfWorkFactory
from dantoc_catalog.domain.payloads import Records
from dantoc_catalog.services.seed import package_data_dir, seed_if_empty
from dantoc_catalog.services.snapshot import catalog_records
from dantoc_catalog.settings import Settings
from dantoc_contracts.catalog_view import CatalogView
from dantoc_contracts.messages import adapter
from dantoc_contracts.topics import CATALOG, topic_name
from tests.support.apps import running_app
from tests.support.kafka import eventually

ADMIN_TOKEN = "test-admin-token-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
ENVELOPES = adapter(CATALOG.name)


def catalog_settings(database_url: str, kafka: str, namespace: str, **extra: Any) -> Settings:
    return Settings(
        database_url=database_url,
        kafka_bootstrap_servers=kafka,
        namespace=namespace,
        admin_token=SecretStr(ADMIN_TOKEN),
        relay_interval_seconds=0.2,
        **extra,
    )


@dataclass
class RunningCatalog:
    app: FastAPI
    client: httpx.AsyncClient

    @property
    def container(self) -> Container:
        container: Container = self.app.state.container
        return container

    async def records(self) -> Records:
        """What the service's database says the topic must hold."""
        async with self.container.uow_factory() as uow:
            return await catalog_records(uow)


@asynccontextmanager
async def running_catalog(settings: Settings, *, ready: bool = True) -> AsyncIterator[RunningCatalog]:
    """The app with its lifespan (publish), on a database migrated and seeded first (as `migrate` does), reached
    through an in-process HTTP client."""
    await migrate_and_seed(settings.database_url)
    app = create_app(settings)
    async with running_app(app, "http://catalog") as client:
        running = RunningCatalog(app, client)
        if ready:
            await eventually(lambda: _is_ready(client), timeout=90, interval=0.2)
        yield running


async def _is_ready(client: httpx.AsyncClient) -> bool:
    return (await client.get("/ready")).status_code == 200


async def migrate_and_seed(database_url: str) -> None:
    """What `python -m dantoc_catalog migrate` does: upgrade to head, seed an empty database."""
    await upgrade_head(database_url)
    async with unit_of_work_factory(database_url) as uow_factory:
        await seed_if_empty(uow=uow_factory(), directory=package_data_dir())


@asynccontextmanager
async def unit_of_work_factory(database_url: str) -> AsyncIterator[UnitOfWorkFactory]:
    engine = create_engine(database_url)
    try:
        yield UnitOfWorkFactory(session_factory(engine))
    finally:
        await engine.dispose()


async def rebuild_view(bootstrap: str, namespace: str, *, timeout: float = 60) -> tuple[CatalogView, int]:
    """A fresh consumer's view: the catalog topic read from the beginning up to its current end.

    Returns the view and how many messages were read."""
    topic = topic_name(CATALOG, namespace)
    partition = TopicPartition(topic, 0)
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False)
    await consumer.start()
    view, read, deadline = CatalogView(), 0, time.monotonic() + timeout
    try:
        consumer.assign([partition])
        await consumer.seek_to_beginning(partition)
        end = (await consumer.end_offsets([partition]))[partition]
        while await consumer.position(partition) < end:
            if time.monotonic() > deadline:
                raise TimeoutError(f"read {read} of {end} messages of {topic} in {timeout}s")
            for records in (await consumer.getmany(partition, timeout_ms=1000, max_records=10_000)).values():
                for record in records:
                    payload = None if record.value is None else ENVELOPES.validate_json(record.value).payload
                    view.apply(record.key.decode(), payload)
                    read += 1
        return view, read
    finally:
        await consumer.stop()
