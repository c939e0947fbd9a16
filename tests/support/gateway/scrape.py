"""Reading a Prometheus text exposition (what GET /metrics answers) in the gateway's tests."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families


def sample(metrics: str, name: str, **labels: str) -> float | None:
    """The value of the sample `name` whose labels include `labels` (None when absent)."""
    for family in text_string_to_metric_families(metrics):
        for found in family.samples:
            if found.name == name and labels.items() <= found.labels.items():
                return float(found.value)
    return None
