"""What the aggregates topic says, as the read model needs it: addresses, facts, and which record wins."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from dantoc_contracts.aggregates import AggregateChanged, split_aggregate_key
from dantoc_contracts.codes import TOTAL, EthnicCodeList, EthnicGroupRef

CELL_DIMENSIONS = ("ethnic_group", "sex", "age_group", "residence")


@dataclass(frozen=True)
class Address:
    """Where an aggregate lives: indicator × unit × period × cell (`_T` = total over a dimension)."""

    key: str
    indicator: str
    unit_code: str
    period: str
    ethnic_group: str
    sex: str
    age_group: str
    residence: str

    @property
    def group_code(self) -> str:
        return self.indicator[:2]


def parse_key(key: str) -> Address:
    """Read an aggregate key `indicator|unit|period|LIST:ethnic|sex|age|residence` (ethnic kept list-qualified)."""
    return Address(key, *split_aggregate_key(key))


def canonical_ethnic(ethnic_key: str, to_canonical: Callable[[EthnicGroupRef], EthnicGroupRef | None]) -> str:
    """`GSO1979:08` → `08`; a GSO 2008 code goes through the crosswalk; totals stay `_T`; unknown stays qualified."""
    if ethnic_key == TOTAL:
        return TOTAL
    list_id, _, code = ethnic_key.partition(":")
    if list_id == EthnicCodeList.GSO_1979.value:
        return code
    if list_id == EthnicCodeList.GSO_2008.value and len(code) == 2 and code.isdigit():
        found = to_canonical(EthnicGroupRef(code_list=EthnicCodeList.GSO_2008, code=code))
        if found is not None:
            return found.code
    return ethnic_key


def address_of(
    key: str, message: AggregateChanged | None, to_canonical: Callable[[EthnicGroupRef], EthnicGroupRef | None]
) -> Address:
    """The address a record names: from its key, checked against the message when there is one."""
    address = parse_key(key)
    if message is not None:
        said = (message.indicator, message.unit_code, message.period, message.disaggregation.key())
        if said != (address.indicator, address.unit_code, address.period, key.split("|", 3)[3]):
            raise ValueError(f"key {key!r} does not match the message it carries")
    return replace(address, ethnic_group=canonical_ethnic(address.ethnic_group, to_canonical))


@dataclass(frozen=True)
class Fact:
    """The content of an AggregateChanged, flattened for storage."""

    unit_level: str
    aggregation: str
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    count: int
    completeness: tuple[int, int, int, int] | None  # expected, reported, no_data, silent
    newest_accepted_at: datetime | None
    computed_at: datetime

    @classmethod
    def of(cls, message: AggregateChanged) -> Fact:
        done = message.completeness
        return cls(
            unit_level=message.unit_level.value,
            aggregation=message.aggregation.value,
            value=message.value,
            numerator=message.numerator,
            denominator=message.denominator,
            count=message.count,
            completeness=None if done is None else (done.expected, done.reported, done.no_data, done.silent),
            newest_accepted_at=message.newest_accepted_at,
            computed_at=message.computed_at,
        )


@dataclass(frozen=True)
class FeedRecord:
    """One record of the aggregates topic: a fact, or a tombstone (fact None)."""

    partition: int
    offset: int
    address: Address
    fact: Fact | None
    correlation_id: str | None = None  # the envelope's: the submission id of the newest contribution


@dataclass(frozen=True)
class Stored:
    """What the read model holds for a key: the row's version, or a deletion's offset."""

    computed_at: datetime | None  # None for a deletion
    offset: int


def wins(record: FeedRecord, stored: Stored | None) -> bool:
    """Keep the newest: a fact by (computed_at, offset), a tombstone by offset; a replayed record never wins."""
    if stored is None:
        return True
    if record.fact is None or stored.computed_at is None:
        return record.offset > stored.offset
    return (record.fact.computed_at, record.offset) > (stored.computed_at, stored.offset)


def newest_per_key(records: list[FeedRecord]) -> dict[str, FeedRecord]:
    """Within one batch, the winning record of each key (records arrive in offset order per partition)."""
    chosen: dict[str, FeedRecord] = {}
    for record in records:
        key = record.address.key
        current = chosen.get(key)
        if current is None or wins(record, _as_stored(current)):
            chosen[key] = record
    return chosen


def _as_stored(record: FeedRecord) -> Stored:
    return Stored(None if record.fact is None else record.fact.computed_at, record.offset)
