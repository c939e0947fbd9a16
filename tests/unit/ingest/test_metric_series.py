"""Ingest's metrics: labelled counters start at 0 for every known label set (rates and ratios exist before the first
submission of each kind); the lag gauge has a series only for partitions a consumer holds."""

from __future__ import annotations

import pytest
from prometheus_client import generate_latest

from dantoc_contracts import topics
from dantoc_ingest.metrics import CHANNELS, DECISIONS, PUBLISHED_TOPICS, VALUE_OUTCOMES, IngestMetrics
from dantoc_ingest.services.reports import Status


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("outcome", DECISIONS)
def test_submissions_start_at_zero_for_every_channel_and_outcome(channel: str, outcome: str) -> None:
    metrics = IngestMetrics()
    labels = {"channel": channel, "outcome": outcome}
    assert metrics.registry.get_sample_value("dantoc_ingest_submissions_total", labels) == 0.0


def test_values_and_publications_start_at_zero() -> None:
    metrics = IngestMetrics()
    for outcome in VALUE_OUTCOMES:
        assert metrics.registry.get_sample_value("dantoc_ingest_values_total", {"outcome": outcome}) == 0.0
    for topic in PUBLISHED_TOPICS:
        assert metrics.registry.get_sample_value("dantoc_ingest_published_total", {"topic": topic}) == 0.0


def test_the_known_label_values_are_the_ones_ingest_writes() -> None:
    assert set(DECISIONS) == {status.value for status in Status} - {Status.RECEIVED.value}
    assert set(CHANNELS) == {"http", "file", "kafka"}  # a bulk counts as http
    assert set(PUBLISHED_TOPICS) == {
        topics.VALUES_ACCEPTED.name,
        topics.SUBMISSIONS_REJECTED.name,
        "dantoc.deadletter.v1",
    }


def test_apply_time_and_lag_are_declared_but_empty_before_any_work() -> None:
    metrics = IngestMetrics()
    text = generate_latest(metrics.registry).decode()
    assert "# TYPE dantoc_ingest_apply_seconds histogram" in text
    assert metrics.registry.get_sample_value("dantoc_ingest_apply_seconds_count") == 0.0
    assert "# TYPE dantoc_ingest_consumer_lag_messages gauge" in text
    assert "dantoc_ingest_consumer_lag_messages{" not in text  # no partition is held yet
    metrics.consumer_lag.labels("t", "0").set(4)
    assert metrics.registry.get_sample_value("dantoc_ingest_consumer_lag_messages", {"topic": "t", "partition": "0"})
