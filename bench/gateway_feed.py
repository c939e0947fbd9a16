"""Filling the gateway's topics (or its read model directly) for the benchmark."""

from __future__ import annotations

import asyncio
import importlib.util
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient

from bench.catalogue_files import catalog
from bench.gateway_data import YearGenerator
from dantoc_contracts import topics
from dantoc_contracts.catalog import catalog_key
from dantoc_contracts.catalog_view import CatalogView
from dantoc_contracts.envelope import Envelope
from dantoc_contracts.messages import encode
from dantoc_contracts.topics import topic_name
from dantoc_gateway.db.engine import create_engine, session_factory
from dantoc_gateway.db.migrate import upgrade_head
from dantoc_gateway.db.uow import UnitOfWork
from dantoc_gateway.kafka.decoding import decode_aggregate
from dantoc_gateway.services.readmodel import apply_batch

REPO = Path(__file__).resolve().parents[1]


def _topics_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dantoc_deploy_topics", REPO / "deploy/kafka/topics.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def create_topics(bootstrap: str, namespace: str) -> None:
    await _topics_module().ensure_topics(bootstrap, namespace)


async def remove_topics(bootstrap: str, namespace: str) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.delete_topics([topic_name(spec, namespace) for spec in topics.ALL_TOPICS])
    finally:
        await admin.close()


def catalog_view() -> CatalogView:
    view = CatalogView()
    for record in catalog():
        view.apply(catalog_key(record), record)
    return view


def year(view: CatalogView) -> Iterator[tuple[str, bytes]]:
    generator = YearGenerator(view)
    generator.generate()
    yield from generator.messages()
    yield from generator.history()


async def _send(bootstrap: str, topic: str, records: Iterator[tuple[str, bytes]]) -> int:
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, enable_idempotence=True, acks="all", linger_ms=20, max_batch_size=512 * 1024
    )
    await producer.start()
    sent, pending = 0, []
    try:
        for key, value in records:
            pending.append(await producer.send(topic, value, key=key.encode()))
            sent += 1
            if len(pending) >= 20_000:
                await asyncio.gather(*pending)
                pending.clear()
        await asyncio.gather(*pending)
    finally:
        await producer.stop()
    return sent


async def publish_catalog(bootstrap: str, namespace: str) -> int:
    records = [(catalog_key(r), encode(Envelope[Any](type=r.kind, producer="bench", payload=r))) for r in catalog()]
    return await _send(bootstrap, topic_name(topics.CATALOG, namespace), iter(records))


async def publish_year(bootstrap: str, namespace: str) -> int:
    started = time.monotonic()
    sent = await _send(bootstrap, topic_name(topics.AGGREGATES, namespace), year(catalog_view()))
    print(f"  published {sent} aggregates in {time.monotonic() - started:.0f}s", flush=True)
    return sent


async def load_direct(database_url: str, batch: int = 5000) -> int:
    """Write the year through the read model's own use case (decoded and applied exactly as the feed does)."""
    view = catalog_view()
    await upgrade_head(database_url)
    engine = create_engine(database_url)
    sessions = session_factory(engine)
    written, chunk = 0, []
    try:
        for offset, (key, value) in enumerate(year(view)):
            chunk.append(
                decode_aggregate(SimpleNamespace(key=key.encode(), value=value, partition=0, offset=offset), view)
            )
            if len(chunk) >= batch:
                written += await _apply(sessions, chunk)
                chunk = []
        written += await _apply(sessions, chunk)
    finally:
        await engine.dispose()
    return written


async def _apply(sessions: Any, chunk: list[Any]) -> int:
    from datetime import UTC, datetime

    outcome = await apply_batch(
        uow=UnitOfWork(sessions), topic="direct", records=chunk, consumed={}, changed_at=datetime.now(UTC)
    )
    return outcome.upserted
