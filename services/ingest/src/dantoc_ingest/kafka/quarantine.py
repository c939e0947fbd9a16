"""The consumer side of the quarantine rule, once for every record loop of ingest.

`RecordGuard.run(record, apply)` applies one record: a transient failure (broker or database unreachable) is
retried with backoff for as long as it lasts and never counts; a failure for what the record holds is retried
`MAX_ATTEMPTS` times, then the record is set aside by `park` (parked table, dead-letter event through the outbox,
offset past it, in one transaction) and the loop goes on with the next record.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from dantoc_contracts.quarantine import Attempts, FailureKind, backoff_seconds, classify, error_class
from dantoc_ingest.services.quarantine import Record

log = logging.getLogger(__name__)
Park = Callable[[Record, BaseException], Awaitable[None]]
Sleep = Callable[[float], Awaitable[None]]


class RecordGuard:
    def __init__(self, *, consumer: str, park: Park, sleep: Sleep = asyncio.sleep) -> None:
        self.consumer, self._park, self._sleep = consumer, park, sleep
        self.attempts = Attempts()

    async def run(self, record: Record, apply: Callable[[], Awaitable[str]]) -> str:
        """What `apply` answered, or `parked`."""
        transient = 0
        where = {"topic": record.topic, "partition": record.partition, "offset": record.offset}
        while True:
            try:
                outcome = await apply()
            except asyncio.CancelledError:
                raise
            except Exception as error:  # every failure is classified: nothing stalls the partition
                fields = {**where, "consumer": self.consumer, "error_class": error_class(error)}
                if classify(error) is FailureKind.TRANSIENT:
                    transient += 1
                    log.warning("record failed (transient); retrying", extra={"event": "record.retry", **fields})
                    await self._sleep(backoff_seconds(transient))
                    continue
                failures = self.attempts.failed(record.topic, record.partition, record.offset)
                if not self.attempts.exhausted(record.topic, record.partition, record.offset):
                    fields["attempt"] = failures
                    log.warning("record failed; retrying", extra={"event": "record.retry", **fields})
                    await self._sleep(backoff_seconds(failures))
                    continue
                await self._set_aside(record, error)
                return "parked"
            self.attempts.forget(record.topic, record.partition, record.offset)
            return outcome

    async def _set_aside(self, record: Record, error: BaseException) -> None:
        transient = 0
        while True:  # parking is itself retried while the database is away
            try:
                await self._park(record, error)
            except asyncio.CancelledError:
                raise
            except Exception as failure:
                if classify(failure) is not FailureKind.TRANSIENT:
                    raise
                transient += 1
                await self._sleep(backoff_seconds(transient))
                continue
            self.attempts.forget(record.topic, record.partition, record.offset)
            return
