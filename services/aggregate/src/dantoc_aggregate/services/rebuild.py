"""Rebuild: replay the accepted-values topic from the beginning into fresh tables. Verify: compare with SQL."""

from __future__ import annotations

from sqlalchemy import delete, func, select

from dantoc_aggregate.app import tune_garbage_collector
from dantoc_aggregate.db import repository as repo
from dantoc_aggregate.db.engine import create_engine, session_factory
from dantoc_aggregate.db.migrate import upgrade_head
from dantoc_aggregate.db.models import aggregates, consumer_offsets, counters, leaf_cells
from dantoc_aggregate.db.uow import UnitOfWork
from dantoc_aggregate.kafka.catalog_follower import CatalogFollower
from dantoc_aggregate.kafka.values_consumer import ValuesConsumer
from dantoc_aggregate.metrics import AggregateMetrics
from dantoc_aggregate.services.recompute import differences, recomputed_states
from dantoc_aggregate.settings import Settings


class TablesNotEmptyError(RuntimeError):
    """The target database already holds aggregates: rebuild only into fresh tables (or pass --force)."""


async def rebuild(settings: Settings, *, force: bool = False) -> int:
    """Apply the whole accepted-values topic to empty tables; no events are published. Returns cells applied."""
    await upgrade_head(settings.database_url)
    engine, metrics = create_engine(settings.database_url), AggregateMetrics()
    follower = CatalogFollower(settings.kafka_bootstrap_servers, settings.namespace, metrics)
    try:
        async with UnitOfWork(session_factory(engine)) as uow:
            if await uow.conn.scalar(select(func.count()).select_from(leaf_cells)):
                if not force:
                    raise TablesNotEmptyError(settings.database_url)
                for table in (leaf_cells, aggregates, consumer_offsets, counters):
                    await uow.conn.execute(delete(table))
            await uow.commit()
        follower.start()
        tune_garbage_collector()
        return await ValuesConsumer(settings, engine, follower, None, metrics).replay()
    finally:
        await follower.stop()
        await engine.dispose()


async def verify(settings: Settings) -> list[str]:
    """Differences between the stored aggregates and the SQL recomputation over the stored cells."""
    engine, metrics = create_engine(settings.database_url), AggregateMetrics()
    follower = CatalogFollower(settings.kafka_bootstrap_servers, settings.namespace, metrics)
    try:
        follower.start()
        await follower.wait_ready()
        async with engine.connect() as conn:
            return differences(await repo.all_states(conn), await recomputed_states(conn, follower.rules))
    finally:
        await follower.stop()
        await engine.dispose()
