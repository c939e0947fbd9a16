"""Consumer lag per assigned partition: the high watermark minus the consumer's position, as a gauge.

The watermark comes with every fetch response, so updating after each poll (empty ones included) keeps the value
fresh while the topic is idle. A partition taken away by a rebalance loses its series: it is another consumer's.
"""

from __future__ import annotations

from collections.abc import Iterable

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import IllegalStateError
from prometheus_client import Gauge


class ConsumerLag:
    def __init__(self, gauge: Gauge) -> None:
        self._gauge = gauge
        self._shown: set[TopicPartition] = set()

    async def update(self, consumer: AIOKafkaConsumer) -> None:
        """Set the lag of every assigned partition already fetched from (before that its watermark is unknown)."""
        self.forget(self._shown - consumer.assignment())
        for tp in consumer.assignment():
            if tp not in consumer.assignment():
                continue  # revoked while an earlier position was awaited
            highwater = consumer.highwater(tp)
            if highwater is None:
                continue
            try:
                position = await consumer.position(tp)
            except IllegalStateError:
                continue
            self._gauge.labels(tp.topic, str(tp.partition)).set(max(highwater - position, 0))
            self._shown.add(tp)

    def forget(self, partitions: Iterable[TopicPartition]) -> None:
        """Remove the series of partitions no longer assigned (revoked, or the consumer stopped)."""
        for tp in list(partitions):
            if tp in self._shown:
                self._shown.discard(tp)
                self._gauge.remove(tp.topic, str(tp.partition))

    def forget_all(self) -> None:
        self.forget(self._shown)
