"""Bulk writes of one batch: leaf cells and aggregate rows, inserted when known to be new, upserted otherwise.

PostgreSQL: `COPY` (straight into the table for new rows; into a temporary staging table, then one set-based
`INSERT ... SELECT ... ON CONFLICT DO UPDATE`, for upserts). Aggregate rows go as COPY *text* written straight from
the states: asyncpg's binary encoding of a decimal costs ~1.4 µs, a third of a whole row, while PostgreSQL parses
the decimal text exactly and cheaply. SQLite: the driver's executemany of tuples (decimals as exact text through
the adapter the engine registers). Every function takes the connection of the current unit of work.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncConnection

from dantoc_aggregate.db.models import aggregates
from dantoc_aggregate.db.repository import STATE_COLUMNS, driver_of
from dantoc_aggregate.domain.rules import depth_of
from dantoc_aggregate.domain.state import AggregateState

AGGREGATE_COLUMNS = ("akey", "depth", "changed_seq", *STATE_COLUMNS)
NULL = "\\N"
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_ESCAPED: dict[str | None, str] = {None: NULL}
_ESCAPED_MAX = 200_000
_DEPTHS = {5: 3, 3: 2}  # `depth_of` without the call for communes and districts (a province's depth may be 0: VN)


@lru_cache(maxsize=32)
def _upsert_sql(table: Table, columns: tuple[str, ...]) -> str:
    keys = [column.name for column in table.primary_key.columns]
    updates = ", ".join(f"{name} = excluded.{name}" for name in columns if name not in keys)
    names = ", ".join(f'"{name}"' for name in columns)
    marks = ", ".join("?" for _ in columns)
    conflict = f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}"
    return f"INSERT INTO {table.name} ({names}) VALUES ({marks}) {conflict}"


@lru_cache(maxsize=32)
def _from_staging_sql(table: Table, columns: tuple[str, ...]) -> str:
    keys = [column.name for column in table.primary_key.columns]
    updates = ", ".join(f"{name} = excluded.{name}" for name in columns if name not in keys)
    names = ", ".join(f'"{name}"' for name in columns)
    return (
        f"INSERT INTO {table.name} ({names}) SELECT {names} FROM staging_{table.name} "
        f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}; DELETE FROM staging_{table.name}"
    )


@lru_cache(maxsize=32)
def _insert_sql(table: Table, columns: tuple[str, ...]) -> str:
    names = ", ".join(f'"{name}"' for name in columns)
    return f"INSERT INTO {table.name} ({names}) VALUES ({', '.join('?' for _ in columns)})"


async def _staging(conn: AsyncConnection, table: Table) -> str:
    staging = f"staging_{table.name}"
    await conn.exec_driver_sql(
        f"CREATE TEMP TABLE IF NOT EXISTS {staging} (LIKE {table.name} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
    )
    return staging


async def insert_rows(
    conn: AsyncConnection, table: Table, columns: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> None:
    """Insert rows known not to exist yet (a wrong guess fails the transaction on the primary key, loudly)."""
    if not rows:
        return
    if conn.dialect.name != "postgresql":
        await conn.exec_driver_sql(_insert_sql(table, columns), rows)
        return
    await (await driver_of(conn)).copy_records_to_table(table.name, records=rows, columns=list(columns))


async def upsert_rows(
    conn: AsyncConnection, table: Table, columns: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> None:
    """Insert or update by primary key (keys must be unique among the rows)."""
    if not rows:
        return
    if conn.dialect.name != "postgresql":
        await conn.exec_driver_sql(_upsert_sql(table, columns), rows)
        return
    staging = await _staging(conn, table)
    driver = await driver_of(conn)
    await driver.copy_records_to_table(staging, records=rows, columns=list(columns))
    await driver.execute(_from_staging_sql(table, columns))  # one round trip


async def write_aggregates(
    conn: AsyncConnection, seq: int, created: list[AggregateState], updated: list[AggregateState], *, careful: bool
) -> None:
    """Rows of the states a batch created (inserted; upserted when `careful`) and changed (upserted), stamped with
    the batch number `seq` (the outbox marker)."""
    if conn.dialect.name != "postgresql":
        write_new = upsert_rows if careful else insert_rows
        await write_new(conn, aggregates, AGGREGATE_COLUMNS, [state_tuple(s, seq) for s in created])
        await upsert_rows(conn, aggregates, AGGREGATE_COLUMNS, [state_tuple(s, seq) for s in updated])
        return
    driver = await driver_of(conn)
    if created and not careful:
        await driver.copy_to_table(aggregates.name, source=_copy_text(created, seq), columns=list(AGGREGATE_COLUMNS))
    for states in (created, updated) if careful else (updated,):
        if states:
            staging = await _staging(conn, aggregates)
            await driver.copy_to_table(staging, source=_copy_text(states, seq), columns=list(AGGREGATE_COLUMNS))
            await driver.execute(_from_staging_sql(aggregates, AGGREGATE_COLUMNS))


def state_tuple(state: AggregateState, seq: int) -> tuple[Any, ...]:
    """A row of `aggregates` in `AGGREGATE_COLUMNS` order for SQLite, decimals as their exact text (as the engine's
    adapter would write them, without a call back into Python per value)."""
    return (
        f"{state.indicator}|{state.unit}|{state.period}|{state.dkey}",
        depth_of(state.unit),
        seq,
        state.indicator,
        state.unit,
        state.period,
        state.dkey,
        str(state.aggregation),
        str(state.total),
        state.count,
        None if state.low is None else str(state.low),
        None if state.high is None else str(state.high),
        state.reported,
        state.no_data,
        state.expected,
        state.newest_us,
        None if state.value is None else str(state.value),
        None if state.numerator is None else str(state.numerator),
        None if state.denominator is None else str(state.denominator),
        state.newest_submission_id,
    )


def _escaped(text: str | None) -> str:
    """COPY text field: backslash, tab, newline and carriage return escaped; None is `\\N`."""
    found = _ESCAPED.get(text)
    if found is None:
        assert text is not None
        found = text.translate(_ESCAPES)
        if len(_ESCAPED) < _ESCAPED_MAX:
            _ESCAPED[text] = found
    return found


def _copy_text(states: Iterable[AggregateState], seq: int) -> memoryview:
    """The states as COPY text lines in `AGGREGATE_COLUMNS` order, sorted by key, as a buffer (asyncpg would take
    bytes for a file path). Indicator, unit and period codes are digits and letters by contract; the
    disaggregation key and the submission id are escaped."""
    lines = []
    escaped = _ESCAPED
    for state in states:
        indicator, unit, period = state.indicator, state.unit, state.period
        dkey = escaped.get(state.dkey) or _escaped(state.dkey)
        total = str(state.total)
        value = state.value  # SUM and LAST: the very object `total` is (one decimal formatted, not two)
        value_text = NULL if value is None else total if value is state.total else value
        low = NULL if state.low is None else state.low
        high = NULL if state.high is None else state.high
        numerator = NULL if state.numerator is None else state.numerator
        denominator = NULL if state.denominator is None else state.denominator
        expected = NULL if state.expected is None else state.expected
        submission = escaped.get(state.newest_submission_id) or _escaped(state.newest_submission_id)
        lines.append(
            f"{indicator}|{unit}|{period}|{dkey}\t{_DEPTHS.get(len(unit)) or depth_of(unit)}\t{seq}\t"
            f"{indicator}\t{unit}\t{period}\t{dkey}\t{state.aggregation!s}\t{total}\t"
            f"{state.count}\t{low!s}\t{high!s}\t{state.reported}\t{state.no_data}\t{expected}\t{state.newest_us}\t"
            f"{value_text!s}\t{numerator!s}\t{denominator!s}\t{submission}\n"
        )
    lines.sort()  # in key order: the primary key's B-tree is filled page by page, not at random (half the time)
    return memoryview("".join(lines).encode())
