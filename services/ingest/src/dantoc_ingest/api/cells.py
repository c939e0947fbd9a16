"""Cells: current values of a unit and period, and every version of each cell (the audit trail)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from dantoc_contracts.access import Principal
from dantoc_contracts.catalog_view import CatalogView
from dantoc_ingest.api.deps import Caller, Catalog, Ctx
from dantoc_ingest.api.problems import forbidden
from dantoc_ingest.services.authorization import may_read, own_rows_only, read_denial
from dantoc_ingest.services.queries import cell_history, current_cells

router = APIRouter(prefix="/cells", tags=["cells"])
Unit = Annotated[str, Query(description="Administrative unit code.", examples=["00715"])]
PeriodQ = Annotated[str, Query(description="Period, e.g. 2024.", examples=["2024"])]


class CellOut(BaseModel):
    indicator: str
    disaggregation_key: str = Field(description="ethnic|sex|age_group|residence, `_T` for totals.")
    value: str | None = Field(description="The number as decimal text; null for no data or a deleted cell.")
    no_data: bool
    no_data_reason: str | None
    revision: int
    submission_id: str
    agency: str
    accepted_at: datetime


class CellVersionOut(BaseModel):
    indicator: str
    disaggregation_key: str
    revision: int
    outcome: str = Field(description="created, updated, retracted or deleted.")
    value: str | None
    no_data: bool
    no_data_reason: str | None
    original_ethnic: str | None = Field(description="The ethnic group as submitted (list:code) when translated.")
    submission_id: str
    agency: str
    submitted_by: str = Field(description="Token subject (HTTP) or `agency:<code>` (Kafka).")
    accepted_at: datetime


def _readable(caller: Principal, catalog: CatalogView, unit_code: str, period: str) -> None:
    if not may_read(caller, catalog, unit_code, period):
        raise forbidden([read_denial(caller, catalog, unit_code)])


@router.get("", response_model=list[CellOut])
async def get_cells(
    ctx: Ctx,
    catalog: Catalog,
    caller: Caller,
    unit_code: Unit,
    period: PeriodQ,
    indicator: Annotated[list[str] | None, Query(description="Only these indicators.")] = None,
) -> list[CellOut]:
    """Current content and revision of every cell of a unit and period."""
    _readable(caller, catalog, unit_code, period)
    rows = await current_cells(ctx, unit_code, period, indicator or [])
    own = own_rows_only(caller)
    return [CellOut.model_validate(row, from_attributes=True) for row in rows if own in (None, row.agency)]


@router.get("/history", response_model=list[CellVersionOut])
async def get_history(
    ctx: Ctx,
    catalog: Catalog,
    caller: Caller,
    unit_code: Unit,
    period: PeriodQ,
    indicator: Annotated[str | None, Query(description="Only this indicator.")] = None,
    disaggregation_key: Annotated[str | None, Query(description="Only this cell, e.g. GSO1979:02|2|_T|_T.")] = None,
) -> list[CellVersionOut]:
    """Every version of each cell, oldest first: what, who, when, from which submission."""
    _readable(caller, catalog, unit_code, period)
    rows = await cell_history(ctx, unit_code, period, indicator, disaggregation_key)
    own = own_rows_only(caller)
    return [CellVersionOut.model_validate(row, from_attributes=True) for row in rows if own in (None, row.agency)]
