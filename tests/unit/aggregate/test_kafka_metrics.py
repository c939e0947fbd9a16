"""FastStream's Kafka series, driven per batch: acked or error, with the exception type, and nothing left in process."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from prometheus_client import CollectorRegistry

from dantoc_aggregate.kafka.observed import consuming, publishing
from dantoc_aggregate.metrics import AggregateMetrics

LABELS = {"app_name": "dantoc-aggregate", "broker": "kafka", "handler": "ns.dantoc.values.accepted.v1"}


@dataclass
class Record:
    value: bytes | None


def value(registry: CollectorRegistry, name: str, **labels: str) -> float:
    found = registry.get_sample_value(name, labels)
    return 0.0 if found is None else found


def test_a_batch_is_counted_acked_or_error() -> None:
    metrics = AggregateMetrics()
    registry, kafka = metrics.registry, metrics.kafka
    with consuming(kafka, LABELS["handler"], [Record(b"x" * 400)] * 3):
        assert value(registry, "faststream_received_messages_in_process", **LABELS) == 3
    with pytest.raises(RuntimeError), consuming(kafka, LABELS["handler"], [Record(b"y" * 400)] * 2):
        raise RuntimeError("database gone")
    assert value(registry, "faststream_received_messages_total", **LABELS) == 5
    assert value(registry, "faststream_received_processed_messages_total", **LABELS, status="acked") == 3
    assert value(registry, "faststream_received_processed_messages_total", **LABELS, status="error") == 2
    assert (
        value(
            registry, "faststream_received_processed_messages_exceptions_total", **LABELS, exception_type="RuntimeError"
        )
        == 1
    )
    assert value(registry, "faststream_received_messages_in_process", **LABELS) == 0
    assert value(registry, "faststream_received_messages_size_bytes_sum", **LABELS) == 2000


def test_a_publication_is_counted_success_or_error() -> None:
    metrics = AggregateMetrics()
    registry, kafka = metrics.registry, metrics.kafka
    destination = {"app_name": "dantoc-aggregate", "broker": "kafka", "destination": "ns.dantoc.aggregates.v1"}
    with publishing(kafka, destination["destination"], 40):
        pass
    with pytest.raises(TimeoutError), publishing(kafka, destination["destination"], 7):
        raise TimeoutError
    assert value(registry, "faststream_published_messages_total", **destination, status="success") == 40
    assert value(registry, "faststream_published_messages_total", **destination, status="error") == 7
    assert (
        value(registry, "faststream_published_messages_exceptions_total", **destination, exception_type="TimeoutError")
        == 1
    )
    assert value(registry, "faststream_published_messages_duration_seconds_count", **destination) == 2
