"""Bulk reads and upserts. Every function takes the connection of the current unit of work explicitly."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from dantoc_aggregate.db.models import aggregates, consumer_offsets, counters, leaf_cells
from dantoc_aggregate.domain.fold import AggKey
from dantoc_aggregate.domain.state import AggregateState
from dantoc_contracts.aggregates import aggregate_key_of
from dantoc_contracts.catalog import Aggregation

COMMUNE_DEPTH = 3
CHUNK = 5000
"""Keys per `IN (...)` list: below the bound-parameter limits of SQLite and asyncpg."""


@dataclass(slots=True)
class StoredCell:
    """A leaf cell as stored: its value (None for "no data") and the revision that set it."""

    value: Decimal | None
    revision: int
    accepted_us: int


def _chunks(items: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


async def upsert(conn: AsyncConnection, table: Table, rows: list[dict[str, Any]]) -> None:
    """INSERT ... ON CONFLICT (primary key) DO UPDATE for a list of rows, as one executemany per chunk."""
    if not rows:
        return
    insert = pg_insert(table) if conn.dialect.name == "postgresql" else sqlite_insert(table)
    keys = [column.name for column in table.primary_key.columns]
    update = {name: insert.excluded[name] for name in rows[0] if name not in keys}
    statement = insert.on_conflict_do_update(index_elements=keys, set_=update)
    for chunk in _chunks(rows):
        await conn.execute(statement, list(chunk))


async def upper_triples(conn: AsyncConnection) -> set[tuple[str, str, str]]:
    """(indicator, unit, period) of every stored aggregate above the communes."""
    query = (
        select(aggregates.c.indicator, aggregates.c.unit, aggregates.c.period)
        .where(aggregates.c.depth < COMMUNE_DEPTH)
        .distinct()
    )
    return {(indicator, unit, period) for indicator, unit, period in await conn.execute(query)}


async def driver_of(conn: AsyncConnection) -> Any:
    """The asyncpg connection under a PostgreSQL connection (for COPY and array parameters), inside the unit of
    work's transaction: SQLAlchemy sends BEGIN only with its first statement, so one is sent if none was yet."""
    driver = (await conn.get_raw_connection()).driver_connection
    assert driver is not None
    if not driver.is_in_transaction():
        await conn.exec_driver_sql("SELECT 1")
    return driver


async def _fetch_any(conn: AsyncConnection, sql: str, keys: Sequence[str]) -> list[Any]:
    """PostgreSQL: rows of `sql` whose `$1` is an array of keys: one statement text whatever the number of keys,
    so it is prepared once (an `IN` list of bound parameters is a new statement per length, and costly to send)."""
    return list(await (await driver_of(conn)).fetch(sql, list(keys)))


async def existing_groups(conn: AsyncConnection, gkeys: Sequence[str]) -> set[str]:
    """The groups among these that have stored cells."""
    if conn.dialect.name == "postgresql":
        sql = "SELECT DISTINCT gkey FROM leaf_cells WHERE gkey = ANY($1::varchar[])"
        return {gkey for (gkey,) in await _fetch_any(conn, sql, gkeys)}
    found: set[str] = set()
    for chunk in _chunks(gkeys):
        query = select(leaf_cells.c.gkey).where(leaf_cells.c.gkey.in_(chunk)).distinct()
        found.update(gkey for (gkey,) in await conn.execute(query))
    return found


async def load_cells(conn: AsyncConnection, gkeys: Sequence[str]) -> dict[str, dict[str, StoredCell]]:
    """The stored cells of these groups: gkey → dkey → cell."""
    found: dict[str, dict[str, StoredCell]] = {}
    if conn.dialect.name == "postgresql":
        sql = "SELECT gkey, dkey, value, revision, accepted_us FROM leaf_cells WHERE gkey = ANY($1::varchar[])"
        for gkey, dkey, value, revision, accepted_us in await _fetch_any(conn, sql, gkeys):
            found.setdefault(gkey, {})[dkey] = StoredCell(value, revision, accepted_us)
        return found
    columns = (
        leaf_cells.c.gkey,
        leaf_cells.c.dkey,
        leaf_cells.c.value,
        leaf_cells.c.revision,
        leaf_cells.c.accepted_us,
    )
    for chunk in _chunks(gkeys):
        result = await conn.execute(select(*columns).where(leaf_cells.c.gkey.in_(chunk)))
        for gkey, dkey, value, revision, accepted_us in result:
            found.setdefault(gkey, {})[dkey] = StoredCell(value, revision, accepted_us)
    return found


_LEVEL_COLUMNS = {0: "", 1: "n1", 2: "n2", 3: "n3"}
"""The `leaf_cells` column holding the unit of each depth on the cell's map (none for the nation)."""


