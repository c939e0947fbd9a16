"""Accepted-value records decoded: raw records → the use case's `AcceptedCells`; unreadable ones → parked.

The fast reader (`kafka.values_reader`) takes the messages it can vouch for; every other record is validated with
the contract's adapter, so a message the contract rejects is set aside whichever way it came.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from dantoc_aggregate.db.parked import Parked
from dantoc_aggregate.kafka.values_reader import read_accepted
from dantoc_aggregate.services.batches import parked
from dantoc_aggregate.services.cells import AcceptedCells, to_us
from dantoc_contracts import topics
from dantoc_contracts.envelope import Envelope
from dantoc_contracts.messages import adapter
from dantoc_contracts.values import ValuesAccepted

_VALUES = adapter(topics.VALUES_ACCEPTED.name)


@dataclass(slots=True)
class Decoded:
    messages: list[AcceptedCells] = field(default_factory=list)
    unreadable: list[Parked] = field(default_factory=list)


def from_message(message: ValuesAccepted) -> AcceptedCells:
    """The contract's message as the use case reads it ("no data" cells carry no value)."""
    cells = [
        (cell.indicator, cell.disaggregation.key(), None if cell.new.no_data else cell.new.value, cell.revision)
        for cell in message.changes
    ]
    return AcceptedCells(message.unit_code, message.period, to_us(message.accepted_at), cells, message.submission_id)


def decode_record(value: bytes | None) -> AcceptedCells:
    """One record's cells; raises `ValidationError` or `TypeError` when the contract rejects the bytes."""
    message = read_accepted(value)
    if message is None:
        envelope: Envelope[ValuesAccepted] = _VALUES.validate_json(value)  # type: ignore[arg-type]
        message = from_message(envelope.payload)
    return message


def decode_records(records: list[Any], consumer: str) -> Decoded:
    """Read each record's envelope (keeping its partition and offset); a record that does not validate is set aside
    at once (it can never be read: no attempt will change that), with its bytes and the reason."""
    decoded = Decoded()
    for record in records:
        try:
            message = decode_record(record.value)
        except (ValidationError, TypeError) as error:
            decoded.unreadable.append(parked(record, consumer, error))
            continue
        message.partition, message.offset = record.partition, record.offset
        decoded.messages.append(message)
    return decoded
