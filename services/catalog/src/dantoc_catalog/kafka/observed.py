"""FastStream's Kafka publishing metrics around the catalog's own aiokafka producer: one call per batch.

The series are those `KafkaPrometheusMiddleware` would write (destination = the topic's full name).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator

from faststream.prometheus.manager import MetricsManager
from faststream.prometheus.types import PublishingStatus

BROKER = "kafka"


@contextlib.contextmanager
def publishing(kafka: MetricsManager, topic: str, amount: int = 1) -> Iterator[None]:
    """Around sending a batch of `amount` messages to `topic` and waiting for the broker: `success` for all of
    them when the body finishes, `error` for all of them (and the exception's type) when it raises."""
    started = time.perf_counter()
    try:
        yield
    except Exception as error:
        kafka.add_published_message(broker=BROKER, destination=topic, status=PublishingStatus.error, amount=amount)
        kafka.add_published_message_exception(broker=BROKER, destination=topic, exception_type=type(error).__name__)
        raise
    else:
        kafka.add_published_message(broker=BROKER, destination=topic, status=PublishingStatus.success, amount=amount)
    finally:
        kafka.observe_published_message_duration(time.perf_counter() - started, broker=BROKER, destination=topic)
