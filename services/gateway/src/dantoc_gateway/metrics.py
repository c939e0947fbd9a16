"""Prometheus metrics of the gateway, in the service's own registry.

Besides its domain and HTTP metrics, the registry holds FastStream's Kafka series (`faststream_*`, the classes
`KafkaPrometheusMiddleware` uses), driven by hand from every consume loop and producer (`kafka/observed.py`):
the feeds use aiokafka directly, because they commit only after the database, which the middleware cannot wrap.
"""

from __future__ import annotations

from faststream.prometheus.container import MetricsContainer
from faststream.prometheus.manager import MetricsManager
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from dantoc_contracts.quarantine import OFFSET_OUT_OF_RANGE_METRIC, QUARANTINED_METRIC

APP_NAME = "dantoc-gateway"


class GatewayMetrics:
    """Domain, HTTP and Kafka metrics; one instance per app."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.kafka = MetricsManager(
            MetricsContainer(r, metrics_prefix="faststream", custom_label_names=()), app_name=APP_NAME
        )
        self.lag = Gauge(
            "dantoc_gateway_readmodel_lag_messages",
            "Messages on the topic partition not yet applied to the read model.",
            ["topic", "partition"],
            registry=r,
        )
        self.offset_out_of_range = Gauge(
            OFFSET_OUT_OF_RANGE_METRIC,
            "1 when a feed stopped because its stored position lies outside the partition's log (never reset).",
            ["topic", "partition"],
            registry=r,
        )
        self.caught_up = Gauge(
            "dantoc_gateway_readmodel_caught_up",
            "1 once the feed has reached the end seen at start.",
            ["topic"],
            registry=r,
        )
        self.applied = Counter(
            "dantoc_gateway_aggregates_applied_total",
            "Aggregate records applied to the read model, by outcome.",
            ["outcome"],
            registry=r,
        )
        for outcome in ("upserted", "deleted", "skipped"):
            self.applied.labels(outcome)  # present (at 0) before the first batch
        self.agency_units = Counter(
            "dantoc_gateway_agency_units_added_total",
            "(agency, unit) pairs first seen on the accepted-values topic: what agency tokens may read.",
            registry=r,
        )
        self.catalog_records = Gauge("dantoc_gateway_catalog_records", "Records in the catalog view.", registry=r)
        self.dead_lettered = Counter(
            "dantoc_gateway_dead_lettered_total",
            "Dead-letter events published for parked records, by source topic.",
            ["topic"],
            registry=r,
        )
        self.quarantined = Counter(  # the name every service uses, so one alert covers them all
            QUARANTINED_METRIC,
            "Records set aside by the quarantine rule (parked and dead-lettered).",
            ["service", "consumer", "topic"],
            registry=r,
        )
        self.requests = Counter(
            "dantoc_gateway_http_requests_total", "HTTP requests by route and status.", ["route", "status"], registry=r
        )
        self.latency = Histogram(
            "dantoc_gateway_http_request_seconds",
            "HTTP request latency by route and status.",
            ["route", "status"],
            buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0),
            registry=r,
        )
        self.denials = Counter(
            "dantoc_gateway_access_denied_total", "Requests refused (401/403) by reason.", ["code"], registry=r
        )
        self.cache = Counter("dantoc_gateway_response_cache_total", "Response cache lookups.", ["result"], registry=r)
        self.completeness = Gauge(
            "dantoc_gateway_completeness_units",
            "Unit-indicator pairs of a province's latest yearly period by status.",
            ["province", "name", "period", "status"],
            registry=r,
        )
        self.exports = Counter("dantoc_gateway_exports_total", "Responses by format.", ["format"], registry=r)
