"""Liveness, readiness and Prometheus metrics."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from dantoc_catalog.api.deps import ContainerDep
from dantoc_catalog.api.problems import problem_response
from dantoc_catalog.domain.problems import problem
from dantoc_contracts.problems import Location
from dantoc_contracts.quarantine import error_class

router = APIRouter(tags=["operations"])


@router.get("/health")
async def health() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/ready", responses={503: {"description": "Not ready: a problem document says what is missing."}})
async def ready(request: Request, container: ContainerDep) -> Response:
    """Ready when the database answers and the whole catalog has been published to Kafka (a failing check: its
    name and the class of its error only, never data, SQL or a connection string)."""
    missing: dict[str, str] = {}
    try:
        async with container.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception as error:
        missing["database"] = error_class(error)
    if not container.publisher.snapshot_published:
        missing["kafka"] = "snapshot not published"
    elif not container.publisher.healthy:
        missing["kafka"] = "not publishing"
    if missing:
        items = [problem("not_ready", Location(field=name), value=name, detail=why) for name, why in missing.items()]
        return problem_response(request, 503, "Not ready", items, ", ".join(missing) + " not ready")
    return JSONResponse({"status": "ready"})


@router.get("/metrics", response_class=Response)
async def metrics(container: ContainerDep) -> Response:
    """Prometheus metrics of this service (its own registry)."""
    return Response(generate_latest(container.metrics.registry), media_type=CONTENT_TYPE_LATEST)
