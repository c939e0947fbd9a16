"""FastStream's Kafka series on ingest's registry, driven once per batch by the consume loops and the relay."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from prometheus_client import generate_latest

from dantoc_ingest.kafka.observed import consuming, publishing
from dantoc_ingest.metrics import IngestMetrics

TOPIC = "t1.dantoc.submissions.v1"
LABELS = {"app_name": "dantoc-ingest", "broker": "kafka", "handler": TOPIC}


@dataclass
class Record:
    value: bytes | None


def value(metrics: IngestMetrics, name: str, **labels: str) -> float | None:
    return metrics.registry.get_sample_value(name, labels)


def test_the_series_are_the_middlewares_under_the_services_app_name() -> None:
    metrics = IngestMetrics()
    with consuming(metrics.kafka, TOPIC, [Record(b"{}")]):
        pass
    text = generate_latest(metrics.registry).decode()
    assert (
        f'faststream_received_messages_total{{app_name="dantoc-ingest",broker="kafka",handler="{TOPIC}"}} 1.0' in text
    )
    for family in ("received_messages_size_bytes", "received_messages_in_process", "received_processed_messages"):
        assert f"# TYPE faststream_{family}" in text


def test_a_batch_handled_is_received_sized_and_acked_at_once() -> None:
    metrics = IngestMetrics()
    batch = [Record(b"abc"), Record(None), Record(b"defgh")]  # a tombstone has no bytes
    with consuming(metrics.kafka, TOPIC, batch):
        assert value(metrics, "faststream_received_messages_in_process", **LABELS) == 3
    assert value(metrics, "faststream_received_messages_total", **LABELS) == 3
    assert value(metrics, "faststream_received_messages_size_bytes_sum", **LABELS) == 8
    assert value(metrics, "faststream_received_messages_size_bytes_count", **LABELS) == 1  # one observation a batch
    assert value(metrics, "faststream_received_processed_messages_total", status="acked", **LABELS) == 3
    assert value(metrics, "faststream_received_processed_messages_duration_seconds_count", **LABELS) == 1
    assert value(metrics, "faststream_received_messages_in_process", **LABELS) == 0


def test_a_batch_that_fails_is_counted_as_error_with_the_exception_type() -> None:
    metrics = IngestMetrics()
    with pytest.raises(ConnectionError), consuming(metrics.kafka, TOPIC, [Record(b"x"), Record(b"y")]):
        raise ConnectionError("database went away")
    assert value(metrics, "faststream_received_processed_messages_total", status="error", **LABELS) == 2
    assert value(metrics, "faststream_received_processed_messages_total", status="acked", **LABELS) is None
    exceptions = "faststream_received_processed_messages_exceptions_total"
    assert value(metrics, exceptions, exception_type="ConnectionError", **LABELS) == 1
    assert value(metrics, "faststream_received_messages_in_process", **LABELS) == 0


@pytest.mark.parametrize(
    ("sent", "errors", "success", "error", "types"),
    [
        (5, [], 5, None, {}),
        (3, [TimeoutError(), TimeoutError()], 3, 2, {"TimeoutError": 2}),
        (0, [KeyError("x")], None, 1, {"KeyError": 1}),
    ],
)
def test_a_published_batch_counts_successes_and_errors(
    sent: int, errors: list[BaseException], success: float | None, error: float | None, types: dict[str, float]
) -> None:
    metrics = IngestMetrics()
    destination = {"app_name": "dantoc-ingest", "broker": "kafka", "destination": "t1.dantoc.values.accepted.v1"}
    with publishing(metrics.kafka, destination["destination"], sent + len(errors), since=0) as outcome:
        for failure in errors:
            outcome.failed(failure)
    assert value(metrics, "faststream_published_messages_total", status="success", **destination) == success
    assert value(metrics, "faststream_published_messages_total", status="error", **destination) == error
    for name, count in types.items():
        assert (
            value(metrics, "faststream_published_messages_exceptions_total", exception_type=name, **destination)
            == count
        )
    assert (value(metrics, "faststream_published_messages_duration_seconds_sum", **destination) or 0) > 0


def test_a_failed_publishing_block_counts_every_message_as_an_error() -> None:
    metrics = IngestMetrics()
    destination = {"app_name": "dantoc-ingest", "broker": "kafka", "destination": "t1.dantoc.values.accepted.v1"}
    with pytest.raises(TimeoutError), publishing(metrics.kafka, destination["destination"], 3):
        raise TimeoutError
    assert value(metrics, "faststream_published_messages_total", status="error", **destination) == 3
    assert value(metrics, "faststream_published_messages_total", status="success", **destination) is None
