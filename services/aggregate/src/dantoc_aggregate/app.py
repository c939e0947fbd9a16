"""Composition root of the aggregate service.

Consumes:
- `dantoc.catalog.v1` (compacted; read from the beginning, no group): indicators with their rollup rules and the
  administrative map, folded into `CatalogView`.
- `dantoc.values.accepted.v1` (group `dantoc-aggregate`): accepted cell changes, applied in batches, exactly once
  in effect (offsets tracked in the same database transaction).

Produces:
- `dantoc.aggregates.v1` (compacted; key `indicator|unit|period|disaggregation`): `AggregateChanged` after commit.
- `dantoc.deadletter.v1`: records set aside (unreadable, or failing for what they hold; events too large), after the
  commit that parked them (table `parked_records`; `python -m dantoc_aggregate replay-parked`).

HTTP: `/aggregates/...` needs a national bearer token; `/health`, `/ready`, `/metrics` are open.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import AsyncIterator

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError

from dantoc_aggregate.api import aggregates, health
from dantoc_aggregate.api.problems import ProblemError, problem_error, validation_problem
from dantoc_aggregate.auth.keys import JwksKeys, KeySource, PublicKeyFile
from dantoc_aggregate.auth.tokens import TokenVerifier
from dantoc_aggregate.db.engine import create_engine
from dantoc_aggregate.db.migrate import require_head
from dantoc_aggregate.kafka.catalog_follower import CatalogFollower
from dantoc_aggregate.kafka.publisher import EventPublisher, create_producer
from dantoc_aggregate.kafka.values_consumer import ValuesConsumer
from dantoc_aggregate.metrics import AggregateMetrics
from dantoc_aggregate.settings import Settings
from dantoc_contracts.body_limit import BodyLimit


def tune_garbage_collector() -> None:
    """A batch allocates millions of small acyclic objects (deltas, states, rows) while the writer's cache holds
    hundreds of thousands more: with the default thresholds the cyclic collector runs thousands of times per batch
    and walks the whole cache at every full collection (a fifth of the fold's time). Collect far less often, and
    leave what exists at start (catalog, modules) out of collections altogether."""
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


def key_source(settings: Settings) -> KeySource:
    """The token keys: the JWKS URL when set, else the public key file (which must exist)."""
    if settings.jwt_jwks_url:
        return JwksKeys(
            settings.jwt_jwks_url, ttl=settings.jwks_cache_seconds, min_refresh=settings.jwks_min_refresh_seconds
        )
    return PublicKeyFile(settings.public_key_file)


def create_app(settings: Settings) -> FastAPI:
    """The FastAPI application (no I/O here); its lifespan checks the schema is at head (else SchemaNotAtHead), then
    starts the catalog follower, the producer and the consumer."""

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.verifier = TokenVerifier(key_source(settings))
        engine = create_engine(settings.database_url)
        try:
            await require_head(engine)  # migrating is a step of its own: `python -m dantoc_aggregate migrate`
        except BaseException:
            await engine.dispose()
            raise
        metrics = AggregateMetrics()
        follower = CatalogFollower(settings.kafka_bootstrap_servers, settings.namespace, metrics)
        producer = create_producer(settings.kafka_bootstrap_servers)
        consumer = ValuesConsumer(
            settings, engine, follower, EventPublisher(producer, settings.namespace, metrics.kafka), metrics
        )
        follower.park = consumer.batches.set_aside  # unreadable catalog records: parked, dead-lettered by the writer
        follower.start()
        await producer.start()
        tune_garbage_collector()
        app.state.engine, app.state.metrics, app.state.follower = engine, metrics, follower
        app.state.consumer, app.state.sessions = consumer, consumer.sessions
        task = asyncio.create_task(consumer.run(), name="values-consumer")
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            await producer.stop()
            await follower.stop()
            await engine.dispose()

    app = FastAPI(
        title="Dân tộc: aggregate service",
        description="Exact incremental rollups of accepted values across the administrative hierarchy.",
        lifespan=lifespan,
    )
    app.add_exception_handler(RequestValidationError, validation_problem)
    app.add_exception_handler(ProblemError, problem_error)
    app.include_router(health.router)
    app.include_router(aggregates.router)
    app.add_middleware(BodyLimit, default=settings.max_body_bytes)  # 413 before any body is read
    return app
