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
from faststream.prometheus.manager import MetricsManager

from dantoc_aggregate.domain.state import AggregateState
from dantoc_aggregate.kafka.events import PRODUCER, EventEncoder
from dantoc_aggregate.kafka.observed import publishing
from dantoc_contracts import topics
from dantoc_contracts.bounds import MAX_MESSAGE_BYTES
from dantoc_contracts.envelope import Envelope
from dantoc_contracts.messages import encode
from dantoc_contracts.values import MessageDeadLettered

RECORD_OVERHEAD = 1024
"""Bytes a record takes besides its key and value (headers, batch framing), rounded up."""
BATCH_BYTES = 1 << 20


def fits(key: bytes, value: bytes) -> bool:
    """Can one record of this key and value be sent at all (broker, topic and producer limits)?"""
    return len(key) + len(value) + RECORD_OVERHEAD <= MAX_MESSAGE_BYTES


def create_producer(bootstrap: str) -> AIOKafkaProducer:
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        enable_idempotence=True,
        acks="all",
        linger_ms=5,
        max_batch_size=BATCH_BYTES,
        max_request_size=MAX_MESSAGE_BYTES,
    )


class EventPublisher:
    """`publish` returns once the broker acknowledged every event (or raises). Each call is recorded in FastStream's
    Kafka metrics (`faststream_published_*`)."""

    def __init__(self, producer: AIOKafkaProducer, namespace: str, metrics: MetricsManager) -> None:
        self._producer, self._metrics = producer, metrics
        self.topic = topics.topic_name(topics.AGGREGATES, namespace)
        self._dead_topic = topics.topic_name(topics.DEAD_LETTER, namespace)
        self._partitions = 0
        self.refused: list[tuple[bytes, bytes]] = []  # events too large to publish: the pipeline parks them

    def take_refused(self) -> list[tuple[bytes, bytes]]:
        refused, self.refused = self.refused, []
        return refused

    async def publish(self, states: list[AggregateState]) -> int:
        if not states:
            return 0
        refused = len(self.refused)
        with publishing(self._metrics, self.topic, len(states)):
            await self._publish(states)
        return len(states) - (len(self.refused) - refused)

    async def _publish(self, states: list[AggregateState]) -> None:
        if not self._partitions:
            self._partitions = len(await self._producer.partitions_for(self.topic))
        encoder = EventEncoder(datetime.now(UTC))
        open_batches: dict[int, Any] = {}
        pending: list[asyncio.Future[Any]] = []
        for state in states:
            key, value = encoder.encode(state)
            if not fits(key, value):
                self.refused.append((key, value))
                continue
            partition = zlib.crc32(key) % self._partitions
            if len(key) + len(value) + RECORD_OVERHEAD > BATCH_BYTES:  # larger than a batch: sent on its own
                pending.append(await self._producer.send(self.topic, value, key=key, partition=partition))
                continue
            batch = open_batches.get(partition)
            if batch is None:
                batch = open_batches[partition] = self._producer.create_batch()
            if batch.append(key=key, value=value, timestamp=None) is None:  # full: send it, start another
                pending.append(await self._producer.send_batch(batch, self.topic, partition=partition))
                batch = open_batches[partition] = self._producer.create_batch()
                batch.append(key=key, value=value, timestamp=None)
        for partition, batch in open_batches.items():
            pending.append(await self._producer.send_batch(batch, self.topic, partition=partition))
        await asyncio.gather(*pending)

    async def dead_letters(self, letters: list[MessageDeadLettered]) -> None:
        if not letters:
            return
        with publishing(self._metrics, self._dead_topic, len(letters)):
            pending = []
            for letter in letters:
                envelope = Envelope[MessageDeadLettered](type=letter.kind, producer=PRODUCER, payload=letter)
                pending.append(
                    await self._producer.send(self._dead_topic, encode(envelope), key=letter.source_topic.encode())
                )
            await asyncio.gather(*pending)
