"""Setting a record aside (issue 11's quarantine rule, `dantoc_contracts.quarantine`), in the caller's transaction.

A record that failed for what it holds is kept in `parked_records` (where it came from, its bytes, the reason and
the error class) and its dead-letter event is added to the outbox, so it reaches `dantoc.deadletter.v1` after the
commit, through the relay like every other event. The consumer advances its stored offset past the record in the
same transaction; the relay marks the outbox row set aside.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dantoc_contracts.quarantine import error_class, reason_of
from dantoc_ingest.db.models import ParkedRow
from dantoc_ingest.db.uow import UnitOfWork
from dantoc_ingest.metrics import IngestMetrics
from dantoc_ingest.services import events

SERVICE = "ingest"
RELAY = "dantoc-ingest-relay"
"""The `consumer` of outbox rows the relay set aside (their partition is -1 and their offset the outbox id)."""
CATALOG_FOLLOWER = "dantoc-ingest-catalog"
"""The `consumer` of catalog records the cache could not read (it has no group: it reads every partition)."""


@dataclass(frozen=True, slots=True)
class Record:
    """A record as it was read (or as the relay was to write it)."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None


def set_aside(uow: UnitOfWork, record: Record, *, reason: str, error: str, consumer: str, now: datetime) -> ParkedRow:
    """Park the record and add its dead-letter event to the outbox (the caller commits)."""
    row = ParkedRow(
        topic=record.topic,
        partition=record.partition,
        offset=record.offset,
        key=record.key,
        value=record.value,
        reason=reason,
        error_class=error,
        consumer=consumer,
        parked_at=now,
    )
    uow.repo.park(row)
    uow.repo.add_outbox(
        events.message_dead_lettered(
            topic=record.topic,
            partition=record.partition,
            offset=record.offset,
            key=record.key,
            value=record.value,
            reason=reason,
            consumer=consumer,
            now=now,
        )
    )
    return row


def describe(error: BaseException) -> tuple[str, str]:
    """The reason kept (class and message, bounded) and the class alone (what `/ready` and metrics may show)."""
    return reason_of(error), error_class(error)


def count(metrics: IngestMetrics, consumer: str, topic: str) -> None:
    metrics.quarantined.labels(SERVICE, consumer, topic).inc()
