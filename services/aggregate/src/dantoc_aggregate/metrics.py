"""Domain metrics and FastStream's Kafka metrics on the service's own registry (no global default registry)."""

from __future__ import annotations

from contextlib import AbstractContextManager

from faststream.prometheus.container import MetricsContainer
from faststream.prometheus.manager import MetricsManager
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from dantoc_contracts.quarantine import OFFSET_OUT_OF_RANGE_METRIC, QUARANTINED_METRIC

APP_NAME = "dantoc-aggregate"
STEP_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
FRESHNESS_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0)


class AggregateMetrics:
    """Counters of values applied and events published; freshness from acceptance to the published aggregates."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.values_applied = Counter(
            "dantoc_aggregate_values_applied", "Cell changes applied to the aggregates.", registry=self.registry
        )
        self.values_ignored = Counter(
            "dantoc_aggregate_values_ignored",
            "Cell changes not applied: `stale` (revision not newer than the stored one), `unreadable` message.",
            ["reason"],
            registry=self.registry,
        )
        self.events_published = Counter(
            "dantoc_aggregate_events_published", "AggregateChanged events published.", registry=self.registry
        )
        self.batches = Counter("dantoc_aggregate_batches", "Batches applied and committed.", registry=self.registry)
        self.batch_seconds = Histogram(
            "dantoc_aggregate_batch_seconds", "Time to apply, commit and publish one batch.", registry=self.registry
        )
        self.freshness = Histogram(
            "dantoc_aggregate_freshness_seconds",
            "From a submission's acceptance (ingest) to the publication of every aggregate it changed.",
            buckets=FRESHNESS_BUCKETS,
            registry=self.registry,
        )
        self.catalog_records = Counter(
            "dantoc_aggregate_catalog_records", "Catalog records folded into the cache.", registry=self.registry
        )
        self.pipeline_restarts = Counter(
            "dantoc_aggregate_pipeline_restarts", "Consumer loop restarts after an error.", registry=self.registry
        )
        self.consumer_lag = Gauge(
            "dantoc_aggregate_consumer_lag_messages",
            "Accepted-value messages not yet applied, per partition (high watermark − next offset to apply).",
            ["topic", "partition"],
            registry=self.registry,
        )
        self.is_writer = Gauge(
            "dantoc_aggregate_is_writer", "1 while this process holds the single-writer lock.", registry=self.registry
        )
        self.quarantined = Counter(
            QUARANTINED_METRIC,
            "Records set aside by the quarantine rule (parked and dead-lettered): one per record.",
            ["service", "consumer", "topic"],
            registry=self.registry,
        )
        self.transient_failures = Counter(
            "dantoc_aggregate_transient_failures",
            "Batches retried after the database or the broker could not be reached.",
            registry=self.registry,
        )
        self.offset_out_of_range = Gauge(
            OFFSET_OUT_OF_RANGE_METRIC,
            "1 when a stored offset lies outside the partition's log: the consumer stopped (fatal, needs an operator).",
            ["topic", "partition"],
            registry=self.registry,
        )
        self.step_seconds = Histogram(
            "dantoc_aggregate_step_seconds",
            "Wall time of each database step of a batch (`services.steps`): reads, recounts, writes, commit.",
            ["step"],
            buckets=STEP_BUCKETS,
            registry=self.registry,
        )
        container = MetricsContainer(self.registry, metrics_prefix="faststream", custom_label_names=())
        self.kafka = MetricsManager(container, app_name=APP_NAME)
        """FastStream's Kafka series, written through `kafka.observed` (the clients are plain aiokafka)."""

    def step(self, name: str) -> AbstractContextManager[object]:
        """Time one step of a batch into `dantoc_aggregate_step_seconds{step=name}` (a `services.steps.StepTimer`)."""
        return self.step_seconds.labels(name).time()
