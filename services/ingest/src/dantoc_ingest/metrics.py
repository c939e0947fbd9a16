"""Domain metrics of ingest, in the service's own registry (never the process-global default).

Labelled counters start with every known label set at 0, so rates and ratios have a series (and `rate()` a first
sample) before the first submission of each kind arrives.

`kafka` drives FastStream's own Kafka metric classes (the ones `KafkaPrometheusMiddleware` uses) on this registry:
ingest's consumers and relay use aiokafka directly (manual commits after the database's), so the middleware cannot
wrap them, but the series are the same: `faststream_received_messages_total{app_name="dantoc-ingest",
broker="kafka",handler=<topic>}`, `faststream_published_messages_total{...,destination=<topic>,status}`, ...
"""

from __future__ import annotations

from faststream.prometheus.container import MetricsContainer
from faststream.prometheus.manager import MetricsManager
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from dantoc_contracts import topics
from dantoc_contracts.quarantine import OFFSET_OUT_OF_RANGE_METRIC, QUARANTINED_METRIC

CHANNELS = ("http", "file", "kafka")  # a bulk arrives over HTTP: its submissions count as channel http
DECISIONS = ("accepted", "rejected")  # `received` is not a decision: it is counted once decided
VALUE_OUTCOMES = ("changed", "unchanged", "rejected")
PUBLISHED_TOPICS = (topics.VALUES_ACCEPTED.name, topics.SUBMISSIONS_REJECTED.name, topics.DEAD_LETTER.name)
APP_NAME = "dantoc-ingest"


class IngestMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.submissions = Counter(
            "dantoc_ingest_submissions",
            "Submissions decided, by channel and outcome.",
            ["channel", "outcome"],
            registry=r,
        )
        self.values = Counter(
            "dantoc_ingest_values",
            "Values of decided submissions, by outcome (changed, unchanged, rejected).",
            ["outcome"],
            registry=r,
        )
        self.problems = Counter("dantoc_ingest_problems", "Problems reported, by code.", ["code"], registry=r)
        self.check_seconds = Histogram(
            "dantoc_ingest_check_seconds",
            "Time to check one submission against the catalog.",
            registry=r,
            buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0),
        )
        self.apply_seconds = Histogram(
            "dantoc_ingest_apply_seconds",
            "Time to store one decided submission (transaction included).",
            registry=r,
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 5.0),
        )
        self.published = Counter(
            "dantoc_ingest_published", "Outbox messages published, by topic.", ["topic"], registry=r
        )
        self.outbox_pending = Gauge("dantoc_ingest_outbox_pending", "Outbox messages not yet published.", registry=r)
        self.relay_errors = Counter(
            "dantoc_ingest_relay_errors", "Failed publication attempts of the relay.", registry=r
        )
        self.dead_letters = Counter(
            "dantoc_ingest_dead_letters", "Input messages sent to the dead-letter topic.", registry=r
        )
        self.quarantined = Counter(
            QUARANTINED_METRIC,
            "Records set aside (parked and dead-lettered) after failing for what they hold, by consumer and topic.",
            ["service", "consumer", "topic"],
            registry=r,
        )
        self.offset_out_of_range = Gauge(
            OFFSET_OUT_OF_RANGE_METRIC,
            "1 when the consumer stopped because a stored offset lies outside the partition's log (never reset).",
            ["topic", "partition"],
            registry=r,
        )
        self.catalog_records = Gauge("dantoc_ingest_catalog_records", "Catalog records held in the cache.", registry=r)
        self.catalog_ready = Gauge("dantoc_ingest_catalog_ready", "1 when the catalog cache has caught up.", registry=r)
        self.catalog_errors = Counter(
            "dantoc_ingest_catalog_unreadable", "Catalog records that could not be read.", registry=r
        )
        self.consumer_lag = Gauge(
            "dantoc_ingest_consumer_lag_messages",
            "Messages of an assigned partition not yet decided (high watermark - position), by topic and partition.",
            ["topic", "partition"],
            registry=r,
        )
        container = MetricsContainer(r, metrics_prefix="faststream", custom_label_names=())
        self.kafka = MetricsManager(container, app_name=APP_NAME)
        self._start_at_zero()

    def _start_at_zero(self) -> None:
        for channel in CHANNELS:
            for decision in DECISIONS:
                self.submissions.labels(channel, decision)
        for outcome in VALUE_OUTCOMES:
            self.values.labels(outcome)
        for topic in PUBLISHED_TOPICS:
            self.published.labels(topic)
