"""The quarantine rule for the catalog's one kind of loop, the relay to its topic (start-up snapshot and outbox).

A batch the broker refuses for a transient reason (unreachable, timeouts) is raised to the caller, which retries
with backoff and counts nothing. A batch refused for what it holds (a record too large, say) is sent again record
by record; a record still refused after `MAX_ATTEMPTS` tries is set aside: the caller parks it (parked table) in the
transaction that marks its outbox message sent, and after that commit its dead-letter event is published to the
dead-letter topic straight from the parked table (the catalog's outbox only feeds the catalog topic). The relay goes
on with the next record. `dantoc_quarantined_records_total{service="catalog",consumer="catalog-relay",topic}`
counts the records set aside.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from aiokafka import AIOKafkaProducer

from dantoc_catalog.db.parked import Parked, ParkedRecords
from dantoc_catalog.db.uow import UnitOfWorkFactory
from dantoc_catalog.kafka.observed import publishing
from dantoc_catalog.metrics import CatalogMetrics
from dantoc_contracts.envelope import Envelope
from dantoc_contracts.messages import encode
from dantoc_contracts.quarantine import MAX_ATTEMPTS, FailureKind, backoff_seconds, classify, error_class, reason_of
from dantoc_contracts.values import MessageDeadLettered

log = logging.getLogger(__name__)
SERVICE = "catalog"
CONSUMER = "catalog-relay"
SNAPSHOT = -1  # the `offset` of a parked start-up snapshot record (it has no outbox id)

Send = Callable[[Sequence[tuple[str, bytes | None]]], Awaitable[None]]


@dataclass(frozen=True)
class Outgoing:
    ref: int  # outbox id, or SNAPSHOT
    key: str
    value: bytes | None


@dataclass(frozen=True)
class Refused:
    message: Outgoing
    error: Exception


async def deliver(
    send: Send, messages: Sequence[Outgoing], *, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
) -> list[Refused]:
    """Send `messages` in order; returns those refused for what they are after MAX_ATTEMPTS tries each. Raises a
    transient failure (nothing is counted for it)."""
    try:
        await send([(m.key, m.value) for m in messages])
        return []
    except Exception as error:
        if classify(error) is FailureKind.TRANSIENT:
            raise
    refused: list[Refused] = []
    for message in messages:
        failure = await _alone(send, message, sleep)
        if failure is not None:
            refused.append(Refused(message, failure))
    return refused


async def _alone(send: Send, message: Outgoing, sleep: Callable[[float], Awaitable[None]]) -> Exception | None:
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            await send([(message.key, message.value)])
            return None
        except Exception as error:
            if classify(error) is FailureKind.TRANSIENT:
                raise
            if attempt == MAX_ATTEMPTS:
                return error
            await sleep(backoff_seconds(attempt))
    return None  # pragma: no cover - the loop returns


def parked_record(topic: str, refused: Refused) -> Parked:
    m = refused.message
    return Parked(
        topic=topic,
        partition=0,
        offset=m.ref,
        key=m.key.encode(),
        value=m.value,
        reason=reason_of(refused.error),
        error_class=error_class(refused.error),
        consumer=CONSUMER,
    )


async def park(parked: ParkedRecords, topic: str, refused: Sequence[Refused]) -> None:
    """Keep the refused records in the caller's transaction (which also moves the relay past them)."""
    for item in refused:
        await parked.park(parked_record(topic, item))


def counted(metrics: CatalogMetrics, topic: str, refused: Sequence[Refused]) -> None:
    """After the commit: count and log every record set aside (error class only, never its data)."""
    for item in refused:
        metrics.quarantined.labels(SERVICE, CONSUMER, topic).inc()
        log.error(
            "catalog record set aside",
            extra={
                "event": "catalog.record_parked",
                "topic": topic,
                "key": item.message.key,
                "outbox_id": item.message.ref,
                "error_class": error_class(item.error),
            },
        )


class DeadLetters:
    """Publishes the dead letters of parked rows not yet dead-lettered, with the relay's producer."""

    def __init__(
        self, *, producer: AIOKafkaProducer, topic: str, uow_factory: UnitOfWorkFactory, metrics: CatalogMetrics
    ) -> None:
        self._producer = producer
        self._topic = topic
        self._uow = uow_factory
        self._metrics = metrics

    async def flush(self) -> int:
        """Publish every pending dead letter and mark it; returns how many."""
        done = 0
        while True:
            async with self._uow() as uow:
                pending = await uow.parked.not_dead_lettered(50)
                for record in pending:
                    await self._send(record)
                await uow.parked.mark_dead_lettered([r.id for r in pending if r.id is not None])
                await uow.commit()
            done += len(pending)
            if len(pending) < 50:
                return done

    async def _send(self, record: Parked) -> None:
        payload = record.dead_letter()
        envelope = Envelope[MessageDeadLettered](type=payload.kind, producer=SERVICE, payload=payload)
        with publishing(self._metrics.kafka, self._topic, 1):
            await self._producer.send_and_wait(self._topic, encode(envelope), key=record.topic.encode())
        self._metrics.dead_lettered.inc()
        extra = {"event": "message.dead_lettered", "topic": record.topic, "offset": record.offset}
        log.warning("dead-lettered a catalog record", extra={**extra, "error_class": record.error_class})
