"""Composition root of the catalog service.

Topics produced: `dantoc.catalog.v1` (compacted; key = `catalog_key(payload)`): IndicatorPublished (all versions),
IndicatorGroupPublished, CodeListPublished, EthnicGroupsPublished, AgencyPublished, AdminUnitPublished,
UnitConversionPublished; a null value (tombstone) when an import removes a record. The whole catalog is published
at start-up, then every change through the outbox.
Topics consumed: none.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response

from dantoc_catalog.api import admin, exports, health, indicators, reference, units
from dantoc_catalog.api.body_limit import BodyLimit, catalog_routes
from dantoc_catalog.api.container import Container
from dantoc_catalog.api.problems import install_problem_handlers, problem_responses
from dantoc_catalog.db.engine import create_engine, session_factory
from dantoc_catalog.db.migrate import require_head
from dantoc_catalog.db.uow import UnitOfWorkFactory
from dantoc_catalog.kafka.relay import CatalogPublisher, make_producer
from dantoc_catalog.metrics import CatalogMetrics
from dantoc_catalog.services.queries import CatalogQueries
from dantoc_catalog.settings import Settings
from dantoc_contracts.topics import CATALOG, DEAD_LETTER, topic_name

DESCRIPTION = """Indicator definitions with versions, code lists (sex, age groups, urban/rural, the 54 ethnic groups
in both GSO lists, agencies), administrative units of the legacy and current maps with validity dates, and the
2025 unit conversion. Errors are RFC 9457 problem documents listing every problem at once."""


def create_app(settings: Settings) -> FastAPI:
    """The catalog HTTP application; its lifespan checks the schema is at head (else SchemaNotAtHead: migrating
    and seeding are a step of their own, `python -m dantoc_catalog migrate`) and starts publishing."""
    admin_token = settings.require_admin_token()
    metrics = CatalogMetrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine(settings.database_url)
        try:
            await require_head(engine)
        except BaseException:
            await engine.dispose()
            raise
        uow_factory = UnitOfWorkFactory(session_factory(engine))
        publisher = CatalogPublisher(
            producer=make_producer(settings.kafka_bootstrap_servers),
            topic=topic_name(CATALOG, settings.namespace),
            dead_letter_topic=topic_name(DEAD_LETTER, settings.namespace),
            uow_factory=uow_factory,
            metrics=metrics,
            interval=settings.relay_interval_seconds,
            batch_size=settings.publish_batch_size,
        )
        app.state.container = Container(
            engine, uow_factory, CatalogQueries(uow_factory), publisher, metrics, admin_token,
            settings.import_limits(), settings.max_import_bytes,
        )  # fmt: skip
        publisher.start()
        try:
            yield
        finally:
            await publisher.stop()
            await engine.dispose()

    app = FastAPI(title="Dân tộc catalog", version="1.0.0", description=DESCRIPTION, lifespan=lifespan)
    install_problem_handlers(app)
    for module in (indicators, reference, units, exports):
        app.include_router(module.router, responses=problem_responses(404, 422))
    app.include_router(admin.router, responses=problem_responses(400, 401, 404, 413, 422))
    app.include_router(health.router, responses=problem_responses(503))
    routes = catalog_routes(settings.max_body_bytes, settings.max_import_bytes)
    app.add_middleware(BodyLimit, default=settings.max_body_bytes, routes=routes)  # inside the latency: 413 counted
    app.middleware("http")(_latency(metrics))
    return app


def _latency(
    metrics: CatalogMetrics,
) -> Callable[[Request, Callable[[Request], Awaitable[Response]]], Awaitable[Response]]:
    async def observe(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        started = time.perf_counter()
        status = 500
        try:
            response = await call_next(request)
            status = response.status_code
            return response
        finally:
            route = request.scope.get("route")
            template = getattr(route, "path", "unmatched")
            metrics.http_latency.labels(template, request.method, str(status)).observe(time.perf_counter() - started)

    return observe
