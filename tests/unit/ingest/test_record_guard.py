"""The consumer's quarantine loop: transient failures are retried and never counted; a record that keeps failing
for what it holds is set aside after MAX_ATTEMPTS, and the next record starts afresh."""

from __future__ import annotations

from decimal import InvalidOperation

import pytest

from dantoc_contracts.quarantine import MAX_ATTEMPTS
from dantoc_ingest.kafka.quarantine import RecordGuard
from dantoc_ingest.services.quarantine import Record

RECORD = Record("t", 0, 7, None, b"x")


class Script:
    """Fails with each error of `errors` in turn, then answers `applied`."""

    def __init__(self, *errors: Exception) -> None:
        self.errors, self.calls = list(errors), 0

    async def __call__(self) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "applied"


@pytest.mark.parametrize(
    ("errors", "outcome", "calls", "parked"),
    [
        ((), "applied", 1, 0),
        ((ConnectionError("db away"),) * 10, "applied", 11, 0),  # transient: retried as long as it lasts
        ((InvalidOperation(),) * (MAX_ATTEMPTS - 1), "applied", MAX_ATTEMPTS, 0),
        ((InvalidOperation(),) * MAX_ATTEMPTS, "parked", MAX_ATTEMPTS, 1),
        ((TimeoutError(), ValueError("data"), TimeoutError(), ValueError(), ValueError()), "parked", 5, 1),
    ],
)
async def test_guard(errors: tuple[Exception, ...], outcome: str, calls: int, parked: int) -> None:
    set_aside: list[tuple[Record, BaseException]] = []
    waits: list[float] = []

    async def park(record: Record, error: BaseException) -> None:
        set_aside.append((record, error))

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    guard = RecordGuard(consumer="c", park=park, sleep=sleep)
    script = Script(*errors)
    assert await guard.run(RECORD, script) == outcome
    assert (script.calls, len(set_aside)) == (calls, parked)
    assert len(waits) == calls - 1  # a wait (backoff) before every retry, none after the last
    assert not guard.attempts.exhausted(RECORD.topic, RECORD.partition, RECORD.offset)  # forgotten either way
