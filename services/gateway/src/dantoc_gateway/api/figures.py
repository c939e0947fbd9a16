"""Figures: values, drill-down, time series and comparisons, in JSON, CSV, XLSX, SDMX-CSV and SDMX-JSON."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from dantoc_gateway.api import models, params
from dantoc_gateway.api.answers import choose_format, raw_params, respond
from dantoc_gateway.api.deps import CallerDep, RuntimeDep
from dantoc_gateway.api.problems import PROBLEM_CONTENT
from dantoc_gateway.api.render_figures import FIGURE_FORMATS, render_figures
from dantoc_gateway.domain.access import Caller
from dantoc_gateway.domain.problems import Problems
from dantoc_gateway.formats.negotiate import Format, content_types
from dantoc_gateway.services.observations import comparison_params, parse_figures, read_figures
from dantoc_gateway.services.runtime import Rendered, Runtime

router = APIRouter(prefix="/v1", tags=["figures"])

PROBLEMS: dict[int | str, dict[str, Any]] = {
    400: {"description": "Invalid parameters (every fault listed).", **PROBLEM_CONTENT},
    401: {"description": "No valid bearer token.", **PROBLEM_CONTENT},
    403: {"description": "A unit asked for is outside the caller's scope.", **PROBLEM_CONTENT},
    503: {"description": "The catalog is still loading.", **PROBLEM_CONTENT},
}


def _schema(media: str) -> dict[str, str]:
    """SDMX-JSON is JSON (an object); the other exports are files."""
    return {"type": "object"} if "json" in media.split(";")[0] else {"type": "string", "format": "binary"}


def ok(description: str, formats: tuple[Format, ...] = FIGURE_FORMATS) -> dict[int | str, dict[str, Any]]:
    others = {media: {"schema": _schema(media)} for media in content_types(formats)[1:]}
    return {200: {"description": description, "content": others}, **PROBLEMS}


async def _answer(
    request: Request,
    runtime: Runtime,
    caller: Caller,
    declared: tuple[str, ...],
    *,
    name: str,
    drill: bool = False,
    compare: bool = False,
) -> Response:
    problems = Problems()
    raw = raw_params(request, problems, declared)
    fmt = choose_format(request, FIGURE_FORMATS, problems)
    if compare:
        raw = comparison_params(raw, problems)
    query = parse_figures(runtime.catalog, caller, raw, drill=drill, limits=runtime.limits, problems=problems)

    async def produce() -> Rendered:
        async with runtime.engine.connect() as connection:
            figures = await read_figures(connection, query)
        return render_figures(request, runtime, caller, figures, fmt, name=name)

    depends_on = runtime.state.version_of(query.selection.indicators, query.periods)
    return await respond(request, runtime, caller, fmt, produce, depends_on)


@router.get(
    "/values",
    openapi_extra=params.documented(params.VALUES, tuple(FIGURE_FORMATS)),
    response_model=models.Figures,
    responses=ok("Figures with names, paged."),
)
async def values(
    request: Request,
    runtime: RuntimeDep,
    caller: CallerDep,
) -> Response:
    """Figures for indicator(s) × unit(s) × period(s) × disaggregation, with numerator, denominator, completeness."""
    return await _answer(request, runtime, caller, params.VALUES, name="values")


@router.get(
    "/drilldown",
    openapi_extra=params.documented(params.DRILLDOWN, tuple(FIGURE_FORMATS)),
    response_model=models.Drilldown,
    responses=ok("The unit's children with their figures."),
)
async def drilldown(
    request: Request,
    runtime: RuntimeDep,
    caller: CallerDep,
) -> Response:
    """A unit's children (or every unit of `level` below it) with their figures: national → provinces → communes."""
    return await _answer(request, runtime, caller, params.DRILLDOWN, name="drilldown", drill=True)


@router.get(
    "/series",
    openapi_extra=params.documented(params.SERIES, tuple(FIGURE_FORMATS)),
    response_model=models.Figures,
    responses=ok("Figures over periods, oldest first."),
)
async def series(
    request: Request,
    runtime: RuntimeDep,
    caller: CallerDep,
) -> Response:
    """A time series: indicator(s) for unit(s) over `periodFrom`..`periodTo` (or a list of periods)."""
    return await _answer(request, runtime, caller, params.SERIES, name="series")


@router.get(
    "/comparison",
    openapi_extra=params.documented(params.COMPARISON, tuple(FIGURE_FORMATS)),
    response_model=models.Figures,
    responses=ok("Figures across the codes of one dimension."),
)
async def comparison(
    request: Request,
    runtime: RuntimeDep,
    caller: CallerDep,
) -> Response:
    """Compare ethnic groups (or sexes, age groups, residence) for indicator(s), unit(s) and period(s)."""
    return await _answer(request, runtime, caller, params.COMPARISON, name="comparison", compare=True)
