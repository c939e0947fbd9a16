"""Reading the aggregates topic: keys, canonical ethnic codes, and which record wins."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dantoc_gateway.domain.records import (
    Address,
    Fact,
    FeedRecord,
    Stored,
    address_of,
    canonical_ethnic,
    newest_per_key,
    parse_key,
    wins,
)
from tests.support.gateway.literal import aggregate, catalog_view, key_of

T1 = datetime(2025, 1, 1, tzinfo=UTC)
T2 = datetime(2025, 1, 2, tzinfo=UTC)


def test_parse_key_reads_the_seven_parts() -> None:
    address = parse_key("0401|02|2024|GSO1979:08|_T|_T|2")
    assert address == Address("0401|02|2024|GSO1979:08|_T|_T|2", "0401", "02", "2024", "GSO1979:08", "_T", "_T", "2")
    assert address.group_code == "04"


@pytest.mark.parametrize("key", ["0401|02|2024|_T|_T|_T", "0401||2024|_T|_T|_T|_T", "", "a|b|c|d|e|f|g|h"])
def test_parse_key_refuses_other_shapes(key: str) -> None:
    with pytest.raises(ValueError, match="not an aggregate key"):
        parse_key(key)


@pytest.mark.parametrize(
    ("ethnic", "canonical"),
    [("_T", "_T"), ("GSO1979:08", "08"), ("GSO2008:06", "04"), ("GSO2008:04", "06"), ("GSO2008:77", "GSO2008:77")],
)
def test_canonical_ethnic_translates_through_the_crosswalk(ethnic: str, canonical: str) -> None:
    assert canonical_ethnic(ethnic, catalog_view().canonical_ethnic) == canonical


def test_address_of_checks_the_key_against_the_message() -> None:
    message = aggregate("0401", "02", "2024", "1", ethnic="08")
    address = address_of(key_of(message), message, catalog_view().canonical_ethnic)
    assert (address.indicator, address.unit_code, address.ethnic_group) == ("0401", "02", "08")
    with pytest.raises(ValueError, match="does not match"):
        address_of("0401|04|2024|GSO1979:08|_T|_T|_T", message, catalog_view().canonical_ethnic)


def _record(offset: int, computed_at: datetime | None, key: str = "0401|02|2024|_T|_T|_T|_T") -> FeedRecord:
    fact = None
    if computed_at is not None:
        fact = Fact.of(aggregate("0401", "02", "2024", "1", computed_at=computed_at))
    return FeedRecord(partition=0, offset=offset, address=parse_key(key), fact=fact)


@pytest.mark.parametrize(
    ("record", "stored", "expected"),
    [
        (_record(5, T1), None, True),  # first sight
        (_record(5, T2), Stored(T1, 3), True),  # newer computation
        (_record(5, T1), Stored(T2, 3), False),  # an older computation arriving later never wins
        (_record(5, T1), Stored(T1, 3), True),  # same computation time: the later offset wins
        (_record(3, T1), Stored(T1, 3), False),  # a replay changes nothing
        (_record(6, None), Stored(T1, 3), True),  # tombstone after the row
        (_record(2, None), Stored(T1, 3), False),  # tombstone older than the row
        (_record(7, T1), Stored(None, 6), True),  # a fact after a deletion
        (_record(4, T2), Stored(None, 6), False),  # a replayed fact before the deletion stays deleted
    ],
)
def test_wins(record: FeedRecord, stored: Stored | None, expected: bool) -> None:
    assert wins(record, stored) is expected


def test_newest_per_key_within_a_batch() -> None:
    other = "0401|04|2024|_T|_T|_T|_T"
    chosen = newest_per_key([_record(1, T2), _record(2, T1), _record(3, T1, other), _record(4, None, other)])
    assert chosen["0401|02|2024|_T|_T|_T|_T"].offset == 1  # the later offset carried an older computation
    assert chosen[other].fact is None  # the tombstone came last
