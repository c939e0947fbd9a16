"""Every rollup rule on the tiny literal hierarchy, through the pure fold (narrated in `scenarios.py`)."""

from __future__ import annotations

import pytest

from dantoc_aggregate.domain.catalog_rules import CatalogRules
from tests.support.aggregate.literals import view
from tests.support.aggregate.memory import MemoryAggregator
from tests.support.aggregate.scenarios import SCENARIOS, Scenario, check


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
