"""The submission id trail in the logs: one `values.applied` line per applied `ValuesAccepted` message, one
`batch.applied` line per committed batch, and what could not be read.

Ingest logs `submission.accepted` and `values.published` with the same submission id, and every `AggregateChanged`
event this service publishes carries, as `correlation_id`, the submission id of the newest contribution to it:
together they follow a submission from the upload to the aggregates.
"""

from __future__ import annotations

import logging

from dantoc_aggregate.db.parked import Parked
from dantoc_aggregate.services.apply import BatchOutcome
from dantoc_aggregate.services.cells import AcceptedCells
from dantoc_contracts.quarantine import error_class

log = logging.getLogger("dantoc_aggregate.values")


def applied(topic: str, messages: list[AcceptedCells], outcome: BatchOutcome, duration: float) -> None:
    """After the commit of a batch: a line per message, and one for the batch."""
    if log.isEnabledFor(logging.INFO):
        for message in messages:
            log.info(
                "values applied",
                extra={
                    "event": "values.applied",
                    "submission_id": message.submission_id,
                    "unit_code": message.unit,
                    "period": message.period,
                    "count": len(message.cells),
                    "topic": topic,
                    "partition": message.partition,
                    "offset": message.offset,
                },
            )
        log.info(
            "batch applied",
            extra={
                "event": "batch.applied",
                "topic": topic,
                "count": len(messages),
                "values": outcome.applied,
                "stale": outcome.stale,
                "aggregates": len(outcome.changed),
                "batch": outcome.seq,
                "duration_ms": round(duration * 1000, 1),
            },
        )


def parked(records: list[Parked]) -> None:
    """A record set aside: where it came from and the class of the error (the reason is in the parked row)."""
    for record in records:
        log.warning(
            "record set aside (parked, dead-lettered after commit)",
            extra={
                "event": "values.parked",
                "topic": record.topic,
                "partition": record.partition,
                "offset": record.offset,
                "error": record.error_class,
            },
        )


def published(topic: str, outcome: BatchOutcome, duration: float) -> None:
    log.debug(
        "aggregates published",
        extra={
            "event": "aggregates.published",
            "topic": topic,
            "count": len(outcome.changed),
            "batch": outcome.seq,
            "duration_ms": round(duration * 1000, 1),
        },
    )


def poison(topic: str, error: BaseException) -> None:
    """A batch failed for what it holds: it is applied again record by record."""
    log.warning(
        "batch failed for what it holds: applying its records one by one",
        extra={"event": "batch.poison", "topic": topic, "error": error_class(error)},
    )
