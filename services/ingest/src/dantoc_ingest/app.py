"""Composition root of the ingest service.

Consumes:
  - `dantoc.catalog.v1` (compacted; read from the beginning with no group, followed): the catalog follower.
  - `dantoc.submissions.v1` (group `dantoc-ingest`, manual commits after the database commit): submissions of
    agency systems, key = unit code, payload `SubmissionRequested`.
Produces (through the transactional outbox and its relay; idempotent producer, acks=all):
  - `dantoc.values.accepted.v1`: `ValuesAccepted`, one per accepted submission that changed cells, key = unit code.
  - `dantoc.submissions.rejected.v1`: `SubmissionRejected` with every problem, key = unit code.
  - `dantoc.deadletter.v1`: `MessageDeadLettered` for unreadable submissions records, with their raw bytes.
HTTP: /submissions (JSON, bulk, files), /templates, /cells, /health, /ready, /metrics.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import AsyncIterator, Coroutine
from typing import Any

from fastapi import FastAPI

from dantoc_contracts.body_limit import BodyLimit, Route
from dantoc_ingest.api import cells, files, health, problems, submissions, templates
from dantoc_ingest.auth.tokens import TokenVerifier
from dantoc_ingest.db.engine import create_engine, create_reader
from dantoc_ingest.db.migrate import require_head
from dantoc_ingest.db.uow import UnitOfWorkFactory
from dantoc_ingest.kafka.catalog_follower import CONSUMER as CATALOG_CONSUMER
from dantoc_ingest.kafka.catalog_follower import CatalogFollower
from dantoc_ingest.kafka.relay import OutboxRelay
from dantoc_ingest.kafka.submissions_consumer import SubmissionsConsumer
from dantoc_ingest.metrics import IngestMetrics
from dantoc_ingest.services.context import IngestContext
from dantoc_ingest.services.intake import park_failed
from dantoc_ingest.services.pending import PendingWorker
from dantoc_ingest.settings import Settings

log = logging.getLogger(__name__)


def token_verifier(settings: Settings) -> TokenVerifier:
    """The verifier of bearer tokens; refuses to start without a key (run `python -m dantoc_ingest keys`)."""
    if settings.jwt_jwks_url:
        return TokenVerifier(jwks_url=settings.jwt_jwks_url)
    path = settings.public_key_file()
    if path is None or not path.is_file():
        raise RuntimeError(
            f"no JWT public key at {path}: set DANTOC_JWT_PUBLIC_KEY_FILE or DANTOC_JWT_JWKS_URL, "
            "or create the project's key pair with `python -m dantoc_ingest keys`"
        )
    return TokenVerifier(public_key_pem=path.read_bytes())


async def _start(
    app: FastAPI, settings: Settings
) -> tuple[list[asyncio.Task[None]], CatalogFollower, OutboxRelay, UnitOfWorkFactory]:
    """Database (at head, else SchemaNotAtHead), catalog follower, relay, background worker and consumer; their
    tasks started."""
    app.state.verifier = token_verifier(settings)
    metrics = IngestMetrics()
    engine = create_engine(settings.database_url)
    try:
        await require_head(engine)  # migrating is a step of its own: `python -m dantoc_ingest migrate`
    except BaseException:
        await engine.dispose()
        raise
    uow = UnitOfWorkFactory(engine, create_reader(settings.database_url, engine))
    bootstrap, namespace = settings.kafka_bootstrap_servers, settings.namespace
    catalog = CatalogFollower(bootstrap, namespace, metrics)
    relay = OutboxRelay(
        uow, bootstrap, namespace, metrics, batch=settings.relay_batch, poll_interval=settings.relay_poll_seconds
    )
    pending = PendingWorker()
    ctx = IngestContext(
        catalog=catalog,
        uow=uow,
        metrics=metrics,
        max_values=settings.max_values_per_submission,
        wake_relay=relay.wake,
        wake_pending=pending.wake,
    )
    catalog.park = functools.partial(park_failed, ctx, group=CATALOG_CONSUMER)  # parked once per offset
    app.state.ctx, app.state.relay, app.state.catalog = ctx, relay, catalog
    catalog.start()
    jobs: list[Coroutine[Any, Any, None]] = [relay.run(), pending.run(ctx)]
    if settings.consume_submissions:
        group = settings.consumer_group
        app.state.consumer = SubmissionsConsumer(ctx, catalog, bootstrap=bootstrap, namespace=namespace, group=group)
        jobs.append(app.state.consumer.run())
    return [asyncio.create_task(job) for job in jobs], catalog, relay, uow


MULTIPART_OVERHEAD = 1024 * 1024
"""Room for a file upload's form fields and multipart framing beside the file itself."""


def body_limits(settings: Settings) -> list[Route]:
    """The submission routes' limits (each needs a token before any byte); every other route: the default."""
    return [
        Route("/submissions", settings.max_json_bytes, needs_token=True, prefix=False),
        Route("/submissions/bulk", settings.max_bulk_bytes, needs_token=True, prefix=False),
        Route("/submissions/file", settings.max_upload_bytes + MULTIPART_OVERHEAD, needs_token=True, prefix=False),
    ]


def create_app(settings: Settings) -> FastAPI:
    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        tasks, catalog, relay, uow = await _start(app, settings)
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await catalog.stop()
            await relay.stop()
            await uow.dispose()

    app = FastAPI(
        title="dantoc ingest",
        version="1.0",
        summary="Accepts, checks and publishes agencies' indicator submissions (JSON, XLSX, CSV, SDMX-CSV, Kafka).",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.add_middleware(BodyLimit, routes=body_limits(settings), default=settings.max_other_body_bytes)
    problems.install(app)
    for module in (submissions, files, templates, cells, health):
        app.include_router(module.router)
    return app
