"""Aggregate rows written in bulk read back exactly, on both backends: odd decimals, nulls, and text that the
PostgreSQL COPY text format must escape (a disaggregation code or a submission id with a tab, backslash, newline)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dantoc_aggregate.db import bulk
from dantoc_aggregate.db import repository as repo
from dantoc_aggregate.db.engine import create_engine, session_factory
from dantoc_aggregate.db.migrate import upgrade_head
from dantoc_aggregate.db.uow import UnitOfWork
from dantoc_aggregate.domain.keys import ALL_TOTALS
from dantoc_aggregate.domain.state import AggregateState
from dantoc_contracts.catalog import Aggregation

pytestmark = pytest.mark.integration
ODD_KEY = "GSO1979:02|a\tb\\c\nd|_T|_T"


def states() -> list[AggregateState]:
    plain = AggregateState("0101", "VN", "2024", ALL_TOTALS, Aggregation.SUM, Decimal("1E+3"), 2, reported=2)
    plain.value, plain.expected, plain.newest_us = Decimal("1E+3"), 7, 1_740_817_815_123_456
    plain.newest_submission_id = "nộp\t1\\2\r\n3"
    extreme = AggregateState("0807", "00715", "2024", ODD_KEY, Aggregation.MAX, Decimal("-0.000001"), 1)
    extreme.low = extreme.high = extreme.value = Decimal("-0.000001")
    formula = AggregateState("0103", "02", "2024Q3", "_T|1|_T|_T", Aggregation.FORMULA)
    formula.numerator, formula.denominator = Decimal("1"), Decimal("3")
    formula.value = Decimal("33.33333333333333333333333333")
    return [plain, extreme, formula]


def key(state: AggregateState) -> tuple[str, str, str, str]:
    return (state.indicator, state.unit, state.period, state.dkey)


@pytest.mark.parametrize("careful", [False, True])
async def test_rows_read_back_exactly(database_url: str, careful: bool) -> None:
    await upgrade_head(database_url)
    engine = create_engine(database_url)
    try:
        written = states()
        # Batch 1 creates the rows; batch 2 changes one of them and creates none.
        async with UnitOfWork(session_factory(engine)) as uow:
            await bulk.write_aggregates(uow.conn, 1, written, [], careful=careful)
            await uow.commit()
        written[0].count, written[0].newest_submission_id = 3, "sau"
        async with UnitOfWork(session_factory(engine)) as uow:
            await bulk.write_aggregates(uow.conn, 2, [], [written[0]], careful=careful)
            await uow.commit()
        async with engine.connect() as conn:
            stored = await repo.all_states(conn)
            pending = await repo.changed_since(conn, 1)
        assert set(stored) == {key(state) for state in written}
        for state in written:
            assert stored[key(state)] == state
            assert stored[key(state)].newest_submission_id == state.newest_submission_id
        assert [key(state) for state in pending] == [key(written[0])]
    finally:
        await engine.dispose()


async def test_rows_of_a_batch_that_does_not_commit_are_not_kept(database_url: str) -> None:
    await upgrade_head(database_url)
    engine = create_engine(database_url)
    try:
        # The bulk write is the first statement of the transaction (COPY goes to the driver directly), and the
        # unit of work ends without a commit: nothing may remain.
        async with UnitOfWork(session_factory(engine)) as uow:
            await bulk.write_aggregates(uow.conn, 1, states(), [], careful=False)
        async with engine.connect() as conn:
            assert await repo.all_states(conn) == {}
    finally:
        await engine.dispose()
