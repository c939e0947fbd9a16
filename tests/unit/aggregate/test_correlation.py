"""Every aggregate names the submission of its newest contribution in the batch that changed it (the events'
`correlation_id`), through the pure fold and the event encoding."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from dantoc_aggregate.domain.catalog_rules import CatalogRules
from dantoc_aggregate.domain.keys import ALL_TOTALS
from dantoc_aggregate.kafka.events import EventEncoder
from dantoc_contracts.values import ValuesAccepted
from tests.support.aggregate.literals import accepted, cell, dkey, view
from tests.support.aggregate.memory import MemoryAggregator

T0 = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)


def at(seconds: int, submission: str, message: ValuesAccepted) -> ValuesAccepted:
    return message.model_copy(update={"accepted_at": T0 + timedelta(seconds=seconds), "submission_id": submission})


def submission_of(aggregator: MemoryAggregator, indicator: str, unit: str, key: str = ALL_TOTALS) -> str | None:
    return aggregator.states[(indicator, unit, "2024", key)].newest_submission_id


def test_the_newest_contribution_of_the_batch_names_each_aggregate() -> None:
    aggregator = MemoryAggregator(CatalogRules(view()))
    # One batch: 00715 reports twice (a then c, the newest of the batch), 00718 once in between (b).
    aggregator.apply(
        at(1, "a", accepted("00715", "2024", cell("0601", 3, ethnic="02"))),
        at(2, "b", accepted("00718", "2024", cell("0601", 4, ethnic="03"))),
        at(3, "c", accepted("00715", "2024", cell("0601", 5, ethnic="03"))),
    )
    assert submission_of(aggregator, "0601", "VN") == "c"
    assert submission_of(aggregator, "0601", "00718") == "b"
    assert submission_of(aggregator, "0601", "026", dkey("03")) == "c"
    # A later batch: only what 00718's correction reaches takes its id; 00715's own aggregates keep theirs.
    aggregator.apply(at(4, "d", accepted("00718", "2024", cell("0601", 6, revision=2, ethnic="03"))))
    assert submission_of(aggregator, "0601", "VN") == "d"
    assert submission_of(aggregator, "0601", "00715") == "c"


def test_a_formula_follows_its_newest_side_and_the_event_carries_the_id() -> None:
    aggregator = MemoryAggregator(CatalogRules(view()))
    aggregator.apply(at(1, "population", accepted("00715", "2024", cell("0101", 50))))
    aggregator.apply(at(2, "households", accepted("00715", "2024", cell("0102", 200))))
    formula = aggregator.states[("0103", "VN", "2024", ALL_TOTALS)]
    assert formula.newest_submission_id == "households"
    _, value = EventEncoder(T0).encode(formula)
    assert json.loads(value)["correlation_id"] == "households"
