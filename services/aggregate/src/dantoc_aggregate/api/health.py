"""Liveness, readiness and Prometheus metrics."""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from dantoc_aggregate.api.deps import ConsumerDep, EngineDep, FollowerDep, MetricsDep
from dantoc_aggregate.api.problems import problem_response
from dantoc_contracts.quarantine import error_class

router = APIRouter(tags=["operations"])


@router.get("/health")
async def health() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/ready", response_model=None)
async def ready(engine: EngineDep, follower: FollowerDep, consumer: ConsumerDep) -> JSONResponse | dict[str, str]:
    """Database reachable, catalog cache caught up, and this process consuming as the single writer."""
    problems: list[tuple[str, str, str, str]] = []
    try:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except Exception as error:  # the error's class only: never its message (data, SQL, credentials)
        problems.append(
            (
                "database",
                "database_unreachable",
                "Không kết nối được cơ sở dữ liệu.",
                f"Database unreachable ({error_class(error)}).",
            )
        )
    if not follower.ready:
        last = f" (last error {follower.last_error})" if follower.last_error else ""
        problems.append(("catalog", "catalog_loading", "Đang nạp danh mục.", f"Catalog not read to its end yet{last}."))
    if consumer.stopped is not None:
        problems.append(
            (
                "consumer",
                "consumer_stopped",
                "Bộ xử lý đã dừng: offset lưu trữ nằm ngoài log, cần người vận hành xử lý.",
                f"Consumer stopped: a stored offset is out of range ({consumer.last_error}); an operator must act.",
            )
        )
    elif not consumer.running:
        last = f"; last error {consumer.last_error}" if consumer.last_error else ""
        problems.append(
            ("consumer", "not_consuming", "Chưa xử lý dữ liệu.", f"Not consuming (starting or standby{last}).")
        )
    if problems:
        return problem_response(503, "Not ready", problems)
    return {"status": "ready"}


@router.get("/metrics")
async def metrics(registry: MetricsDep) -> Response:
    """Prometheus metrics of this service."""
    return Response(generate_latest(registry.registry), media_type=CONTENT_TYPE_LATEST)
