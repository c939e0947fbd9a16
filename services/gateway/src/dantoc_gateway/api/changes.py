"""The change feed: everything updated (or deleted) after a time, for incremental sync."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request, Response

from dantoc_gateway.api import models, params
from dantoc_gateway.api.answers import choose_format, download_headers, link_to, raw_params, respond
from dantoc_gateway.api.deps import CallerDep, RuntimeDep
from dantoc_gateway.api.figures import ok
from dantoc_gateway.domain.access import Caller
from dantoc_gateway.domain.problems import Problems
from dantoc_gateway.formats.csv_out import render_csv
from dantoc_gateway.formats.json_out import access_json, dumps, labels_json, observation_json
from dantoc_gateway.formats.negotiate import MEDIA, Format
from dantoc_gateway.formats.sdmx_data import render_sdmx_csv, render_sdmx_json
from dantoc_gateway.formats.table import CHANGE_COLUMNS, table_rows
from dantoc_gateway.services.access import visible_codes
from dantoc_gateway.services.changes import ChangesPage, ChangesQuery, parse_changes, read_changes
from dantoc_gateway.services.labels import Labels
from dantoc_gateway.services.runtime import Rendered, Runtime

router = APIRouter(prefix="/v1", tags=["changes"])
FORMATS = (Format.JSON, Format.CSV, Format.SDMX_CSV, Format.SDMX_JSON)


def _visible(runtime: Runtime, caller: Caller) -> set[str] | None:
    if caller.units is not None:
        return set(caller.units)
    key = ("visible", runtime.state.catalog_version, caller.scope)
    if key not in runtime.memo:
        if len(runtime.memo) > 256:
            runtime.memo.clear()
        runtime.memo[key] = visible_codes(caller, runtime.catalog)
    found: set[str] | None = runtime.memo[key]
    return found


def _json(request: Request, found: ChangesPage, labels: Labels, caller: Caller, page_size: int) -> dict[str, Any]:
    link = (
        link_to(
            request,
            request.url.remove_query_params(["updatedAfter", "cursor"]).include_query_params(cursor=found.next_cursor),
        )
        if found.next_cursor
        else None
    )
    return {
        "meta": {
            "page_size": page_size,
            "next": link,
            "next_cursor": found.next_cursor,
            "last_updated": found.last_updated.isoformat() if found.last_updated else None,
            "ethnic_code_list": labels.ethnic_list.value,
            "generated_at": datetime.now(UTC).isoformat(),
            "access": access_json(caller),
        },
        "labels": labels_json(found.observations, labels),
        "changes": [
            {**observation_json(o, labels), "action": "delete" if o.deleted else "upsert"} for o in found.observations
        ],
    }


@router.get(
    "/changes",
    openapi_extra=params.documented(params.CHANGES, tuple(FORMATS)),
    response_model=models.Changes,
    responses=ok("Changes after the time, oldest first.", FORMATS),
)
async def changes(
    request: Request,
    runtime: RuntimeDep,
    caller: CallerDep,
) -> Response:
    """Every figure changed or deleted after `updatedAfter` (within your scope), for incremental sync."""

    problems = Problems()
    raw = raw_params(request, problems, params.CHANGES)
    fmt = choose_format(request, FORMATS, problems)
    query = parse_changes(runtime.catalog, raw, runtime.limits, problems)

    async def produce() -> Rendered:
        async with runtime.engine.connect() as connection:
            found = await read_changes(
                connection,
                runtime.catalog,
                caller,
                query,
                _visible(runtime, caller),
                runtime.settings.change_feed_settle_seconds or 0.0,
            )
        return _render(request, caller, found, runtime.labels(query.output.ethnic_list), query, fmt)

    return await respond(request, runtime, caller, fmt, produce, runtime.state.version)


def _render(
    request: Request, caller: Caller, found: ChangesPage, labels: Labels, query: ChangesQuery, fmt: Format
) -> Rendered:
    headers = download_headers(fmt, "dantoc-changes", total=len(found.observations), link=None)
    if found.next_cursor:
        headers["X-Next-Cursor"] = found.next_cursor
    lang = query.output.lang
    if fmt is Format.JSON:
        body = dumps(_json(request, found, labels, caller, query.output.page_size))
    elif fmt is Format.CSV:
        body = render_csv(CHANGE_COLUMNS, table_rows(found.observations, labels, lang, CHANGE_COLUMNS), lang)
    elif fmt is Format.SDMX_CSV:
        body = render_sdmx_csv(found.observations, labels, changes=True)
    else:
        body = render_sdmx_json(found.observations, labels, changes=True)
    return Rendered(body, MEDIA[fmt].type, headers)
