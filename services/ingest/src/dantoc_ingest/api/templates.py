"""Downloadable templates: per unit, period and indicator group, prefilled with codes, labels and current values."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from dantoc_ingest.api.deps import Caller, Catalog, Ctx
from dantoc_ingest.api.problems import ProblemError
from dantoc_ingest.services.templates import XLSX, TemplateProblems, template_file

router = APIRouter(prefix="/templates", tags=["templates"])
ETHNIC = "Ethnic groups to offer (GSO 1979 codes, comma-separated); default: those the unit or its neighbours reported."
BREAKDOWN = "standard: totals, each dimension alone and ethnic group × sex; full: every combination."


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
    try:
        template = await template_file(
            ctx,
            catalog,
            caller,
            unit_code=unit_code,
            period=period,
            group=group,
            format=format,
            ethnic=ethnic,
            breakdown=breakdown,
            extra_rows=extra_rows,
        )
    except TemplateProblems as error:
        raise ProblemError(422, error.problems) from None
    disposition = f'attachment; filename="{template.name}"'
    return Response(template.body, media_type=template.media_type, headers={"Content-Disposition": disposition})
