"""Downloadable templates: per unit, period and indicator group, prefilled with codes, labels and current values."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from dantoc_contracts.problems import Location, ProblemItem
from dantoc_ingest.api.deps import Caller, Catalog, Ctx
from dantoc_ingest.api.problems import ProblemError
from dantoc_ingest.domain.problems import problem
from dantoc_ingest.domain.validation import check_period, check_unit
from dantoc_ingest.files.templates import render_csv, render_xlsx
from dantoc_ingest.services.authorization import may_read, read_denial
from dantoc_ingest.services.templates import build_template

router = APIRouter(prefix="/templates", tags=["templates"])
ETHNIC = "Ethnic groups to offer (GSO 1979 codes, comma-separated); default: those the unit or its neighbours reported."
BREAKDOWN = "standard: totals, each dimension alone and ethnic group × sex; full: every combination."
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("", response_class=Response, responses={200: {"content": {XLSX: {}, "text/csv": {}}}})
async def get_template(
    ctx: Ctx,
    catalog: Catalog,
    caller: Caller,
    unit_code: Annotated[str, Query(description="Administrative unit.", examples=["00715"])],
    period: Annotated[str, Query(description="Period, e.g. 2024.", examples=["2024"])],
    group: Annotated[str | None, Query(description="Indicator group (2 digits); all groups when absent.")] = None,
    format: Annotated[Literal["xlsx", "csv"], Query(description="xlsx (default) or csv.")] = "xlsx",
    ethnic: Annotated[str | None, Query(description=ETHNIC)] = None,
    breakdown: Annotated[Literal["standard", "full"], Query(description=BREAKDOWN)] = "standard",
    extra_rows: Annotated[int, Query(ge=0, le=500, description="Blank rows for other ethnic groups.")] = 20,
) -> Response:
    """Download the template an official fills in and uploads back to /submissions/file."""
    problems: list[ProblemItem] = []
    parsed = check_period(period, problems)
    check_unit(unit_code, parsed, catalog, problems)
    codes = [c.strip().zfill(2) for c in ethnic.split(",") if c.strip()] if ethnic is not None else None
    known = {g.code_gso_1979 for g in catalog.ethnic.groups} if catalog.ethnic else set()
    problems += [
        problem("unknown_ethnic_code", Location(field="ethnic"), c, code_list="GSO1979")
        for c in codes or []
        if c not in known
    ]
    if problems or parsed is None:
        raise ProblemError(422, problems)
    if not may_read(caller, catalog, unit_code, period):
        raise ProblemError(403, [read_denial(caller, catalog, unit_code)])
    spec = await build_template(
        ctx,
        catalog,
        unit_code=unit_code,
        period=parsed,
        group=group,
        agency=caller.agency,
        ethnic=codes,
        breakdown=breakdown,
    )
    name = f"mau-{unit_code}-{period}-{group or 'all'}.{format}"
    body = render_xlsx(spec, catalog, extra_rows=extra_rows) if format == "xlsx" else render_csv(spec, catalog)
    media = XLSX if format == "xlsx" else "text/csv; charset=utf-8"
    return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})
