"""Records no decoder could read go to the dead-letter topic with their raw bytes and the reason."""

from __future__ import annotations

import base64
import logging
from typing import Any

from aiokafka import AIOKafkaProducer

from dantoc_contracts import topics
from dantoc_contracts.envelope import Envelope
from dantoc_contracts.messages import encode
from dantoc_contracts.topics import topic_name
from dantoc_contracts.values import MessageDeadLettered
from dantoc_gateway.metrics import GatewayMetrics
from dantoc_gateway.streams.kafka_metrics import publishing

log = logging.getLogger(__name__)


class DeadLetters:
    """An idempotent producer to the dead-letter topic."""

    def __init__(self, *, bootstrap: str, namespace: str, consumer: str, metrics: GatewayMetrics) -> None:
        self._topic = topic_name(topics.DEAD_LETTER, namespace)
        self._consumer = consumer
        self._metrics = metrics
        self._producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True, acks="all")

    async def start(self) -> None:
        await self._producer.start()

    async def stop(self) -> None:
        await self._producer.stop()

    async def send(self, record: Any, reason: str) -> None:
        """Publish one unreadable record and wait for the broker's acknowledgement."""
        payload = MessageDeadLettered(
            source_topic=record.topic,
            partition=record.partition,
            offset=record.offset,
            key_b64=None if record.key is None else base64.b64encode(record.key).decode(),
            value_b64=base64.b64encode(record.value or b"").decode(),
            reason=reason,
            consumer=self._consumer,
        )
        envelope = Envelope[MessageDeadLettered](type=payload.kind, producer="gateway", payload=payload)
        with publishing(self._metrics.kafka, self._topic):
            await self._producer.send_and_wait(self._topic, encode(envelope), key=record.topic.encode())
        log.warning(
            "dead-lettered %s[%s]@%s: %s",
            record.topic,
            record.partition,
            record.offset,
            reason,
            extra={
                "event": "message.dead_lettered",
                "topic": record.topic,
                "partition": record.partition,
                "offset": record.offset,
                "reason": reason[:500],
            },
        )
