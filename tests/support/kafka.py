"""Kafka helpers for tests: per-test topic namespaces and bounded reads of a topic."""

from __future__ import annotations

import asyncio
import importlib.util
import time
import uuid
from collections.abc import Callable
from types import ModuleType
from typing import Any

from aiokafka import AIOKafkaConsumer, ConsumerRecord

from tests.support.infra import REPO


def _topics_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dantoc_deploy_topics", REPO / "deploy/kafka/topics.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def create_namespace(bootstrap: str) -> str:
    """Create all topics under a fresh namespace and return it (each test gets its own topics)."""
    namespace = f"t{uuid.uuid4().hex[:10]}"
    await _topics_module().ensure_topics(bootstrap, namespace)
    return namespace


async def read_topic(
    bootstrap: str,
    topic: str,
    *,
    until: Callable[[list[ConsumerRecord[Any, Any]]], bool],
    timeout: float = 30.0,
) -> list[ConsumerRecord[Any, Any]]:
    """Read `topic` from the beginning until `until(records)` holds; fail after `timeout` seconds."""
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", enable_auto_commit=False, group_id=None
    )
    await consumer.start()
    records: list[ConsumerRecord[Any, Any]] = []
    deadline = time.monotonic() + timeout
    try:
        while not until(records):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"{topic}: condition not met after {timeout}s with {len(records)} records")
            batch = await consumer.getmany(timeout_ms=int(min(remaining, 1.0) * 1000))
            for partition_records in batch.values():
                records.extend(partition_records)
        return records
    finally:
        await consumer.stop()


async def eventually(check: Callable[[], Any], *, timeout: float = 30.0, interval: float = 0.1) -> Any:
    """Poll an async or sync `check` until it returns a truthy value; fail with its last result after `timeout`."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = check()
        if asyncio.iscoroutine(last):
            last = await last
        if last:
            return last
        await asyncio.sleep(interval)
    raise TimeoutError(f"condition not met after {timeout}s (last: {last!r})")
