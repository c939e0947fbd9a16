"""Liveness, readiness and Prometheus metrics."""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from dantoc_aggregate.api.deps import EngineDep, FollowerDep, MetricsDep, PipelineDep
from dantoc_aggregate.api.problems import problem_response

router = APIRouter(tags=["operations"])


@router.get("/health")
async def health() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/ready", response_model=None)
async def ready(engine: EngineDep, follower: FollowerDep, pipeline: PipelineDep) -> JSONResponse | dict[str, str]:
    """Database reachable, catalog cache caught up, and this process consuming as the single writer."""
    problems: list[tuple[str, str, str, str]] = []
    try:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except Exception:
        problems.append(
            ("database", "database_unreachable", "Không kết nối được cơ sở dữ liệu.", "Database unreachable.")
        )
    if not follower.caught_up.is_set():
        problems.append(("catalog", "catalog_loading", "Đang nạp danh mục.", "Catalog cache not caught up yet."))
    if not pipeline.running:
        problems.append(("consumer", "not_consuming", "Chưa xử lý dữ liệu.", "Not consuming (starting or standby)."))
    if problems:
        return problem_response(503, "Not ready", problems)
    return {"status": "ready"}


@router.get("/metrics")
async def metrics(registry: MetricsDep) -> Response:
    """Prometheus metrics of this service."""
    return Response(generate_latest(registry.registry), media_type=CONTENT_TYPE_LATEST)
