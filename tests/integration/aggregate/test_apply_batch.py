"""The rollup scenarios through `apply_batch` on the real databases, each checked against the SQL recomputation."""

from __future__ import annotations

import pytest

from dantoc_aggregate.db import repository as repo
from dantoc_aggregate.db.engine import create_engine
from dantoc_aggregate.db.migrate import upgrade_head_async
from dantoc_aggregate.db.uow import UnitOfWork
from dantoc_aggregate.domain.catalog_rules import CatalogRules
from dantoc_aggregate.usecases.apply import apply_batch
from dantoc_aggregate.usecases.cache import StateCache
from dantoc_aggregate.usecases.recompute import differences, recomputed_states
from tests.unit.aggregate.literals import view
from tests.unit.aggregate.scenarios import SCENARIOS, Scenario
from tests.unit.aggregate.test_rollup_rules import check

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("cached", [False, True], ids=["read-through", "cached"])
@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
async def test_scenario_on_database(database_url: str, scenario: Scenario, cached: bool) -> None:
    await upgrade_head_async(database_url)
    engine = create_engine(database_url)
    rules = CatalogRules(view())
    cache = StateCache(capacity=8) if cached else None  # small: eviction happens too
    try:
        for number, batch in enumerate(scenario.batches):
            async with UnitOfWork(engine) as uow:
                await apply_batch(uow.conn, rules, batch, topic="values", next_offsets={0: number + 1}, cache=cache)
                await uow.commit()
        async with engine.connect() as conn:
            states = await repo.all_states(conn)
            check(states, scenario)
            assert differences(states, await recomputed_states(conn, rules)) == []
            assert await repo.load_offsets(conn, "values") == {0: len(scenario.batches)}
    finally:
        await engine.dispose()


async def test_uncommitted_batch_leaves_nothing(database_url: str) -> None:
    await upgrade_head_async(database_url)
    engine = create_engine(database_url)
    try:
        async with UnitOfWork(engine) as uow:
            await apply_batch(uow.conn, CatalogRules(view()), SCENARIOS[0].batches[0], topic="v", next_offsets={0: 3})
        async with engine.connect() as conn:
            assert await repo.all_states(conn) == {}
            assert await repo.load_offsets(conn, "v") == {}
    finally:
        await engine.dispose()
