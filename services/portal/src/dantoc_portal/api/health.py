"""Liveness, readiness (the database answers and is at head) and the Prometheus metrics."""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from dantoc_portal.api.deps import ContainerDep
from dantoc_portal.db.migrate import SchemaNotAtHead, require_head

router = APIRouter(tags=["health"])


@router.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/ready", response_model=None)
async def ready(container: ContainerDep) -> JSONResponse:
    try:
        await require_head(container.engine)
    except SchemaNotAtHead as error:
        return JSONResponse({"status": "not_ready", "reason": str(error)}, status_code=503)
    except Exception as error:  # the database does not answer
        return JSONResponse({"status": "not_ready", "reason": type(error).__name__}, status_code=503)
    return JSONResponse({"status": "ready"})


@router.get("/metrics")
async def metrics(container: ContainerDep) -> Response:
    return Response(generate_latest(container.metrics.registry), media_type=CONTENT_TYPE_LATEST)
