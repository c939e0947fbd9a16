"""Thin Kafka handlers: raw accepted-value records → contract messages; unreadable ones → dead letters."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from dantoc_contracts import topics
from dantoc_contracts.envelope import Envelope
from dantoc_contracts.messages import adapter
from dantoc_contracts.values import MessageDeadLettered, ValuesAccepted

_VALUES = adapter(topics.VALUES_ACCEPTED.name)


@dataclass(slots=True)
class Decoded:
    messages: list[ValuesAccepted] = field(default_factory=list)
    dead: list[MessageDeadLettered] = field(default_factory=list)


def decode_records(records: list[Any], consumer: str) -> Decoded:
    """Parse each record's envelope; a record that does not parse is kept as a dead letter with its bytes."""
    decoded = Decoded()
    for record in records:
        try:
            envelope: Envelope[ValuesAccepted] = _VALUES.validate_json(record.value)
        except (ValidationError, TypeError) as error:
            decoded.dead.append(dead_letter(record, consumer, str(error)[:2000]))
            continue
        decoded.messages.append(envelope.payload)
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
