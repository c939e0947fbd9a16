"""Catalog look-ups for pickers: indicators with their groups, and units below a unit on a period's map."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from dantoc_gateway.api import params
from dantoc_gateway.api.answers import raw_params
from dantoc_gateway.api.deps import CallerDep, RuntimeDep
from dantoc_gateway.api.figures import PROBLEMS
from dantoc_gateway.domain.params import ParamReader
from dantoc_gateway.domain.problems import Problems

router = APIRouter(prefix="/v1", tags=["catalog"])


class IndicatorItem(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(examples=["0401"])
    group_code: str = Field(examples=["04"])
    group_name_vi: str
    group_name_en: str
    name_vi: str = Field(examples=["Số hộ nghèo là hộ dân tộc thiểu số"])
    name_en: str = Field(examples=["Number of poor ethnic minority households"])
    unit_vi: str
    unit_en: str
    aggregation: str = Field(examples=["LAST"])
    period_type: str = Field(examples=["year"])
    lowest_level: str = Field(examples=["commune"])
    disaggregations: list[str]


class UnitItem(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(examples=["026"])
    name: str = Field(examples=["Huyện Đồng Văn"])
    level: str = Field(examples=["district"])
    parent_code: str | None


@router.get(
    "/indicators",
    openapi_extra=params.documented(params.INDICATORS),
    response_model=list[IndicatorItem],
    responses=PROBLEMS,
)
async def indicators(request: Request, runtime: RuntimeDep, caller: CallerDep) -> list[dict[str, Any]]:
    """The catalog's indicators (newest definition), optionally of some groups, with Vietnamese and English names."""
    problems = Problems()
    raw = raw_params(request, problems, params.INDICATORS)
    groups = ParamReader(runtime.catalog, problems, runtime.settings.max_codes_per_parameter).groups(raw.get("group"))
    problems.raise_if_any()
    found = []
    for code, indicator in sorted(runtime.catalog.indicators.items()):
        if groups and indicator.group_code not in groups:
            continue
        latest = indicator.versions[-1]
        named = runtime.catalog.groups.get(indicator.group_code)
        found.append(
            {
                "code": code,
                "group_code": indicator.group_code,
                "group_name_vi": named.name_vi if named else indicator.group_code,
                "group_name_en": named.name_en if named else indicator.group_code,
                "name_vi": latest.name_vi,
                "name_en": latest.name_en,
                "unit_vi": latest.unit_vi,
                "unit_en": latest.unit_en,
                "aggregation": latest.aggregation.value,
                "period_type": latest.period_type.value,
                "lowest_level": latest.lowest_level.value,
                "disaggregations": list(latest.disaggregations),
            }
        )
    return found


@router.get("/units", openapi_extra=params.documented(params.UNITS), response_model=list[UnitItem], responses=PROBLEMS)
async def units(
    request: Request,
    runtime: RuntimeDep,
    caller: CallerDep,
) -> list[dict[str, Any]]:
    """The direct children of a unit (default `VN`) on the map valid at the end of `period`."""
    problems = Problems()
    raw = raw_params(request, problems, params.UNITS)
    reader = ParamReader(runtime.catalog, problems, runtime.settings.max_codes_per_parameter)
    parent = reader.unit("unit", raw.get("unit") or "VN")
    on = reader.period("period", raw.get("period"))
    problems.raise_if_any()
    assert parent is not None
    assert on is not None
    return [
        {"code": u.code, "name": f"{u.type} {u.name}", "level": u.level.value, "parent_code": u.parent_code}
        for u in runtime.catalog.children(parent, on.end)
    ]
