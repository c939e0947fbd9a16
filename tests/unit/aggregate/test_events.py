"""The hand-written event encoding is exactly the contract's envelope."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from dantoc_aggregate.domain.keys import ALL_TOTALS
from dantoc_aggregate.domain.state import AggregateState
from dantoc_aggregate.kafka.events import EventEncoder, encode_event
from dantoc_contracts import topics
from dantoc_contracts.aggregates import AggregateChanged, Completeness, aggregate_key
from dantoc_contracts.catalog import Aggregation
from dantoc_contracts.codes import UnitLevel
from dantoc_contracts.messages import adapter
from tests.support.aggregate.literals import dis, dkey

AT = datetime(2025, 3, 1, 8, 30, 15, 123456, tzinfo=UTC)


def _state(key: str, aggregation: Aggregation, **values: object) -> AggregateState:
    state = AggregateState("0101", "02", "2024", key, aggregation)
    for name, value in values.items():
        setattr(state, name, value)
    return state


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (
            _state(
                ALL_TOTALS,
                Aggregation.SUM,
                value=Decimal("1250.5"),
                count=3,
                reported=2,
                no_data=1,
                expected=5,
                newest_us=1_740_817_815_123_456,
                newest_submission_id="nộp-7f3a",
            ),
            {
                "disaggregation": dis(),
                "value": Decimal("1250.5"),
                "count": 3,
                "completeness": Completeness(expected=5, reported=2, no_data=1, silent=2),
                "newest_accepted_at": AT,
            },
        ),
        (
            _state(
                dkey("02", "1"),
                Aggregation.FORMULA,
                value=Decimal("25"),
                numerator=Decimal(1),
                denominator=Decimal(4),
                count=1,
            ),
            {
                "disaggregation": dis("02", "1"),
                "value": Decimal(25),
                "numerator": Decimal(1),
                "denominator": Decimal(4),
                "count": 1,
                "completeness": None,
                "newest_accepted_at": None,
            },
        ),
    ],
)
def test_encoded_event_is_the_contract_message(state: AggregateState, expected: dict[str, object]) -> None:
    key, value = encode_event(state, AT)
    fast_key, fast_value = EventEncoder(AT).encode(state)
    assert fast_key == key
    fast = adapter(topics.AGGREGATES.name).validate_json(fast_value)
    envelope = adapter(topics.AGGREGATES.name).validate_json(value)
    assert fast.model_dump(exclude={"message_id"}) == envelope.model_dump(exclude={"message_id"})
    want = AggregateChanged(
        indicator="0101",
        unit_code="02",
        unit_level=UnitLevel.PROVINCE,
        period="2024",
        aggregation=state.aggregation,
        computed_at=AT,
        **expected,
    )
    assert envelope.payload == want
    assert envelope.type == "AggregateChanged"
    assert envelope.correlation_id == fast.correlation_id == state.newest_submission_id
    assert key.decode() == aggregate_key("0101", "02", "2024", want.disaggregation)
