"""The state cache: least recently used out first, re-used states are the same objects."""

from __future__ import annotations

from dantoc_aggregate.domain.keys import ALL_TOTALS
from dantoc_aggregate.domain.state import AggregateState
from dantoc_aggregate.services.cache import StateCache
from dantoc_contracts.catalog import Aggregation


def state(unit: str) -> AggregateState:
    return AggregateState("0601", unit, "2024", ALL_TOTALS, Aggregation.SUM)


def test_least_recently_used_are_evicted() -> None:
    cache = StateCache(capacity=10)
    # Twelve states kept: the two oldest, plus a tenth of the capacity, are evicted.
    cache.keep(state(f"{i:03d}") for i in range(12))
    assert len(cache) == 9
    found, missing = cache.split([("0601", "000", "2024", ALL_TOTALS), ("0601", "011", "2024", ALL_TOTALS)])
    assert missing == [("0601", "000", "2024", ALL_TOTALS)]
    assert list(found) == [("0601", "011", "2024", ALL_TOTALS)]
    # A state just used is the most recent: it survives the next eviction.
    found, _ = cache.split([("0601", "003", "2024", ALL_TOTALS)])
    cache.keep(state(f"{i:03d}") for i in range(20, 23))
    assert cache.split([("0601", "003", "2024", ALL_TOTALS)])[0]
    cache.clear()
    assert len(cache) == 0


def key(unit: str, dkey: str = ALL_TOTALS, indicator: str = "0601") -> tuple[str, str, str, str]:
    return (indicator, unit, "2024", dkey)


def test_keys_that_cannot_exist_are_not_looked_for() -> None:
    cache = StateCache(capacity=10)
    # Nothing known yet (no `upper` loaded): every key is looked for.
    assert cache.split([key("026"), key("00715")])[1] == [key("026"), key("00715")]
    # District 026 has stored aggregates for 0601, district 027 none: only 026's keys may exist.
    cache.upper = {("0601", "026", "2024")}
    assert cache.split([key("026"), key("027")])[1] == [key("026")]
    # A commune's own keys are always looked for here (see `services.existence`).
    assert cache.split([key("00715")])[1] == [key("00715")]
    # 027's first states are created (and kept): while they stay cached, a missing key of 027 does not exist.
    cache.keep([state("027")])
    assert cache.upper == {("0601", "026", "2024"), ("0601", "027", "2024")}
    assert cache.split([key("027", "_T|1|_T|_T")]) == ({}, [])
    # Once one of 027's states is evicted, its keys are looked for again.
    cache.keep(AggregateState("0601", f"{i:03d}", "2024", ALL_TOTALS, Aggregation.SUM) for i in range(100, 111))
    assert cache.split([key("027", "_T|1|_T|_T")])[1] == [key("027", "_T|1|_T|_T")]
    # A failed batch drops the states, but what is known to exist stays known.
    cache.clear()
    assert ("0601", "027", "2024") in (cache.upper or set())


def test_commune_states_are_not_kept() -> None:
    cache = StateCache(capacity=10)
    cache.keep([state("00715"), state("026")])
    assert len(cache) == 1