async def cells_below(
    conn: AsyncConnection, indicator: str, period: str, node: str, depth: int
) -> dict[str, dict[str, Decimal | None]]:
    """All groups of one indicator and period at or below `node`: gkey → dkey → value (to find extremes again)."""
    found: dict[str, dict[str, Decimal | None]] = {}
    if conn.dialect.name == "postgresql":  # straight from the driver: a national recount reads every commune's cells
        if depth not in _LEVEL_COLUMNS:
            raise ValueError(f"not a depth: {depth!r}")
        where = f" AND {_LEVEL_COLUMNS[depth]} = $3" if depth else ""
        sql = f"SELECT gkey, dkey, value FROM leaf_cells WHERE indicator = $1 AND period = $2{where}"
        arguments = (indicator, period, node) if depth else (indicator, period)
        for gkey, dkey, value in await (await driver_of(conn)).fetch(sql, *arguments):
            found.setdefault(gkey, {})[dkey] = value
        return found
    query = select(leaf_cells.c.gkey, leaf_cells.c.dkey, leaf_cells.c.value).where(
        leaf_cells.c.indicator == indicator, leaf_cells.c.period == period
    )
    if depth > 0:
        query = query.where(leaf_cells.c[f"n{depth}"] == node)
    for gkey, dkey, value in await conn.execute(query):
        found.setdefault(gkey, {})[dkey] = value
    return found


STATE_COLUMNS = (
    "indicator",
    "unit",
    "period",
    "dkey",
    "aggregation",
    "total",
    "count",
    "low",
    "high",
    "reported",
    "no_data",
    "expected",
    "newest_us",
    "value",
    "numerator",
    "denominator",
    "newest_submission_id",
)


_AGGREGATIONS = {member.value: member for member in Aggregation}
_SELECT_STATES = f"SELECT {', '.join(STATE_COLUMNS)} FROM aggregates WHERE akey = ANY($1::varchar[])"


def _state(row: Any) -> AggregateState:
    """A stored row (columns in `STATE_COLUMNS` order, the dataclass's own field order) as a state."""
    state = AggregateState(*row)
    state.aggregation = _AGGREGATIONS[state.aggregation]
    return state


async def load_states(conn: AsyncConnection, keys: Iterable[AggKey]) -> dict[AggKey, AggregateState]:
    """The stored aggregates among these keys (absent keys are simply missing)."""
    wanted = [aggregate_key_of(*key) for key in keys]
    found: dict[AggKey, AggregateState] = {}
    if conn.dialect.name == "postgresql":
        if wanted:
            for row in await _fetch_any(conn, _SELECT_STATES, wanted):
                state = _state(row)
                found[(state.indicator, state.unit, state.period, state.dkey)] = state
        return found
    columns = [aggregates.c[name] for name in STATE_COLUMNS]
    for chunk in _chunks(wanted):
        for row in await conn.execute(select(*columns).where(aggregates.c.akey.in_(chunk))):
            state = _state(row)
            found[(state.indicator, state.unit, state.period, state.dkey)] = state
    return found


def state_row(state: AggregateState, depth: int, seq: int) -> dict[str, Any]:
    row = {name: getattr(state, name) for name in STATE_COLUMNS}
    row.update(
        akey=aggregate_key_of(state.indicator, state.unit, state.period, state.dkey),
        aggregation=state.aggregation.value,
        depth=depth,
        changed_seq=seq,
    )
    return row


async def changed_since(conn: AsyncConnection, seq: int) -> list[AggregateState]:
    """Aggregates changed by batches after `seq` (the outbox: not yet known to be published)."""
    columns = [aggregates.c[name] for name in STATE_COLUMNS]
    result = await conn.execute(select(*columns).where(aggregates.c.changed_seq > seq))
    return [_state(row) for row in result]


async def all_states(conn: AsyncConnection) -> dict[AggKey, AggregateState]:
    columns = [aggregates.c[name] for name in STATE_COLUMNS]
    found: dict[AggKey, AggregateState] = {}
    for row in await conn.execute(select(*columns)):
        state = _state(row)
        found[(state.indicator, state.unit, state.period, state.dkey)] = state
    return found


async def load_offsets(conn: AsyncConnection, topic: str) -> dict[int, int]:
    query = select(consumer_offsets.c.partition, consumer_offsets.c.next_offset).where(
        consumer_offsets.c.topic == topic
    )
    return {partition: offset for partition, offset in await conn.execute(query)}


async def save_offsets(conn: AsyncConnection, topic: str, offsets: dict[int, int]) -> None:
    rows = [{"topic": topic, "partition": p, "next_offset": o} for p, o in offsets.items()]
    await upsert(conn, consumer_offsets, rows)


async def read_counter(conn: AsyncConnection, name: str) -> int:
    value = await conn.scalar(select(counters.c.value).where(counters.c.name == name))
    return int(value or 0)


async def write_counter(conn: AsyncConnection, name: str, value: int) -> None:
    await upsert(conn, counters, [{"name": name, "value": value}])
