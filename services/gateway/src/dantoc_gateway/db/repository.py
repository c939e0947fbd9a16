"""Writes of the read model: versions of keys, upserts, deletions and feed positions. Queries live in queries.py."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import and_, bindparam, delete, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from dantoc_gateway.db.models import AggregateRow, CellVersionRow, DeletionRow, FeedPositionRow
from dantoc_gateway.domain.records import Stored

_CHUNK = 900  # keys per IN list: far below both backends' parameter limits


def insert_for(session: AsyncSession, table: Any) -> Any:
    """An INSERT with the backend's ON CONFLICT clauses (PostgreSQL or SQLite)."""
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


async def stored_versions(session: AsyncSession, keys: Sequence[str]) -> dict[str, Stored]:
    """The version held for each key: the row's (computed_at, offset) or the deletion's offset."""
    found: dict[str, Stored] = {}
    for chunk in _chunks(keys):
        deleted = select(DeletionRow.key, DeletionRow.source_offset).where(DeletionRow.key.in_(chunk))
        for key, offset in await session.execute(deleted):
            found[key] = Stored(None, offset)
        rows = select(AggregateRow.key, AggregateRow.computed_at, AggregateRow.source_offset).where(
            AggregateRow.key.in_(chunk)
        )
        for key, computed_at, offset in await session.execute(rows):
            found[key] = Stored(computed_at, offset)
    return found


# Every write below re-checks in SQL that it replaces something older: the version check before it reads, and
# two writers (workers or replicas during a rebalance) may apply the same partition at once.


async def upsert_aggregates(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Insert or replace rows, each only over an older one (by computed_at, then offset); retire older deletions."""
    if not rows:
        return
    table = AggregateRow.__table__
    statement = insert_for(session, table)
    new = statement.excluded
    updates = {c.name: new[c.name] for c in table.columns if c.name != "key"}
    newer = or_(
        new.computed_at > table.c.computed_at,
        and_(new.computed_at == table.c.computed_at, new.source_offset > table.c.source_offset),
    )
    await session.execute(statement.on_conflict_do_update(index_elements=["key"], set_=updates, where=newer), rows)
    await _delete_older(session, DeletionRow.__table__, rows)


async def record_deletions(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Delete the rows the tombstones name (when older than them) and remember the deletions."""
    if not rows:
        return
    await _delete_older(session, AggregateRow.__table__, rows)
    table = DeletionRow.__table__
    statement = insert_for(session, table)
    updates = {c.name: statement.excluded[c.name] for c in table.columns if c.name != "key"}
    newer = statement.excluded.source_offset > table.c.source_offset
    await session.execute(statement.on_conflict_do_update(index_elements=["key"], set_=updates, where=newer), rows)


async def _delete_older(session: AsyncSession, table: Any, rows: list[dict[str, Any]]) -> None:
    statement = delete(table).where(table.c.key == bindparam("k"), table.c.source_offset < bindparam("o"))
    await session.execute(statement, [{"k": row["key"], "o": row["source_offset"]} for row in rows])


async def bump_versions(
    session: AsyncSession, pairs: set[tuple[str, str]], changed_at: Any
) -> dict[tuple[str, str], int]:
    """Count one more change for each (indicator, period); return the new versions."""
    if not pairs:
        return {}
    table = CellVersionRow.__table__
    statement = insert_for(session, table)
    statement = statement.on_conflict_do_update(
        index_elements=["indicator", "period"],
        set_={"version": table.c.version + 1, "changed_at": statement.excluded.changed_at},
    ).returning(table.c.indicator, table.c.period, table.c.version)
    rows = [{"indicator": i, "period": p, "version": 1, "changed_at": changed_at} for i, p in sorted(pairs)]
    found: dict[tuple[str, str], int] = {}
    for row in rows:  # one statement per pair: RETURNING with executemany is not portable
        indicator, period, version = (await session.execute(statement, row)).one()
        found[(indicator, period)] = int(version)
    return found


async def changed_versions(session: Any, since: Any) -> dict[tuple[str, str], int]:
    """Versions of the (indicator, period) pairs changed after `since`."""
    rows = await session.execute(
        select(CellVersionRow.indicator, CellVersionRow.period, CellVersionRow.version).where(
            CellVersionRow.changed_at > since
        )
    )
    return {(i, p): int(v) for i, p, v in rows}


async def positions(session: AsyncSession, topic: str) -> dict[int, int]:
    """Next offset to read per partition of `topic` (absent = from the beginning)."""
    result = await session.execute(
        select(FeedPositionRow.partition, FeedPositionRow.next_offset).where(FeedPositionRow.topic == topic)
    )
    return {partition: offset for partition, offset in result}


async def save_positions(session: AsyncSession, topic: str, next_offsets: dict[int, int]) -> None:
    if not next_offsets:
        return
    table = FeedPositionRow.__table__
    statement = insert_for(session, table)
    rows = [{"topic": topic, "partition": p, "next_offset": o} for p, o in next_offsets.items()]
    forward = statement.excluded.next_offset > table.c.next_offset  # positions never move back
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["topic", "partition"], set_={"next_offset": statement.excluded.next_offset}, where=forward
        ),
        rows,
    )


async def latest_update(session: AsyncSession) -> Any:
    """The newest change time in the read model (rows or deletions), to keep change times increasing."""
    rows = (await session.execute(select(func.max(AggregateRow.updated_at)))).scalar()
    gone = (await session.execute(select(func.max(DeletionRow.deleted_at)))).scalar()
    return max((t for t in (rows, gone) if t is not None), default=None)
