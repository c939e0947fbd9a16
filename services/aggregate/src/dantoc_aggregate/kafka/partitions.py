"""Partitions of a topic for manual assignment (metadata can lag behind a just-created topic: wait for it)."""

from __future__ import annotations

import asyncio
import time

from aiokafka import AIOKafkaConsumer, TopicPartition


async def topic_partitions(consumer: AIOKafkaConsumer, topic: str, wait_seconds: float = 30.0) -> list[TopicPartition]:
    """Every partition of `topic`, from fresh cluster metadata; raises after `wait_seconds` if the topic is missing."""
    deadline = time.monotonic() + wait_seconds
    while True:
        cluster = await consumer._client.fetch_all_metadata()  # the public partitions_for_topic reads a stale cache
        found = cluster.partitions_for_topic(topic)
        if found:
            return [TopicPartition(topic, p) for p in sorted(found)]
        if time.monotonic() > deadline:
            raise RuntimeError(f"topic {topic} does not exist (create it with deploy/kafka/topics.py)")
        await asyncio.sleep(0.5)
