"""Health (process up), readiness (database, broker, catalog follower) and Prometheus metrics."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from dantoc_contracts.quarantine import error_class
from dantoc_ingest.api.deps import Ctx
from dantoc_ingest.api.problems import ProblemError

router = APIRouter(tags=["operations"])


@router.get("/health")
async def health() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


async def _database_error(ctx: Ctx) -> str | None:
    try:
        async with ctx.uow(read_only=True) as uow:
            await uow.repo.session.execute(text("SELECT 1"))
        return None
    except Exception as error:
        return error_class(error)  # the class only: never data, SQL or a connection string


async def _broker_error(request: Request) -> str | None:
    relay = request.app.state.relay
    producer = relay.producer
    if producer is None:
        return "not connected"
    try:
        async with asyncio.timeout(3):
            await producer.client.fetch_all_metadata()
        return None
    except Exception as error:
        return error_class(error)


@router.get("/ready", responses={503: {"description": "Not ready (problem document)."}})
async def ready(request: Request, ctx: Ctx) -> dict[str, object]:
    """Ready when the database and the broker answer, the catalog follower has caught up and the submissions consumer
    has not stopped (failing checks: their error class only, in `errors_by`)."""
    consumer = getattr(request.app.state, "consumer", None)
    stopped = None if consumer is None or consumer.stopped is None else error_class(consumer.stopped)
    catalog = getattr(request.app.state, "catalog", None)
    errors = {"database": await _database_error(ctx), "broker": await _broker_error(request), "consumer": stopped}
    errors["catalog"] = None if catalog is None or ctx.catalog.ready else catalog.last_error
    checks = {"database": errors["database"] is None, "broker": errors["broker"] is None, "catalog": ctx.catalog.ready}
    checks["consumer"] = stopped is None  # stopped for good by a stored offset out of range: an operator decides
    if not all(checks.values()):
        failing = ", ".join(name for name, ok in checks.items() if not ok)
        classes = {name: error for name, error in errors.items() if error is not None}
        raise ProblemError(503, [], title="Not ready", detail=f"not ready: {failing}", checks=checks, errors_by=classes)
    return {"status": "ready", "checks": checks}


@router.get("/metrics")
async def metrics(ctx: Ctx) -> Response:
    """Prometheus metrics of this service (its own registry)."""
    return Response(generate_latest(ctx.metrics.registry), media_type=CONTENT_TYPE_LATEST)
