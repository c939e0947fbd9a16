"""The state cache: least recently used out first, re-used states are the same objects."""

from __future__ import annotations

from dantoc_aggregate.domain.keys import ALL_TOTALS
from dantoc_aggregate.domain.state import AggregateState
from dantoc_aggregate.usecases.cache import StateCache
from dantoc_contracts.catalog import Aggregation


def state(unit: str) -> AggregateState:
    return AggregateState("0601", unit, "2024", ALL_TOTALS, Aggregation.SUM)


def test_least_recently_used_are_evicted() -> None:
    cache = StateCache(capacity=10)
    # Twelve states kept: the two oldest, plus a tenth of the capacity, are evicted.
    cache.keep(state(f"{i:05d}") for i in range(12))
    assert len(cache) == 9
    found, missing = cache.split([("0601", "00000", "2024", ALL_TOTALS), ("0601", "00011", "2024", ALL_TOTALS)])
    assert missing == [("0601", "00000", "2024", ALL_TOTALS)]
    assert list(found) == [("0601", "00011", "2024", ALL_TOTALS)]
    # A state just used is the most recent: it survives the next eviction.
    found, _ = cache.split([("0601", "00003", "2024", ALL_TOTALS)])
    cache.keep(state(f"{i:05d}") for i in range(20, 23))
    assert cache.split([("0601", "00003", "2024", ALL_TOTALS)])[0]
    cache.clear()
    assert len(cache) == 0
