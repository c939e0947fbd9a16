"""The two baselines the aggregate benchmark compares the service with: (a) the transport alone, (b) a SQL
recomputation of every rollup from the leaf table (which must equal the incremental state)."""

from __future__ import annotations

import time

from aiokafka import AIOKafkaConsumer, TopicPartition

from bench.aggregate_phases import BenchContext, end_offsets
from bench.aggregate_workload import catalog_records
from dantoc_aggregate.db import repository as repo
from dantoc_aggregate.db.engine import create_engine
from dantoc_aggregate.domain.catalog_rules import CatalogRules
from dantoc_aggregate.services.recompute import differences, recomputed_states
from dantoc_contracts import topics
from dantoc_contracts.catalog_view import CatalogView


async def baseline_transport(context: BenchContext, values: int) -> None:
    """(a) The accepted-values topic consumed with no processing at all."""
    topic = topics.topic_name(topics.VALUES_ACCEPTED, context.namespace)
    end = await end_offsets(context)
    consumer = AIOKafkaConsumer(
        bootstrap_servers=context.bootstrap,
        group_id=None,
        auto_offset_reset="earliest",
        max_partition_fetch_bytes=16 << 20,
        fetch_max_bytes=64 << 20,
    )
    await consumer.start()
    consumer.assign([TopicPartition(topic, p) for p in end])
    started, seen, position = time.perf_counter(), 0, dict.fromkeys(end, 0)
    while any(position[p] < o for p, o in end.items()):
        for tp, records in (await consumer.getmany(timeout_ms=500, max_records=10000)).items():
            seen += len(records)
            position[tp.partition] = records[-1].offset + 1
    wall = time.perf_counter() - started
    await consumer.stop()
    print(f"baseline (a) transport only: {seen} messages in {wall:.2f}s = {values / wall:,.0f} values/s")


async def baseline_sql(context: BenchContext) -> None:
    """(b) Every rollup recomputed from the leaf table with SQL GROUP BY, compared with the incremental state."""
    view = CatalogView()
    for key, record in catalog_records():
        view.apply(key, record)
    engine = create_engine(context.database_url)
    try:
        async with engine.connect() as conn:
            started = time.perf_counter()
            expected = await recomputed_states(conn, CatalogRules(view))
            wall = time.perf_counter() - started
            actual = await repo.all_states(conn)
    finally:
        await engine.dispose()
    found = differences(actual, expected)
    verdict = "identical to the incremental state" if not found else f"{len(found)} DIFFERENCES, e.g. {found[:3]}"
    print(f"baseline (b) SQL GROUP BY recomputation: {len(expected):,} aggregates in {wall:.1f}s; {verdict}")
