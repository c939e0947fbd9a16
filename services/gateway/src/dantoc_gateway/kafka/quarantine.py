"""The quarantine rule of the gateway's feeds, in one place (`dantoc_contracts.quarantine`).

A failure is transient (the broker or the database cannot be reached: the feed retries with backoff, nothing is
counted) or poison (the record cannot be decoded or applied). A poison record is tried `MAX_ATTEMPTS` times, then
parked: kept in `parked_records` with the position past it in the same transaction (group feeds), counted in
`dantoc_quarantined_records_total`, and dead-lettered after the commit (the parked rows are the outbox). The feed
goes on with the next record.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from dantoc_contracts.quarantine import Attempts, FailureKind, classify, error_class, reason_of
from dantoc_gateway.db import parked, repository
from dantoc_gateway.db.parked import Parked
from dantoc_gateway.db.uow import UnitOfWork
from dantoc_gateway.kafka.dead_letter import DeadLetters
from dantoc_gateway.metrics import GatewayMetrics

log = logging.getLogger(__name__)
SERVICE = "gateway"
_DRAIN_BATCH = 100
DRAIN_SECONDS = 5.0  # a broker away must not hold a feed: what is left waits for the next drain


class Quarantine:
    """Tries records, parks the poison ones and publishes their dead letters; one per feed (`consumer` names it)."""

    def __init__(
        self,
        *,
        sessions: Any,
        dead_letters: DeadLetters,
        metrics: GatewayMetrics,
        consumer: str,
        topic: str,
        drain_seconds: float = DRAIN_SECONDS,
    ) -> None:
        self._sessions, self._dead_letters, self._metrics = sessions, dead_letters, metrics
        self._drain_seconds = drain_seconds
        self.consumer, self._topic = consumer, topic
        self.attempts = Attempts()
        self.pending = True  # parked rows may wait from before a restart: drained when the feed starts
        metrics.quarantined.labels(SERVICE, consumer, topic)  # present (at 0) before the first

    async def attempt(self, record: Any, apply: Callable[[], Awaitable[None]]) -> bool:
        """Apply one record until it succeeds (True) or is parked after `MAX_ATTEMPTS` poison failures (False).

        A transient failure is raised: the caller backs off and rereads from the stored positions.
        """
        while True:
            try:
                await apply()
            except Exception as error:
                if classify(error) is FailureKind.TRANSIENT:
                    raise
                count = self.attempts.failed(record.topic, record.partition, record.offset)
                log.warning(
                    "record %s[%s]@%s failed (%d of %d): %s",
                    record.topic,
                    record.partition,
                    record.offset,
                    count,
                    self.attempts.limit,
                    error_class(error),
                    extra={"event": "record.failed", "topic": record.topic, "offset": record.offset},
                )
                if self.attempts.exhausted(record.topic, record.partition, record.offset):
                    await self.park(record, error, position=True)
                    return False
            else:
                self.attempts.forget(record.topic, record.partition, record.offset)
                return True

    async def park(self, record: Any, error: BaseException, *, position: bool) -> None:
        """Keep the record (and, when `position`, the position past it) in one transaction; then dead-letter it."""
        entry = Parked(
            topic=record.topic,
            partition=record.partition,
            offset=record.offset,
            key=record.key,
            value=record.value,
            reason=reason_of(error),
            error_class=error_class(error),
            consumer=self.consumer,
        )
        async with UnitOfWork(self._sessions) as uow:
            new = await parked.park(uow.session, entry)
            if position:
                await repository.save_positions(uow.session, record.topic, {record.partition: record.offset + 1})
            await uow.commit()
        self.attempts.forget(record.topic, record.partition, record.offset)
        self.pending = True
        if new:
            self._metrics.quarantined.labels(SERVICE, self.consumer, record.topic).inc()
            log.error(
                "parked %s[%s]@%s after %s",
                record.topic,
                record.partition,
                record.offset,
                entry.error_class,
                extra={
                    "event": "record.parked",
                    "topic": record.topic,
                    "partition": record.partition,
                    "offset": record.offset,
                    "consumer": self.consumer,
                    "error_class": entry.error_class,
                },
            )
        await self.drain()

    async def drain(self) -> None:
        """Publish the dead letters of parked rows not yet published (a broker away leaves them for next time)."""
        try:
            async with asyncio.timeout(self._drain_seconds), UnitOfWork(self._sessions) as uow:
                waiting = await parked.not_dead_lettered(uow.session, self.consumer, limit=_DRAIN_BATCH)
                for entry in waiting:
                    await self._dead_letters.send(entry)  # at least once: a crash before the commit sends again
                    self._metrics.dead_lettered.labels(entry.topic).inc()
                    assert entry.id is not None
                    await parked.mark_dead_lettered(uow.session, [entry.id])
                    await uow.commit()
            self.pending = len(waiting) == _DRAIN_BATCH  # more left: the next round goes on
        except Exception as error:
            self.pending = True
            log.warning(
                "dead letters not published yet: %s",
                error_class(error),
                extra={"event": "dead_letter.pending", "consumer": self.consumer},
            )
