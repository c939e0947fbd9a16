"""FastStream's publishing series on the catalog's registry, one call per batch sent."""

from __future__ import annotations

import pytest
from prometheus_client import generate_latest

from dantoc_catalog.kafka.observed import publishing
from dantoc_catalog.metrics import CatalogMetrics

TOPIC = "t1.dantoc.catalog.v1"
LABELS = {"app_name": "dantoc-catalog", "broker": "kafka", "destination": TOPIC}


def value(metrics: CatalogMetrics, name: str, **labels: str) -> float | None:
    return metrics.registry.get_sample_value(name, {**LABELS, **labels})


def test_a_batch_sent_counts_every_message_as_success() -> None:
    metrics = CatalogMetrics()
    with publishing(metrics.kafka, TOPIC, 24391):
        pass
    assert value(metrics, "faststream_published_messages_total", status="success") == 24391
    assert value(metrics, "faststream_published_messages_duration_seconds_count") == 1
    series = f'faststream_published_messages_total{{app_name="dantoc-catalog",broker="kafka",destination="{TOPIC}",'
    assert series in generate_latest(metrics.registry).decode()


def test_a_batch_that_fails_counts_every_message_as_error_and_the_exception_once() -> None:
    metrics = CatalogMetrics()
    with pytest.raises(TimeoutError), publishing(metrics.kafka, TOPIC, 3):
        raise TimeoutError
    assert value(metrics, "faststream_published_messages_total", status="error") == 3
    assert value(metrics, "faststream_published_messages_total", status="success") is None
    assert value(metrics, "faststream_published_messages_exceptions_total", exception_type="TimeoutError") == 1
    assert value(metrics, "faststream_published_messages_duration_seconds_count") == 1
