"""Completeness: for a unit and period, which units below it reported, declared no data, or are silent."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from dantoc_gateway.api import models, params
from dantoc_gateway.api.answers import choose_format, download_headers, next_url, raw_params, respond
from dantoc_gateway.api.deps import CallerDep, RuntimeDep
from dantoc_gateway.api.figures import ok
from dantoc_gateway.domain.access import Caller
from dantoc_gateway.domain.problems import Problems
from dantoc_gateway.formats.completeness_out import (
    COMPLETENESS_COLUMNS,
    completeness_rows,
    groups_json,
    summary_json,
    units_json,
)
from dantoc_gateway.formats.csv_out import render_csv
from dantoc_gateway.formats.json_out import dumps, meta_json
from dantoc_gateway.formats.negotiate import MEDIA, Format
from dantoc_gateway.formats.xlsx_out import render_xlsx
from dantoc_gateway.services.completeness import CompletenessReport, parse_completeness, report
from dantoc_gateway.services.labels import Labels
from dantoc_gateway.services.runtime import Rendered

router = APIRouter(prefix="/v1", tags=["completeness"])
FORMATS = (Format.JSON, Format.CSV, Format.XLSX)


def _json(found: CompletenessReport, labels: Labels, caller: Caller, link: str | None) -> dict[str, Any]:
    query = found.query
    return {
        "meta": meta_json(found.page, caller, next_url=link, ethnic_list=query.output.ethnic_list.value),
        "unit": {"code": query.unit, "name": labels.unit(query.unit, str(query.period))},
        "period": str(query.period),
        "summary": summary_json(found),
        "groups": groups_json(found, labels),
        "units": units_json(found, labels),
    }


def _render(request: Request, caller: Caller, found: CompletenessReport, labels: Labels, fmt: Format) -> Rendered:
    query, lang = found.query, found.query.output.lang
    link = next_url(request, found.page.has_next, found.page.number)
    name = f"dantoc-completeness-{query.unit}-{query.period}"
    headers = download_headers(fmt, name, total=found.page.total, link=link)
    if fmt is Format.JSON:
        body = dumps(_json(found, labels, caller, link))
    elif fmt is Format.CSV:
        body = render_csv(COMPLETENESS_COLUMNS, completeness_rows(found, labels, lang), lang)
    else:
        title = f"Tình hình báo cáo: {labels.unit(query.unit, str(query.period))}, kỳ {query.period}"
        rows = completeness_rows(found, labels, lang)
        body = render_xlsx(COMPLETENESS_COLUMNS, rows, lang, title=title, subtitle=str(request.url.query))
    return Rendered(body, MEDIA[fmt].type, headers)


@router.get(
    "/completeness",
    openapi_extra=params.documented(params.COMPLETENESS, tuple(FORMATS)),
    response_model=models.Completeness,
    responses=ok("Reporting status below the unit.", FORMATS),
)
async def completeness(
    request: Request,
    runtime: RuntimeDep,
    caller: CallerDep,
) -> Response:
    """Which reporting units below a unit reported, declared no data, or are silent, per indicator group."""
    problems = Problems()
    raw = raw_params(request, problems, params.COMPLETENESS)
    fmt = choose_format(request, FORMATS, problems)
    query = parse_completeness(runtime.catalog, caller, raw, runtime.limits, problems)

    async def produce() -> Rendered:
        async with runtime.engine.connect() as connection:
            found = await report(connection, runtime.catalog, query)
        return _render(request, caller, found, runtime.labels(), fmt)

    depends_on = runtime.state.version_of(query.indicators, [str(query.period)])
    return await respond(request, runtime, caller, fmt, produce, depends_on)
