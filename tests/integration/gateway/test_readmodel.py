"""The read model on both backends: idempotent batches, newest wins, tombstones delete, positions move with rows."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from dantoc_gateway.db import queries, repository
from dantoc_gateway.db.engine import create_engine, session_factory
from dantoc_gateway.db.figures import figures_page
from dantoc_gateway.db.migrate import upgrade_head
from dantoc_gateway.db.models import AggregateRow, DeletionRow
from dantoc_gateway.db.uow import UnitOfWork
from dantoc_gateway.domain.params import DimensionFilter
from dantoc_gateway.domain.records import Fact, FeedRecord, address_of, parse_key
from dantoc_gateway.domain.selection import Block, Selection
from dantoc_gateway.services.readmodel import _cell as cell_of
from dantoc_gateway.services.readmodel import _row as row_of
from dantoc_gateway.services.readmodel import apply_batch
from tests.support.gateway.literal import COMPUTED, aggregate, catalog_view, key_of

TOPIC = "aggregates"
NOW = datetime(2025, 2, 1, tzinfo=UTC)


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[Any]:
    await upgrade_head(database_url)
    await upgrade_head(database_url)  # migrating twice is harmless
    engine: AsyncEngine = create_engine(database_url)
    yield session_factory(engine)
    await engine.dispose()


def fact(
    offset: int, unit: str = "02", value: str | None = "40", *, at: datetime = COMPUTED, partition: int = 0
) -> FeedRecord:
    message = aggregate("0401", unit, "2024", value, done=(3, 1, 1, 1), computed_at=at)
    return FeedRecord(partition, offset, parse_key(key_of(message)), Fact.of(message))


def tombstone(offset: int, unit: str = "02", partition: int = 0) -> FeedRecord:
    return FeedRecord(partition, offset, parse_key(f"0401|{unit}|2024|_T|_T|_T|_T"), None)


async def apply(sessions: Any, records: list[FeedRecord], *, at: datetime = NOW) -> Any:
    consumed: dict[int, int] = {}
    for record in records:
        consumed[record.partition] = max(consumed.get(record.partition, 0), record.offset + 1)
    return await apply_batch(uow=UnitOfWork(sessions), topic=TOPIC, records=records, consumed=consumed, changed_at=at)


async def stored(sessions: Any) -> dict[str, tuple[str | None, int]]:
    async with sessions() as session:
        rows = await session.execute(select(AggregateRow.unit_code, AggregateRow.value, AggregateRow.source_offset))
        return {unit: (value, offset) for unit, value, offset in rows}


async def test_a_replayed_batch_changes_nothing(sessions: Any) -> None:
    # a batch is applied and its positions stored with the rows
    first = await apply(sessions, [fact(0), fact(1, "04", "30")])
    assert (first.upserted, first.skipped) == (2, 0)
    # the same batch delivered again (a crash before the Kafka commit) is recognised and skipped
    again = await apply(sessions, [fact(0), fact(1, "04", "30")], at=NOW + timedelta(seconds=1))
    assert (again.upserted, again.skipped) == (0, 2)
    assert await stored(sessions) == {"02": ("40", 0), "04": ("30", 1)}
    async with sessions() as session:
        assert await repository.positions(session, TOPIC) == {0: 2}
        updated = (await session.execute(select(func.max(AggregateRow.updated_at)))).scalar_one()
    assert updated == NOW


async def test_the_newest_computation_wins(sessions: Any) -> None:
    await apply(sessions, [fact(0, value="40", at=COMPUTED)])
    # a later offset that carries an older computation is ignored
    await apply(sessions, [fact(1, value="10", at=COMPUTED - timedelta(hours=1))])
    assert await stored(sessions) == {"02": ("40", 0)}
    # a newer computation replaces it
    await apply(sessions, [fact(2, value="45", at=COMPUTED + timedelta(hours=1))])
    assert await stored(sessions) == {"02": ("45", 2)}


async def test_a_tombstone_deletes_and_is_kept_for_the_change_feed(sessions: Any) -> None:
    await apply(sessions, [fact(0), fact(1, "04")])
    outcome = await apply(sessions, [tombstone(2)], at=NOW + timedelta(seconds=5))
    assert outcome.deleted == 1
    assert await stored(sessions) == {"04": ("40", 1)}
    async with sessions() as session:
        changed = await queries.changes(session, cursor=(NOW, None), indicators=None, units=None, limit=10)
        assert [(key, obs.deleted) for key, obs in changed] == [("0401|02|2024|_T|_T|_T|_T", True)]
        # a record older than the tombstone, delivered again (another partition's consumer, a rewind), stays dead
        versions = await repository.stored_versions(session, ["0401|02|2024|_T|_T|_T|_T"])
    assert versions["0401|02|2024|_T|_T|_T|_T"].offset == 2
    await apply_batch(uow=UnitOfWork(sessions), topic="elsewhere", records=[fact(1)], consumed={}, changed_at=NOW)
    assert "02" not in await stored(sessions)
    # a newer fact brings it back and retires the deletion
    await apply(sessions, [fact(3, value="41", at=COMPUTED + timedelta(days=1))])
    async with sessions() as session:
        assert (await session.execute(select(func.count()).select_from(DeletionRow))).scalar_one() == 0
    assert (await stored(sessions))["02"] == ("41", 3)


async def test_a_failed_batch_leaves_nothing(sessions: Any) -> None:
    good = fact(0)
    assert good.fact is not None
    broken = FeedRecord(0, 1, parse_key("0401|04|2024|_T|_T|_T|_T"), replace(good.fact, computed_at=None))  # type: ignore[arg-type]
    with pytest.raises(IntegrityError):  # NOT NULL on both backends, after the first row was written
        await apply(sessions, [good, broken])
    assert await stored(sessions) == {}
    async with sessions() as session:
        assert await repository.positions(session, TOPIC) == {}


async def test_selection_query_joins_the_completeness_of_the_totals(sessions: Any) -> None:
    ethnic = aggregate("0401", "02", "2024", "25", ethnic="08")
    address = address_of(key_of(ethnic), ethnic, catalog_view().canonical_ethnic)
    records = [fact(0), FeedRecord(0, 1, address, Fact.of(ethnic)), fact(2, "04", "30")]
    await apply(sessions, records)
    every, totals = DimensionFilter(None), DimensionFilter(("_T",))
    selection = Selection(("0401",), (Block(("2024",), ("02",)),), every, totals, totals, totals)
    async with sessions() as session:
        rows, count = await figures_page(session, selection, offset=0, limit=10)
        page_two = await figures_page(session, selection, offset=1, limit=1)
        past_the_end = await figures_page(session, selection, offset=5, limit=1)
    assert count == 2
    assert [(r.ethnic_group, r.value, r.expected, r.silent) for r in rows] == [("08", "25", 3, 1), ("_T", "40", 3, 1)]
    assert ([r.ethnic_group for r in page_two[0]], page_two[1]) == (["_T"], 2)
    assert past_the_end == ([], 2)


async def test_racing_writers_never_move_anything_back(sessions: Any) -> None:
    # worker A applies partition 0 up to offset 10, then worker B applies partition 1
    await apply_batch(uow=UnitOfWork(sessions), topic=TOPIC, records=[fact(9)], consumed={0: 10}, changed_at=NOW)
    await apply_batch(uow=UnitOfWork(sessions), topic=TOPIC, records=[], consumed={1: 5}, changed_at=NOW)
    # a writer still holding an old batch of partition 0 (a rebalance overlap) writes its rows and positions late
    await apply_batch(uow=UnitOfWork(sessions), topic="elsewhere", records=[], consumed={}, changed_at=NOW)
    async with UnitOfWork(sessions) as uow:
        older = fact(3, value="1", at=COMPUTED - timedelta(days=1))
        await repository.upsert_aggregates(uow.session, [_row(older)])  # skipped the read check: SQL still refuses
        await repository.record_deletions(uow.session, [{**_row(tombstone(2)), "deleted_at": NOW}])
        await repository.save_positions(uow.session, TOPIC, {0: 3})
        await uow.commit()
    assert await stored(sessions) == {"02": ("40", 9)}
    async with sessions() as session:
        assert await repository.positions(session, TOPIC) == {0: 10, 1: 5}


def _row(record: FeedRecord) -> dict[str, Any]:
    return row_of(record, NOW) if record.fact is not None else cell_of(record)
