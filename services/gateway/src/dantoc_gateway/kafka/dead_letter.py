"""The dead-letter producer: parked records' events (`dantoc_contracts.quarantine.dead_letter`) to their topic."""

from __future__ import annotations

import logging

from aiokafka import AIOKafkaProducer

from dantoc_contracts import topics
from dantoc_contracts.bounds import MAX_MESSAGE_BYTES
from dantoc_contracts.envelope import Envelope
from dantoc_contracts.messages import encode
from dantoc_contracts.topics import topic_name
from dantoc_contracts.values import MessageDeadLettered
from dantoc_gateway.db.parked import Parked
from dantoc_gateway.kafka.observed import publishing
from dantoc_gateway.metrics import GatewayMetrics

log = logging.getLogger(__name__)


class DeadLetters:
    """An idempotent producer to the dead-letter topic."""

    def __init__(self, *, bootstrap: str, namespace: str, metrics: GatewayMetrics) -> None:
        self._topic = topic_name(topics.DEAD_LETTER, namespace)
        self._metrics = metrics
        self._producer = AIOKafkaProducer(
            bootstrap_servers=bootstrap, enable_idempotence=True, acks="all", max_request_size=MAX_MESSAGE_BYTES
        )

    async def start(self) -> None:
        await self._producer.start()

    async def stop(self) -> None:
        await self._producer.stop()

    async def send(self, record: Parked) -> None:
        """Publish one parked record's dead letter and wait for the broker's acknowledgement."""
        payload = record.dead_letter()
        envelope = Envelope[MessageDeadLettered](type=payload.kind, producer="gateway", payload=payload)
        with publishing(self._metrics.kafka, self._topic):
            await self._producer.send_and_wait(self._topic, encode(envelope), key=record.topic.encode())
        log.warning(
            "dead-lettered %s[%s]@%s: %s",
            record.topic,
            record.partition,
            record.offset,
            record.error_class,
            extra={
                "event": "message.dead_lettered",
                "topic": record.topic,
                "partition": record.partition,
                "offset": record.offset,
                "consumer": record.consumer,
                "error_class": record.error_class,
            },
        )
