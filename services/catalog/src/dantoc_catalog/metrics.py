"""Prometheus metrics of the catalog service, in its own registry (never the global default one).

`kafka` drives FastStream's own Kafka metric classes (the ones `KafkaPrometheusMiddleware` uses) on this registry:
the catalog publishes with aiokafka directly (snapshot, then the outbox), so the middleware cannot wrap it, but the
series are the same: `faststream_published_messages_total{app_name="dantoc-catalog",broker="kafka",
destination=<topic>,status}`, `faststream_published_messages_duration_seconds`, ...
"""

from __future__ import annotations

from dataclasses import dataclass, field

from faststream.prometheus.container import MetricsContainer
from faststream.prometheus.manager import MetricsManager
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from dantoc_contracts.quarantine import QUARANTINED_METRIC

APP_NAME = "dantoc-catalog"


@dataclass
class CatalogMetrics:
    registry: CollectorRegistry = field(default_factory=CollectorRegistry)

    def __post_init__(self) -> None:
        r = self.registry
        self.records_published = Counter(
            "dantoc_catalog_records_published",
            "Catalog records published to the topic, by origin.",
            ["origin"],
            registry=r,
        )
        self.outbox_backlog = Gauge("dantoc_catalog_outbox_backlog", "Outbox messages not yet published.", registry=r)
        self.startup_publish_seconds = Gauge(
            "dantoc_catalog_startup_publish_seconds", "Time taken to publish the whole catalog at start-up.", registry=r
        )
        self.publish_errors = Counter(
            "dantoc_catalog_publish_errors", "Failed attempts to publish to Kafka.", registry=r
        )
        self.quarantined = Counter(  # the name every service uses, so one alert covers them all
            QUARANTINED_METRIC,
            "Records set aside by the quarantine rule (parked and dead-lettered).",
            ["service", "consumer", "topic"],
            registry=r,
        )
        self.dead_lettered = Counter(
            "dantoc_catalog_dead_lettered", "Dead-letter events published for parked records.", registry=r
        )
        self.imports = Counter(
            "dantoc_catalog_imports",
            "Catalogue imports by outcome (accepted, rejected, dry_run).",
            ["outcome"],
            registry=r,
        )
        self.http_latency = Histogram(
            "dantoc_catalog_http_request_duration_seconds",
            "HTTP request latency by route template, method and status.",
            ["route", "method", "status"],
            registry=r,
        )
        container = MetricsContainer(r, metrics_prefix="faststream", custom_label_names=())
        self.kafka = MetricsManager(container, app_name=APP_NAME)
