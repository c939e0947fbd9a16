"""The units each agency has submitted for: written from the accepted-values feed, read to resolve agency callers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from dantoc_gateway.db.models import AgencyUnitRow
from dantoc_gateway.db.queries import Reader
from dantoc_gateway.db.repository import insert_for

_CHUNK = 500  # pairs per IN list: far below both backends' parameter limits


async def add_units(session: AsyncSession, rows: list[dict[str, Any]]) -> int:
    """Insert the (agency, unit) pairs not yet known (the first submission stays); return how many were new."""
    if not rows:
        return 0
    table = AgencyUnitRow.__table__
    pairs = [(row["agency"], row["unit_code"]) for row in rows]
    known: set[tuple[str, str]] = set()
    for start in range(0, len(pairs), _CHUNK):
        chunk = pairs[start : start + _CHUNK]
        query = select(table.c.agency, table.c.unit_code).where(tuple_(table.c.agency, table.c.unit_code).in_(chunk))
        known.update((agency, unit) for agency, unit in await session.execute(query))
    new = [row for row in rows if (row["agency"], row["unit_code"]) not in known]
    if new:  # a replica sharing the database may insert the same pair meanwhile: nothing happens twice
        statement = insert_for(session, table).on_conflict_do_nothing(index_elements=["agency", "unit_code"])
        await session.execute(statement, new)
    return len(new)


async def units_of(reader: Reader, agency: str) -> frozenset[str]:
    """Every unit code the agency has submitted values for."""
    rows = await reader.execute(select(AgencyUnitRow.unit_code).where(AgencyUnitRow.agency == agency))
    return frozenset(code for (code,) in rows)
