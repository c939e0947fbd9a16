"""The accepted-values use case: one consumed batch applied under the quarantine rule (issue 11), in one place.

A batch is applied in one committed transaction (`apply_batch`). A batch whose transaction fails because the
database or the broker cannot be reached raises (the consumer loop starts again from the stored offsets, with
backoff: `FailureKind.TRANSIENT`); a batch that fails for what it holds is applied again record by record, one
transaction each, and a record that still fails after `MAX_ATTEMPTS` is set aside: kept in the parked table in the
transaction that stores the offset past it, its dead-letter event published after the commit (the parked table is
the outbox), and the partition goes on. A record the contract cannot read is set aside at once, in its batch's
transaction.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from dantoc_aggregate.db import parked as parking
from dantoc_aggregate.db.leader import Fence, LostWriterLock
from dantoc_aggregate.db.parked import Parked
from dantoc_aggregate.db.uow import UnitOfWork
from dantoc_aggregate.domain.rules import Rules
from dantoc_aggregate.metrics import AggregateMetrics
from dantoc_aggregate.services import trail
from dantoc_aggregate.services.apply import BatchOutcome, apply_batch
from dantoc_aggregate.services.cache import StateCache
from dantoc_aggregate.services.cells import AcceptedCells
from dantoc_contracts.bounds import MAX_MESSAGE_BYTES
from dantoc_contracts.quarantine import Attempts, FailureKind, backoff_seconds, classify, error_class, reason_of
from dantoc_contracts.values import MessageDeadLettered

SERVICE = "aggregate"


class Record(Protocol):
    """A consumed record, as the broker gave it (aiokafka's `ConsumerRecord` is one)."""

    @property
    def topic(self) -> str: ...
    @property
    def partition(self) -> int: ...
    @property
    def offset(self) -> int: ...
    @property
    def key(self) -> bytes | None: ...
    @property
    def value(self) -> bytes | None: ...


class Outbound(Protocol):
    """What the use case publishes through: dead letters, and the events the publisher refused as too large."""

    topic: str

    async def dead_letters(self, letters: list[MessageDeadLettered]) -> None: ...

    def take_refused(self) -> list[tuple[bytes, bytes]]: ...


def parked(record: Record, consumer: str, error: BaseException) -> Parked:
    """A consumed record set aside for `error` (the contract's `dead_letter` is built from it after commit)."""
    return Parked(
        topic=record.topic,
        partition=record.partition,
        offset=record.offset,
        key=record.key,
        value=record.value,
        reason=reason_of(error),
        error_class=error_class(error),
        consumer=consumer,
    )


def is_poison(error: BaseException) -> bool:
    """Does the error come from what the batch holds (not from reaching a server, nor from a lost writer lock)?"""
    if isinstance(error, LostWriterLock | asyncio.CancelledError) or not isinstance(error, Exception):
        return False
    return classify(error) is FailureKind.POISON


class Batches:
    """Applies consumed batches for the writer; `fence` is set while this process is the elected writer."""

    def __init__(
        self,
        *,
        sessions: async_sessionmaker[AsyncSession],
        rules: Rules,
        topic: str,
        consumer: str,
        metrics: AggregateMetrics,
        cache: StateCache,
        outbound: Outbound | None,
    ) -> None:
        self.sessions, self.rules, self.topic, self.consumer = sessions, rules, topic, consumer
        self.metrics, self.cache, self.outbound = metrics, cache, outbound
        self.fence: Fence | None = None
        self.attempts = Attempts()
        self.published: int | None = None  # last batch published, not yet recorded in the database
        self._careful = False  # set after a failed batch: see `apply_batch`
        self._dead_letters_due = False

    async def apply(
        self,
        records: list[Record],
        messages: list[AcceptedCells],
        unreadable: list[Parked],
        next_offsets: dict[int, int],
    ) -> tuple[BatchOutcome, list[AcceptedCells]]:
        """One batch (decoded into `messages`, and `unreadable` records to set aside) committed with the offsets
        past it; returns the outcome and the messages applied. Raises when the database or the broker is out of
        reach (nothing of the batch is kept)."""
        published, self.published = self.published, None
        try:
            outcome = await self._transaction(messages, unreadable, next_offsets, published)
        except BaseException as error:
            self.cache.clear()  # its states were changed in place by a transaction that did not commit
            self._careful = True  # the batch is applied again, looking every aggregate up
            self.published = published if self.published is None else self.published
            if not is_poison(error):
                raise
            trail.poison(self.topic, error)
            outcome, messages = await self._one_by_one(records, messages, unreadable)
        self._careful = False
        self.metrics.values_applied.inc(outcome.applied)
        self.metrics.values_ignored.labels("stale").inc(outcome.stale)
        self.metrics.batches.inc()
        return outcome, messages

    async def _transaction(
        self,
        messages: list[AcceptedCells],
        unreadable: list[Parked],
        next_offsets: dict[int, int],
        published: int | None = None,
    ) -> BatchOutcome:
        """One committed transaction: fenced, the messages applied, the records set aside parked, offsets stored."""
        outcome = await apply_batch(
            uow=UnitOfWork(self.sessions),
            rules=self.rules,
            messages=messages,
            topic=self.topic,
            next_offsets=next_offsets,
            parked=unreadable,
            fence=self.fence,
            cache=self.cache,
            published_seq=published,
            careful=self._careful,
            steps=self.metrics.step,
        )
        self._quarantined(unreadable)
        return outcome

    async def _one_by_one(
        self, records: list[Record], messages: list[AcceptedCells], unreadable: list[Parked]
    ) -> tuple[BatchOutcome, list[AcceptedCells]]:
        """The batch again, one transaction per record in offset order; a record failing `MAX_ATTEMPTS` times for
        what it holds is parked (with the offset past it). Returns the merged outcome and the applied messages."""
        raw = {(record.partition, record.offset): record for record in records}
        items: list[tuple[int, int, AcceptedCells | Parked]] = [(m.partition, m.offset, m) for m in messages]
        items += [(p.partition, p.offset, p) for p in unreadable]
        items.sort(key=lambda item: (item[0], item[1]))
        total, changed, applied = BatchOutcome(seq=0), {}, []
        for partition, offset, item in items:
            offsets = {partition: offset + 1}
            if isinstance(item, Parked):
                outcome = await self._transaction([], [item], offsets)
            else:
                outcome = await self._attempt(item, raw[(partition, offset)], offsets)
                if outcome.applied or outcome.stale or outcome.changed:
                    applied.append(item)
            total.seq = max(total.seq, outcome.seq)
            total.applied += outcome.applied
            total.stale += outcome.stale
            for state in outcome.changed:  # the newest state of each aggregate is published
                changed[(state.indicator, state.unit, state.period, state.dkey)] = state
        total.changed = list(changed.values())
        return total, applied

    async def _attempt(self, message: AcceptedCells, record: Record, offsets: dict[int, int]) -> BatchOutcome:
        """Apply one message, up to `MAX_ATTEMPTS` times; then park it."""
        where = (record.topic, record.partition, record.offset)
        while True:
            try:
                outcome = await self._transaction([message], [], offsets)
            except BaseException as error:
                self.cache.clear()
                if not is_poison(error):
                    raise
                attempt = self.attempts.failed(*where)
                if not self.attempts.exhausted(*where):
                    await asyncio.sleep(backoff_seconds(attempt, base=0.1, cap=1.0))
                    continue
                self.attempts.forget(*where)
                return await self._transaction([], [parked(record, self.consumer, error)], offsets)
            self.attempts.forget(*where)
            return outcome

    def _quarantined(self, records: Sequence[Parked]) -> None:
        if not records:
            return
        trail.parked(list(records))
        for record in records:
            self.metrics.quarantined.labels(SERVICE, record.consumer, record.topic).inc()
        self.metrics.values_ignored.labels("unreadable").inc(sum(1 for record in records if record.topic == self.topic))
        self._dead_letters_due = True

    async def set_aside(self, records: list[Parked]) -> None:
        """The catalog follower's `park`: unreadable catalog records parked once each; their dead letters are
        published with the next batch (or when this process next becomes the writer)."""
        async with UnitOfWork(self.sessions) as uow:
            new = await parking.park_new(uow.conn, records)
            await uow.commit()
        self._quarantined(new)

    async def after_publication(self, seq: int) -> None:
        """After a batch's events went out: park what the publisher refused, publish the dead letters due."""
        await self.park_refused(seq)
        if self._dead_letters_due:
            await self.drain_dead_letters()

    async def park_refused(self, seq: int) -> None:
        """Park the events the publisher refused as too large (the partition -1 and the batch number say whence)."""
        if self.outbound is None:
            return
        refused = self.outbound.take_refused()
        if not refused:
            return
        consumer = f"{self.consumer}-publisher"
        records = [
            Parked(
                topic=self.outbound.topic,
                partition=-1,
                offset=seq,
                key=key,
                value=value,
                reason=f"event of {len(key) + len(value)} bytes: over the limit of {MAX_MESSAGE_BYTES} bytes",
                error_class="aiokafka.MessageSizeTooLargeError",
                consumer=consumer,
            )
            for key, value in refused
        ]
        async with UnitOfWork(self.sessions) as uow:
            await parking.park(uow.conn, records)
            await uow.commit()
        self._quarantined(records)
        await self.drain_dead_letters()

    async def drain_dead_letters(self) -> None:
        """After the commit that parked them: publish the dead-letter events of parked rows (the outbox)."""
        if self.outbound is None:
            return
        self._dead_letters_due = False
        while True:
            async with UnitOfWork(self.sessions) as uow:
                pending = await parking.not_dead_lettered(uow.conn)
            if not pending:
                return
            await self.outbound.dead_letters([record.dead_letter() for record in pending])
            async with UnitOfWork(self.sessions) as uow:
                await parking.mark_dead_lettered(uow.conn, [record.id for record in pending if record.id is not None])
                await uow.commit()
