"""The SDMX structure the data messages refer to: codelists from the catalog, concepts, DSDs, dataflows."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request, Response

from dantoc_gateway.api import params
from dantoc_gateway.api.answers import choose_format, raw_params, respond
from dantoc_gateway.api.deps import CallerDep, RuntimeDep
from dantoc_gateway.api.figures import PROBLEMS
from dantoc_gateway.domain.problems import Problems
from dantoc_gateway.formats.negotiate import MEDIA, STRUCTURE_JSON, Format
from dantoc_gateway.formats.sdmx_ml import render_structure_ml
from dantoc_gateway.formats.sdmx_structure import render_structure_json
from dantoc_gateway.services.runtime import Rendered
from dantoc_gateway.services.structure import codelists

router = APIRouter(prefix="/v1/sdmx", tags=["sdmx"])
FORMATS = (Format.SDMX_JSON, Format.SDMX_ML)
_BINARY = {"schema": {"type": "string", "format": "binary"}}


@router.get(
    "/structure",
    openapi_extra=params.documented(params.STRUCTURE, tuple(FORMATS)),
    response_class=Response,
    responses={
        200: {
            "description": "SDMX structure message.",
            "content": {STRUCTURE_JSON: {"schema": {"type": "object"}}, MEDIA[Format.SDMX_ML].type: _BINARY},
        },
        **PROBLEMS,
    },
)
async def structure(request: Request, runtime: RuntimeDep, caller: CallerDep) -> Response:
    """The data structure definitions (GSO 1979 and 2008 ethnic codes) and codelists, as SDMX-JSON or SDMX-ML."""

    problems = Problems()
    raw_params(request, problems, params.STRUCTURE)
    fmt = choose_format(request, FORMATS, problems)
    problems.raise_if_any()

    async def produce() -> Rendered:
        prepared = datetime.now(UTC).isoformat()
        found = codelists(runtime.catalog)
        if fmt is Format.SDMX_ML:
            return Rendered(render_structure_ml(found, prepared), MEDIA[Format.SDMX_ML].type)
        return Rendered(render_structure_json(found, prepared), STRUCTURE_JSON)

    return await respond(request, runtime, caller, fmt, produce, runtime.state.catalog_version)
