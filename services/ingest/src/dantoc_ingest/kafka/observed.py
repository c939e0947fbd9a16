"""FastStream's Kafka metrics around ingest's own aiokafka loops and producer: one call per batch, never per record.

The series are those `KafkaPrometheusMiddleware` would write (handler / destination = the topic's full name).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator, Sequence
from typing import Any

from faststream.prometheus.manager import MetricsManager
from faststream.prometheus.types import ProcessingStatus, PublishingStatus

BROKER = "kafka"


@contextlib.contextmanager
def consuming(kafka: MetricsManager, topic: str, records: Sequence[Any]) -> Iterator[None]:
    """Around the handling of one polled batch of `topic` (aiokafka records): received, size and in process on
    entry; on exit the duration, then `acked` (the body finished: applied, and committed where the loop commits)
    or `error` with the exception's type (it raised)."""
    amount = len(records)
    kafka.add_received_message(broker=BROKER, handler=topic, amount=amount)
    size = sum(len(record.value) for record in records if record.value is not None)
    kafka.observe_received_messages_size(broker=BROKER, handler=topic, size=size)
    kafka.add_received_message_in_process(broker=BROKER, handler=topic, amount=amount)
    started = time.perf_counter()
    try:
        yield
    except Exception as error:
        kafka.add_received_processed_message(broker=BROKER, handler=topic, status=ProcessingStatus.error, amount=amount)
        kafka.add_received_processed_message_exception(
            broker=BROKER, handler=topic, exception_type=type(error).__name__
        )
        raise
    else:
        kafka.add_received_processed_message(broker=BROKER, handler=topic, status=ProcessingStatus.acked, amount=amount)
    finally:
        kafka.observe_received_processed_message_duration(time.perf_counter() - started, broker=BROKER, handler=topic)
        kafka.remove_received_message_in_process(broker=BROKER, handler=topic, amount=amount)


def published(
    kafka: MetricsManager, topic: str, *, sent: int, errors: Sequence[BaseException] = (), seconds: float
) -> None:
    """One batch handed to the producer for `topic`: `sent` acknowledged, one error per message that failed."""
    if sent:
        kafka.add_published_message(broker=BROKER, destination=topic, status=PublishingStatus.success, amount=sent)
    if errors:
        kafka.add_published_message(broker=BROKER, destination=topic, status=PublishingStatus.error, amount=len(errors))
        for error in errors:
            kafka.add_published_message_exception(broker=BROKER, destination=topic, exception_type=type(error).__name__)
    kafka.observe_published_message_duration(seconds, broker=BROKER, destination=topic)
