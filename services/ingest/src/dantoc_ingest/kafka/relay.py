"""The outbox relay: publishes committed outbox rows in order and marks them sent.

The producer is idempotent with `acks=all`. A message handed to it is never abandoned: while the broker is away
the producer keeps retrying the same batch (same sequence numbers), so it is written once when the broker is back.
Only a crash between the broker's acknowledgement and the `sent_at` update can publish a row twice; its message
id is derived from its content, so consumers can drop the copy.
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

from dantoc_contracts.envelope import utc_now
from dantoc_contracts.topics import ALL_TOPICS, VALUES_ACCEPTED, topic_name
from dantoc_ingest.db.repository import OutboxMessage
from dantoc_ingest.db.uow import UnitOfWork, UnitOfWorkFactory
from dantoc_ingest.kafka.observed import published
from dantoc_ingest.metrics import IngestMetrics

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
        max_request_size=8 * 1024 * 1024,
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
                log.exception("outbox relay: publication failed; retrying", extra={"event": "relay.failed"})
                await asyncio.sleep(1)

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
                sent = await self._send(rows)
                await self._mark(uow, sent)
        else:
            async with self._uow(read_only=True) as uow:
                rows = await uow.repo.unsent(self._batch)
            sent = await self._send(rows)
            async with self._uow() as uow:
                await self._mark(uow, sent)
        await self._gauge(len(rows), len(sent))
        if len(sent) < len(rows):
            raise KafkaError(f"published {len(sent)} of {len(rows)} outbox rows")
        return len(sent)

    async def _gauge(self, read: int, sent: int) -> None:
        if read < self._batch:  # the whole backlog was read: what is left is what failed
            self._metrics.outbox_pending.set(read - sent)
            return
        async with self._uow(read_only=True) as uow:
            self._metrics.outbox_pending.set(await uow.repo.unsent_count())

    async def _mark(self, uow: UnitOfWork, sent: list[OutboxMessage]) -> None:
        if not sent:
            return
        await uow.repo.mark_sent(sent, utc_now())
        await uow.commit()
        for row in sent:
            self._metrics.published.labels(row.topic).inc()

    async def _send(self, rows: Sequence[OutboxMessage]) -> list[OutboxMessage]:
        """Hand rows to the producer in order; return those the broker acknowledged."""
        if not rows:
            return []
        started = time.perf_counter()
        handed, failed = await self._hand_over(rows)
        # the idempotent producer retries until the broker acknowledges; only a non-retriable error fails here
        results = await asyncio.gather(*(future for _, future in handed), return_exceptions=True)
        sent: list[tuple[OutboxMessage, Any]] = []
        for (row, _), result in zip(handed, results, strict=True):
            if isinstance(result, BaseException):
                failed.append((row, result))
                log.error("outbox relay: a row failed", extra=_row_fields(row, self._topic(row), result))
            else:
                sent.append((row, result))
        self._observe(sent, failed, time.perf_counter() - started)
        return [row for row, _ in sent]

    async def _hand_over(self, rows: Sequence[OutboxMessage]) -> tuple[list[Handed], list[Failed]]:
        """Give rows to the producer in order until one cannot be (e.g. no metadata yet: nothing was written)."""
        assert self.producer is not None
        handed: list[Handed] = []
        for row in rows:
            topic, key = self._topic(row), row.key.encode() if row.key is not None else None
            try:
                handed.append((row, await self.producer.send(topic, row.payload, key=key)))
            except KafkaError as error:
                log.warning("outbox relay: cannot hand over a row yet", extra=_row_fields(row, topic, error))
                return handed, [(row, error)]
        return handed, []

    def _observe(self, sent: list[tuple[OutboxMessage, Any]], failed: list[Failed], seconds: float) -> None:
        """FastStream's publishing series, once per topic of the batch; `values.published` per ValuesAccepted."""
        counts = collections.Counter(self._topic(row) for row, _ in sent)
        errors: dict[str, list[BaseException]] = collections.defaultdict(list)
        for row, error in failed:
            errors[self._topic(row)].append(error)
        for topic in counts.keys() | errors.keys():
            published(self._metrics.kafka, topic, sent=counts[topic], errors=errors[topic], seconds=seconds)
        for row, metadata in sent:
            if row.topic == VALUES_ACCEPTED.name:
                log.info("values published", extra=_published_fields(row, metadata))

    def _topic(self, row: OutboxMessage) -> str:
        return topic_name(_SPECS[row.topic], self._namespace)

    async def stop(self) -> None:
        if self.producer is not None:
            await self.producer.stop()
            self.producer = None
