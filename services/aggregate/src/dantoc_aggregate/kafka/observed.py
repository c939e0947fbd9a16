"""FastStream's Kafka series, recorded by hand around the aggregate's batches and its producer.

The same series `KafkaPrometheusMiddleware` writes (received, size, in process, processing duration and outcome,
published), with `handler` = the topic consumed and `destination` = the topic published to. One call per batch.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from faststream.prometheus.manager import MetricsManager
from faststream.prometheus.types import ProcessingStatus, PublishingStatus

BROKER = "kafka"


@contextmanager
def consuming(kafka: MetricsManager, topic: str, records: Sequence[Any]) -> Iterator[None]:
    """Around the handling of one batch: acked when the block ends (after the commit), error when it raises."""
    amount = len(records)
    if not amount:
        yield
        return
    kafka.add_received_message(amount=amount, broker=BROKER, handler=topic)
    kafka.observe_received_messages_size(size=sum(len(r.value or b"") for r in records), broker=BROKER, handler=topic)
    kafka.add_received_message_in_process(amount=amount, broker=BROKER, handler=topic)
    started = time.perf_counter()
    try:
        yield
    except Exception as error:
        kafka.add_received_processed_message(status=ProcessingStatus.error, amount=amount, broker=BROKER, handler=topic)
        kafka.add_received_processed_message_exception(
            exception_type=type(error).__name__, broker=BROKER, handler=topic
        )
        raise
    else:
        kafka.add_received_processed_message(status=ProcessingStatus.acked, amount=amount, broker=BROKER, handler=topic)
    finally:
        kafka.remove_received_message_in_process(amount=amount, broker=BROKER, handler=topic)
        kafka.observe_received_processed_message_duration(
            duration=time.perf_counter() - started, broker=BROKER, handler=topic
        )


@contextmanager
def publishing(kafka: MetricsManager, topic: str, amount: int = 1) -> Iterator[None]:
    """Around a publish that waits for the broker's acknowledgement."""
    started = time.perf_counter()
    try:
        yield
    except Exception as error:
        kafka.add_published_message(status=PublishingStatus.error, amount=amount, broker=BROKER, destination=topic)
        kafka.add_published_message_exception(exception_type=type(error).__name__, broker=BROKER, destination=topic)
        raise
    else:
        kafka.add_published_message(status=PublishingStatus.success, amount=amount, broker=BROKER, destination=topic)
    finally:
        kafka.observe_published_message_duration(
            duration=time.perf_counter() - started, broker=BROKER, destination=topic
        )
