"""The catalog cache folds catalog records (and tombstones) into its view; unreadable records are counted, skipped."""

from __future__ import annotations

from typing import Any

from dantoc_contracts.catalog import catalog_key
from dantoc_contracts.envelope import Envelope
from dantoc_contracts.messages import encode
from dantoc_ingest.kafka.catalog_cache import CatalogCache
from dantoc_ingest.metrics import IngestMetrics
from tests.unit.ingest.catalog import RECORDS


def test_records_tombstones_and_garbage() -> None:
    metrics = IngestMetrics()
    cache = CatalogCache("unused:9092", "ns", metrics)
    for record in RECORDS:
        envelope: Envelope[Any] = Envelope(producer="test", type=record.kind, payload=record)
        cache.apply(catalog_key(record).encode(), encode(envelope))
    assert "0101" in cache.view.indicators
    assert cache.view.agencies["BDT-02"].scope_unit_code == "02"
    cache.apply(b"indicator|0101", None)  # a tombstone deletes
    assert "0101" not in cache.view.indicators
    cache.apply(b"indicator|0102", b"{not json")
    cache.apply(None, b"{}")
    assert metrics.catalog_errors._value.get() == 2
    assert cache.topic == "ns.dantoc.catalog.v1"
    assert not cache.ready
