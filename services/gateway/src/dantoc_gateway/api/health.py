"""Health, readiness (with how far the read model is behind the topics) and Prometheus metrics."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from dantoc_contracts.quarantine import error_class
from dantoc_gateway.api import models
from dantoc_gateway.api.deps import RuntimeDep
from dantoc_gateway.api.problems import PROBLEM_CONTENT, problem_response
from dantoc_gateway.domain.problems import single
from dantoc_gateway.domain.state import FeedStatus
from dantoc_gateway.kafka.group_feed import OffsetsOutOfRange
from dantoc_gateway.services.runtime import Runtime

STOPPED = error_class(OffsetsOutOfRange())  # the error class of a feed stopped by a stored position out of range

router = APIRouter(tags=["operations"])


@router.get("/health", response_model=models.Health)
async def health() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


async def _database_ok(runtime: Runtime) -> bool:
    try:
        async with asyncio.timeout(2.0), runtime.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception:
        return False
    return True


def _feed(status: FeedStatus) -> dict[str, Any]:
    return {"topic": status.topic, "caught_up": status.caught_up, "lag": status.lag(), "error": status.error}


@router.get(
    "/ready",
    response_model=models.Ready,
    responses={
        503: {
            "description": "Not ready: a feed has not caught up or has stopped (`OffsetsOutOfRange`), or the broker or "
            "database is unreachable.",
            **PROBLEM_CONTENT,
        }
    },
)
async def ready(request: Request, runtime: RuntimeDep) -> JSONResponse:
    """Ready when the database and broker answer and every feed has caught up; reports each feed's lag."""
    database = await _database_ok(runtime)
    broker = await runtime.probe_broker()
    body = {
        "database": database,
        "broker": broker,
        "catalog": _feed(runtime.state.catalog),
        "aggregates": _feed(runtime.state.aggregates),
        "values": _feed(runtime.state.values),
    }
    stopped = [f for f in runtime.state.feeds if f.error == STOPPED]  # for good: an operator must decide
    if database and broker and runtime.state.ready and not stopped:
        return JSONResponse({"status": "ready", **body})
    reasons = [name for name, good in (("database", database), ("broker", broker)) if not good]
    reasons += [f"{f.topic} stopped: {f.error}" for f in stopped]
    reasons += [f"{f.topic} lag {f.lag()}" for f in runtime.state.feeds if not f.caught_up]
    return problem_response(single(503, "Not ready", "not_ready", reason=", ".join(reasons)), request, body)


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {CONTENT_TYPE_LATEST: {"schema": {"type": "string"}}}}},
)
async def metrics(runtime: RuntimeDep) -> Response:
    """Prometheus metrics of this gateway (read-model lag, applied aggregates, requests, denials, Kafka)."""
    return Response(generate_latest(runtime.metrics.registry), media_type=CONTENT_TYPE_LATEST)
