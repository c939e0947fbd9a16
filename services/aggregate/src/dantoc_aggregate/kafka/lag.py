"""Consumer lag of the accepted-values topic: per assigned partition, high watermark − next offset to apply."""

from __future__ import annotations

from aiokafka import AIOKafkaConsumer
from prometheus_client import Gauge


async def record_lag(consumer: AIOKafkaConsumer, gauge: Gauge, applied: dict[int, int]) -> None:
    """Set the gauge from the high watermarks the last fetches brought (no request to the broker). `applied` is the
    next offset to apply per partition as stored with the aggregates (else the consumer's position); a partition
    not fetched yet has no high watermark and is left alone."""
    for tp in consumer.assignment():
        high = consumer.highwater(tp)
        if high is None:
            continue
        position = applied.get(tp.partition)
        if position is None:
            position = await consumer.position(tp)
        gauge.labels(tp.topic, str(tp.partition)).set(max(high - position, 0))
