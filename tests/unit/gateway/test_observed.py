"""FastStream's Kafka series, driven by hand around a batch and a publish, on the gateway's own registry."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from prometheus_client import generate_latest

from dantoc_gateway.kafka.observed import consuming, publishing
from dantoc_gateway.metrics import GatewayMetrics
from tests.support.gateway.scrape import sample

TOPIC = "dantoc.aggregates.v1"
HANDLER = {"app_name": "dantoc-gateway", "broker": "kafka", "handler": TOPIC}
DESTINATION = {"app_name": "dantoc-gateway", "broker": "kafka", "destination": "dantoc.deadletter.v1"}


def _text(metrics: GatewayMetrics) -> str:
    return generate_latest(metrics.registry).decode()


def test_a_handled_batch_is_received_sized_and_acked() -> None:
    metrics = GatewayMetrics()
    records = [SimpleNamespace(value=b"x" * 10), SimpleNamespace(value=None), SimpleNamespace(value=b"yy")]
    with consuming(metrics.kafka, TOPIC, records):
        assert sample(_text(metrics), "faststream_received_messages_in_process", **HANDLER) == 3
    text = _text(metrics)
    assert sample(text, "faststream_received_messages_total", **HANDLER) == 3
    assert sample(text, "faststream_received_messages_size_bytes_sum", **HANDLER) == 12
    assert sample(text, "faststream_received_processed_messages_total", status="acked", **HANDLER) == 3
    assert sample(text, "faststream_received_processed_messages_duration_seconds_count", **HANDLER) == 1
    assert sample(text, "faststream_received_messages_in_process", **HANDLER) == 0


def test_a_failed_batch_counts_as_error_with_its_exception() -> None:
    metrics = GatewayMetrics()
    with pytest.raises(OSError, match="database away"), consuming(metrics.kafka, TOPIC, [SimpleNamespace(value=b"x")]):
        raise OSError("database away")
    text = _text(metrics)
    assert sample(text, "faststream_received_processed_messages_total", status="error", **HANDLER) == 1
    assert sample(text, "faststream_received_processed_messages_total", status="acked", **HANDLER) is None
    assert (
        sample(text, "faststream_received_processed_messages_exceptions_total", exception_type="OSError", **HANDLER)
        == 1
    )
    assert sample(text, "faststream_received_messages_in_process", **HANDLER) == 0


def test_an_empty_poll_records_nothing() -> None:
    metrics = GatewayMetrics()
    with consuming(metrics.kafka, TOPIC, []):
        pass
    assert "faststream_received_messages_total{" not in _text(metrics)


def test_publishes_count_success_and_error() -> None:
    metrics = GatewayMetrics()
    with publishing(metrics.kafka, DESTINATION["destination"]):
        pass
    with pytest.raises(TimeoutError), publishing(metrics.kafka, DESTINATION["destination"]):
        raise TimeoutError
    text = _text(metrics)
    assert sample(text, "faststream_published_messages_total", status="success", **DESTINATION) == 1
    assert sample(text, "faststream_published_messages_total", status="error", **DESTINATION) == 1
    assert (
        sample(text, "faststream_published_messages_exceptions_total", exception_type="TimeoutError", **DESTINATION)
        == 1
    )
    assert sample(text, "faststream_published_messages_duration_seconds_count", **DESTINATION) == 2


def test_latency_is_labelled_by_route_and_status() -> None:
    metrics = GatewayMetrics()
    metrics.latency.labels("/v1/values", "403").observe(0.01)
    assert sample(_text(metrics), "dantoc_gateway_http_request_seconds_count", route="/v1/values", status="403") == 1
