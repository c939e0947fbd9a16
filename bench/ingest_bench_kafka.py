"""Kafka side of the ingest benchmark: topics, producing, and waiting for submissions to be published."""

from __future__ import annotations

import asyncio
import importlib.util
import time
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient

from dantoc_contracts import topics
from dantoc_contracts.envelope import Envelope
from dantoc_contracts.messages import encode

REPO = Path(__file__).resolve().parents[1]


def _topics_module() -> Any:
    spec = importlib.util.spec_from_file_location("deploy_topics", REPO / "deploy/kafka/topics.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def publish(bootstrap: str, topic: str, messages: list[tuple[bytes, bytes]]) -> float:
    """Produce (key, value) pairs with an idempotent acks=all producer; seconds taken."""
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, enable_idempotence=True, acks="all", linger_ms=5, max_request_size=8 * 1024 * 1024
    )
    await producer.start()
    try:
        started = time.perf_counter()
        futures = [await producer.send(topic, value, key=key) for key, value in messages]
        await asyncio.gather(*futures)
        return time.perf_counter() - started
    finally:
        await producer.stop()


async def count_until(bootstrap: str, topic: str, wanted: set[str], timeout: float) -> float:
    """Read `topic` from the start until every wanted submission id was seen; returns the monotonic time then."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=None,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        max_partition_fetch_bytes=8 * 1024 * 1024,
    )
    await consumer.start()
    missing, deadline = set(wanted), time.monotonic() + timeout
    try:
        while missing:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{len(missing)} of {len(wanted)} never published on {topic}")
            for records in (await consumer.getmany(timeout_ms=500)).values():
                for record in records:
                    missing.difference_update(_ids_in(record.value, missing))
        return time.monotonic()
    finally:
        await consumer.stop()


def _ids_in(value: bytes, candidates: set[str]) -> set[str]:
    marker = b'"submission_id":"'
    start = value.find(marker) + len(marker)
    found = value[start : value.find(b'"', start)].decode()
    return {found} & candidates


def kafka_messages(bodies: list[dict[str, Any]]) -> list[tuple[bytes, bytes]]:
    envelopes = (
        Envelope[Any](
            producer="bench", type="SubmissionRequested", payload={"kind": "SubmissionRequested", "submission": b}
        )
        for b in bodies
    )
    return [(b["unit_code"].encode(), encode(e)) for b, e in zip(bodies, envelopes, strict=True)]


async def remove_topics(bootstrap: str, *namespaces: str) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.delete_topics([topics.topic_name(spec, ns) for ns in namespaces for spec in topics.ALL_TOPICS])
    finally:
        await admin.close()


async def ensure_topics(bootstrap: str, namespace: str) -> None:
    await _topics_module().ensure_topics(bootstrap, namespace)
