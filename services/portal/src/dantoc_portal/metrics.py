"""Prometheus metrics of the portal, on its own registry (served at /metrics)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.5, 5.0, 10.0)


class PortalMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.http_latency = Histogram(
            "dantoc_portal_http_request_seconds",
            "Time to answer a page or a form, by route template, method and status.",
            ["route", "method", "status"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.upstream_latency = Histogram(
            "dantoc_portal_upstream_seconds",
            "Time of the portal's calls to the other services, by service, method and status (error: no answer).",
            ["service", "method", "status"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.sign_ins = Counter(
            "dantoc_portal_sign_ins_total",
            "Sign-in attempts by outcome (success, bad_password, unknown_user, locked, disabled).",
            ["outcome"],
            registry=self.registry,
        )
        self.submissions = Counter(
            "dantoc_portal_submissions_total",
            "Data-entry saves and submissions sent to ingest, by kind (dry_run, submit, upload) and outcome.",
            ["kind", "outcome"],
            registry=self.registry,
        )
