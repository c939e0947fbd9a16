"""Publishes aggregate events (and dead letters) with an idempotent producer, waiting for every acknowledgement.

Events are appended to per-partition record batches and sent batch by batch (far cheaper than one `send` per
event). The partition of a key is `crc32(key) mod partitions`: stable, so compaction keeps one event per key; this
service is the only producer of the topic.
"""

from __future__ import annotations

import asyncio
import zlib
from datetime import UTC, datetime
from typing import Any

from aiokafka import AIOKafkaProducer

from dantoc_aggregate.domain.state import AggregateState
from dantoc_aggregate.kafka.events import PRODUCER, EventEncoder
from dantoc_contracts import topics
from dantoc_contracts.envelope import Envelope
from dantoc_contracts.messages import encode
from dantoc_contracts.values import MessageDeadLettered


def create_producer(bootstrap: str) -> AIOKafkaProducer:
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        enable_idempotence=True,
        acks="all",
        linger_ms=5,
        max_batch_size=1 << 20,
        max_request_size=8 << 20,
    )


class EventPublisher:
    """`publish` returns once the broker acknowledged every event (or raises)."""

    def __init__(self, producer: AIOKafkaProducer, namespace: str) -> None:
        self._producer = producer
        self._topic = topics.topic_name(topics.AGGREGATES, namespace)
        self._dead_topic = topics.topic_name(topics.DEAD_LETTER, namespace)
        self._partitions = 0

    async def publish(self, states: list[AggregateState]) -> int:
        if not states:
            return 0
        if not self._partitions:
            self._partitions = len(await self._producer.partitions_for(self._topic))
        encoder = EventEncoder(datetime.now(UTC))
        open_batches: dict[int, Any] = {}
        pending: list[asyncio.Future[Any]] = []
        for state in states:
            key, value = encoder.encode(state)
            partition = zlib.crc32(key) % self._partitions
            batch = open_batches.get(partition)
            if batch is None:
                batch = open_batches[partition] = self._producer.create_batch()
            if batch.append(key=key, value=value, timestamp=None) is None:  # full: send it, start another
                pending.append(await self._producer.send_batch(batch, self._topic, partition=partition))
                batch = open_batches[partition] = self._producer.create_batch()
                batch.append(key=key, value=value, timestamp=None)
        for partition, batch in open_batches.items():
            pending.append(await self._producer.send_batch(batch, self._topic, partition=partition))
        await asyncio.gather(*pending)
        return len(states)

    async def dead_letters(self, letters: list[MessageDeadLettered]) -> None:
        pending = []
        for letter in letters:
            envelope = Envelope[MessageDeadLettered](type=letter.kind, producer=PRODUCER, payload=letter)
            pending.append(
                await self._producer.send(self._dead_topic, encode(envelope), key=letter.source_topic.encode())
            )
        if pending:
            await asyncio.gather(*pending)
