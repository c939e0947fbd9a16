"""Reading the accepted-values topic: who submitted for what, or a reason to dead-letter the record."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from dantoc_gateway.kafka.decoding import UnreadableRecord, decode_values
from tests.support.gateway.literal import COMPUTED
from tests.support.gateway.submitted import accepted, values_records


def unchecked(**fields: str) -> bytes | None:
    """An accepted-values record whose fields break the contract's bounds (as a hostile producer could write)."""
    good = accepted("UBNDX-00715", "00715", "2024", "s")
    return values_records([good.model_copy(update=fields)])[0][1]


def record(value: bytes | None, offset: int = 7) -> Any:
    return SimpleNamespace(topic="values", partition=1, offset=offset, key=b"00715", value=value)


def test_an_accepted_submission_names_agency_unit_period_and_submission() -> None:
    ((_, value),) = values_records([accepted("UBNDX-00715", "00715", "2024", "sub-1")])
    found = decode_values(record(value))
    assert (found.partition, found.offset, found.agency, found.unit_code, found.period) == (
        1,
        7,
        "UBNDX-00715",
        "00715",
        "2024",
    )
    assert (found.submission_id, found.accepted_at) == ("sub-1", COMPUTED)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (None, "without a value"),
        (b"{not json", "validation error"),
        (unchecked(agency="A" * 41), "agency"),
        (unchecked(agency=""), "agency"),
        (unchecked(submission_id="a b"), "submission_id"),
    ],
)
def test_what_cannot_be_read_is_refused_with_a_reason(value: bytes | None, reason: str) -> None:
    with pytest.raises(UnreadableRecord, match=reason):
        decode_values(record(value))
