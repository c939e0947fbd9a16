"""The outbox relay: publishes committed outbox rows in order and marks them sent.

The producer is idempotent with `acks=all`. A message handed to it is never abandoned: while the broker is away
the producer keeps retrying the same batch (same sequence numbers), so it is written once when the broker is back.
Only a crash between the broker's acknowledgement and the `sent_at` update can publish a row twice; its message
id is derived from its content, so consumers can drop the copy.

The quarantine rule: a row that cannot be delivered for what it is (too large for the producer or the broker, an
unknown topic name) is tried `MAX_ATTEMPTS` times, then set aside in the transaction that marks the batch sent:
parked (partition -1, offset = outbox id, consumer `dantoc-ingest-relay`), its dead-letter event added to the
outbox, and the row no longer pending; the relay goes on with the next rows, of every agency. A broker that
cannot be reached is retried with backoff, forever, and never counts.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import time
from collections.abc import Sequence
from typing import Any

from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError

from dantoc_contracts.bounds import MAX_MESSAGE_BYTES
from dantoc_contracts.quarantine import Attempts, FailureKind, backoff_seconds, classify
from dantoc_contracts.topics import ALL_TOPICS, VALUES_ACCEPTED, topic_name
from dantoc_ingest.db.repository import OutboxMessage
from dantoc_ingest.db.uow import UnitOfWork, UnitOfWorkFactory
from dantoc_ingest.kafka.observed import publishing
from dantoc_ingest.metrics import IngestMetrics
from dantoc_ingest.services import quarantine
from dantoc_ingest.services.outbox import mark_relayed

log = logging.getLogger(__name__)
_SPECS = {spec.name: spec for spec in ALL_TOPICS}
Handed = tuple[OutboxMessage, "asyncio.Future[Any]"]  # a row and the broker's answer to come
Failed = tuple[OutboxMessage, BaseException]


def _row_fields(row: OutboxMessage, topic: str, error: BaseException) -> dict[str, object]:
    return {"event": "relay.failed", "outbox_id": row.id, "topic": topic, "error": repr(error)}


def _published_fields(row: OutboxMessage, metadata: Any) -> dict[str, object]:
    """Where the broker put a ValuesAccepted (aiokafka's RecordMetadata)."""
    return {
        "event": "values.published",
        "submission_id": row.submission_id,
        "topic": metadata.topic,
        "partition": metadata.partition,
        "offset": metadata.offset,
    }


def create_producer(bootstrap: str) -> AIOKafkaProducer:
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        enable_idempotence=True,
        acks="all",
        compression_type="gzip",
        linger_ms=5,
        max_request_size=MAX_MESSAGE_BYTES,
        client_id="dantoc-ingest-relay",
    )


