"""Gateway composition root: the query and export API over the gateway's own read model.

Consumes
- `dantoc.catalog.v1` (compacted): read from the beginning without a group and kept followed, into a CatalogView.
- `dantoc.aggregates.v1` (compacted, key `indicator|unit|period|disaggregation`): group `dantoc-gateway`, applied
  to the read model (upsert of the newest by computed_at/offset, tombstones delete), positions stored with the
  rows, Kafka offsets committed after the database commit.
Produces
- `dantoc.deadletter.v1`: aggregates records it cannot read, with their bytes and the reason.
Serves HTTP (port 8000): figures, drill-down, series, comparison, completeness, change feed, SDMX structure,
health, readiness, metrics.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiokafka import AIOKafkaConsumer
from fastapi import FastAPI

from dantoc_contracts import topics
from dantoc_contracts.catalog_view import CatalogView
from dantoc_contracts.topics import topic_name
from dantoc_gateway.api import catalog, changes, completeness, errors, figures, health, sdmx
from dantoc_gateway.api.middleware import RequestMetrics
from dantoc_gateway.api.openapi import openapi_factory
from dantoc_gateway.auth.keys import JwksKeys, KeySource, PublicKeyFile
from dantoc_gateway.auth.tokens import TokenVerifier
from dantoc_gateway.db.engine import make_engine, make_sessions
from dantoc_gateway.db.migrate import upgrade_head
from dantoc_gateway.metrics import GatewayMetrics
from dantoc_gateway.runtime import ResponseCache, Runtime
from dantoc_gateway.settings import Settings
from dantoc_gateway.state import FeedStatus, ReadModelState
from dantoc_gateway.streams.aggregate_feed import AggregateFeed
from dantoc_gateway.streams.catalog_feed import CatalogFeed
from dantoc_gateway.streams.cell_versions import VersionWatch
from dantoc_gateway.streams.completeness_gauge import CompletenessGauge
from dantoc_gateway.streams.dead_letter import DeadLetters

DESCRIPTION = (
    "Answers for the national Committee and the provinces from the gateway's read model of the aggregates and "
    "catalog topics. Every route except health, readiness and metrics needs a bearer token (RS256 JWT): the "
    "national role sees everything, a provincial role its province's subtree, an agency its registered scope's "
    "subtree. Errors are RFC 9457 problem documents listing every fault with its parameter."
)


def _keys(settings: Settings) -> KeySource:
    if settings.jwt_jwks_url:
        return JwksKeys(
            settings.jwt_jwks_url, ttl=settings.jwks_cache_seconds, min_refresh=settings.jwks_min_refresh_seconds
        )
    return PublicKeyFile(settings.jwt_public_key_file)


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    catalog_topic = topic_name(topics.CATALOG, settings.namespace)
    aggregates_topic = topic_name(topics.AGGREGATES, settings.namespace)
    verifier = TokenVerifier(_keys(settings))
    engine = make_engine(settings.database_url)
    await upgrade_head(engine)
    sessions = make_sessions(engine)
    view, metrics = CatalogView(), GatewayMetrics()
    state = ReadModelState(FeedStatus(catalog_topic), FeedStatus(aggregates_topic))
    bootstrap = settings.kafka_bootstrap_servers
    dead_letters = DeadLetters(bootstrap=bootstrap, namespace=settings.namespace, consumer=settings.consumer_group)
    catalog_feed = CatalogFeed(bootstrap=bootstrap, topic=catalog_topic, catalog=view, state=state, metrics=metrics)
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=settings.consumer_group,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    aggregate_feed = AggregateFeed(
        consumer=consumer,
        topic=aggregates_topic,
        sessions=sessions,
        catalog=view,
        state=state,
        metrics=metrics,
        dead_letters=dead_letters,
        batch_max_records=settings.batch_max_records,
    )
    app.state.runtime = Runtime(
        settings,
        engine,
        sessions,
        view,
        state,
        verifier,
        metrics,
        ResponseCache(int(settings.response_cache_megabytes * 1024 * 1024)),
    )
    app.state.runtime.probe = catalog_feed.probe
    watch = VersionWatch(sessions=sessions, state=state)
    completeness = CompletenessGauge(sessions=sessions, catalog=view, metrics=metrics)
    try:
        await dead_letters.start()
        await catalog_feed.start()
        await aggregate_feed.start()
        await watch.start()
        await completeness.start()
        yield
    finally:
        await completeness.stop()
        await watch.stop()
        await aggregate_feed.stop()
        await catalog_feed.stop()
        await dead_letters.stop()
        await engine.dispose()


def app_from_environment() -> FastAPI:
    """The app configured from the environment: the factory each `serve --workers N` process calls."""
    return create_app(Settings())


def create_app(settings: Settings) -> FastAPI:
    """The gateway app; nothing connects before the lifespan starts."""
    app = FastAPI(title="Dân tộc gateway", version="1.0.0", description=DESCRIPTION, lifespan=_lifespan)
    app.state.settings = settings
    errors.install(app)
    for module in (health, figures, completeness, changes, sdmx, catalog):
        app.include_router(module.router)
    app.add_middleware(RequestMetrics)
    app.openapi = openapi_factory(app)  # type: ignore[method-assign]
    return app
