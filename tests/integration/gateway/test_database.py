"""The read model's schema on both backends: the contracts' widths, the parked table,
and the quarantine guard (transient failures raised and never counted; poison ones parked after MAX_ATTEMPTS)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from prometheus_client import generate_latest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from dantoc_contracts.bounds import CODE_WIDTH, DECIMAL_TEXT_WIDTH
from dantoc_contracts.quarantine import MAX_ATTEMPTS
from dantoc_gateway.db import parked, repository
from dantoc_gateway.db.engine import create_engine, session_factory
from dantoc_gateway.db.migrate import upgrade_head
from dantoc_gateway.db.models import AggregateRow, FeedPositionRow
from dantoc_gateway.db.uow import UnitOfWork
from dantoc_gateway.kafka.dead_letter import DeadLetters
from dantoc_gateway.kafka.quarantine import Quarantine
from dantoc_gateway.metrics import GatewayMetrics
from tests.support.gateway.scrape import sample

TOPIC = "t.dantoc.aggregates.v1"
AT = datetime(2025, 1, 1, tzinfo=UTC)


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    await upgrade_head(database_url)
    engine = create_engine(database_url)
    yield engine
    await engine.dispose()


async def test_cells_as_wide_as_the_contracts_allow(engine: AsyncEngine) -> None:
    code, number = "S" * CODE_WIDTH, "-" + "9" * 15 + "." + "9" * (DECIMAL_TEXT_WIDTH - 17)
    assert len(number) == DECIMAL_TEXT_WIDTH
    row = {
        "key": f"0401|02|2024|_T|{code}|_T|_T",
        "indicator": "0401",
        "unit_code": "02",
        "period": "2024",
        "ethnic_group": "GSO_1979:04",
        "sex": code,
        "age_group": code,
        "residence": code,
        "source_partition": 0,
        "source_offset": 1,
        "group_code": "04",
        "unit_level": "province",
        "aggregation": "SUM",
        "value": number,
        "numerator": number,
        "denominator": number,
        "count": 1,
        "expected": None,
        "reported": None,
        "no_data": None,
        "silent": None,
        "newest_accepted_at": None,
        "computed_at": AT,
        "updated_at": AT,
    }
    async with UnitOfWork(session_factory(engine)) as uow:
        await repository.upsert_aggregates(uow.session, [row])
        await uow.commit()
    async with UnitOfWork(session_factory(engine)) as uow:
        stored = (await uow.session.execute(select(AggregateRow.sex, AggregateRow.value))).one()
    assert tuple(stored) == (code, number)


@dataclass
class Record:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None


async def test_transient_failures_are_raised_and_poison_ones_parked(engine: AsyncEngine) -> None:
    sessions, metrics = session_factory(engine), GatewayMetrics()
    # a producer never started: its dead letters wait in the parked table (the outbox) for the next drain
    letters = DeadLetters(bootstrap="127.0.0.1:1", namespace="t", metrics=metrics)
    guard = Quarantine(
        sessions=sessions, dead_letters=letters, metrics=metrics, consumer="gw", topic=TOPIC, drain_seconds=0.5
    )
    record = Record(TOPIC, 2, 41, b"k", b"v")
    calls = 0

    async def unreachable() -> None:
        nonlocal calls
        calls += 1
        raise ConnectionRefusedError("database away")

    for _ in range(MAX_ATTEMPTS + 2):  # never set aside, however often
        with pytest.raises(ConnectionRefusedError):
            await guard.attempt(record, unreachable)
    assert calls == MAX_ATTEMPTS + 2
    assert not guard.attempts.exhausted(TOPIC, 2, 41)

    async def poison() -> None:
        nonlocal calls
        calls += 1
        raise ArithmeticError("cannot be applied")

    calls = 0
    assert await guard.attempt(record, poison) is False
    assert calls == MAX_ATTEMPTS
    async with UnitOfWork(sessions) as uow:
        [row] = await parked.parked(uow.session)
        positions = await repository.positions(uow.session, TOPIC)
        waiting = await parked.not_dead_lettered(uow.session, "gw")
    assert (row.topic, row.partition, row.offset, row.key, row.value) == (TOPIC, 2, 41, b"k", b"v")
    assert (row.error_class, row.consumer) == ("builtins.ArithmeticError", "gw")
    assert row.reason == "builtins.ArithmeticError: cannot be applied"
    assert positions == {2: 42}  # the position past it, in the same transaction
    assert [w.id for w in waiting] == [row.id]  # not published yet: the broker is unreachable
    labels = {"service": "gateway", "consumer": "gw", "topic": TOPIC}
    assert sample(metrics_text(metrics), "dantoc_quarantined_records_total", **labels) == 1

    async def fine() -> None:
        return None

    assert await guard.attempt(Record(TOPIC, 2, 42, b"k", b"w"), fine) is True
    async with UnitOfWork(sessions) as uow:
        assert len(await parked.parked(uow.session)) == 1
        assert (await uow.session.execute(select(FeedPositionRow.next_offset))).scalar() == 42


def metrics_text(metrics: GatewayMetrics) -> str:
    return generate_latest(metrics.registry).decode()
