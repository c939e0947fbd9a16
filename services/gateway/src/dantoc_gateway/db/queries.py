"""Reads of the read model: the columns of a figure, reporting statuses, and the change feed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from dantoc_contracts.codes import TOTAL
from dantoc_gateway.db.models import AggregateRow, DeletionRow
from dantoc_gateway.domain.selection import Observation

Reader = AsyncSession | AsyncConnection
A = AggregateRow.__table__.c
T = AggregateRow.__table__.alias("totals")  # the all-totals row carries the completeness of every subset
ORDER = (A.indicator, A.period, A.unit_code, A.ethnic_group, A.sex, A.age_group, A.residence)
COLUMNS = (
    A.indicator,
    A.unit_code,
    A.unit_level,
    A.period,
    A.ethnic_group,
    A.sex,
    A.age_group,
    A.residence,
    A.aggregation,
    A.value,
    A.numerator,
    A.denominator,
    A.count,
    func.coalesce(A.expected, T.c.expected),
    func.coalesce(A.reported, T.c.reported),
    func.coalesce(A.no_data, T.c.no_data),
    func.coalesce(A.silent, T.c.silent),
    A.computed_at,
    A.updated_at,
)
JOIN = and_(
    T.c.indicator == A.indicator,
    T.c.unit_code == A.unit_code,
    T.c.period == A.period,
    T.c.ethnic_group == TOTAL,
    T.c.sex == TOTAL,
    T.c.age_group == TOTAL,
    T.c.residence == TOTAL,
)


async def reporting_rows(
    session: Reader, *, indicators: Sequence[str], period: str, level: str, units: Sequence[str] | None
) -> list[tuple[str, str, str | None, int, int | None, int | None]]:
    """(unit, indicator, value, count, reported, no_data) of the all-totals aggregates of reporting units."""
    conditions = [
        A.indicator.in_(indicators),
        A.period == period,
        A.unit_level == level,
        A.ethnic_group == TOTAL,
        A.sex == TOTAL,
        A.age_group == TOTAL,
        A.residence == TOTAL,
    ]
    if units is not None:
        conditions.append(A.unit_code.in_(units))
    statement = select(A.unit_code, A.indicator, A.value, A.count, A.reported, A.no_data).where(*conditions)
    return [tuple(row) for row in await session.execute(statement)]


def _after(updated: Any, key: Any, cursor: tuple[datetime, str | None]) -> ColumnElement[bool]:
    if cursor[1] is None:
        return updated > cursor[0]  # type: ignore[no-any-return]
    return or_(updated > cursor[0], and_(updated == cursor[0], key > cursor[1]))


async def changes(
    session: Reader,
    *,
    cursor: tuple[datetime, str | None],
    indicators: Sequence[str] | None,
    units: Sequence[str] | None,
    limit: int,
    until: datetime | None = None,
) -> list[tuple[str, Observation]]:
    """Rows and deletions changed after `cursor` (time, key) and not after `until`, oldest first, with their keys."""
    D = DeletionRow.__table__.c
    rows = select(*COLUMNS, A.key).select_from(AggregateRow.__table__.outerjoin(T, JOIN))
    rows = rows.where(_after(A.updated_at, A.key, cursor))
    gone = select(
        D.indicator,
        D.unit_code,
        literal(""),
        D.period,
        D.ethnic_group,
        D.sex,
        D.age_group,
        D.residence,
        D.deleted_at,
        D.key,
    ).where(_after(D.deleted_at, D.key, cursor))
    if indicators is not None:
        rows, gone = rows.where(A.indicator.in_(indicators)), gone.where(D.indicator.in_(indicators))
    if units is not None:
        rows, gone = rows.where(A.unit_code.in_(units)), gone.where(D.unit_code.in_(units))
    if until is not None:
        rows, gone = rows.where(A.updated_at <= until), gone.where(D.deleted_at <= until)
    found = [
        (row[-1], Observation._make((*row[:-1], False)))
        for row in await session.execute(rows.order_by(A.updated_at, A.key).limit(limit))
    ]
    for i, u, level, p, e, s, a, r, at, key in await session.execute(gone.order_by(D.deleted_at, D.key).limit(limit)):
        found.append(
            (
                key,
                Observation(
                    i, u, level, p, e, s, a, r, None, None, None, None, None, None, None, None, None, None, at, True
                ),
            )
        )
    found.sort(key=lambda item: (item[1].updated_at, item[0]))
    return found[:limit]
