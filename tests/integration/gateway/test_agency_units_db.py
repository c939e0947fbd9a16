"""The agency-units table on both backends: a replayed batch changes nothing, a failed one leaves nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from dantoc_gateway.db import repository
from dantoc_gateway.db.agency_units import units_of
from dantoc_gateway.db.engine import create_engine, session_factory
from dantoc_gateway.db.migrate import upgrade_head
from dantoc_gateway.db.models import AgencyUnitRow
from dantoc_gateway.db.uow import UnitOfWork
from dantoc_gateway.domain.submitters import Submitted
from dantoc_gateway.services.agency_units import apply_submitted
from tests.support.gateway.literal import COMPUTED

TOPIC = "values"


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[Any]:
    await upgrade_head(database_url)
    engine = create_engine(database_url)
    yield session_factory(engine)
    await engine.dispose()


def submitted(offset: int, agency: str, unit: str, period: str = "2024", partition: int = 0) -> Submitted:
    return Submitted(partition, offset, agency, unit, period, f"sub-{offset}", COMPUTED)


async def apply(sessions: Any, records: list[Submitted]) -> int:
    consumed: dict[int, int] = {}
    for record in records:
        consumed[record.partition] = max(consumed.get(record.partition, 0), record.offset + 1)
    return await apply_submitted(UnitOfWork(sessions), topic=TOPIC, records=records, consumed=consumed)


async def test_each_pair_is_kept_once_with_its_first_submission(sessions: Any) -> None:
    # two agencies, one of them twice for the same unit (another period), in one batch
    batch = [submitted(0, "SYT-02", "00716"), submitted(1, "SYT-02", "00716", "2025"), submitted(2, "BDT-02", "02")]
    assert await apply(sessions, batch) == 2
    # the same batch again (a crash before the Kafka commit): recognised by the stored positions, nothing written
    assert await apply(sessions, batch) == 0
    # a later submission for a known pair adds nothing; a new unit does
    assert await apply(sessions, [submitted(3, "SYT-02", "00716"), submitted(4, "SYT-02", "00720")]) == 1
    async with sessions() as session:
        assert await units_of(session, "SYT-02") == {"00716", "00720"}
        assert await units_of(session, "NOBODY") == frozenset()
        first = (await session.execute(select(AgencyUnitRow).where(AgencyUnitRow.unit_code == "00716"))).scalar_one()
        assert (first.first_period, first.first_submission_id, first.source_offset) == ("2024", "sub-0", 0)
        assert await repository.positions(session, TOPIC) == {0: 5}


async def test_a_failed_batch_leaves_nothing(sessions: Any) -> None:
    broken = replace(submitted(1, "SYT-02", "00720"), accepted_at=None)  # type: ignore[arg-type]  # NOT NULL on both backends
    with pytest.raises(IntegrityError):
        await apply(sessions, [submitted(0, "SYT-02", "00716"), broken])
    async with sessions() as session:
        assert await units_of(session, "SYT-02") == frozenset()
        assert await repository.positions(session, TOPIC) == {}
