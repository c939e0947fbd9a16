"""Helpers of the gateway's integration tests: publishing to topics, a gateway in-process (its database migrated
first) and what a served gateway gives a test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from aiokafka import AIOKafkaProducer
from fastapi import FastAPI

from dantoc_contracts import topics
from dantoc_contracts.aggregates import AggregateChanged
from dantoc_contracts.catalog import catalog_key
from dantoc_contracts.catalog_view import CatalogRecord
from dantoc_contracts.envelope import Envelope
from dantoc_contracts.messages import encode
from dantoc_contracts.topics import topic_name
from dantoc_contracts.values import ValuesAccepted
from dantoc_gateway.app import create_app
from dantoc_gateway.db.migrate import upgrade_head
from dantoc_gateway.settings import Settings
from tests.support.apps import running_app
from tests.support.gateway.literal import key_of
from tests.support.gateway.signing import Signing
from tests.support.gateway.submitted import values_records
from tests.support.kafka import eventually


@dataclass
class Served:
    """A running gateway over a published read model: its app, a client to it, the keys of its tokens."""

    app: FastAPI
    client: httpx.AsyncClient
    signing: Signing
    backend: str

    def auth(self, role: str, scope: str, **kwargs: Any) -> dict[str, str]:
        return self.signing.headers(role, scope, **kwargs)


async def publish(bootstrap: str, topic: str, records: list[tuple[str, bytes | None]]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True, acks="all")
    await producer.start()
    try:
        for key, value in records:
            await producer.send(topic, value, key=key.encode())
        await producer.flush()
    finally:
        await producer.stop()


def catalog_records(records: list[CatalogRecord]) -> list[tuple[str, bytes | None]]:
    return [(catalog_key(r), encode(Envelope[Any](type=r.kind, producer="catalog", payload=r))) for r in records]


def aggregate_records(
    messages: list[AggregateChanged], correlation_id: str | None = None
) -> list[tuple[str, bytes | None]]:
    return [
        (key_of(m), encode(Envelope[Any](type=m.kind, producer="aggregate", correlation_id=correlation_id, payload=m)))
        for m in messages
    ]


async def publish_catalog(bootstrap: str, namespace: str, records: list[CatalogRecord]) -> None:
    await publish(bootstrap, topic_name(topics.CATALOG, namespace), catalog_records(records))


async def publish_aggregates(
    bootstrap: str, namespace: str, messages: list[AggregateChanged], correlation_id: str | None = None
) -> None:
    await publish(bootstrap, topic_name(topics.AGGREGATES, namespace), aggregate_records(messages, correlation_id))


async def publish_values(bootstrap: str, namespace: str, messages: list[ValuesAccepted]) -> None:
    await publish(bootstrap, topic_name(topics.VALUES_ACCEPTED, namespace), values_records(messages))


def settings_for(bootstrap: str, namespace: str, database_url: str, signing: Signing, **extra: Any) -> Settings:
    return Settings(
        database_url=database_url,
        kafka_bootstrap_servers=bootstrap,
        namespace=namespace,
        jwt_public_key_file=signing.public_file,
        consumer_group=f"gateway-{namespace}",
        **extra,
    )


@asynccontextmanager
async def running(settings: Settings) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    """The gateway app with its lifespan running (its database migrated first), and a client talking to it."""
    await upgrade_head(settings.database_url)
    app = create_app(settings)
    async with running_app(app, "http://gateway") as client:
        yield app, client


async def ready(client: httpx.AsyncClient, *, timeout: float = 60.0) -> dict[str, Any]:
    """Wait until /ready answers 200 with the aggregates and accepted-values feeds fully applied."""

    async def check() -> dict[str, Any] | None:
        response = await client.get("/ready")
        body: dict[str, Any] = response.json()
        done = response.status_code == 200 and body["aggregates"]["lag"] == 0 and body["values"]["lag"] == 0
        return body if done else None

    found: dict[str, Any] = await eventually(check, timeout=timeout, interval=0.2)
    return found
