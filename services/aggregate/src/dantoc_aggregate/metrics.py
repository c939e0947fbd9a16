"""Domain metrics and FastStream's Kafka metrics on the service's own registry (no global default registry)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator

from faststream.prometheus.container import MetricsContainer
from faststream.prometheus.manager import MetricsManager
from faststream.prometheus.types import ProcessingStatus, PublishingStatus
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from dantoc_contracts.quarantine import OFFSET_OUT_OF_RANGE_METRIC, QUARANTINED_METRIC

APP_NAME = "dantoc-aggregate"
BROKER = "kafka"
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
        self.kafka = KafkaMetrics(self.registry)


class KafkaMetrics:
    """FastStream's Kafka series (`faststream_received_*`, `faststream_published_*`), from the very classes its
    `KafkaPrometheusMiddleware` uses. The service's clients are plain aiokafka (manual commits after the database
    transaction), which the middleware cannot wrap, so they are recorded here: once per batch, never per record."""

    def __init__(self, registry: CollectorRegistry) -> None:
        container = MetricsContainer(registry, metrics_prefix="faststream", custom_label_names=())
        self.manager = MetricsManager(container, app_name=APP_NAME)

    @contextlib.contextmanager
    def consuming(self, topic: str, count: int, size: int) -> Iterator[None]:
        """Around the handling of one batch of `count` records (`size` bytes of values) of `topic`: acked when the
        block ends normally (after the commit that applied them), error when it raises."""
        manager = self.manager
        manager.add_received_message(broker=BROKER, handler=topic, amount=count)
        manager.observe_received_messages_size(broker=BROKER, handler=topic, size=size)
        manager.add_received_message_in_process(broker=BROKER, handler=topic, amount=count)
        status, started = ProcessingStatus.error, time.perf_counter()
        try:
            yield
            status = ProcessingStatus.acked
        except Exception as error:
            manager.add_received_processed_message_exception(
                broker=BROKER, handler=topic, exception_type=type(error).__name__
            )
            raise
        finally:
            manager.observe_received_processed_message_duration(
                time.perf_counter() - started, broker=BROKER, handler=topic
            )
            manager.remove_received_message_in_process(broker=BROKER, handler=topic, amount=count)
            manager.add_received_processed_message(broker=BROKER, handler=topic, status=status, amount=count)

    @contextlib.contextmanager
    def publishing(self, topic: str, count: int) -> Iterator[None]:
        """Around the publication of `count` messages to `topic`, until the broker acknowledged them all."""
        manager, status, started = self.manager, PublishingStatus.error, time.perf_counter()
        try:
            yield
            status = PublishingStatus.success
        except Exception as error:
            manager.add_published_message_exception(
                broker=BROKER, destination=topic, exception_type=type(error).__name__
            )
            raise
        finally:
            manager.observe_published_message_duration(time.perf_counter() - started, broker=BROKER, destination=topic)
            manager.add_published_message(broker=BROKER, destination=topic, status=status, amount=count)
