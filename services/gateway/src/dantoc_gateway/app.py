"""Gateway composition root: the query and export API over the gateway's own read model.

Consumes
- `dantoc.catalog.v1` (compacted): read from the beginning without a group and kept followed, into a CatalogView.
- `dantoc.aggregates.v1` (compacted, key `indicator|unit|period|disaggregation`): group `dantoc-gateway`, applied
  to the read model (upsert of the newest by computed_at/offset, tombstones delete), positions stored with the
  rows, Kafka offsets committed after the database commit.
- `dantoc.values.accepted.v1` (key unit code): group `dantoc-gateway-values`, the (agency, unit) pairs of every
  `ValuesAccepted` kept in `agency_units` (what an agency token may read), positions stored in the same
  transaction, Kafka offsets committed after it.
Produces
- `dantoc.deadletter.v1`: records of any feed set aside by the quarantine rule (unreadable, or failing to apply
  `MAX_ATTEMPTS` times), with their bytes and the reason, after they are kept in `parked_records`.
Serves HTTP (port 8000): figures, drill-down, series, comparison, completeness, change feed, SDMX structure,
health, readiness, metrics.
The lifespan does not migrate: it refuses a read model whose schema is not at head (`SchemaNotAtHead`).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from aiokafka import AIOKafkaConsumer
from fastapi import FastAPI

from dantoc_contracts import topics
from dantoc_contracts.catalog_view import CatalogView
from dantoc_contracts.topics import topic_name
from dantoc_gateway.api import catalog, changes, completeness, figures, health, problems, sdmx
from dantoc_gateway.api.body_limit import BodyLimit
from dantoc_gateway.api.middleware import RequestMetrics
from dantoc_gateway.api.openapi import openapi_factory
from dantoc_gateway.auth.keys import JwksKeys, KeySource, PublicKeyFile
from dantoc_gateway.auth.tokens import TokenVerifier
from dantoc_gateway.db.engine import create_engine, session_factory
from dantoc_gateway.db.migrate import SchemaNotAtHead, require_head
from dantoc_gateway.domain.state import FeedStatus, ReadModelState
from dantoc_gateway.kafka.aggregate_feed import AggregateFeed
from dantoc_gateway.kafka.catalog_follower import CatalogFollower
from dantoc_gateway.kafka.cell_versions import VersionWatch
from dantoc_gateway.kafka.completeness_gauge import CompletenessGauge
from dantoc_gateway.kafka.dead_letter import DeadLetters
from dantoc_gateway.kafka.quarantine import Quarantine
from dantoc_gateway.kafka.values_feed import ValuesFeed
from dantoc_gateway.logs import configure_logging
from dantoc_gateway.metrics import GatewayMetrics
from dantoc_gateway.services.runtime import ResponseCache, Runtime
from dantoc_gateway.settings import Settings

log = logging.getLogger(__name__)
DESCRIPTION = (
    "Answers for the national Committee and the provinces from the gateway's read model of the aggregates and "
    "catalog topics. Every route except health, readiness and metrics needs a bearer token (RS256 JWT): the "
    "national role sees everything; a provincial role its scope's subtree on each period's map, plus, across the "
    "1 July 2025 map change, the units the catalog's conversion records connect it to; an agency exactly the "
    "units it has submitted values for. Errors are RFC 9457 problem documents listing every fault with its "
    "parameter."
)


def _keys(settings: Settings) -> KeySource:
    if settings.jwt_jwks_url:
        return JwksKeys(
            settings.jwt_jwks_url, ttl=settings.jwks_cache_seconds, min_refresh=settings.jwks_min_refresh_seconds
        )
    return PublicKeyFile(settings.jwt_public_key_file)


def _group_consumer(settings: Settings, group: str) -> AIOKafkaConsumer:
    return AIOKafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        group_id=group,
        enable_auto_commit=False,
        auto_offset_reset="none",  # never a silent reset: the feed seeks itself (kafka/group_feed.py)
    )


def _feeds(settings: Settings, runtime: Runtime, dead_letters: DeadLetters) -> tuple[CatalogFollower, list[Any]]:
    """Everything that runs beside the API: the catalog follower, and the rest in start order (stopped in reverse)."""
    state, sessions, metrics = runtime.state, runtime.sessions, runtime.metrics

    def quarantine(consumer: str, topic: str) -> Quarantine:
        return Quarantine(sessions=sessions, dead_letters=dead_letters, metrics=metrics, consumer=consumer, topic=topic)

    follower = CatalogFollower(
        bootstrap=settings.kafka_bootstrap_servers,
        topic=state.catalog.topic,
        catalog=runtime.catalog,
        state=state,
        metrics=metrics,
        quarantine=quarantine(settings.catalog_consumer, state.catalog.topic),
    )
    runtime.probe = follower.probe
    values = ValuesFeed(
        consumer=_group_consumer(settings, settings.values_consumer_group),
        topic=state.values.topic,
        sessions=sessions,
        status=state.values,
        metrics=metrics,
        quarantine=quarantine(settings.values_consumer_group, state.values.topic),
        batch_max_records=settings.batch_max_records,
    )
    aggregates = AggregateFeed(
        consumer=_group_consumer(settings, settings.consumer_group),
        topic=state.aggregates.topic,
        sessions=sessions,
        catalog=runtime.catalog,
        state=state,
        metrics=metrics,
        quarantine=quarantine(settings.consumer_group, state.aggregates.topic),
        batch_max_records=settings.batch_max_records,
    )
    watch = VersionWatch(sessions=sessions, state=state)
    gauge = CompletenessGauge(sessions=sessions, catalog=runtime.catalog, metrics=metrics)
    return follower, [values, aggregates, watch, gauge]


def _state(settings: Settings) -> ReadModelState:
    return ReadModelState(
        FeedStatus(topic_name(topics.CATALOG, settings.namespace)),
        FeedStatus(topic_name(topics.AGGREGATES, settings.namespace)),
        FeedStatus(topic_name(topics.VALUES_ACCEPTED, settings.namespace)),
    )


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    engine = create_engine(settings.database_url)
    try:
        await require_head(engine)  # migrating is a step of its own: `python -m dantoc_gateway migrate`
    except BaseException as error:
        if isinstance(error, SchemaNotAtHead):
            log.error("refusing to start: %s", error, extra={"event": "schema.not_at_head"})
        await engine.dispose()
        raise
    metrics = GatewayMetrics()
    cache = ResponseCache(int(settings.response_cache_megabytes * 1024 * 1024))
    runtime = Runtime(
        settings,
        engine,
        session_factory(engine),
        CatalogView(),
        _state(settings),
        TokenVerifier(_keys(settings), issuer=settings.jwt_issuer, audience=settings.jwt_audience),
        metrics,
        cache,
    )
    app.state.runtime = runtime
    dead_letters = DeadLetters(
        bootstrap=settings.kafka_bootstrap_servers, namespace=settings.namespace, metrics=metrics
    )
    follower, feeds = _feeds(settings, runtime, dead_letters)
    started: list[Any] = []
    try:
        await dead_letters.start()
        started.append(dead_letters)
        follower.start()  # its own supervised task: a broker away is retried, and shown by /ready
        started.append(follower)
        for part in feeds:
            await part.start()
            started.append(part)
        yield
    finally:
        for part in reversed(started):
            await part.stop()
        await engine.dispose()


def app_from_environment() -> FastAPI:
    """The app configured from the environment: the factory each `serve --workers N` process calls.

    A worker process is spawned afresh, so it sets up its own logging (the same configuration as `serve`'s).
    """
    settings = Settings()
    configure_logging(settings)
    return create_app(settings)


def create_app(settings: Settings) -> FastAPI:
    """The gateway app; nothing connects before the lifespan starts."""
    app = FastAPI(title="Dân tộc gateway", version="1.0.0", description=DESCRIPTION, lifespan=_lifespan)
    app.state.settings = settings
    problems.install(app)
    for module in (health, figures, completeness, changes, sdmx, catalog):
        app.include_router(module.router)
    app.add_middleware(BodyLimit, default=settings.max_body_bytes)  # inside the metrics: a 413 is counted
    app.add_middleware(RequestMetrics)
    app.openapi = openapi_factory(app)  # type: ignore[method-assign]
    return app
