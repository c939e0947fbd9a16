"""The figures query: one statement per shape of selection, built and compiled once; the total rides on the page."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import Select, and_, bindparam, func, or_, select

from dantoc_gateway.db.models import AggregateRow
from dantoc_gateway.db.queries import COLUMNS, JOIN, ORDER, A, Reader, T
from dantoc_gateway.domain.selection import Observation, Selection

Shape = tuple[tuple[tuple[bool, bool], ...], tuple[bool, ...]]


def _shape(selection: Selection) -> Shape:
    blocks = tuple((b.units is not None, b.level is not None) for b in selection.blocks)
    return blocks, tuple(f.codes is not None for f in selection.dimensions().values())


def _conditions(shape: Shape) -> list[Any]:
    blocks = []
    for i, (units, level) in enumerate(shape[0]):
        parts: list[Any] = [A.period.in_(bindparam(f"p{i}", expanding=True))]
        if units:
            parts.append(A.unit_code.in_(bindparam(f"u{i}", expanding=True)))
        if level:
            parts.append(A.unit_level == bindparam(f"l{i}"))
        blocks.append(and_(*parts))
    conditions = [A.indicator.in_(bindparam("indicators", expanding=True)), or_(*blocks)]
    for name, filtered in zip(("ethnic_group", "sex", "age_group", "residence"), shape[1], strict=True):
        if filtered:
            conditions.append(A[name].in_(bindparam(f"d_{name}", expanding=True)))
    return conditions


@lru_cache(maxsize=256)
def _page(shape: Shape) -> Select[Any]:
    columns = (*COLUMNS, func.count().over().label("total"))
    statement = select(*columns).select_from(AggregateRow.__table__.outerjoin(T, JOIN)).where(*_conditions(shape))
    return statement.order_by(*ORDER).limit(bindparam("limit")).offset(bindparam("offset"))


@lru_cache(maxsize=256)
def _count(shape: Shape) -> Select[Any]:
    return select(func.count()).select_from(AggregateRow.__table__).where(*_conditions(shape))


def _params(selection: Selection) -> dict[str, Any]:
    params: dict[str, Any] = {"indicators": list(selection.indicators)}
    for i, block in enumerate(selection.blocks):
        params[f"p{i}"] = list(block.periods)
        if block.units is not None:
            params[f"u{i}"] = list(block.units)
        if block.level is not None:
            params[f"l{i}"] = block.level
    for name, wanted in selection.dimensions().items():
        if wanted.codes is not None:
            params[f"d_{name}"] = list(wanted.codes)
    return params


async def figures_page(
    reader: Reader, selection: Selection, *, offset: int, limit: int
) -> tuple[list[Observation], int]:
    """One page of the selected figures (indicator, period, unit, cell order) and the total over all pages."""
    if not selection.blocks or not selection.indicators:
        return [], 0
    shape, params = _shape(selection), _params(selection)
    rows = (await reader.execute(_page(shape), {**params, "limit": limit, "offset": offset})).all()
    if rows:
        return [Observation._make((*row[:-1], False)) for row in rows], int(rows[0][-1])
    if offset == 0:
        return [], 0
    return [], int((await reader.execute(_count(shape), params)).scalar_one())  # a page past the end