class OutboxRelay:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        bootstrap: str,
        namespace: str,
        metrics: IngestMetrics,
        *,
        batch: int = 500,
        poll_interval: float = 0.5,
    ) -> None:
        self._uow, self._bootstrap, self._namespace, self._metrics = uow, bootstrap, namespace, metrics
        self._batch, self._poll = batch, poll_interval
        self._wake = asyncio.Event()
        self.producer: AIOKafkaProducer | None = None
        self.attempts = Attempts()
        self._failures = 0  # consecutive failed rounds: the backoff before the next

    def wake(self) -> None:
        """Called after a commit that added outbox rows: publish now rather than at the next poll."""
        self._wake.set()

    async def run(self) -> None:
        while True:
            try:
                await self._ensure_producer()
                if not await self.publish_pending():
                    with contextlib.suppress(TimeoutError):
                        async with asyncio.timeout(self._poll):  # not wait_for: it can swallow a cancellation
                            await self._wake.wait()
                    self._wake.clear()
            except asyncio.CancelledError:
                raise
            except Exception:
                self._metrics.relay_errors.inc()
                self._failures += 1
                log.exception("outbox relay: publication failed; retrying", extra={"event": "relay.failed"})
                await asyncio.sleep(backoff_seconds(self._failures, cap=5.0))
            else:
                self._failures = 0

    async def _ensure_producer(self) -> None:
        if self.producer is None:
            producer = create_producer(self._bootstrap)
            try:
                await producer.start()
            except BaseException:
                await producer.stop()
                raise
            self.producer = producer

    async def publish_pending(self) -> int:
        """Publish one batch of unsent rows in order; returns how many were published.

        On PostgreSQL the rows stay locked (FOR UPDATE) until they are marked sent, so relays of several ingest
        processes never publish the same row; SQLite (one process) uses two short transactions instead, so that
        writers are not held up while the broker is away.
        """
        if self._uow.engine.dialect.name == "postgresql":
            async with self._uow() as uow:
                rows = await uow.repo.unsent(self._batch, lock=True)
                sent, failed = await self._send(rows)
                parked = self._to_park(failed)
                await self._mark(uow, sent, parked)
        else:
            async with self._uow(read_only=True) as uow:
                rows = await uow.repo.unsent(self._batch)
            sent, failed = await self._send(rows)
            parked = self._to_park(failed)
            async with self._uow() as uow:
                await self._mark(uow, sent, parked)
        await self._gauge(len(rows), len(sent) + len(parked))
        if len(sent) + len(parked) < len(rows) and not parked:  # the next round waits (backoff) before trying again
            raise KafkaError(f"published {len(sent)} of {len(rows)} outbox rows")
        return len(sent) + len(parked)

    def _to_park(self, failed: list[Failed]) -> list[Failed]:
        """The failed rows that failed for what they are, often enough: to be set aside now."""
        parked = []
        for row, error in failed:
            if classify(error) is FailureKind.TRANSIENT:
                continue
            self.attempts.failed(quarantine.RELAY, -1, row.id)
            if self.attempts.exhausted(quarantine.RELAY, -1, row.id):
                parked.append((row, error))
        return parked

    async def _gauge(self, read: int, sent: int) -> None:
        if read < self._batch:  # the whole backlog was read: what is left is what failed
            self._metrics.outbox_pending.set(read - sent)
            return
        async with self._uow(read_only=True) as uow:
            self._metrics.outbox_pending.set(await uow.repo.unsent_count())

    async def _mark(self, uow: UnitOfWork, sent: list[OutboxMessage], parked: Sequence[Failed] = ()) -> None:
        aside = [(row, self._topic_or_name(row), error) for row, error in parked]
        if not await mark_relayed(uow=uow, sent=sent, parked=aside):
            return
        for row in sent:
            self._metrics.published.labels(row.topic).inc()
        for row, error in parked:
            self.attempts.forget(quarantine.RELAY, -1, row.id)
            quarantine.count(self._metrics, quarantine.RELAY, self._topic_or_name(row))
            log.error(
                "outbox relay: a row was set aside",
                extra={**_row_fields(row, self._topic_or_name(row), error), "event": "relay.parked"},
            )
        if parked:
            self._wake.set()  # their dead-letter events are in the outbox now

    async def _send(self, rows: Sequence[OutboxMessage]) -> tuple[list[OutboxMessage], list[Failed]]:
        """Hand rows to the producer in order; return those the broker acknowledged, and those that failed."""
        if not rows:
            return [], []
        started = time.perf_counter()
        handed, failed = await self._hand_over(rows)
        # the idempotent producer retries until the broker acknowledges; only a non-retriable error fails here
        results = await asyncio.gather(*(future for _, future in handed), return_exceptions=True)
        sent: list[tuple[OutboxMessage, Any]] = []
        for (row, _), result in zip(handed, results, strict=True):
            if isinstance(result, BaseException):
                failed.append((row, result))
                log.error("outbox relay: a row failed", extra=_row_fields(row, self._topic_or_name(row), result))
            else:
                sent.append((row, result))
        self._observe(sent, failed, started)
        return [row for row, _ in sent], failed

    async def _hand_over(self, rows: Sequence[OutboxMessage]) -> tuple[list[Handed], list[Failed]]:
        """Give rows to the producer in order until one cannot be (e.g. no metadata yet: nothing was written)."""
        assert self.producer is not None
        handed: list[Handed] = []
        for row in rows:
            topic, key = self._topic_or_name(row), row.key.encode() if row.key is not None else None
            try:
                handed.append((row, await self.producer.send(self._topic(row), row.payload, key=key)))
            except Exception as error:  # too large, unknown topic, no metadata yet: classified by the caller
                log.warning("outbox relay: cannot hand over a row", extra=_row_fields(row, topic, error))
                return handed, [(row, error)]
        return handed, []

    def _observe(self, sent: list[tuple[OutboxMessage, Any]], failed: list[Failed], started: float) -> None:
        """FastStream's publishing series, once per topic of the batch; `values.published` per ValuesAccepted."""
        counts = collections.Counter(self._topic_or_name(row) for row, _ in sent)
        errors: dict[str, list[BaseException]] = collections.defaultdict(list)
        for row, error in failed:
            errors[self._topic_or_name(row)].append(error)
        for topic in counts.keys() | errors.keys():
            amount = counts[topic] + len(errors[topic])
            with publishing(self._metrics.kafka, topic, amount, since=started) as outcome:
                for error in errors[topic]:
                    outcome.failed(error)
        for row, metadata in sent:
            if row.topic == VALUES_ACCEPTED.name:
                log.info("values published", extra=_published_fields(row, metadata))

    def _topic(self, row: OutboxMessage) -> str:
        return topic_name(_SPECS[row.topic], self._namespace)  # KeyError for a name no contract knows

    def _topic_or_name(self, row: OutboxMessage) -> str:
        spec = _SPECS.get(row.topic)
        return topic_name(spec, self._namespace) if spec is not None else row.topic

    async def stop(self) -> None:
        if self.producer is not None:
            await self.producer.stop()
            self.producer = None
