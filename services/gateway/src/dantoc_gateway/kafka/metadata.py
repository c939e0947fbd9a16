"""Partitions of a subscribed topic, once the consumer's metadata knows them (bounded wait)."""

from __future__ import annotations

import asyncio

from aiokafka import AIOKafkaConsumer, TopicPartition

METADATA_WAIT = 60.0


async def partitions_of(consumer: AIOKafkaConsumer, topic: str) -> list[TopicPartition]:
    """Every partition of `topic` (subscribing fetches its metadata); TimeoutError if it never appears."""
    async with asyncio.timeout(METADATA_WAIT):
        while (found := consumer.partitions_for_topic(topic)) is None:  # noqa: ASYNC110 (no metadata event to wait on)
            await asyncio.sleep(0.05)
    return [TopicPartition(topic, p) for p in sorted(found)]
