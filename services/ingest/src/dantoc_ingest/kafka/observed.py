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


class Publishing:
    """What a `publishing` block reports: the messages of its batch that failed (the others succeeded)."""

    def __init__(self) -> None:
        self.errors: list[BaseException] = []

    def failed(self, error: BaseException) -> None:
        self.errors.append(error)


@contextlib.contextmanager
def publishing(
    kafka: MetricsManager, topic: str, amount: int = 1, *, since: float | None = None
) -> Iterator[Publishing]:
    """Around handing `amount` messages for `topic` to the producer and waiting for the broker: on exit `success`
    for those not reported through `failed(error)` and one `error` (with its type) per failure; all of them
    `error` when the body raises. The duration runs from `since` (a `time.perf_counter()`) when given."""
    started = time.perf_counter() if since is None else since
    outcome = Publishing()
    try:
        yield outcome
    except Exception as error:
        outcome.errors = [error] * amount
        raise
    finally:
        sent = max(amount - len(outcome.errors), 0)
        if sent:
            kafka.add_published_message(broker=BROKER, destination=topic, status=PublishingStatus.success, amount=sent)
        if outcome.errors:
            errors = outcome.errors
            kafka.add_published_message(
                broker=BROKER, destination=topic, status=PublishingStatus.error, amount=len(errors)
            )
            for failure in errors:
                kafka.add_published_message_exception(
                    broker=BROKER, destination=topic, exception_type=type(failure).__name__
                )
        kafka.observe_published_message_duration(time.perf_counter() - started, broker=BROKER, destination=topic)
