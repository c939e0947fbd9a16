"""Administrative units at a date (`?on=`): a unit, its children, ancestors and subtree; the 2025 conversion."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from dantoc_catalog.api.deps import OnDate, QueriesDep, not_found
from dantoc_catalog.api.examples import CONVERSION, UNIT, examples
from dantoc_catalog.domain.units import AdminUnit
from dantoc_contracts.codes import UNIT_CODE_PATTERN, UnitLevel

router = APIRouter(prefix="/units", tags=["administrative units"])
UnitPath = Annotated[str, Path(pattern=UNIT_CODE_PATTERN, description="Unit code; VN is the nation.", examples=["08"])]


class UnitOut(BaseModel):
    model_config = ConfigDict(json_schema_extra=examples(UNIT))
    code: str
    level: UnitLevel
    name: str = Field(description="Vietnamese name without the type word.")
    type: str = Field(description="Tỉnh, Thành phố, Huyện, Quận, Thị xã, Xã, Phường, Thị trấn, Đặc khu…")
    parent_code: str | None = Field(description="Parent in the same map; null for provinces and the nation.")
    valid_from: date | None = Field(description="First valid day; null = since before the system's records.")
    valid_to: date | None = Field(description="Last valid day; null = still valid.")

    @classmethod
    def of(cls, u: AdminUnit) -> UnitOut:
        return cls(
            code=u.code,
            level=u.level,
            name=u.name,
            type=u.type,
            parent_code=u.parent_code,
            valid_from=u.valid_from,
            valid_to=u.valid_to,
        )


class TargetOut(BaseModel):
    new_code: str
    kind: str = Field(description="whole: the old unit went entirely into this one; partial: a part of it did.")
    area_share: Decimal | None = Field(description="Share of the old unit's area (0..1), when known.")
    unit: UnitOut | None = Field(description="The new unit on the day of the change.")


class ConversionOut(BaseModel):
    model_config = ConfigDict(json_schema_extra=examples(CONVERSION))
    old_code: str
    effective: date = Field(description="Day the new map took effect.")
    old_units: list[UnitOut] = Field(description="The legacy unit(s) that carried the code before.")
    targets: list[TargetOut]


@router.get("/{code}")
async def get_unit(queries: QueriesDep, code: UnitPath, on: OnDate) -> UnitOut:
    """Get the unit that carries this code on the given day (codes are reused across maps)."""
    unit = await queries.unit(code, on)
    if unit is None:
        raise not_found("code", f"{code} @ {on.isoformat()}")
    return UnitOut.of(unit)


@router.get("/{code}/versions")
async def unit_versions(queries: QueriesDep, code: UnitPath) -> list[UnitOut]:
    """Every unit that has carried this code, in any map, oldest first."""
    return [UnitOut.of(u) for u in await queries.unit_versions(code)]


@router.get("/{code}/children")
async def children(queries: QueriesDep, code: UnitPath, on: OnDate) -> list[UnitOut]:
    """The units directly under this one on the given day (`VN/children` = the provinces)."""
    await _require(queries, code, on)
    return [UnitOut.of(u) for u in await queries.children(code, on)]


@router.get("/{code}/ancestors")
async def ancestors(queries: QueriesDep, code: UnitPath, on: OnDate) -> list[UnitOut]:
    """The units above this one on the given day, nearest first, ending with the nation (VN)."""
    await _require(queries, code, on)
    return [UnitOut.of(u) for u in await queries.ancestors(code, on)]


@router.get("/{code}/subtree")
async def subtree(
    queries: QueriesDep,
    code: UnitPath,
    on: OnDate,
    level: Annotated[UnitLevel | None, Query(description="Only units of this level.")] = None,
) -> list[UnitOut]:
    """Every unit below this one on the given day, by level then code."""
    await _require(queries, code, on)
    return [UnitOut.of(u) for u in await queries.subtree(code, on, level)]


@router.get("/{code}/conversion")
async def conversion(queries: QueriesDep, code: UnitPath) -> ConversionOut:
    """Where a legacy unit went on 2025-07-01: whole or partial merges into new units."""
    found = await queries.conversion(code)
    if found is None:
        raise not_found("code", code)
    targets = [
        TargetOut(new_code=c.new_code, kind=c.kind, area_share=c.area_share, unit=u and UnitOut.of(u))
        for c, u in found.targets
    ]
    return ConversionOut(
        old_code=code,
        effective=found.targets[0][0].effective,
        old_units=[UnitOut.of(u) for u in found.old],
        targets=targets,
    )


async def _require(queries: QueriesDep, code: str, on: date) -> None:
    if await queries.unit(code, on) is None:
        raise not_found("code", f"{code} @ {on.isoformat()}")
