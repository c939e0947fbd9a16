"""Every rollup rule on the tiny literal hierarchy, through the pure fold (narrated in `scenarios.py`)."""

from __future__ import annotations

import pytest

from dantoc_aggregate.domain.catalog_rules import CatalogRules
from dantoc_aggregate.domain.keys import ALL_TOTALS
from tests.unit.aggregate.literals import view
from tests.unit.aggregate.memory import MemoryAggregator
from tests.unit.aggregate.scenarios import SCENARIOS, Scenario


def check(states: dict, scenario: Scenario) -> None:  # type: ignore[type-arg]
    expectations = len(scenario.values) + len(scenario.counts) + len(scenario.completeness) + len(scenario.absent)
    assert expectations, f"scenario {scenario.name!r} expects nothing: it would pass whatever the rollup does"
    for key, value in scenario.values.items():
        state = states.get(key)
        assert (state.value if state else None) == value, key
    for key, count in scenario.counts.items():
        assert states[key].count == count, key
    for (indicator, unit, period), (expected, reported, no_data) in scenario.completeness.items():
        state = states[(indicator, unit, period, ALL_TOTALS)]
        assert (state.expected, state.reported, state.no_data) == (expected, reported, no_data), (indicator, unit)
    for key in scenario.absent:
        assert key not in states, key


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_scenario(scenario: Scenario) -> None:
    aggregator = MemoryAggregator(CatalogRules(view()))
    for batch in scenario.batches:
        aggregator.apply(*batch)
    check(aggregator.states, scenario)


def test_same_result_whether_batched_or_one_by_one() -> None:
    for scenario in SCENARIOS:
        together, alone = MemoryAggregator(CatalogRules(view())), MemoryAggregator(CatalogRules(view()))
        together.apply(*[m for batch in scenario.batches for m in batch])
        for batch in scenario.batches:
            for message in batch:
                alone.apply(message)
        assert {k: s.value for k, s in together.states.items()} == {k: s.value for k, s in alone.states.items()}
