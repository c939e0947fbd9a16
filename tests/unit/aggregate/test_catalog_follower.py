"""The catalog follower folds catalog records (and tombstones) into its view; unreadable records are handed to
`park` with their place and the records after them are folded; the reading restarts with a doubling backoff."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest

from dantoc_aggregate.db.parked import Parked
from dantoc_aggregate.kafka.catalog_follower import CatalogFollower
from dantoc_aggregate.metrics import AggregateMetrics
from dantoc_contracts.envelope import Envelope
from dantoc_contracts.messages import encode
from tests.support.aggregate.literals import records


def _record(offset: int, key: bytes | None, value: bytes | None) -> SimpleNamespace:
    return SimpleNamespace(topic="ns.dantoc.catalog.v1", partition=0, offset=offset, key=key, value=value)


def _encoded(record: Any) -> bytes:
    return encode(Envelope[Any](producer="test", type=record.kind, payload=record))


async def test_unreadable_records_are_parked_and_the_next_ones_folded() -> None:
    metrics = AggregateMetrics()
    parked: list[Parked] = []

    async def park(found: list[Parked]) -> None:
        parked.extend(found)

    follower = CatalogFollower("unused:9092", "ns", metrics, park=park)
    key, good = records()[0]
    await follower._fold(
        [
            _record(7, b"indicator|0102", b"{not json"),
            _record(8, None, b"{}"),
            _record(9, key.encode(), _encoded(good)),
        ]
    )
    assert [(p.offset, p.key, p.error_class) for p in parked] == [
        (7, b"indicator|0102", "pydantic_core.ValidationError"),
        (8, None, "builtins.ValueError"),
    ]
    assert key in follower.view.records
    assert metrics.catalog_records._value.get() == 1
    await follower._fold([_record(10, key.encode(), None)])  # a tombstone deletes
    assert key not in follower.view.records
    assert follower.topic == "ns.dantoc.catalog.v1"
    assert not follower.ready


async def test_a_record_that_cannot_be_parked_fails_the_poll() -> None:
    async def park(found: list[Parked]) -> None:
        raise ConnectionError("database down")

    follower = CatalogFollower("unused:9092", "ns", AggregateMetrics(), park=park)
    with pytest.raises(ConnectionError):
        await follower._fold([_record(7, b"indicator|0102", b"{not json")])


async def test_the_reading_is_restarted_with_a_doubling_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    follower = CatalogFollower("unused:9092", "ns", AggregateMetrics())
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
    follower = CatalogFollower("127.0.0.1:1", "ns", AggregateMetrics())
    follower.start()
    follower.start()  # idempotent
    await asyncio.sleep(0)
    await follower.stop()
    await follower.stop()
