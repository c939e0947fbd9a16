"""Crashes (SIGKILL at random moments) lose nothing and count nothing twice; a rebuild gives the same state."""

from __future__ import annotations

import asyncio
import json
import os
import random
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from sqlalchemy import select

from dantoc_aggregate.db import repository as repo
from dantoc_aggregate.db.engine import create_engine
from dantoc_aggregate.db.models import leaf_cells
from dantoc_aggregate.domain.catalog_rules import CatalogRules
from dantoc_aggregate.services.recompute import differences, recomputed_states
from dantoc_contracts import topics
from dantoc_contracts.catalog_view import CatalogView
from dantoc_contracts.messages import adapter
from tests.support.aggregate.harness import ServiceProcess, producer, publish_catalog, publish_values
from tests.support.aggregate.load import Load, build_load, catalog_records, synthetic_units
from tests.support.kafka import eventually, read_topic

pytestmark = [pytest.mark.integration, pytest.mark.e2e]
AGGREGATES = adapter(topics.AGGREGATES.name)


async def end_offsets(bootstrap: str, topic: str) -> dict[int, int]:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None)
    await consumer.start()
    try:
        partitions = [TopicPartition(topic, p) for p in range(topics.VALUES_ACCEPTED.partitions)]
        return {tp.partition: offset for tp, offset in (await consumer.end_offsets(partitions)).items()}
    finally:
        await consumer.stop()


async def caught_up(database_url: str, topic: str, end: dict[int, int]) -> bool:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            stored = await repo.load_offsets(conn, topic)
        return all(stored.get(p, 0) >= o for p, o in end.items())
    finally:
        await engine.dispose()


async def stored_cells(database_url: str) -> dict[tuple[str, str, str, str], tuple[int, Decimal | None]]:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            columns = (
                leaf_cells.c.unit,
                leaf_cells.c.period,
                leaf_cells.c.indicator,
                leaf_cells.c.dkey,
                leaf_cells.c.revision,
                leaf_cells.c.value,
            )
            return {(u, p, i, d): (r, v) for u, p, i, d, r, v in await conn.execute(select(*columns))}
    finally:
        await engine.dispose()


async def states_of(database_url: str) -> dict[Any, Any]:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            return await repo.all_states(conn)
    finally:
        await engine.dispose()


async def run_load(kafka: str, namespace: str, service: ServiceProcess, load: Load, kills: int) -> int:
    """Publish the load in small bursts while killing and restarting the service `kills` times."""
    rng, out, killed = random.Random(11), await producer(kafka), 0
    chunks = [load.messages[i : i + 15] for i in range(0, len(load.messages), 15)]
    kill_at = sorted(rng.sample(range(1, len(chunks)), kills))
    try:
        for number, chunk in enumerate(chunks):
            await publish_values(out, namespace, chunk)
            if number in kill_at:
                await asyncio.sleep(rng.uniform(0.0, 0.6))  # somewhere inside a batch, a commit or a publish
                service.kill()
                killed += 1
                service.start()
                await asyncio.to_thread(service.wait_ready)
            else:
                await asyncio.sleep(0.05)
    finally:
        await out.stop()
    return killed


async def converge(kafka: str, namespace: str, database_url: str) -> None:
    topic = topics.topic_name(topics.VALUES_ACCEPTED, namespace)
    end = await end_offsets(kafka, topic)
    await eventually(lambda: caught_up(database_url, topic, end), timeout=120, interval=0.5)


async def test_sigkill_at_random_moments_loses_nothing(
    kafka: str, namespace: str, database_url: str, tmp_path: Path
) -> None:
    # A synthetic map of 72 communes; every commune reports, then corrections, no-data changes and duplicates.
    units = synthetic_units()
    load = build_load(units)
    await publish_catalog(kafka, namespace, catalog_records(units))
    service = ServiceProcess(
        kafka, namespace, database_url, tmp_path / "service.log", DANTOC_AGGREGATE_BATCH_MAX_RECORDS="20"
    )
    service.start()
    try:
        await asyncio.to_thread(service.wait_ready)
        # The service is killed with SIGKILL four times while the load streams in, and restarted each time.
        assert await run_load(kafka, namespace, service, load, kills=4) == 4
        await converge(kafka, namespace, database_url)
    finally:
        service.stop()
    # Every cell holds its latest revision: nothing lost, nothing applied twice or out of order.
    assert await stored_cells(database_url) == load.final
    # The aggregates equal a from-scratch SQL recomputation over the cells.
    view = CatalogView()
    for key, record in catalog_records(units):
        view.apply(key, record)
    states = await states_of(database_url)
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            assert differences(states, await recomputed_states(conn, CatalogRules(view))) == []
    finally:
        await engine.dispose()
    # The aggregates topic ends with the current state of every aggregate: no event lost to a crash.
    wanted = {repo.state_row(s, 0, 0)["akey"]: s.value for s in states.values()}

    def complete(found: list[Any]) -> bool:
        latest = {r.key.decode(): AGGREGATES.validate_json(r.value).payload.value for r in found}
        return all(latest.get(key) == value for key, value in wanted.items())

    events = await read_topic(kafka, topics.topic_name(topics.AGGREGATES, namespace), until=complete, timeout=60)
    # Every event, republished after a crash or not, names a submission of the load as its correlation id.
    submissions = {message.submission_id for message in load.messages}
    assert {AGGREGATES.validate_json(r.value).correlation_id for r in events} <= submissions


async def test_rebuild_equals_incremental_state(
    kafka: str, namespace: str, database_url: str, sqlite_url: str, tmp_path: Path
) -> None:
    units = synthetic_units(provinces=2)
    load = build_load(units, seed=3, corrections=80)
    await publish_catalog(kafka, namespace, catalog_records(units))
    service = ServiceProcess(kafka, namespace, database_url, tmp_path / "service.log")
    service.start()
    try:
        await asyncio.to_thread(service.wait_ready)
        out = await producer(kafka)
        try:
            await publish_values(out, namespace, load.messages)
        finally:
            await out.stop()
        await converge(kafka, namespace, database_url)
    finally:
        service.stop()
    # Rebuild into fresh tables (a SQLite file) by replaying the topic from the beginning.
    rebuilt_url = sqlite_url.replace("test.db", "rebuilt.db")
    env = {
        **os.environ,
        "KAFKA_BOOTSTRAP_SERVERS": kafka,
        "DANTOC_TOPIC_NAMESPACE": namespace,
        "DANTOC_AGGREGATE_DATABASE_URL": rebuilt_url,
    }
    done = await asyncio.to_thread(
        subprocess.run, [sys.executable, "-m", "dantoc_aggregate", "rebuild"], env=env, capture_output=True, timeout=120
    )
    assert done.returncode == 0, done.stderr.decode()[-3000:]
    # Its log is JSON lines, with one `values.applied` line per message of the topic.
    logged = [json.loads(line) for line in done.stderr.decode().splitlines() if line.strip()]
    applied = [line["submission_id"] for line in logged if line.get("event") == "values.applied"]
    assert sorted(applied) == sorted(message.submission_id for message in load.messages)
    incremental, rebuilt = await states_of(database_url), await states_of(rebuilt_url)
    # Every compared field (value, count, numerator, denominator, completeness, rule) is identical. The newest
    # accepted time is not compared: it follows the batch boundaries, which differ between the two runs. An
    # aggregate emptied by retractions counts as absent.
    assert len(rebuilt) > 1000
    assert differences(incremental, rebuilt) == []
