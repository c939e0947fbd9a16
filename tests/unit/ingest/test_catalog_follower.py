"""The catalog follower folds catalog records (and tombstones) into its view; unreadable records are counted and
handed to `park` with their place, and the records after them are folded."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest

from dantoc_contracts.catalog import catalog_key
from dantoc_contracts.envelope import Envelope
from dantoc_contracts.messages import encode
from dantoc_ingest.kafka.catalog_follower import CatalogFollower
from dantoc_ingest.metrics import IngestMetrics
from dantoc_ingest.services.quarantine import Record
from tests.support.ingest.catalog import RECORDS


def test_records_tombstones_and_garbage() -> None:
    metrics = IngestMetrics()
    cache = CatalogFollower("unused:9092", "ns", metrics)
    for record in RECORDS:
        envelope: Envelope[Any] = Envelope(producer="test", type=record.kind, payload=record)
        cache.apply(catalog_key(record).encode(), encode(envelope))
    assert "0101" in cache.view.indicators
    assert cache.view.agencies["BDT-02"].scope_unit_code == "02"
    cache.apply(b"indicator|0101", None)  # a tombstone deletes
    assert "0101" not in cache.view.indicators
    with pytest.raises(ValueError, match="JSON"):
        cache.apply(b"indicator|0102", b"{not json")
    with pytest.raises(ValueError, match="without a key"):
        cache.apply(None, b"{}")
    assert cache.topic == "ns.dantoc.catalog.v1"
    assert not cache.ready


async def test_unreadable_records_are_parked_and_the_next_ones_folded() -> None:
    metrics = IngestMetrics()
    parked: list[tuple[Record, str]] = []

    async def park(record: Record, error: BaseException) -> None:
        parked.append((record, type(error).__name__))

    cache = CatalogFollower("unused:9092", "ns", metrics, park=park)
    good = RECORDS[0]
    envelope: Envelope[Any] = Envelope(producer="test", type=good.kind, payload=good)
    messages = [
        SimpleNamespace(topic="t", partition=0, offset=7, key=b"indicator|0102", value=b"{not json"),
        SimpleNamespace(topic="t", partition=0, offset=8, key=None, value=b"{}"),
        SimpleNamespace(topic="t", partition=0, offset=9, key=catalog_key(good).encode(), value=encode(envelope)),
    ]
    await cache._fold(messages)
    assert [(r.offset, r.key, name) for r, name in parked] == [
        (7, b"indicator|0102", "ValidationError"),
        (8, None, "ValueError"),
    ]
    assert catalog_key(good) in cache.view.records
    assert metrics.catalog_errors._value.get() == 2


async def test_the_reading_is_restarted_with_a_doubling_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    follower = CatalogFollower("unused:9092", "ns", IngestMetrics())
    pauses: list[float] = []

    async def failing() -> None:
        raise ConnectionError("broker down")

    async def sleep(seconds: float) -> None:
        pauses.append(seconds)
        if len(pauses) == 7:
            raise asyncio.CancelledError

    monkeypatch.setattr(follower, "_follow", failing)
    monkeypatch.setattr(asyncio, "sleep", sleep)
    with pytest.raises(asyncio.CancelledError):
        await follower.run()
    assert pauses == [1, 2, 4, 8, 16, 30, 30]
    assert follower.last_error == "builtins.ConnectionError"
    assert not follower.ready


async def test_start_and_stop() -> None:
    follower = CatalogFollower("127.0.0.1:1", "ns", IngestMetrics())
    follower.start()
    follower.start()  # idempotent
    await asyncio.sleep(0)
    await follower.stop()
    await follower.stop()
