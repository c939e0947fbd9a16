"""Thin Kafka handlers: raw accepted-value records → the use case's `AcceptedCells`; unreadable ones → dead letters.

The fast reader (`kafka.values_reader`) takes the messages it can vouch for; every other record is validated with
the contract's adapter, so a message the contract rejects is dead-lettered whichever way it came.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from dantoc_aggregate.kafka.values_reader import read_accepted
from dantoc_aggregate.usecases.cells import AcceptedCells, to_us
from dantoc_contracts import topics
from dantoc_contracts.envelope import Envelope
from dantoc_contracts.messages import adapter
from dantoc_contracts.values import MessageDeadLettered, ValuesAccepted

_VALUES = adapter(topics.VALUES_ACCEPTED.name)


@dataclass(slots=True)
class Decoded:
    messages: list[AcceptedCells] = field(default_factory=list)
    dead: list[MessageDeadLettered] = field(default_factory=list)


def from_message(message: ValuesAccepted) -> AcceptedCells:
    """The contract's message as the use case reads it ("no data" cells carry no value)."""
    cells = [
        (cell.indicator, cell.disaggregation.key(), None if cell.new.no_data else cell.new.value, cell.revision)
        for cell in message.changes
    ]
    return AcceptedCells(message.unit_code, message.period, to_us(message.accepted_at), cells, message.submission_id)


def decode_records(records: list[Any], consumer: str) -> Decoded:
    """Read each record's envelope (keeping its partition and offset); a record that does not validate is kept as a
    dead letter with its bytes."""
    decoded = Decoded()
    for record in records:
        message = read_accepted(record.value)
        if message is None:
            try:
                envelope: Envelope[ValuesAccepted] = _VALUES.validate_json(record.value)
            except (ValidationError, TypeError) as error:
                decoded.dead.append(dead_letter(record, consumer, str(error)[:2000]))
                continue
            message = from_message(envelope.payload)
        message.partition, message.offset = record.partition, record.offset
        decoded.messages.append(message)
    return decoded


def dead_letter(record: Any, consumer: str, reason: str) -> MessageDeadLettered:
    return MessageDeadLettered(
        source_topic=record.topic,
        partition=record.partition,
        offset=record.offset,
        key_b64=base64.b64encode(record.key).decode() if record.key else None,
        value_b64=base64.b64encode(record.value or b"").decode(),
        reason=reason,
        consumer=consumer,
    )
