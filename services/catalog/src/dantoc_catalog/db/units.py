"""Administrative units and the unit conversion, with date-aware hierarchy queries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Literal

from sqlalchemy import ColumnElement, and_, delete, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from dantoc_catalog.db.models import AdminUnitRow, UnitConversionRow
from dantoc_catalog.domain.reference import Conversion
from dantoc_catalog.domain.units import AdminUnit
from dantoc_contracts.codes import NATIONAL_UNIT_CODE, UnitLevel

BATCH = 2000


def _unit(row: AdminUnitRow) -> AdminUnit:
    return AdminUnit(row.code, UnitLevel(row.level), row.name, row.type, row.parent_code, row.valid_from, row.valid_to)


def _valid_on(on: date) -> ColumnElement[bool]:
    return and_(
        or_(AdminUnitRow.valid_from.is_(None), AdminUnitRow.valid_from <= on),
        or_(AdminUnitRow.valid_to.is_(None), AdminUnitRow.valid_to >= on),
    )


def _conversion(row: UnitConversionRow) -> Conversion:
    kind: Literal["whole", "partial"] = "whole" if row.kind == "whole" else "partial"
    share = None if row.area_share is None else Decimal(row.area_share)
    return Conversion(row.old_code, row.new_code, kind, share, row.effective)


class UnitRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_units(self, units: Sequence[AdminUnit]) -> None:
        rows = [vars(unit) | {"level": unit.level.value} for unit in units]
        for start in range(0, len(rows), BATCH):
            await self.session.execute(insert(AdminUnitRow), rows[start : start + BATCH])

    async def replace_units(self, units: Sequence[AdminUnit]) -> None:
        """Make the units exactly `units` (every map), stored in the given order."""
        await self.session.execute(delete(AdminUnitRow))
        await self.add_units(units)

    async def add_conversions(self, conversions: Sequence[Conversion]) -> None:
        rows = [
            {**vars(c), "area_share": None if c.area_share is None else format(c.area_share, "f")} for c in conversions
        ]
        for start in range(0, len(rows), BATCH):
            await self.session.execute(insert(UnitConversionRow), rows[start : start + BATCH])

    async def all_units(self) -> list[AdminUnit]:
        """Every unit of every map, in the order they were stored (plain rows: no ORM objects for 14k units)."""
        c = AdminUnitRow
        query = select(c.code, c.level, c.name, c.type, c.parent_code, c.valid_from, c.valid_to).order_by(c.id)
        return [
            AdminUnit(code, UnitLevel(level), name, type_, parent, start, end)
            for code, level, name, type_, parent, start, end in await self.session.execute(query)
        ]

    async def all_conversions(self) -> list[Conversion]:
        c = UnitConversionRow
        query = select(c.old_code, c.new_code, c.kind, c.area_share, c.effective).order_by(c.old_code, c.new_code)
        return [
            Conversion(
                old, new, "whole" if kind == "whole" else "partial", None if share is None else Decimal(share), day
            )
            for old, new, kind, share, day in await self.session.execute(query)
        ]

    async def versions(self, code: str) -> list[AdminUnit]:
        """Every unit that has carried this code, in any map, oldest first."""
        query = select(AdminUnitRow).where(AdminUnitRow.code == code).order_by(AdminUnitRow.valid_from.nulls_first())
        return [_unit(row) for row in await self.session.scalars(query)]

    async def unit(self, code: str, on: date) -> AdminUnit | None:
        row = await self.session.scalar(select(AdminUnitRow).where(AdminUnitRow.code == code, _valid_on(on)).limit(1))
        return None if row is None else _unit(row)

    async def children(self, codes: Sequence[str], on: date) -> list[AdminUnit]:
        """The units directly under any of `codes` on that day (`VN` stands for the nation), by code."""
        wanted = [code for code in codes if code != NATIONAL_UNIT_CODE]
        parent: ColumnElement[bool] | None = AdminUnitRow.parent_code.in_(wanted) if wanted else None
        if NATIONAL_UNIT_CODE in codes:
            top = and_(AdminUnitRow.parent_code.is_(None), AdminUnitRow.level == UnitLevel.PROVINCE.value)
            parent = top if parent is None else or_(parent, top)
        if parent is None:
            return []
        rows = await self.session.scalars(select(AdminUnitRow).where(parent, _valid_on(on)).order_by(AdminUnitRow.code))
        return [_unit(row) for row in rows]

    async def conversion(self, old_code: str) -> list[Conversion]:
        query = (
            select(UnitConversionRow).where(UnitConversionRow.old_code == old_code).order_by(UnitConversionRow.new_code)
        )
        return [_conversion(row) for row in await self.session.scalars(query)]
