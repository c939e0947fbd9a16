"""The rollup scenarios through `apply_batch` on the real databases, each checked against the SQL recomputation."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from dantoc_aggregate.db import repository as repo
from dantoc_aggregate.db.engine import create_engine, session_factory
from dantoc_aggregate.db.migrate import upgrade_head
from dantoc_aggregate.db.parked import Parked
from dantoc_aggregate.db.uow import UnitOfWork
from dantoc_aggregate.domain.catalog_rules import CatalogRules
from dantoc_aggregate.domain.keys import ALL_TOTALS
from dantoc_aggregate.kafka.decoding import from_message
from dantoc_aggregate.services.apply import apply_batch
from dantoc_aggregate.services.cache import StateCache
from dantoc_aggregate.services.recompute import differences, recomputed_states
from dantoc_contracts.catalog import Aggregation, catalog_key
from tests.support.aggregate.literals import accepted, cell, indicator, view
from tests.support.aggregate.scenarios import SCENARIOS, Scenario, check

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("cached", [False, True], ids=["read-through", "cached"])
@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
async def test_scenario_on_database(database_url: str, scenario: Scenario, cached: bool) -> None:
    await upgrade_head(database_url)
    engine = create_engine(database_url)
    sessions = session_factory(engine)
    rules = CatalogRules(view())
    cache = StateCache(capacity=8) if cached else None  # small: eviction happens too
    try:
        for number, batch in enumerate(scenario.batches):
            await apply_batch(
                uow=UnitOfWork(sessions),
                rules=rules,
                messages=[from_message(m) for m in batch],
                topic="values",
                next_offsets={0: number + 1},
                cache=cache,
            )
        async with engine.connect() as conn:
            states = await repo.all_states(conn)
            check(states, scenario)
            assert differences(states, await recomputed_states(conn, rules)) == []
            assert await repo.load_offsets(conn, "values") == {0: len(scenario.batches)}
    finally:
        await engine.dispose()


async def test_a_batch_that_fails_leaves_nothing(database_url: str) -> None:
    await upgrade_head(database_url)
    engine = create_engine(database_url)
    try:
        messages = [from_message(m) for m in SCENARIOS[0].batches[0]]
        # The parked row is written last, after the cells, the aggregates and the offsets: it cannot be (no reason).
        unreadable = [Parked("v", 0, 2, None, b"{", None, "ValueError", "test")]  # type: ignore[arg-type]
        with pytest.raises(Exception, match=r"(?i)null"):
            await apply_batch(
                uow=UnitOfWork(session_factory(engine)),
                rules=CatalogRules(view()),
                messages=messages,
                topic="v",
                next_offsets={0: 3},
                parked=unreadable,
            )
        async with engine.connect() as conn:
            assert await repo.all_states(conn) == {}
            assert await repo.load_offsets(conn, "v") == {}
    finally:
        await engine.dispose()


async def test_a_wrong_guess_fails_loudly_and_the_careful_retry_applies(database_url: str) -> None:
    await upgrade_head(database_url)
    engine = create_engine(database_url)
    sessions = session_factory(engine)
    catalog = view()
    rules = CatalogRules(catalog)
    try:
        # Commune 00715 reports indicator 0199, which the catalog does not know yet: kept as reported (NONE).
        first = [from_message(accepted("00715", "2024", cell("0199", 5)))]
        await apply_batch(uow=UnitOfWork(sessions), rules=rules, messages=first, topic="v", next_offsets={0: 1})
        # The catalog then defines 0199 as a formula of 0101 and 0102: its aggregate at 00715 is now inferred from
        # the cells of its sides, which 00715 never had, so the batch guesses "absent" for a key that exists.
        record = indicator("0199", Aggregation.FORMULA, ("sex",), formula=("0101", "0102", 100))
        catalog.apply(catalog_key(record), record)
        rules.invalidate()
        second = [from_message(accepted("00715", "2024", cell("0101", 50), cell("0102", 200)))]
        with pytest.raises(Exception, match=r"(?i)unique|duplicate"):
            await apply_batch(uow=UnitOfWork(sessions), rules=rules, messages=second, topic="v", next_offsets={0: 2})
        # Applied again with `careful`, every key is looked up and the batch goes through.
        await apply_batch(
            uow=UnitOfWork(sessions), rules=rules, messages=second, topic="v", next_offsets={0: 2}, careful=True
        )
        async with engine.connect() as conn:
            states = await repo.all_states(conn)
        assert states[("0199", "00715", "2024", ALL_TOTALS)].value == Decimal(25)
        assert states[("0199", "VN", "2024", ALL_TOTALS)].value == Decimal(25)
    finally:
        await engine.dispose()


@pytest.mark.parametrize(
    ("name", "scanned_depths"),
    [
        # A retracted extreme comes from the unit's own cells and its children's aggregates: no scan of the cells.
        ("a retracted extreme is found again among the children's aggregates, several levels up", set()),
        # A unit off the map contributes to VN alone: the children do not add up there, so VN reads every cell.
        (
            "a retracted extreme is found again over a unit off the map too (its contribution has no parent but VN)",
            {0},
        ),
    ],
)
async def test_extremes_are_found_again_from_the_children_unless_they_do_not_add_up(
    database_url: str, monkeypatch: pytest.MonkeyPatch, name: str, scanned_depths: set[int]
) -> None:
    scenario = next(s for s in SCENARIOS if s.name == name)
    scanned: set[int] = set()
    cells_below = repo.cells_below

    async def counting(conn: Any, indicator: str, period: str, node: str, depth: int) -> Any:
        scanned.add(depth)
        return await cells_below(conn, indicator, period, node, depth)

    monkeypatch.setattr(repo, "cells_below", counting)
    await upgrade_head(database_url)
    engine = create_engine(database_url)
    sessions = session_factory(engine)
    rules = CatalogRules(view())
    try:
        for number, batch in enumerate(scenario.batches):
            messages = [from_message(m) for m in batch]
            await apply_batch(
                uow=UnitOfWork(sessions), rules=rules, messages=messages, topic="v", next_offsets={0: number + 1}
            )
        async with engine.connect() as conn:
            states = await repo.all_states(conn)
            check(states, scenario)
            assert differences(states, await recomputed_states(conn, rules)) == []
    finally:
        await engine.dispose()
    assert scanned == scanned_depths
